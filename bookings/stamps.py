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
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import PlanVersion


@dataclass
class _Block:
    """An engine transaction block: the centers its hooks noted and those it raised already."""

    noted: set[int] = field(default_factory=set)
    raised: set[int] = field(default_factory=set)


_block: ContextVar[_Block | None] = ContextVar("plan_block", default=None)


def plan_changed(center_ids: Iterable[int]) -> None:
    """Raise the plan version of these centers (call inside the writer's transaction, last)."""
    ids = sorted({pk for pk in center_ids if pk is not None})
    block = _block.get()
    if block is not None:
        block.raised.update(ids)
    for center_id in ids:
        updated = PlanVersion.objects.filter(center_id=center_id).update(version=F("version") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    PlanVersion.objects.create(center_id=center_id, version=2)
            except IntegrityError:  # created by a parallel writer just now
                PlanVersion.objects.filter(center_id=center_id).update(version=F("version") + 1)


def plan_changed_later(center_ids: Iterable[int], *, create: bool = True) -> None:
    """Raise the plan version of these centers in the current transaction: at the end of the
    engine's transaction block when inside one, else now (a hook of a plain model save).

    `create=False` (a deletion's hook) raises only existing counters when not inside an engine
    block: a cascade from a deleted center must not create a row that points to it."""
    ids = {pk for pk in center_ids if pk is not None}
    block = _block.get()
    if block is not None:
        block.noted.update(ids)  # the engine deletes no center: creating at the end is safe
    elif create:
        plan_changed(ids)
    elif ids:
        PlanVersion.objects.filter(center_id__in=sorted(ids)).update(version=F("version") + 1)


@contextmanager
def plan_changes_at_end() -> Iterator[None]:
    """Collect `plan_changed_later` until the block ends, then raise them (only when the block
    ends normally: on an error its transaction rolls back anyway). Nested blocks join the
    outermost one. Use inside the transaction, around the whole write.

    A center the block raised already is not raised again: its row stays locked until the
    commit, so once is enough, and a second UPDATE of a row this transaction wrote makes
    PostgreSQL check its foreign key (FOR KEY SHARE on the center), which waits for anyone
    holding the center row."""
    if _block.get() is not None:
        yield
        return
    block = _Block()
    token = _block.set(block)
    try:
        yield
    finally:
        _block.reset(token)
    if block.noted - block.raised:
        plan_changed(block.noted - block.raised)


def plan_version(center_id: int) -> int:
    """The current plan version of a center (1 before its first change)."""
    found = PlanVersion.objects.filter(center_id=center_id).values_list("version", flat=True)
    return next(iter(found), 1)
