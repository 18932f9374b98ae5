"""The same question as `check`, asked for every active date of a center in a time window.

The staff overview, the occupancy board and the weekly digest need to know which of the dates
they show clash. They fetch the center's facts once (a fixed number of queries, however many
dates) and run the one classification, `classify.classify`, per room and series — the same
answer the request preview and the confirmation get for the same date. `load_center_facts` and
`context_for` are that fetch and that cut, for callers that classify dates not stored yet (the
next term's proposals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import get_language

from centers.holidays import public_holidays
from centers.models import Center, Closure, Equipment, OpeningHours, Room
from centers.school_holidays import school_holidays as center_school_holidays

from ..models import Occurrence, OccurrenceState, RoomBlock, Series
from ..policy import HolidayPolicy
from ..recurrence import Slot
from .classify import Busy, ClosureSpan, Context, DateReport, RoomFacts, classify
from .context import horizon_start
from .fetch import MAX_DATE_SPAN
from .spans import Hours

ACTIVE = (OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED)


@dataclass(frozen=True)
class DateCheck:
    """An active date of the center and what stands in its way now."""

    occurrence: Occurrence
    report: DateReport


def _rooms(center: Center) -> dict[int, Room]:
    return {
        room.pk: room
        for room in Room.objects.filter(center=center).prefetch_related("equipment").order_by("pk")
    }


def _facts(room: Room) -> RoomFacts:
    return RoomFacts(
        name=room.name,
        capacity=room.capacity,
        bookable=room.bookable,
        setup_minutes=room.setup_minutes,
        cleanup_minutes=room.cleanup_minutes,
        requires_approval=room.requires_approval,
    )


@dataclass
class CenterFacts:
    """What classification needs about a center in a time window, fetched once for any number
    of rooms and series (see `load_center_facts`); `context_for` cuts one `Context` from it."""

    center: Center
    rooms: dict[int, Room]
    parts: dict[int, list[int]]
    blocks: dict[int, list[Busy]]  # by room unit
    pending: dict[int, list[Busy]]  # by room, widened by the room's buffers
    closures: dict[int | None, list[ClosureSpan]]  # by room; None: the whole center
    hours: Hours
    holidays: dict[date, str]
    school_holidays: dict[date, str]
    equipment_names: dict[int, str]
    room_equipment: dict[int, set[int]] = field(default_factory=dict)  # what each room has
    now: datetime | None = None
    horizon: datetime | None = None


def load_center_facts(
    *,
    center: Center,
    lo: datetime,
    hi: datetime,
    now: datetime | None = None,
    equipment: Iterable[int] = (),
    school_holidays: bool = True,
    rooms: dict[int, Room] | None = None,
) -> CenterFacts:
    """Bookings, requests, closures, hours and holidays of the center overlapping [lo, hi):
    a fixed number of queries. `equipment`: ids whose names a context may need; the school
    holidays are read only when asked for (some series in the window pause in them)."""
    rooms = rooms if rooms is not None else _rooms(center)
    tz = center.tz
    blocks: dict[int, list[Busy]] = defaultdict(list)
    for unit, b_start, b_end, occ_id, series_id, group, room_name in (
        RoomBlock.objects.filter(room_id__in=list(rooms), starts_at__lt=hi, ends_at__gt=lo)
        .order_by("starts_at", "occurrence_id")
        .values_list(
            "room_id",
            "starts_at",
            "ends_at",
            "occurrence_id",
            "occurrence__series_id",
            "occurrence__series__group__name",
            "occurrence__room__name",
        )
    ):
        blocks[unit].append(Busy(b_start, b_end, occ_id, series_id, group, room_name))
    pending: dict[int, list[Busy]] = defaultdict(list)
    for room_id, p_start, p_end, occ_id, series_id, group in (
        Occurrence.objects.filter(
            room_id__in=list(rooms),
            state=OccurrenceState.REQUESTED,
            starts_at__lt=hi,
            ends_at__gt=lo,
        )
        .order_by("starts_at", "pk")
        .values_list("room_id", "starts_at", "ends_at", "pk", "series_id", "series__group__name")
    ):
        room = rooms[room_id]
        pending[room_id].append(
            Busy(
                p_start - timedelta(minutes=room.setup_minutes),
                p_end + timedelta(minutes=room.cleanup_minutes),
                occ_id,
                series_id,
                group,
                room.name,
            )
        )
    closures: dict[int | None, list[ClosureSpan]] = defaultdict(list)
    for room_id, c_start, c_end, reason, pk in (
        Closure.objects.filter(center=center, starts_at__lt=hi, ends_at__gt=lo)
        .order_by("starts_at", "pk")
        .values_list("room_id", "starts_at", "ends_at", "reason", "pk")
    ):
        closures[room_id].append(ClosureSpan(c_start, c_end, reason, pk))
    hours: Hours = {}
    for weekday, opens, closes in OpeningHours.objects.filter(center=center).values_list(
        "weekday", "opens", "closes"
    ):
        hours.setdefault(weekday, []).append((opens, closes))
    wanted = set(equipment)
    names = {e.pk: str(e) for e in Equipment.objects.filter(pk__in=wanted)} if wanted else {}
    first, last = lo.astimezone(tz).date(), hi.astimezone(tz).date()
    parts: dict[int, list[int]] = defaultdict(list)
    for room in rooms.values():
        if room.parent_id:
            parts[room.parent_id].append(room.pk)
    horizon = None
    if now is not None:
        horizon = horizon_start(now.astimezone(tz).date(), center.booking_horizon_months, tz)
    return CenterFacts(
        center=center,
        rooms=rooms,
        parts=parts,
        blocks=blocks,
        pending=pending,
        closures=closures,
        hours=hours,
        holidays=public_holidays(
            center.federal_state, first, last, language=get_language() or "de"
        ),
        school_holidays=(
            center_school_holidays(center.federal_state, first, last) if school_holidays else {}
        ),
        equipment_names=names,
        room_equipment={pk: {e.pk for e in room.equipment.all()} for pk, room in rooms.items()},
        now=now,
        horizon=horizon,
    )


def context_for(
    facts: CenterFacts,
    *,
    room_id: int,
    series_id: int | None,
    expected_participants: int,
    equipment: Iterable[int] = (),
    policy: HolidayPolicy | None = None,
    extra_pending: Sequence[Busy] = (),
) -> Context:
    """The `Context` of one series (or candidate) in one room, cut from the center's facts:
    the same context `context.load_context` builds from the database. `extra_pending` are
    competing holds not stored yet (other candidates the caller weighs against this one)."""
    room = facts.rooms[room_id]
    units = [room_id, *facts.parts[room_id]]
    related = {*units, *([room.parent_id] if room.parent_id else [])}
    own_equipment = facts.room_equipment.get(room_id, set())
    blocks = [b for u in units for b in facts.blocks[u]]
    pending = [p for r in related for p in facts.pending[r] if p.series_id != series_id]
    pending.extend(extra_pending)
    return Context(
        room=_facts(room),
        tz=facts.center.tz,
        blocks=blocks,
        pending=pending,
        closures=[c for key in (None, *related) for c in facts.closures.get(key, ())],
        holidays=facts.holidays,
        school_holidays=facts.school_holidays,
        policy=policy or HolidayPolicy(),
        open_on_holidays=facts.center.open_on_public_holidays,
        hours=facts.hours,
        missing_equipment=sorted(
            facts.equipment_names[pk] for pk in set(equipment) - own_equipment
        ),
        expected_participants=expected_participants,
        now=facts.now,
        horizon=facts.horizon,
        horizon_months=facts.center.booking_horizon_months,
    )


def center_window(
    *,
    center: Center,
    start: datetime,
    end: datetime,
    states: Sequence[str] = ACTIVE,
    now: datetime | None = None,
    occurrences: Sequence[Occurrence] | None = None,
) -> list[DateCheck]:
    """Every date of the center in these states overlapping [start, end), with its report.

    `now` switches on the past and horizon rules (None: only what is in the room's way).
    `occurrences` may be passed when the caller already loaded them (same window and states,
    with `series` and `room` joined).
    """
    rooms = _rooms(center)
    if not rooms:
        return []
    if occurrences is None:
        occurrences = list(
            Occurrence.objects.filter(
                room__center=center, state__in=list(states), starts_at__lt=end, ends_at__gt=start
            )
            .select_related("series__group", "room")
            .order_by("starts_at", "pk")
        )
    if not occurrences:
        return []
    buffers = max(r.setup_minutes + r.cleanup_minutes for r in rooms.values())
    reach = MAX_DATE_SPAN + timedelta(minutes=buffers)
    lo = min(o.starts_at for o in occurrences) - reach
    hi = max(o.ends_at for o in occurrences) + reach
    series_ids = {o.series_id for o in occurrences}
    needed: dict[int, set[int]] = defaultdict(set)
    for series_id, equipment_id in Series.equipment_needed.through.objects.filter(
        series_id__in=series_ids
    ).values_list("series_id", "equipment_id"):
        needed[series_id].add(equipment_id)
    facts = load_center_facts(
        center=center,
        lo=lo,
        hi=hi,
        now=now,
        equipment={pk for s in needed.values() for pk in s},
        # Only a series that pauses needs them: the board of a center without one reads none.
        school_holidays=any(o.series.pauses_in_school_holidays for o in occurrences),
        rooms=rooms,
    )
    grouped: dict[tuple[int, int], list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        grouped[(occurrence.room_id, occurrence.series_id)].append(occurrence)
    reports: dict[int, DateReport] = {}
    for (room_id, series_id), dates in grouped.items():
        series = dates[0].series
        ctx = context_for(
            facts,
            room_id=room_id,
            series_id=series_id,
            expected_participants=series.expected_participants,
            equipment=needed[series_id],
            policy=series.holiday_policy,
        )
        slots = [Slot(o.starts_at, o.ends_at, o.original_start, o.pk) for o in dates]
        for occurrence, report in zip(dates, classify(slots, ctx).dates, strict=True):
            reports[occurrence.pk] = report
    return [DateCheck(occurrence=o, report=reports[o.pk]) for o in occurrences]


def clashing(checks: Sequence[DateCheck]) -> list[DateCheck]:
    """The dates that cannot stay as they are: something refuses or skips them."""
    return [c for c in checks if c.report.hard]


def by_occurrence(checks: Sequence[DateCheck]) -> dict[int, Any]:
    return {c.occurrence.pk: c.report for c in checks}
