"""From fetched rows to what `classify` works on: blocks and requests as `Busy`, one per date,
sorted, and — where the fetch asked one range per slot — which of them overlap each slot.

Pure: no database access. Shared by the fetches in `fetch`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from operator import itemgetter

from ..recurrence import Slot
from .classify import Busy

# The rows the SQL fetches read, one shape for every kind (a UNION ALL of blocks, requests,
# closures, opening hours, the center and missing equipment):
#   (kind, starts_at, ends_at, id, series_id, name, other_name, setup, cleanup, slot index)
# A block's or request's names are its group's and its room's; the setup and cleanup minutes
# are the request's room's; the slot index is the range it was found for.
FOUND_BY_START = itemgetter(1, 3)  # a found row's start and id: the order `blocks_by_slot` reads
# A `Busy`'s start and occurrence: the order holds are listed in.
by_start = itemgetter(0, 2)
# `Busy` made as the tuple it is: its generated __new__ costs more than twice as much, and a
# check makes one per hold it finds.
_tuple_new = tuple.__new__


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
            blocks[pk, start] = _tuple_new(Busy, (start, end, pk, series_id, group_name, room_name))
    return sorted(blocks.values(), key=by_start)


def requests_of(rows: Iterable[tuple], *, parse: bool = False) -> list[Busy]:
    """Competing requests as `Busy`, one each, holding their own room's buffers, by start."""
    widths: dict[int, timedelta] = {}  # a few rooms, a few widths: each timedelta made once
    aware = datetime.fromisoformat
    found: dict[int, Busy] = {}
    for start, end, pk, series_id, group_name, room_name, setup, cleanup in rows:
        if pk in found:
            continue
        if parse:
            start, end = aware(start + "Z"), aware(end + "Z")
        before, after = widths.get(setup), widths.get(cleanup)
        if before is None:
            before = widths[setup] = timedelta(minutes=setup)
        if after is None:
            after = widths[cleanup] = timedelta(minutes=cleanup)
        found[pk] = _tuple_new(
            Busy, (start - before, end + after, pk, series_id, group_name, room_name)
        )
    return sorted(found.values(), key=by_start)


def requests_by_slot(
    rows: list[tuple], slots: Sequence[Slot], held: tuple[timedelta, timedelta], *, parse: bool
) -> tuple[list[Busy], list[Sequence[int]]]:
    """The competing requests as `Busy`, and per slot the indexes of those that overlap its
    held range, from the slot each row was found for. Checked one by one: the database was
    asked with the widest buffer of the related rooms; a request holds its own room's.
    `rows`: as the SQL fetches read them (above); `held`: the candidate room's setup and
    cleanup buffers."""
    hits: list[Sequence[int]] = [()] * len(slots)  # most slots find nothing: one empty tuple
    if not rows:
        return [], hits
    pending = requests_of((row[1:9] for row in rows), parse=parse)
    index = {busy[2]: j for j, busy in enumerate(pending)}  # by occurrence
    setup, cleanup = held
    touched: list[list[int]] = []
    for row in rows:
        j, k = index[row[3]], row[9]
        found = hits[k]
        if j in found:
            continue
        busy, slot = pending[j], slots[k]
        if busy[0] < slot.ends_at + cleanup and busy[1] > slot.starts_at - setup:  # _holds
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
    held range, in one pass over rows as the SQL fetches read them (above), sorted by (start,
    id); `parse`: times are SQLite's UTC text; `held`: the candidate room's setup and cleanup
    buffers; `exact`: the ranges asked were the held ranges.

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
    for _kind, start, end, pk, series_id, group_name, room_name, _setup, _cleanup, k in rows:
        if pk != last_pk or start != last_start:
            last_start, last_pk = start, pk
            if parse:
                start, end = aware(start + "Z"), aware(end + "Z")
            blocks.append(_tuple_new(Busy, (start, end, pk, series_id, group_name, room_name)))
            j += 1
        if not exact and not _holds(blocks[j], slots[k], held):
            continue
        found = hits[k]
        if not found:
            hits[k] = [j]
        elif found[-1] != j:
            found.append(j)  # type: ignore[union-attr]
    return blocks, hits
