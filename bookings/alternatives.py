"""Alternatives for dates that cannot take place as asked: another room, or the same room nearby.

The engine makes them; nobody else may. Candidates are ranked by how little changes: another
fitting room at the same time first (closest capacity first), then the same room at the
smallest shift (30, 60, 90 … minutes, same day), then the same wall-clock time on the day before
or after. Whether a candidate is free is decided by the one conflict check
(`bookings.conflicts.check`, one call per candidate room), so an alternative never offers what
the confirmation would refuse. `offered` tells whether a choice a client sent back is one of
them — anything else is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centers.models import Equipment, Room

from . import conflicts
from .conflicts import ConflictReport
from .policy import HolidayPolicy, IssueKind
from .recurrence import Slot, localize

STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Alternative:
    room: Room
    starts_at: datetime
    ends_at: datetime
    kind: str  # "room" | "time"
    label: str  # translated: "Seminarraum 2, same time" / "Küche, 16:30–18:30"
    needs_approval: bool = False  # the room's requests wait for staff


@dataclass(frozen=True)
class _Candidate:
    original_start: datetime
    room: Room
    starts_at: datetime
    ends_at: datetime
    kind: str
    rank: tuple  # smaller changes less


def _day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    start = localize(datetime.combine(day, datetime.min.time()), tz)
    return start, localize(datetime.combine(day + timedelta(days=1), datetime.min.time()), tz)


def _candidates(
    slot: Slot, room: Room, others: Sequence[Room], tz: tzinfo, expected: int
) -> list[_Candidate]:
    """Every change worth trying for one date, before knowing what is free."""
    found = [
        _Candidate(
            slot.original_start,
            other,
            slot.starts_at,
            slot.ends_at,
            "room",
            (0, other.requires_approval, other.capacity - expected, other.name),
        )
        for other in others
    ]
    day_start, day_end = _day_bounds(slot.starts_at.astimezone(tz).date(), tz)
    steps = 1
    while True:
        shift = STEP * steps
        later = (slot.starts_at + shift, slot.ends_at + shift)
        earlier = (slot.starts_at - shift, slot.ends_at - shift)
        usable = [r for r in (earlier, later) if r[0] >= day_start and r[1] <= day_end]
        if not usable:
            break
        for start, end in usable:
            found.append(
                _Candidate(slot.original_start, room, start, end, "time", (1, shift, start))
            )
        steps += 1
    # The same wall-clock time on the neighbouring days (not +24 h: DST may lie between).
    local = slot.starts_at.astimezone(tz)
    for days in (-1, 1):
        start = localize(datetime.combine(local.date() + timedelta(days=days), local.time()), tz)
        found.append(
            _Candidate(
                slot.original_start,
                room,
                start,
                start + slot.duration,
                "time",
                (2, timedelta(days=abs(days)), start),
            )
        )
    return found


def _label(candidate: _Candidate, original: Slot, tz: tzinfo) -> str:
    if candidate.kind == "room":
        text = _("%(room)s, same time") % {"room": candidate.room.name}
    else:
        start, end = candidate.starts_at.astimezone(tz), candidate.ends_at.astimezone(tz)
        params = {"room": candidate.room.name, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
        if start.date() == original.starts_at.astimezone(tz).date():
            text = _("%(room)s, %(start)s–%(end)s") % params
        else:
            params["date"] = date_format(start.date(), "SHORT_DATE_FORMAT")
            text = _("%(room)s, %(date)s, %(start)s–%(end)s") % params
    if candidate.room.requires_approval:
        text = _("%(choice)s (staff decide)") % {"choice": text}
    return text


def _rooms(room: Room, expected: int, needed: Sequence[int]) -> tuple[Room, list[Room]]:
    """The room itself and the other rooms of its center that fit the request."""
    rooms = list(
        Room.objects.filter(center_id=room.center_id)
        .select_related("center")
        .annotate(has_needed=Count("equipment", filter=Q(equipment__in=needed), distinct=True))
        .order_by("pk")
    )
    this = next(r for r in rooms if r.pk == room.pk)
    others = [
        r
        for r in rooms
        if r.pk != room.pk
        and r.bookable
        and r.capacity >= expected
        and r.has_needed == len(set(needed))
    ]
    return this, others


def _usable(report: conflicts.DateReport) -> bool:
    """Free to offer: nothing refuses or skips it, and it lies within the opening hours."""
    return not report.hard and IssueKind.OUTSIDE_HOURS not in report.kinds


def _free(
    candidates: Sequence[_Candidate],
    *,
    expected: int,
    needed: Sequence[int],
    ignore_series_id: int | None,
    now: datetime | None,
    policy: HolidayPolicy | None = None,
) -> list[_Candidate]:
    by_room: dict[int, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_room[candidate.room.pk].append(candidate)
    free: list[_Candidate] = []
    for tried in by_room.values():
        report = conflicts.check(
            room=tried[0].room,
            slots=[Slot(c.starts_at, c.ends_at, c.original_start) for c in tried],
            expected_participants=expected,
            equipment=needed,
            ignore_series_id=ignore_series_id,
            now=now,
            policy=policy,
        )
        free.extend(c for c, d in zip(tried, report.dates, strict=True) if _usable(d))
    return free


def _alternatives(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int,
    equipment: Iterable[Equipment | int],
    limit: int,
    ignore_series_id: int | None = None,
    policy: HolidayPolicy | None = None,
) -> dict[datetime, list[Alternative]]:
    if not slots:
        return {}
    needed = [item if isinstance(item, int) else item.pk for item in equipment]
    this, others = _rooms(room, expected_participants, needed)
    tz = this.center.tz
    candidates = [c for s in slots for c in _candidates(s, this, others, tz, expected_participants)]
    free = _free(
        candidates,
        expected=expected_participants,
        needed=needed,
        ignore_series_id=ignore_series_id,
        now=timezone.now(),
        policy=policy,
    )
    result: dict[datetime, list[Alternative]] = {s.original_start: [] for s in slots}
    originals = {s.original_start: s for s in slots}
    for c in sorted(free, key=lambda c: c.rank):
        found = result[c.original_start]
        if len(found) < limit:
            label = _label(c, originals[c.original_start], tz)
            found.append(
                Alternative(c.room, c.starts_at, c.ends_at, c.kind, label, c.room.requires_approval)
            )
    return result


def alternatives_for(
    *,
    room: Room,
    slot: Slot,
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    limit: int = 5,
    ignore_series_id: int | None = None,
    policy: HolidayPolicy | None = None,
) -> list[Alternative]:
    """Free rooms at the same time, then nearby free times in the same room, best first."""
    found = _alternatives(
        room=room,
        slots=[slot],
        expected_participants=expected_participants,
        equipment=equipment,
        limit=limit,
        ignore_series_id=ignore_series_id,
        policy=policy,
    )
    return found[slot.original_start]


def alternatives_for_report(
    *,
    room: Room,
    report: ConflictReport,
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    limit: int = 3,
    ignore_series_id: int | None = None,
    policy: HolidayPolicy | None = None,
) -> dict[datetime, list[Alternative]]:
    """Alternatives for every clashing date of a report, by original start; a series' holiday
    policy keeps its alternatives out of the holidays it skips."""
    return _alternatives(
        room=room,
        slots=[d.slot for d in report.clashing],
        expected_participants=expected_participants,
        equipment=equipment,
        limit=limit,
        ignore_series_id=ignore_series_id,
        policy=policy,
    )


OFFERED, NOT_OFFERED, TAKEN = "offered", "not_offered", "taken"


def offered(
    *,
    room: Room,
    slot: Slot,
    choice: tuple[Room, datetime, datetime],
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    ignore_series_id: int | None = None,
    policy: HolidayPolicy | None = None,
) -> str:
    """Whether `choice` (room, start, end) is an alternative the engine offers for `slot`:
    OFFERED, NOT_OFFERED (never one of the candidates: a tampered or invented choice) or
    TAKEN (a candidate, but no longer free)."""
    needed = [item if isinstance(item, int) else item.pk for item in equipment]
    this, others = _rooms(room, expected_participants, needed)
    chosen_room, starts_at, ends_at = choice
    match = [
        c
        for c in _candidates(slot, this, others, this.center.tz, expected_participants)
        if c.room.pk == chosen_room.pk and c.starts_at == starts_at and c.ends_at == ends_at
    ]
    if not match:
        return NOT_OFFERED
    free = _free(
        match,
        expected=expected_participants,
        needed=needed,
        ignore_series_id=ignore_series_id,
        now=timezone.now(),
        policy=policy,
    )
    return OFFERED if free else TAKEN
