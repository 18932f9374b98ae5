"""Reads for the staff overview and the closures page: clashes ahead (the one definition, from
`bookings.conflicts`), room use, open requests, closures and what a closure would cancel."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bookings import conflicts
from bookings.models import Occurrence, OccurrenceState, Series
from bookings.selectors import closure_affected_occurrences
from centers.models import Center, Closure, OpeningHours, Room

from .plan import _local_day_range, center_rooms, holidays_between, request_url

# --- overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """An active date that cannot stay as it is: what the conflict core says stands in its way."""

    occurrence: Occurrence
    starts_at: datetime
    room: Room
    group: str
    issues: tuple[str, ...]  # translated, e.g. "clashes with Nähcafé in Saal A"
    url: str

    @property
    def is_request(self) -> bool:
        return self.occurrence.state == OccurrenceState.REQUESTED


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


def clashes_between(center: Center, start: datetime, end: datetime) -> list[Clash]:
    """Requested and confirmed dates in [start, end) that something refuses or skips now: a
    booking (buffers and divisible rooms included), a closure, a holiday, the room's size —
    decided by `bookings.conflicts`, like everywhere else."""
    found = [
        Clash(
            occurrence=check.occurrence,
            starts_at=check.occurrence.starts_at,
            room=check.occurrence.room,
            group=check.occurrence.series.display_title,
            issues=tuple(issue.message for issue in check.report.hard),
            url=request_url(center, check.occurrence.series_id, check.occurrence.pk),
        )
        for check in conflicts.clashing(
            conflicts.center_window(center=center, start=start, end=end)
        )
    ]
    return sorted(found, key=lambda c: (c.starts_at, c.room.name, c.group))


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


def closure_preview(
    *, center: Center, room: Room | None, starts_at: datetime, ends_at: datetime, reason: str
) -> dict[str, Any]:
    """The booked and requested dates a closure would cancel, and the groups they belong to."""
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


def closure_release_preview(*, closure: Closure) -> list[Occurrence]:
    """The dates a closure cancelled that would come back (where still free) without it."""
    return list(
        Occurrence.objects.filter(closure=closure, state=OccurrenceState.CANCELLED)
        .select_related("series__group", "room")
        .order_by("starts_at")
    )


def closure_change_preview(
    *,
    closure: Closure,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
) -> dict[str, Any]:
    """What changing a closure would do: dates it would newly cancel, dates it would release."""
    covered = closure_affected_occurrences(
        center=closure.center, room=room, starts_at=starts_at, ends_at=ends_at
    )
    released = [
        o
        for o in closure_release_preview(closure=closure)
        if not (o.starts_at < ends_at and o.ends_at > starts_at)
        or (
            room is not None
            and o.room_id not in {room.pk, room.parent_id}
            and o.room.parent_id != room.pk
        )
    ]
    return {
        "room": room,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "reason": reason,
        "affected": covered,
        "groups": sorted({o.series.group.name for o in covered}),
        "released": released,
    }
