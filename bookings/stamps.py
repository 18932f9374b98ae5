"""The plan version of a center: one counter that every writer raises in its transaction.

Readers that only need to know "did anything change?" (calendar feeds, the foyer screen, API
list endpoints) read it by primary key instead of aggregating over the center's dates.

Besides the booking engine, which raises it explicitly, model hooks raise it for everything a
feed shows of a center (series, groups, rooms, the center itself: calendars.versions). Inside
an engine transaction those hooks only note the center (`plan_changed_later`), and the note is
raised when the engine's transaction block ends, still inside it: the counter stays the last
lock a booking writer takes (rooms -> series -> rows -> plan version), so a hook firing on a
series saved before the room locks cannot make two writers wait for each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import PlanVersion

# The centers noted during the current engine transaction (None outside of one).
_pending: ContextVar[set[int] | None] = ContextVar("plan_pending", default=None)


def plan_changed(center_ids: Iterable[int]) -> None:
    """Raise the plan version of these centers (call inside the writer's transaction, last)."""
    for center_id in sorted({pk for pk in center_ids if pk is not None}):
        updated = PlanVersion.objects.filter(center_id=center_id).update(version=F("version") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    PlanVersion.objects.create(center_id=center_id, version=2)
            except IntegrityError:  # created by a parallel writer just now
                PlanVersion.objects.filter(center_id=center_id).update(version=F("version") + 1)


def plan_changed_later(center_ids: Iterable[int]) -> None:
    """Raise the plan version of these centers in the current transaction: at the end of the
    engine's transaction block when inside one, else now (a hook of a plain model save)."""
    pending = _pending.get()
    if pending is None:
        plan_changed(center_ids)
    else:
        pending.update(pk for pk in center_ids if pk is not None)


@contextmanager
def plan_changes_at_end() -> Iterator[None]:
    """Collect `plan_changed_later` until the block ends, then raise them (only when the block
    ends normally: on an error its transaction rolls back anyway). Nested blocks join the
    outermost one. Use inside the transaction, around the whole write."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    if pending:
        plan_changed(pending)


def plan_version(center_id: int) -> int:
    """The current plan version of a center (1 before its first change)."""
    found = PlanVersion.objects.filter(center_id=center_id).values_list("version", flat=True)
    return next(iter(found), 1)
