"""Reads for the screens, the door signs, the room page's check-in and the staff pages.

Only what is public leaves the screen selectors: internal groups appear as "booked" without a
name, requests and declined dates never, cancelled dates only if they had been confirmed. Every
function runs a fixed number of queries, however many dates there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from attendance.models import Attendance
from bookings.models import Occurrence, OccurrenceState, SeriesStatus
from bookings.recurrence import localize
from centers.holidays import public_holidays
from centers.models import Center, Closure, Room
from groups.models import Group

from . import labels
from .labels import Text
from .models import DisplaySettings, NoShow
from .program import ACTIVE, CANCELLED, MOVED_AWAY, RELEASED, Item, Sections, arrange
from .program import current_and_next as split_door

# A group checks in from 30 minutes before its start until its end; after 30 minutes without
# a check-in the date counts as a no-show.
CHECK_IN_EARLY = timedelta(minutes=30)
NO_SHOW_AFTER = timedelta(minutes=30)
# "Repeated": this many no-shows of one group within this many days.
REPEATED_NO_SHOWS = 2
REPEATED_WINDOW = timedelta(days=56)

# Series whose cancelled dates the public has seen as confirmed before (prior_state is set by
# the engine from its rewrite on; older rows fall back to the series' status).
_SEEN_SERIES = (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED, SeriesStatus.CANCELLED)
DAY_FORMAT = pgettext_lazy("weekday and date, Django date format", "l, j F")
MOVED_TO_FORMAT = pgettext_lazy("weekday, short date and time, Django date format", "D j.n., H:i")


def screen_settings(center: Center) -> DisplaySettings:
    """The center's screen settings; the defaults (unsaved) until staff change something."""
    found = DisplaySettings.objects.filter(center=center).first()
    return found or DisplaySettings(center=center)


def day_range(tz: tzinfo, day: date) -> tuple[datetime, datetime]:
    start = localize(datetime.combine(day, time.min), tz)
    return start, localize(datetime.combine(day + timedelta(days=1), time.min), tz)


def related_rooms(room: Room) -> list[int]:
    """The room, the whole room it is part of, and its parts: a booking of any of them uses
    the room behind this door."""
    ids = {room.pk, *room.parts.values_list("pk", flat=True)}
    if room.parent_id:
        ids.add(room.parent_id)
    return sorted(ids)


def _dates(
    start: datetime, end: datetime, *, center: Center, room_ids: list[int] | None
) -> QuerySet[Occurrence]:
    """Confirmed and cancelled dates in [start, end), and dates planned there then but moved."""
    in_place = Q(room__center=center) if room_ids is None else Q(room_id__in=room_ids)
    planned_here = (
        Q(series__room__center=center) if room_ids is None else Q(series__room_id__in=room_ids)
    )
    return (
        Occurrence.objects.filter(state__in=[OccurrenceState.CONFIRMED, OccurrenceState.CANCELLED])
        .filter(
            (in_place & Q(starts_at__lt=end, ends_at__gt=start))
            | (planned_here & Q(original_start__gte=start, original_start__lt=end))
        )
        .select_related("series__group", "series__room", "room", "no_show")
        .order_by("starts_at", "pk")
    )


def _time(value: datetime) -> str:
    return f"{value:%H:%M}"


def _item(
    occurrence: Occurrence,
    *,
    start: datetime,
    end: datetime,
    room_ids: list[int] | None,
    tz: tzinfo,
    language: str,
) -> Item | None:
    """The date as the public may see it here, or None if it does not belong on the screen."""
    series, group = occurrence.series, occurrence.series.group
    if occurrence.state == OccurrenceState.CANCELLED and not (
        group.is_public
        and occurrence.prior_state in ("", OccurrenceState.CONFIRMED)
        and series.status in _SEEN_SERIES
    ):
        return None
    starts, ends = occurrence.starts_at.astimezone(tz), occurrence.ends_at.astimezone(tz)
    here = occurrence.starts_at < end and occurrence.ends_at > start
    if room_ids is not None:
        here = here and occurrence.room_id in room_ids
    title = series.display_title if group.is_public else ""
    notes: list[Text] = []
    if not here:
        # Planned here at this time, now elsewhere: say where it went (public groups only).
        if not group.is_public or occurrence.state != OccurrenceState.CONFIRMED:
            return None
        planned = occurrence.original_start.astimezone(tz)
        moved_to = labels.text(
            language,
            _("moved to %(when)s, %(room)s"),
            when=lambda: date_format(starts, str(MOVED_TO_FORMAT)),
            room=occurrence.room.name,
        )
        return Item(
            occurrence_id=occurrence.pk,
            starts_at=planned,
            ends_at=planned + (occurrence.ends_at - occurrence.starts_at),
            room_id=series.room_id,
            room=series.room.name,
            title=title,
            state=MOVED_AWAY,
            notes=(moved_to,),
        )
    state = ACTIVE
    if occurrence.state == OccurrenceState.CANCELLED:
        state = CANCELLED
        if occurrence.reason:
            notes.append(((labels.first(language), occurrence.reason),))
    else:
        no_show = getattr(occurrence, "no_show", None)
        if no_show is not None and no_show.is_released:
            state = RELEASED
    if group.is_public and state != CANCELLED:
        if occurrence.room_id != series.room_id:
            notes.append(labels.text(language, _("moved from %(room)s"), room=series.room.name))
        if occurrence.starts_at != occurrence.original_start:
            was = occurrence.original_start.astimezone(tz)
            notes.append(labels.text(language, _("moved, was %(time)s"), time=_time(was)))
    return Item(
        occurrence_id=occurrence.pk,
        starts_at=starts,
        ends_at=ends,
        room_id=occurrence.room_id,
        room=occurrence.room.name,
        title=title,
        state=state,
        notes=tuple(notes),
    )


def items_between(
    *,
    center: Center,
    start: datetime,
    end: datetime,
    language: str,
    room_ids: list[int] | None = None,
) -> list[Item]:
    tz = center.tz
    found = (
        _item(o, start=start, end=end, room_ids=room_ids, tz=tz, language=language)
        for o in _dates(start, end, center=center, room_ids=room_ids)
    )
    return [item for item in found if item is not None]


@dataclass(frozen=True)
class ClosureLine:
    room: str  # empty: the whole center
    reason: str
    until: datetime


def _closures(
    center: Center, start: datetime, end: datetime, room_ids: list[int] | None
) -> list[ClosureLine]:
    found = Closure.objects.filter(center=center, starts_at__lt=end, ends_at__gt=start)
    if room_ids is not None:
        found = found.filter(Q(room__isnull=True) | Q(room_id__in=room_ids))
    return [_closure_line(c) for c in found.select_related("room").order_by("starts_at", "pk")]


def _closure_line(closure: Closure) -> ClosureLine:
    return ClosureLine(
        room=closure.room.name if closure.room else "", reason=closure.reason, until=closure.ends_at
    )


@dataclass
class Screen:
    """What a foyer screen or a door sign shows at one moment."""

    center: Center
    language: str
    now: datetime  # local
    day: date
    day_text: Text
    notice: str
    holiday: str
    closures: list[ClosureLine]
    items: list[Item]
    sections: Sections
    room: Room | None = None
    current: Item | None = None
    upcoming: Item | None = None
    rest: list[Item] = field(default_factory=list)
    free_text: Text = ()

    @property
    def time_text(self) -> str:
        return f"{self.now:%H:%M}"

    @property
    def center_closed(self) -> bool:
        return any(not c.room for c in self.closures)


def screen(
    *,
    center: Center,
    settings: DisplaySettings,
    now: datetime,
    language: str,
    room: Room | None = None,
) -> Screen:
    """Today's program of the center, or of one room (with its parent and parts)."""
    tz = center.tz
    local_now = now.astimezone(tz)
    day = local_now.date()
    start, end = day_range(tz, day)
    room_ids = related_rooms(room) if room is not None else None
    items = items_between(center=center, start=start, end=end, language=language, room_ids=room_ids)
    holiday = public_holidays(center.federal_state, day, day, language=labels.first(language))
    result = Screen(
        center=center,
        language=language,
        now=local_now,
        day=day,
        day_text=labels.formatted(language, lambda: date_format(day, str(DAY_FORMAT))),
        notice=settings.notice,
        holiday=holiday.get(day, ""),
        closures=_closures(center, start, end, room_ids),
        items=items,
        sections=arrange(items, local_now),
        room=room,
    )
    if room is not None:
        result.current, result.upcoming = split_door(items, local_now)
        shown = {i.occurrence_id for i in (result.current, result.upcoming) if i}
        result.rest = [i for i in result.sections.upcoming if i.occurrence_id not in shown]
        if result.upcoming is not None:
            until = f"{result.upcoming.starts_at:%H:%M}"
            result.free_text = labels.text(language, _("Free until %(time)s"), time=until)
        else:
            result.free_text = labels.text(language, labels.LABELS["free"])
    return result


@dataclass
class WeekDay:
    day: date
    holiday: str
    closures: list[ClosureLine]
    items: list[Item]


def room_week(*, room: Room, monday: date, language: str) -> list[WeekDay]:
    """Seven days of a room for the printed door sign (three queries)."""
    center = room.center
    tz = center.tz
    start, _end = day_range(tz, monday)
    end = day_range(tz, monday + timedelta(days=6))[1]
    room_ids = related_rooms(room)
    items = items_between(center=center, start=start, end=end, language=language, room_ids=room_ids)
    closures = Closure.objects.filter(center=center, starts_at__lt=end, ends_at__gt=start).filter(
        Q(room__isnull=True) | Q(room_id__in=room_ids)
    )
    closures = list(closures.select_related("room").order_by("starts_at", "pk"))
    holidays = public_holidays(
        center.federal_state, monday, monday + timedelta(days=6), labels.first(language)
    )
    days = []
    for n in range(7):
        day = monday + timedelta(days=n)
        day_start, day_end = day_range(tz, day)
        days.append(
            WeekDay(
                day=day,
                holiday=holidays.get(day, ""),
                closures=[
                    _closure_line(c)
                    for c in closures
                    if c.starts_at < day_end and c.ends_at > day_start
                ],
                items=[i for i in items if i.starts_at.date() == day],
            )
        )
    return days


# --- check-in ---------------------------------------------------------------------------------


def check_in_window(occurrence: Occurrence) -> tuple[datetime, datetime]:
    return occurrence.starts_at - CHECK_IN_EARLY, occurrence.ends_at


def check_in_offers(*, user: User, room: Room, now: datetime) -> list[Occurrence]:
    """Confirmed dates in this room (or its parent or parts) that this leader may check in for
    now, with their attendance if any (`attendance_row`)."""
    if not (user.is_authenticated and user.is_active):
        return []
    found = (
        Occurrence.objects.filter(
            room_id__in=related_rooms(room),
            state=OccurrenceState.CONFIRMED,
            series__group__leaderships__user=user,
            starts_at__lte=now + CHECK_IN_EARLY,
            ends_at__gt=now,
        )
        .select_related("series__group", "room", "attendance")
        .order_by("starts_at", "pk")
        .distinct()
    )
    offers = list(found)
    for occurrence in offers:
        occurrence.attendance_row = getattr(occurrence, "attendance", None)
    return offers


# --- staff: board and queue -------------------------------------------------------------------


def _checked_in() -> Exists:
    return Exists(Attendance.objects.filter(occurrence=OuterRef("pk"), checked_in_at__isnull=False))


@dataclass(frozen=True)
class MissingCheckIn:
    occurrence: Occurrence
    no_show: NoShow | None


def missing_check_ins(*, center: Center, now: datetime) -> list[MissingCheckIn]:
    """Dates running now that started at least 30 minutes ago without a check-in (only for
    centers whose groups check in at the door)."""
    if not DisplaySettings.objects.filter(center=center, check_in=True).exists():
        return []
    found = (
        Occurrence.objects.filter(
            room__center=center,
            state=OccurrenceState.CONFIRMED,
            starts_at__lte=now - NO_SHOW_AFTER,
            ends_at__gt=now,
        )
        .exclude(_checked_in())
        .select_related("series__group", "room", "no_show")
        .order_by("starts_at", "room__name", "pk")
    )
    return [MissingCheckIn(o, getattr(o, "no_show", None)) for o in found]


@dataclass(frozen=True)
class RepeatedNoShows:
    group: Group
    count: int
    last: datetime
    series_id: int


def repeated_no_shows(*, centers: Iterable[Center], now: datetime) -> list[RepeatedNoShows]:
    """Groups with at least REPEATED_NO_SHOWS no-shows in the last REPEATED_WINDOW."""
    rows = (
        NoShow.objects.filter(
            occurrence__series__group__center__in=list(centers),
            arrived_at__isnull=True,
            occurrence__starts_at__gte=now - REPEATED_WINDOW,
        )
        .values("occurrence__series__group")
        .annotate(
            count=Count("pk"), last=Max("occurrence__starts_at"), series=Max("occurrence__series")
        )
        .filter(count__gte=REPEATED_NO_SHOWS)
        .order_by("-count", "-last")
    )
    rows = list(rows)
    groups = Group.objects.select_related("center").in_bulk(
        [r["occurrence__series__group"] for r in rows]
    )
    return [
        RepeatedNoShows(
            group=groups[r["occurrence__series__group"]],
            count=r["count"],
            last=r["last"],
            series_id=r["series"],
        )
        for r in rows
    ]
