"""New dates of a series: where each one goes, what stands in its way, and the rows for them.

Used by every path that creates dates — a new request, a changed rule, the rolling horizon — so
that each new date meets the same policy: skipped dates are stored as cancelled with their
reason, free dates are confirmed at once where nothing needs a decision, the rest wait for
staff. Callers hold the locks of the rooms involved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from centers.models import Closure, Equipment, Room

from .. import conflicts
from ..models import Cause, Occurrence, OccurrenceState, Series
from ..policy import HolidayPolicy, IssueKind
from ..recurrence import Slot
from .transitions import mark

Alternatives = Mapping[datetime, tuple[Room, datetime, datetime]]


@dataclass
class PlannedDate:
    """One date the rule produces, where it will be, and its conflict report there."""

    slot: Slot  # as the rule made it (original_start is the key)
    room: Room
    starts_at: datetime
    ends_at: datetime
    report: conflicts.DateReport

    @property
    def is_skipped(self) -> bool:
        return self.report.is_skipped


def plan(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int,
    equipment: Iterable[Equipment | int],
    alternatives: Alternatives | None = None,
    ignore_series_id: int | None = None,
    now: datetime | None = None,
    policy: HolidayPolicy | None = None,
) -> list[PlannedDate]:
    """Check every slot where it will go (its alternative's room and time, if one was picked):
    one conflict check per room, in the order of the slots, under the series' holiday policy."""
    alternatives = alternatives or {}
    equipment = list(equipment)
    targets: dict[int, list[tuple[int, Slot]]] = defaultdict(list)
    rooms: dict[int, Room] = {room.pk: room}
    placed: list[tuple[Room, Slot]] = []
    for index, slot in enumerate(slots):
        where, start, end = room, slot.starts_at, slot.ends_at
        if slot.original_start in alternatives:
            where, start, end = alternatives[slot.original_start]
        rooms[where.pk] = where
        target = Slot(start, end, slot.original_start, slot.occurrence_id)
        targets[where.pk].append((index, target))
        placed.append((where, target))
    reports: dict[int, conflicts.DateReport] = {}
    for room_id, items in targets.items():
        report = conflicts.check(
            room=rooms[room_id],
            slots=[s for _i, s in items],
            expected_participants=expected_participants,
            equipment=equipment,
            ignore_series_id=ignore_series_id,
            now=now,
            policy=policy,
        )
        for (index, _slot), date_report in zip(items, report.dates, strict=True):
            reports[index] = date_report
    return [
        PlannedDate(slot, where, target.starts_at, target.ends_at, reports[index])
        for index, (slot, (where, target)) in enumerate(zip(slots, placed, strict=True))
    ]


def skip_cause(report: conflicts.DateReport) -> tuple[str, int | None]:
    """The cause (and closure) of a skipped date: a closure wins over a public holiday, which
    wins over school holidays (a closure or a public holiday does not end with the holidays)."""
    for issue in report.skipped:
        if issue.kind == IssueKind.CLOSURE:
            return Cause.CLOSURE, issue.closure_id
    if any(issue.kind == IssueKind.HOLIDAY for issue in report.skipped):
        return Cause.HOLIDAY, None
    return Cause.SCHOOL_HOLIDAY, None


def skip_reason(report: conflicts.DateReport) -> str:
    """What a skipped date's row says: the closure's reason or the holiday's name."""
    return "; ".join(i.detail or i.message for i in report.skipped)[:300]


def create_rows(
    *,
    user: User | None,
    series: Series,
    planned: Sequence[PlannedDate],
    reason: str,
    approved: bool = False,
) -> tuple[list[Occurrence], list[Occurrence]]:
    """Insert one row per planned date; returns (rows, the rows to confirm at once).

    Skipped dates are stored cancelled with their reason and cause; the others requested.
    """
    closures = {
        c.pk: c
        for c in Closure.objects.filter(
            pk__in={i.closure_id for p in planned for i in p.report.skipped if i.closure_id}
        )
    }
    rows, confirm = [], []
    for item in planned:
        row = Occurrence(
            series=series,
            room=item.room,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            original_start=item.slot.original_start,
            state=OccurrenceState.REQUESTED,
        )
        if item.is_skipped:
            cause, closure_id = skip_cause(item.report)
            row.state = OccurrenceState.CANCELLED
            row.prior_state = OccurrenceState.REQUESTED
            row.reason = skip_reason(item.report)
            row.cause = cause
            row.closure = closures.get(closure_id) if closure_id else None
        elif item.report.confirms_at_once(approved_series=approved):
            confirm.append(row)
        mark(row, user=user, reason=row.reason or reason)
        rows.append(row)
    bulk_create_with_history(rows, Occurrence, default_user=user, default_change_reason=reason)
    # bulk_create sets pks on PostgreSQL and SQLite >= 3.35, which Django 5.2 requires.
    return rows, confirm
