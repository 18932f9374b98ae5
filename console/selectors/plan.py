"""Reads for the staff's plan views: the center's rooms, what occupies them, the occupancy board
and the weekly plan for the notice board. A fixed number of queries however many bookings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language

from bookings import conflicts
from bookings.models import Occurrence, OccurrenceState
from bookings.recurrence import localize
from centers.holidays import public_holidays
from centers.models import Center, Closure, OpeningHours, Room
from centers.school_holidays import school_holidays

from .. import board as board_core

ACTIVE_STATES = (OccurrenceState.CONFIRMED, OccurrenceState.REQUESTED)
BOARD_VIEWS = ("day", "week")


# --- rooms, entries -------------------------------------------------------------------------


def center_rooms(
    center: Center, *, equipment: Iterable[Any] = (), min_capacity: int | None = None
) -> list[Room]:
    """The center's rooms, optionally only those with all the given equipment and enough seats."""
    rooms = Room.objects.filter(center=center)
    for item in equipment:
        rooms = rooms.filter(equipment=item)
    if min_capacity:
        rooms = rooms.filter(capacity__gte=min_capacity)
    return list(rooms.order_by("name").distinct())


def request_url(center: Center, series_id: int, occurrence_id: int | None = None) -> str:
    url = reverse("staff:request", kwargs={"slug": center.slug, "pk": series_id})
    return f"{url}#date-{occurrence_id}" if occurrence_id else url


def _occurrences(center: Center, start: datetime, end: datetime) -> QuerySet[Occurrence]:
    return (
        Occurrence.objects.filter(
            room__center=center, state__in=ACTIVE_STATES, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("series__group", "room")
        .order_by("starts_at", "pk")
    )


def _closures(center: Center, start: datetime, end: datetime) -> QuerySet[Closure]:
    return Closure.objects.filter(
        center=center, starts_at__lt=end, ends_at__gt=start
    ).select_related("room")


def entries_between(
    center: Center, start: datetime, end: datetime, *, rooms: Sequence[Room] | None = None
) -> list[board_core.Entry]:
    """Confirmed and pending dates and closures of the center overlapping [start, end)."""
    occurrences = _occurrences(center, start, end)
    closures = _closures(center, start, end)
    if rooms is not None:
        ids = [room.pk for room in rooms]
        occurrences = occurrences.filter(room__in=ids)
        closures = closures.filter(Q(room__isnull=True) | Q(room__in=ids))
    occurrences = list(occurrences)
    # The same answer as the request page and the overview: the one conflict core decides.
    clashes = {
        check.occurrence.pk: tuple(issue.message for issue in check.report.hard)
        for check in conflicts.clashing(
            conflicts.center_window(center=center, start=start, end=end, occurrences=occurrences)
        )
    }
    entries = [
        board_core.Entry(
            kind=board_core.CONFIRMED
            if occurrence.state == OccurrenceState.CONFIRMED
            else board_core.PENDING,
            room_id=occurrence.room_id,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            label=occurrence.series.display_title,
            url=request_url(center, occurrence.series_id, occurrence.pk),
            occurrence_id=occurrence.pk,
            series_id=occurrence.series_id,
            # Buffers only hold the room once a date is confirmed.
            setup_minutes=occurrence.room.setup_minutes
            if occurrence.state == OccurrenceState.CONFIRMED
            else 0,
            cleanup_minutes=occurrence.room.cleanup_minutes
            if occurrence.state == OccurrenceState.CONFIRMED
            else 0,
            clashes=clashes.get(occurrence.pk, ()),
        )
        for occurrence in occurrences
    ]
    entries += [
        board_core.Entry(
            kind=board_core.CLOSURE,
            room_id=closure.room_id,
            starts_at=closure.starts_at,
            ends_at=closure.ends_at,
            label=closure.reason,
        )
        for closure in closures
    ]
    return entries


def _local_day_range(center: Center, first: date, last: date) -> tuple[datetime, datetime]:
    """Aware bounds of the local days first..last (inclusive)."""
    tz = center.tz
    return (
        localize(datetime.combine(first, time.min), tz),
        localize(datetime.combine(last + timedelta(days=1), time.min), tz),
    )


def holidays_between(center: Center, first: date, last: date) -> dict[date, str]:
    return public_holidays(center.federal_state, first, last, get_language() or "de")


# --- occupancy board ------------------------------------------------------------------------


@dataclass
class Board:
    center: Center
    day: date
    view: str
    rooms: list[Room]
    days: list[date]
    day_grid: board_core.DayGrid | None = None
    week_grid: board_core.WeekGrid | None = None
    closed_all_day: bool = False  # day view: the center does not open on this weekday
    # School holidays of the center's state on the days shown (series that pause skip them).
    school_holidays: dict[date, str] = field(default_factory=dict)

    @property
    def school_holiday_names(self) -> list[str]:
        return list(dict.fromkeys(self.school_holidays.values()))

    @property
    def previous(self) -> date:
        return self.day - timedelta(days=1 if self.view == "day" else 7)

    @property
    def next(self) -> date:
        return self.day + timedelta(days=1 if self.view == "day" else 7)


def closed_weekdays(center: Center) -> set[int]:
    """Weekdays (0 = Monday) without opening hours; none when the center has none recorded at
    all (unknown hours are not "closed")."""
    open_days = set(OpeningHours.objects.filter(center=center).values_list("weekday", flat=True))
    return set(range(7)) - open_days if open_days else set()


def _opening_span(center: Center, day: date) -> tuple[int, int]:
    periods = OpeningHours.objects.filter(center=center, weekday=day.weekday())
    opens = [p.opens for p in periods]
    closes = [p.closes for p in periods]
    if not opens:
        return 8, 22
    last = max(closes)
    return min(opens).hour, min(24, last.hour + (1 if last.minute else 0))


def board(
    *,
    center: Center,
    day: date,
    view: str = "day",
    equipment: Iterable[Any] = (),
    min_capacity: int | None = None,
) -> Board:
    """The rooms × time grid of one day, or rooms × days of the week holding `day`."""
    rooms = center_rooms(center, equipment=equipment, min_capacity=min_capacity)
    days = [day] if view == "day" else board_core.week_of(day)
    start, end = _local_day_range(center, days[0], days[-1])
    entries = entries_between(center, start, end, rooms=rooms)
    holidays = holidays_between(center, days[0], days[-1])
    result = Board(
        center=center,
        day=day,
        view=view,
        rooms=rooms,
        days=days,
        school_holidays=school_holidays(center.federal_state, days[0], days[-1]),
    )
    closed = closed_weekdays(center)
    if view == "day":
        result.closed_all_day = day.weekday() in closed
        opens, closes = _opening_span(center, day)
        first, last = board_core.hour_range(day, center.tz, entries, opens=opens, closes=closes)
        result.day_grid = board_core.day_grid(
            day=day,
            tz=center.tz,
            rooms=rooms,
            entries=entries,
            first_hour=first,
            last_hour=last,
            holiday=holidays.get(day, ""),
        )
    else:
        result.week_grid = board_core.week_grid(
            days=days,
            tz=center.tz,
            rooms=rooms,
            entries=entries,
            holidays=holidays,
            closed_weekdays=closed,
        )
    return result


def week_plan(*, center: Center, day: date) -> board_core.WeekGrid:
    """Rooms × days of the week holding `day`, confirmed dates only: what the notice board shows."""
    days = board_core.week_of(day)
    start, end = _local_day_range(center, days[0], days[-1])
    rooms = center_rooms(center)
    entries = [
        e for e in entries_between(center, start, end, rooms=rooms) if e.kind != board_core.PENDING
    ]
    return board_core.week_grid(
        days=days,
        tz=center.tz,
        rooms=rooms,
        entries=entries,
        holidays=holidays_between(center, days[0], days[-1]),
        closed_weekdays=closed_weekdays(center),
    )


def local_text(value: datetime, center: Center) -> str:
    """A moment as people at the center read it: their date and wall-clock time."""
    return formats.date_format(value.astimezone(center.tz), "SHORT_DATETIME_FORMAT")
