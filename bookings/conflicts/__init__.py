"""What stands in the way of candidate dates — the one definition of a clash.

    check(*, room, slots, expected_participants=1, equipment=(), ignore_series_id=None, now=None)
        -> ConflictReport

`classify` (pure) decides; `fetch` loads what it needs in a constant number of queries (one
statement on PostgreSQL); `window` asks the same for every date of a center in a time window
(staff overview, board, digest). What each issue means is written in `bookings.policy`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from centers.models import Equipment, Room

from ..policy import HolidayPolicy, IssueKind, Verdict
from ..recurrence import Slot
from .classify import (
    Busy,
    ClosureSpan,
    ConflictReport,
    Context,
    DateReport,
    Issue,
    RoomFacts,
    classify,
    closure_of,
)
from .context import horizon_start, load_context
from .fetch import MAX_DATE_SPAN
from .spans import Hours, Span, buffered, overlapping, within_hours
from .window import DateCheck, center_window, clashing

__all__ = [
    "MAX_DATE_SPAN",
    "Busy",
    "ClosureSpan",
    "ConflictReport",
    "Context",
    "DateCheck",
    "DateReport",
    "HolidayPolicy",
    "Hours",
    "Issue",
    "IssueKind",
    "RoomFacts",
    "Span",
    "Verdict",
    "buffered",
    "center_window",
    "check",
    "clashing",
    "classify",
    "closure_of",
    "horizon_start",
    "load_context",
    "overlapping",
    "within_hours",
]


def check(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    ignore_series_id: int | None = None,
    now: datetime | None = None,
    fetch: str | None = None,
    policy: HolidayPolicy | None = None,
) -> ConflictReport:
    """What stands in the way of each of `slots` in `room`, date by date, in the order given;
    `policy` is the holiday policy of the series the slots belong to (default: the old rule)."""
    slots = list(slots)
    ctx = load_context(
        room=room,
        slots=slots,
        expected_participants=expected_participants,
        equipment=equipment,
        ignore_series_id=ignore_series_id,
        now=now,
        fetch=fetch,
        policy=policy,
    )
    return classify(slots, ctx)
