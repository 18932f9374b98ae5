"""Reads about centers and rooms used by views."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from bookings.models import Occurrence, OccurrenceState
from groups.selectors import public_occurrences

from .holidays import public_holidays
from .models import Center, Closure, OpeningHours, Room, SchoolHoliday, Weekday
from .school_holidays import Period, days_of

WEEK_DAYS = 7
# How far ahead the center page announces closures and public holidays.
CLOSURES_AHEAD = timedelta(days=90)


def center_list() -> QuerySet[Center]:
    return Center.objects.order_by("name")


@dataclass
class OpeningDay:
    weekday: str
    periods: list[OpeningHours]


@dataclass
class ProgramDay:
    day: date
    holiday: str = ""
    school_holiday: str = ""
    closures: list[Closure] = field(default_factory=list)
    dates: list[Occurrence] = field(default_factory=list)


@dataclass
class CenterPage:
    center: Center
    opening: list[OpeningDay]
    rooms: list[Room]
    week: list[ProgramDay]
    closures: list[Closure]
    holidays: list[tuple[date, str]]
    school_holidays: list[SchoolHoliday] = field(default_factory=list)


def center_page(*, slug: str, now: datetime, language: str) -> CenterPage:
    """Everything the public center page shows, in a fixed number of queries."""
    try:
        center = Center.objects.prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
            Prefetch("rooms", queryset=Room.objects.order_by("floor", "name")),
        ).get(slug=slug)
    except Center.DoesNotExist as missing:
        raise Http404 from missing

    tz = center.tz
    today = now.astimezone(tz).date()
    week_start = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    week_end = week_start + timedelta(days=WEEK_DAYS)  # wall-clock days; aware arithmetic is fine

    hours: dict[int, list[OpeningHours]] = defaultdict(list)
    for period in center.opening_hours.all():
        hours[period.weekday].append(period)
    opening = [
        OpeningDay(weekday=str(label), periods=hours[value]) for value, label in Weekday.choices
    ]

    closures = list(
        Closure.objects.filter(center=center, ends_at__gt=now, starts_at__lt=now + CLOSURES_AHEAD)
        .select_related("room")
        .order_by("starts_at", "pk")
    )
    holidays = public_holidays(
        center.federal_state, today, today + CLOSURES_AHEAD, language=language
    )
    school = list(
        SchoolHoliday.objects.filter(
            state=center.federal_state,
            first_day__lte=today + CLOSURES_AHEAD,
            last_day__gte=today,
        ).order_by("first_day", "name")
    )
    school_days = days_of(
        (Period(p.name, p.first_day, p.last_day) for p in school), today, today + CLOSURES_AHEAD
    )
    dates = (
        public_occurrences()
        .filter(room__center=center, starts_at__gte=week_start, starts_at__lt=week_end)
        .select_related("room", "series__group")
        .only(
            "starts_at",
            "ends_at",
            "state",
            "reason",
            "room__name",
            "series__title",
            "series__group__name",
            "series__group__slug",
        )
        .order_by("starts_at", "pk")
    )
    week = [ProgramDay(day=today + timedelta(days=n)) for n in range(WEEK_DAYS)]
    by_day = {d.day: d for d in week}
    for occurrence in dates:
        local_day = occurrence.starts_at.astimezone(tz).date()
        if local_day in by_day:
            by_day[local_day].dates.append(occurrence)
    for program_day in week:
        program_day.holiday = holidays.get(program_day.day, "")
        program_day.school_holiday = school_days.get(program_day.day, "")
        program_day.closures = [
            c
            for c in closures
            if c.starts_at.astimezone(tz).date()
            <= program_day.day
            <= (c.ends_at - timedelta(microseconds=1)).astimezone(tz).date()
        ]
    return CenterPage(
        center=center,
        opening=opening,
        rooms=list(center.rooms.all()),
        week=week,
        closures=closures,
        holidays=list(holidays.items()),
        school_holidays=school,
    )


@dataclass
class RoomPage:
    room: Room
    week: list[ProgramDay]


def room_page(*, slug: str, room_id: int, now: datetime) -> RoomPage:
    """A room with its next seven days. Public groups' dates by name; dates of internal groups
    only as "booked" (the template shows no name when the group is not public)."""
    try:
        room = (
            Room.objects.select_related("center", "parent")
            .prefetch_related("equipment")
            .get(pk=room_id, center__slug=slug)
        )
    except Room.DoesNotExist as missing:
        raise Http404 from missing
    tz = room.center.tz
    today = now.astimezone(tz).date()
    week_start = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    week_end = week_start + timedelta(days=WEEK_DAYS)
    internal = Occurrence.objects.filter(
        state=OccurrenceState.CONFIRMED, series__group__is_public=False
    )
    dates = (
        (public_occurrences() | internal)
        .filter(room=room, starts_at__gte=week_start, starts_at__lt=week_end)
        .select_related("series__group")
        .order_by("starts_at", "pk")
    )
    closures = list(
        Closure.objects.filter(center=room.center, ends_at__gt=week_start, starts_at__lt=week_end)
        .filter(Q(room__isnull=True) | Q(room=room))
        .select_related("room")
        .order_by("starts_at", "pk")
    )
    week = [ProgramDay(day=today + timedelta(days=n)) for n in range(WEEK_DAYS)]
    by_day = {d.day: d for d in week}
    for occurrence in dates:
        local_day = occurrence.starts_at.astimezone(tz).date()
        if local_day in by_day:
            by_day[local_day].dates.append(occurrence)
    for program_day in week:
        program_day.closures = [
            c
            for c in closures
            if c.starts_at.astimezone(tz).date()
            <= program_day.day
            <= (c.ends_at - timedelta(microseconds=1)).astimezone(tz).date()
        ]
    return RoomPage(room=room, week=week)
