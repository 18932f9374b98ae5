"""Reads for the staff pages: the request queue, the occupancy board, the weekly plan, the
overview. Each function runs a fixed number of queries however many bookings there are."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language

from bookings import alternatives
from bookings.conflicts import ConflictReport, DateReport, Issue, IssueKind, check
from bookings.models import Occurrence, OccurrenceState, Series
from bookings.recurrence import Slot, localize
from centers.holidays import public_holidays
from centers.models import Center, Closure, OpeningHours, Room

from . import board as board_core

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

    @property
    def previous(self) -> date:
        return self.day - timedelta(days=1 if self.view == "day" else 7)

    @property
    def next(self) -> date:
        return self.day + timedelta(days=1 if self.view == "day" else 7)


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
    result = Board(center=center, day=day, view=view, rooms=rooms, days=days)
    if view == "day":
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
            days=days, tz=center.tz, rooms=rooms, entries=entries, holidays=holidays
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
    )


# --- overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    kind: str  # "pending" (a request against a confirmed date) | "closure"
    starts_at: datetime
    room: Room
    first: str  # the confirmed group, or the closure's reason
    second: str  # the waiting group, or the group hit by the closure
    url: str


@dataclass(frozen=True)
class RoomUse:
    room: Room
    booked_hours: float
    open_hours: float

    @property
    def percent(self) -> int | None:
        if not self.open_hours:
            return None
        return round(100 * self.booked_hours / self.open_hours)


@dataclass
class Overview:
    center: Center
    open_requests: list[Series]
    clashes: list[Clash]
    room_use: list[RoomUse]
    month: date
    clash_until: date


def _same_unit(a: Room, b: Room) -> bool:
    """Two rooms are the same physical space, or one is part of the other."""
    return a.pk == b.pk or a.parent_id == b.pk or b.parent_id == a.pk


def _buffered(occurrence: Occurrence) -> tuple[datetime, datetime]:
    room = occurrence.room
    return (
        occurrence.starts_at - timedelta(minutes=room.setup_minutes),
        occurrence.ends_at + timedelta(minutes=room.cleanup_minutes),
    )


def clashes_between(center: Center, start: datetime, end: datetime) -> list[Clash]:
    """Requests that collide with confirmed dates, and closures that hit booked dates."""
    occurrences = list(_occurrences(center, start, end))
    closures = list(_closures(center, start, end))
    confirmed = [o for o in occurrences if o.state == OccurrenceState.CONFIRMED]
    pending = [o for o in occurrences if o.state == OccurrenceState.REQUESTED]
    found: list[Clash] = []
    for waiting in pending:
        for held in confirmed:
            if not _same_unit(waiting.room, held.room):
                continue
            held_from, held_until = _buffered(held)
            if waiting.starts_at < held_until and held_from < waiting.ends_at:
                found.append(
                    Clash(
                        kind="pending",
                        starts_at=waiting.starts_at,
                        room=waiting.room,
                        first=held.series.display_title,
                        second=waiting.series.display_title,
                        url=request_url(center, waiting.series_id, waiting.pk),
                    )
                )
    for closure in closures:
        for occurrence in occurrences:
            if closure.room_id is not None and not _same_unit(closure.room, occurrence.room):
                continue
            if occurrence.starts_at < closure.ends_at and closure.starts_at < occurrence.ends_at:
                found.append(
                    Clash(
                        kind="closure",
                        starts_at=occurrence.starts_at,
                        room=occurrence.room,
                        first=closure.reason,
                        second=occurrence.series.display_title,
                        url=request_url(center, occurrence.series_id, occurrence.pk),
                    )
                )
    return sorted(found, key=lambda c: (c.starts_at, c.room.name, c.second))


def room_use(center: Center, month: date) -> list[RoomUse]:
    """Confirmed hours per room in the month against the hours the center is open (holidays off)."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start, end = _local_day_range(center, first, last)
    holidays = holidays_between(center, first, last)
    per_weekday: dict[int, float] = defaultdict(float)
    for period in OpeningHours.objects.filter(center=center):
        opens = datetime.combine(first, period.opens)
        closes = datetime.combine(first, period.closes)
        per_weekday[period.weekday] += (closes - opens).total_seconds() / 3600
    open_hours = sum(
        per_weekday[d.weekday()]
        for d in (first + timedelta(days=i) for i in range(last.day))
        if d not in holidays
    )
    booked: dict[int, float] = defaultdict(float)
    for occurrence in Occurrence.objects.filter(
        room__center=center,
        state=OccurrenceState.CONFIRMED,
        starts_at__lt=end,
        ends_at__gt=start,
    ).only("room_id", "starts_at", "ends_at"):
        seconds = (min(occurrence.ends_at, end) - max(occurrence.starts_at, start)).total_seconds()
        booked[occurrence.room_id] += seconds / 3600
    return [
        RoomUse(room=room, booked_hours=round(booked[room.pk], 1), open_hours=round(open_hours, 1))
        for room in center_rooms(center)
    ]


def pending_requests(centers: Iterable[Center] | QuerySet[Center]) -> QuerySet[Series]:
    """Requests with at least one date waiting for a decision, in the given centers."""
    waiting = Occurrence.objects.filter(state=OccurrenceState.REQUESTED).order_by("starts_at")
    return (
        Series.objects.filter(
            room__center__in=centers, occurrences__state=OccurrenceState.REQUESTED
        )
        .distinct()
        .select_related("group", "room__center", "created_by")
        .prefetch_related(Prefetch("occurrences", queryset=waiting, to_attr="waiting_dates"))
        .order_by("start_date", "start_time", "pk")
    )


def overview(*, center: Center, now: datetime | None = None) -> Overview:
    now = now or timezone.now()
    today = now.astimezone(center.tz).date()
    until = today + timedelta(weeks=4)
    start, end = _local_day_range(center, today, until)
    requests = sorted(
        pending_requests([center]),
        key=lambda s: s.waiting_dates[0].starts_at if s.waiting_dates else now,
    )
    return Overview(
        center=center,
        open_requests=requests,
        clashes=clashes_between(center, max(start, now), end),
        room_use=room_use(center, today),
        month=today.replace(day=1),
        clash_until=until,
    )


# --- closures -------------------------------------------------------------------------------


@dataclass
class ClosurePage:
    upcoming: list[Closure]
    holidays: dict[date, str] = field(default_factory=dict)


def closures_page(*, center: Center, now: datetime | None = None, months: int = 4) -> ClosurePage:
    """Closures that have not ended yet, and the public holidays of the coming months."""
    now = now or timezone.now()
    today = now.astimezone(center.tz).date()
    return ClosurePage(
        upcoming=list(
            Closure.objects.filter(center=center, ends_at__gt=now)
            .select_related("room")
            .order_by("starts_at")
        ),
        holidays=holidays_between(center, today, today + timedelta(days=months * 31)),
    )


def slot_of(occurrence: Occurrence) -> Slot:
    return Slot(
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        original_start=occurrence.original_start,
    )


# --- request queue --------------------------------------------------------------------------


@dataclass
class DateLine:
    """One waiting date of a request, with what clashes and where it could go instead."""

    occurrence: Occurrence
    report: DateReport | None = None
    alternatives: list[Any] = field(default_factory=list)

    @property
    def hard(self) -> list[Issue]:
        return self.report.hard if self.report else []

    @property
    def soft(self) -> list[Issue]:
        return self.report.soft if self.report else []

    @property
    def is_free(self) -> bool:
        return not self.hard


@dataclass
class RequestCard:
    series: Series
    dates: list[DateLine]  # the dates still waiting for a decision, by start
    decided: list[Occurrence] = field(default_factory=list)
    competitors: set[int] = field(default_factory=set)  # series ids wanting the same slots
    history: list[Any] | None = None
    rooms: list[Room] = field(default_factory=list)  # where a date may be moved to

    @property
    def center(self) -> Center:
        return self.series.room.center

    @property
    def clashing(self) -> list[DateLine]:
        return [line for line in self.dates if line.hard]

    @property
    def free(self) -> list[DateLine]:
        return [line for line in self.dates if line.is_free]

    @property
    def first_start(self) -> datetime | None:
        return self.dates[0].occurrence.starts_at if self.dates else None

    @property
    def leaders(self) -> list[Any]:
        return list(self.series.group.leaders.all())


def _reports_for(
    series: Series, waiting: Sequence[Occurrence]
) -> dict[datetime, tuple[DateReport, list[Any]]]:
    """Each waiting date's conflict report and suggestions (by original start), checked in the
    room the date is in now: one conflict check per room, not per date."""
    equipment = list(series.equipment_needed.all())
    found: dict[datetime, tuple[DateReport, list[Any]]] = {}
    by_room: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in waiting:
        by_room[occurrence.room_id].append(occurrence)
    for occurrences in by_room.values():
        room = occurrences[0].room
        report = check(
            room=room,
            slots=[slot_of(o) for o in occurrences],
            expected_participants=series.expected_participants,
            equipment=equipment,
            ignore_series_id=series.pk,
        )
        suggestions = _alternatives(room, ConflictReport(dates=report.clashing), series, equipment)
        for date_report in report.dates:
            start = date_report.slot.original_start
            found[start] = (date_report, suggestions.get(start, []))
    return found


def _alternatives(
    room: Room, report: ConflictReport, series: Series, equipment: list[Any]
) -> dict[datetime, list[Any]]:
    if not report.dates:
        return {}
    return alternatives.alternatives_for_report(
        room=room,
        report=report,
        expected_participants=series.expected_participants,
        equipment=equipment,
        limit=3,
    )


def request_card(series: Series, *, with_history: bool = False) -> RequestCard:
    """One request with every waiting date's report and suggestions (and, for its page, the
    dates already decided and the history of decisions)."""
    occurrences = list(
        series.occurrences.select_related("room__center").order_by("starts_at", "pk")
    )
    waiting = [o for o in occurrences if o.state == OccurrenceState.REQUESTED]
    reports = _reports_for(series, waiting)
    lines = []
    competitors: set[int] = set()
    for occurrence in waiting:
        report, suggestions = reports.get(occurrence.original_start, (None, []))
        lines.append(DateLine(occurrence=occurrence, report=report, alternatives=suggestions))
        if report:
            competitors.update(
                i.series_id
                for i in report.issues
                if i.kind == IssueKind.PENDING and i.series_id and i.series_id != series.pk
            )
    card = RequestCard(
        series=series,
        dates=lines,
        decided=[o for o in occurrences if o.state != OccurrenceState.REQUESTED],
        competitors=competitors,
        rooms=center_rooms(series.room.center) if waiting else [],
    )
    if with_history:
        from bookings.selectors import series_history

        card.history = list(series_history(series))
    return card


def queue(*, centers: Iterable[Center]) -> list[list[RequestCard]]:
    """Open requests by first waiting date; requests that compete for the same slots are put
    together in one cluster, so staff can weigh them side by side."""
    cards = [request_card(series) for series in pending_requests(list(centers))]
    cards.sort(key=lambda c: (c.first_start or timezone.now(), c.series.pk))
    index = {card.series.pk: position for position, card in enumerate(cards)}
    parent = list(range(len(cards)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for position, card in enumerate(cards):
        for other in card.competitors:
            if other in index:
                a, b = root(position), root(index[other])
                parent[max(a, b)] = min(a, b)
    clusters: dict[int, list[RequestCard]] = defaultdict(list)
    for position, card in enumerate(cards):
        clusters[root(position)].append(card)
    # Clusters keep the order of their earliest request.
    return [clusters[key] for key in sorted(clusters)]


def closure_preview(
    *, center: Center, room: Room | None, starts_at: datetime, ends_at: datetime, reason: str
) -> dict[str, Any]:
    """The booked and requested dates a closure would cancel, and the groups they belong to."""
    from bookings.selectors import closure_affected_occurrences

    affected = list(
        closure_affected_occurrences(center=center, room=room, starts_at=starts_at, ends_at=ends_at)
    )
    groups = sorted({o.series.group.name for o in affected})
    return {
        "room": room,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "reason": reason,
        "affected": affected,
        "groups": groups,
    }


def local_text(value: datetime, center: Center) -> str:
    """A moment as people at the center read it: their date and wall-clock time."""
    return formats.date_format(value.astimezone(center.tz), "SHORT_DATETIME_FORMAT")
