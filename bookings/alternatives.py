"""Alternatives for clashing dates: another room at the same time, or the same room nearby.

One batch for a whole report: four queries (the center's rooms, their blocks around the
clashing days, closures, opening hours), then plain Python. Ranked by how little changes:
another fitting room at the same time first (closest capacity first), then the same room at
the smallest time shift (30, 60, 90 … minutes on the same day, within opening hours), then the
same time on the day before or after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from centers.holidays import public_holidays
from centers.models import Closure, Equipment, OpeningHours, Room

from .conflicts import MAX_DATE_SPAN, ConflictReport, Hours, Span, overlapping, within_hours
from .models import RoomBlock
from .recurrence import Slot

STEP = timedelta(minutes=30)
MAX_WINDOWS = 100  # beyond this many separate days, fetch one window (SQLite's OR depth limit)


@dataclass(frozen=True)
class Alternative:
    room: Room
    starts_at: datetime
    ends_at: datetime
    kind: str  # "room" | "time"
    label: str  # translated: "Seminarraum 2, same time" / "Küche, 16:30–18:30"


@dataclass(frozen=True)
class _Candidate:
    original_start: datetime
    room: Room
    starts_at: datetime
    ends_at: datetime
    kind: str
    rank: tuple  # smaller changes less


def _day_bounds(day: date, tz: tzinfo) -> Span:
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)


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
            (0, other.capacity - expected, other.name),
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
    for days in (-1, 1):
        local = slot.starts_at.astimezone(tz)
        start = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)
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
        return _("%(room)s, same time") % {"room": candidate.room.name}
    start, end = candidate.starts_at.astimezone(tz), candidate.ends_at.astimezone(tz)
    params = {"room": candidate.room.name, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    if start.date() == original.starts_at.astimezone(tz).date():
        return _("%(room)s, %(start)s–%(end)s") % params
    params["date"] = date_format(start.date(), "SHORT_DATE_FORMAT")
    return _("%(room)s, %(date)s, %(start)s–%(end)s") % params


def _windows(slots: Sequence[Slot], tz: tzinfo, reach: timedelta) -> list[Span]:
    """The days around each date (the day before to the day after), merged, widened by reach."""
    spans = sorted(
        (
            _day_bounds(s.starts_at.astimezone(tz).date() - timedelta(days=1), tz)[0] - reach,
            _day_bounds(s.starts_at.astimezone(tz).date() + timedelta(days=1), tz)[1] + reach,
        )
        for s in slots
    )
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    if len(merged) > MAX_WINDOWS:
        return [(merged[0][0], merged[-1][1])]
    return merged


def _alternatives(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int,
    equipment: Iterable[Equipment | int],
    limit: int,
) -> dict[datetime, list[Alternative]]:
    if not slots:
        return {}
    needed = [item if isinstance(item, int) else item.pk for item in equipment]
    # All rooms of the center (for parts and parents too), with how many needed items each has.
    rooms = list(
        Room.objects.filter(center_id=room.center_id)
        .select_related("center")
        .annotate(has_needed=Count("equipment", filter=Q(equipment__in=needed), distinct=True))
    )
    by_id = {r.pk: r for r in rooms}
    this = by_id[room.pk]
    center = this.center
    tz = center.tz
    parts: dict[int, list[int]] = defaultdict(list)
    for r in rooms:
        if r.parent_id:
            parts[r.parent_id].append(r.pk)
    others = [
        r
        for r in rooms
        if r.pk != room.pk
        and r.bookable
        and r.capacity >= expected_participants
        and r.has_needed == len(set(needed))
    ]
    reach = MAX_DATE_SPAN + timedelta(
        minutes=max(r.setup_minutes + r.cleanup_minutes for r in rooms)
    )
    windows = _windows(slots, tz, reach)
    overlap = Q()
    for start, end in windows:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start, starts_at__gt=start - reach)
    blocks: dict[int, list[Span]] = defaultdict(list)
    for unit, start, end in (
        RoomBlock.objects.filter(overlap, room__center_id=room.center_id)
        .order_by()
        .values_list("room_id", "starts_at", "ends_at")
    ):
        blocks[unit].append((start, end))
    first, last = windows[0][0], windows[-1][1]
    closures: dict[int | None, list[Span]] = defaultdict(list)
    for room_id, start, end in (
        Closure.objects.filter(center_id=room.center_id, starts_at__lt=last, ends_at__gt=first)
        .order_by()
        .values_list("room_id", "starts_at", "ends_at")
    ):
        closures[room_id].append((start, end))
    hours: Hours = {}
    for weekday, opens, closes in (
        OpeningHours.objects.filter(center_id=room.center_id)
        .order_by()
        .values_list("weekday", "opens", "closes")
    ):
        hours.setdefault(weekday, []).append((opens, closes))
    holidays = public_holidays(
        center.federal_state,
        first.astimezone(tz).date(),
        last.astimezone(tz).date(),
        language=get_language() or "de",
    )

    candidates = [c for s in slots for c in _candidates(s, this, others, tz, expected_participants)]
    by_room: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        if c.starts_at.astimezone(tz).date() not in holidays and within_hours(
            (c.starts_at, c.ends_at), tz, hours
        ):
            by_room[c.room.pk].append(c)
    free: list[_Candidate] = []
    for room_id, tried in by_room.items():
        candidate_room = by_id[room_id]
        if not candidate_room.bookable:
            continue
        units = [room_id, *parts[room_id]]
        held = [
            (
                c.starts_at - timedelta(minutes=candidate_room.setup_minutes),
                c.ends_at + timedelta(minutes=candidate_room.cleanup_minutes),
            )
            for c in tried
        ]
        busy = overlapping(held, [b for unit in units for b in blocks[unit]])
        closed_rooms = [None, *units, candidate_room.parent_id]
        closed = overlapping(
            [(c.starts_at, c.ends_at) for c in tried],
            [span for key in closed_rooms for span in closures.get(key, ())],
        )
        free.extend(c for c, b, k in zip(tried, busy, closed, strict=True) if not b and not k)

    result: dict[datetime, list[Alternative]] = {s.original_start: [] for s in slots}
    originals = {s.original_start: s for s in slots}
    for c in sorted(free, key=lambda c: c.rank):
        found = result[c.original_start]
        if len(found) < limit:
            label = _label(c, originals[c.original_start], tz)
            found.append(Alternative(c.room, c.starts_at, c.ends_at, c.kind, label))
    return result


def alternatives_for(
    *,
    room: Room,
    slot: Slot,
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    limit: int = 5,
) -> list[Alternative]:
    """Free rooms at the same time, then nearby free times in the same room, best first."""
    found = _alternatives(
        room=room,
        slots=[slot],
        expected_participants=expected_participants,
        equipment=equipment,
        limit=limit,
    )
    return found[slot.original_start]


def alternatives_for_report(
    *,
    room: Room,
    report: ConflictReport,
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    limit: int = 3,
) -> dict[datetime, list[Alternative]]:
    """Alternatives for every clashing date of a report, by original start; four queries."""
    return _alternatives(
        room=room,
        slots=[d.slot for d in report.clashing],
        expected_participants=expected_participants,
        equipment=equipment,
        limit=limit,
    )
