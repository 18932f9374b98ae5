"""Opening hours a room had in a period: the center's weekly hours, less public holidays and
less the closures of the center, of the room, or of the whole room it is part of. Pure: plain
values in, hours out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class OpeningPeriod:
    weekday: int  # 0 = Monday
    opens: time
    closes: time


@dataclass(frozen=True)
class ClosureSpan:
    starts_at: datetime
    ends_at: datetime
    room_id: int | None  # None: the whole center


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap_seconds(span: Interval, closed: Sequence[Interval]) -> float:
    start, end = span
    total = 0.0
    for c_start, c_end in closed:
        if c_start >= end:
            break
        lo, hi = max(start, c_start), min(end, c_end)
        if hi > lo:
            total += (hi - lo).total_seconds()
    return total


def open_spans(
    days: Iterable[date], periods: Sequence[OpeningPeriod], holidays: Iterable[date], tz: tzinfo
) -> list[Interval]:
    """Every opening period of every day that is not a public holiday, as aware intervals."""
    by_weekday: dict[int, list[OpeningPeriod]] = {}
    for period in periods:
        by_weekday.setdefault(period.weekday, []).append(period)
    closed_days = set(holidays)
    spans = []
    for day in days:
        if day in closed_days:
            continue
        for period in by_weekday.get(day.weekday(), ()):
            spans.append(
                (
                    datetime.combine(day, period.opens, tzinfo=tz),
                    datetime.combine(day, period.closes, tzinfo=tz),
                )
            )
    return spans


def available_hours(
    spans: Sequence[Interval],
    closures: Iterable[ClosureSpan],
    *,
    room_id: int,
    parent_id: int | None,
) -> float:
    """Open hours of one room: the opening spans less its closures (merged, never twice)."""
    applies = {None, room_id, parent_id}
    closed = _merge((c.starts_at, c.ends_at) for c in closures if c.room_id in applies)
    seconds = 0.0
    for span in spans:
        seconds += (span[1] - span[0]).total_seconds() - _overlap_seconds(span, closed)
    return seconds / 3600


def hour_shares(start_minute: int, end_minute: int) -> dict[int, float]:
    """How much of each clock hour a local time range [start, end) covers, in hours.

    Minutes since midnight; an end at or before the start runs to midnight (dates that end
    after midnight count on their first day)."""
    if end_minute <= start_minute:
        end_minute = 24 * 60
    shares: dict[int, float] = {}
    for hour in range(start_minute // 60, (end_minute - 1) // 60 + 1):
        lo, hi = max(start_minute, hour * 60), min(end_minute, (hour + 1) * 60)
        if hi > lo:
            shares[hour] = (hi - lo) / 60
    return shares
