"""Pure: ranges in time — buffers, overlaps, opening hours. No database access."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import datetime, time, timedelta, tzinfo
from operator import attrgetter, eq

from ..recurrence import Slot

Span = tuple[datetime, datetime]  # half-open [start, end), aware
Hours = dict[int, list[tuple[time, time]]]  # weekday -> opening periods; empty = always open


def buffered(slot: Span, setup_minutes: int, cleanup_minutes: int) -> Span:
    """The range a booking holds its room: widened by the room's setup and cleanup buffers."""
    start, end = slot
    return start - timedelta(minutes=setup_minutes), end + timedelta(minutes=cleanup_minutes)


def overlapping(ranges: Sequence[Span], spans: Sequence[tuple]) -> list[list[int]]:
    """For each range, the indexes of the spans that overlap it (half-open: touching is free).
    A span is any tuple that begins with (start, end): a `Busy` or `ClosureSpan` as it is.

    Sort + sweep with a heap of active spans by end, so 52 ranges against 20,000 spans costs
    O((n + m) log n) plus the matches, not n·m comparisons.
    """
    result: list[list[int]] = [[] for _ in ranges]
    if not spans or not ranges:
        return result
    # Index sorts keyed by a list's own __getitem__ (no Python lambda per element).
    order = sorted(range(len(spans)), key=[span[0] for span in spans].__getitem__)
    active: list[tuple[datetime, int]] = []
    k, total = 0, len(order)
    push, pop = heapq.heappush, heapq.heappop
    for i in sorted(range(len(ranges)), key=[r[0] for r in ranges].__getitem__):
        start, end = ranges[i]
        while k < total and spans[order[k]][0] < end:
            push(active, (spans[order[k]][1], order[k]))
            k += 1
        # Ranges come by start, so a span ending before this one starts is done for good.
        while active and active[0][0] <= start:
            pop(active)
        if active:
            # A span pushed for an earlier, longer range may start after this one ends.
            found = [j for _end, j in active if spans[j][0] < end]
            if len(found) > 1:
                found.sort()
            result[i] = found
    return result


def within_hours(slot: Span, tz: tzinfo, hours: Hours) -> bool:
    """Whether the slot lies, in local time, fully inside one opening period of its weekday."""
    if not hours:
        return True  # a center without opening hours is always open
    return within_local(slot[0].astimezone(tz), slot[1].astimezone(tz), hours)


def within_local(start: datetime, end: datetime, hours: Hours) -> bool:
    if start.date() != end.date():
        return False
    periods = hours.get(start.weekday())
    if not periods:
        return False
    begins, ends = start.time(), end.time()
    return any(opens <= begins and ends <= closes for opens, closes in periods)


_TZINFO = attrgetter("tzinfo")


def wall_clock(slots: Sequence[Slot], tz: tzinfo, name: str, utc: list[datetime]) -> list[datetime]:
    """The slots' wall-clock starts or ends (`name`: "local_start" or "local_end") in `tz`: as
    `expand` kept them when it worked in `tz`, else converted from `utc` (the same times)."""
    kept = list(map(attrgetter(name), slots))
    try:
        if set(map(_TZINFO, kept)) == {tz}:
            return kept
    except AttributeError:  # a slot made without them (None)
        pass
    return [moment.astimezone(tz) for moment in utc]


def outside_hours(starts: list[datetime], ends: list[datetime], hours: Hours) -> list[bool] | None:
    """Per date (wall-clock start and end), whether it lies outside the opening hours; None
    when every date lies within (the usual case: the caller then looks at no date for it).

    Dates are keyed by weekday, wall-clock times and whether they end on their day, and each
    kind is asked once: a series repeats a few local times (a weekly one, one)."""
    if not starts:
        return None
    keys = list(
        zip(
            map(datetime.weekday, starts),
            map(datetime.time, starts),
            map(datetime.time, ends),
            map(eq, map(datetime.date, starts), map(datetime.date, ends)),
            strict=True,
        )
    )
    if keys.count(keys[0]) == len(keys):  # one kind: no dictionary of them
        if within_local(starts[0], ends[0], hours):
            return None
        return [True] * len(keys)
    examples = dict(zip(keys, zip(starts, ends, strict=True), strict=True))  # one date of each kind
    outside = {key: not within_local(s, e, hours) for key, (s, e) in examples.items()}
    if not any(outside.values()):
        return None
    return list(map(outside.__getitem__, keys))


def closed_by(slots: Sequence[Slot], closures: Sequence[tuple]) -> list[Sequence[int]]:
    """Per slot, the indexes of the closures it overlaps. A center has a few closures in a
    series' time: each is compared with each date (sorting and sweeping cost more); many are
    swept."""
    if len(closures) > 8:
        return overlapping([(s.starts_at, s.ends_at) for s in slots], closures)
    closed: list[Sequence[int]] = [()] * len(slots)
    for j, closure in enumerate(closures):
        opens, closes = closure.starts_at, closure.ends_at
        for i, slot in enumerate(slots):
            if slot.starts_at < closes and slot.ends_at > opens:
                closed[i] = (*closed[i], j)
    return closed
