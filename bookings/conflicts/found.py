"""From fetched rows to what `classify` works on: blocks and requests as `Busy`, one per date,
sorted, and — where the fetch asked one range per slot — which of them overlap each slot.

Pure: no database access. Shared by the fetches in `fetch`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from ..recurrence import Slot
from .classify import Busy


def by_start(busy: Busy) -> tuple[datetime, int]:
    return busy.starts_at, busy.occurrence_id


def _holds(busy: Busy, slot: Slot, held: tuple[timedelta, timedelta]) -> bool:
    """Whether `busy` overlaps the slot widened by the candidate room's buffers."""
    setup, cleanup = held
    return busy.starts_at < slot.ends_at + cleanup and busy.ends_at > slot.starts_at - setup


def blocks_of(rows: Iterable[tuple]) -> list[Busy]:
    """Block rows as `Busy`, one per date (a whole room's booking holds a block in each of
    its parts), by start."""
    blocks: dict[tuple[int, datetime], Busy] = {}
    for start, end, pk, series_id, group_name, room_name in rows:
        if (pk, start) not in blocks:
            blocks[pk, start] = Busy(start, end, pk, series_id, group_name, room_name)
    return sorted(blocks.values(), key=by_start)


def requests_of(rows: Iterable[tuple], *, parse: bool = False) -> list[Busy]:
    """Competing requests as `Busy`, one each, holding their own room's buffers, by start."""
    widths: dict[int, timedelta] = {}  # a few rooms, a few widths: each timedelta made once
    aware = datetime.fromisoformat
    found: dict[int, Busy] = {}
    for start, end, pk, series_id, group_name, room_name, setup, cleanup, *_k in rows:
        if pk in found:
            continue
        if parse:
            start, end = aware(start + "Z"), aware(end + "Z")
        before, after = widths.get(setup), widths.get(cleanup)
        if before is None:
            before = widths[setup] = timedelta(minutes=setup)
        if after is None:
            after = widths[cleanup] = timedelta(minutes=cleanup)
        found[pk] = Busy(start - before, end + after, pk, series_id, group_name, room_name)
    return sorted(found.values(), key=by_start)


def requests_by_slot(
    rows: list[tuple], slots: Sequence[Slot], held: tuple[timedelta, timedelta], *, parse: bool
) -> tuple[list[Busy], list[Sequence[int]]]:
    """The competing requests as `Busy`, and per slot the indexes of those that overlap its
    held range, from the slot each row was found for (last column). Checked one by one: the
    database was asked with the widest buffer of the related rooms; a request holds its own
    room's. `held`: the candidate room's setup and cleanup buffers."""
    hits: list[Sequence[int]] = [()] * len(slots)  # most slots find nothing: one empty tuple
    if not rows:
        return [], hits
    pending = requests_of(rows, parse=parse)
    index = {busy.occurrence_id: j for j, busy in enumerate(pending)}
    touched: list[list[int]] = []
    for row in rows:
        j, k = index[row[2]], row[-1]
        found = hits[k]
        if j not in found and _holds(pending[j], slots[k], held):
            if found:
                found.append(j)  # type: ignore[union-attr]
            else:
                hits[k] = [j]
                touched.append(hits[k])  # type: ignore[arg-type]
    for found in touched:
        if len(found) > 1:
            found.sort()
    return pending, hits


def blocks_by_slot(
    rows: list[tuple],
    slots: Sequence[Slot],
    held: tuple[timedelta, timedelta],
    *,
    exact: bool,
    parse: bool,
) -> tuple[list[Busy], list[Sequence[int]]]:
    """The blocks as `Busy`, one per date, and per slot the indexes of those that overlap its
    held range, in one pass over rows sorted by (start, occurrence) with the index of the
    slot each was found for (last column); `parse`: times are SQLite's UTC text; `held`: the
    candidate room's setup and cleanup buffers; `exact`: the ranges asked were the held ranges.

    A whole room's booking holds a block in each of its parts, and a block may be found for two
    slots: such rows are neighbours, and their times are read once. A block found for a range
    overlaps it, unless the range was rounded to whole seconds for the database: then it is
    checked.
    """
    aware = datetime.fromisoformat
    blocks: list[Busy] = []
    # Most slots find nothing: they share one empty tuple.
    hits: list[Sequence[int]] = [()] * len(slots)
    j, last_start, last_pk = -1, None, None
    for start, end, pk, series_id, group_name, room_name, k in rows:
        if pk != last_pk or start != last_start:
            last_start, last_pk = start, pk
            if parse:
                start, end = aware(start + "Z"), aware(end + "Z")
            blocks.append(Busy(start, end, pk, series_id, group_name, room_name))
            j += 1
        if not exact and not _holds(blocks[j], slots[k], held):
            continue
        found = hits[k]
        if not found:
            hits[k] = [j]
        elif found[-1] != j:
            found.append(j)  # type: ignore[union-attr]
    return blocks, hits
