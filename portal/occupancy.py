"""Pure: a room's bookings -> the days of a week or month view. No ORM, no templates.

A week is Monday to Sunday. A month view covers whole weeks, from the Monday on or before the
1st to the Sunday on or after the last day; days of the neighbouring months are marked. An
entry belongs to the day it starts on (in the center's time zone, which the caller applied).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

WEEK = "week"
MONTH = "month"
VIEWS = (WEEK, MONTH)


@dataclass(frozen=True)
class Entry:
    """One booking as the occupancy view shows it; times are local to the center."""

    starts_at: datetime
    ends_at: datetime
    title: str
    group: str
    room: str
    state: str  # "confirmed" | "requested"
    other_unit: bool = False  # the whole room or a part of it, not this room itself


@dataclass
class Day:
    date: date
    entries: list[Entry] = field(default_factory=list)
    in_range: bool = True  # False for the neighbouring months' days in a month view
    is_today: bool = False
    closed: str = ""  # why the room cannot be booked all day ("" when open)
    is_past: bool = False
    free: list[tuple[time, time]] = field(default_factory=list)  # open and unbooked, local


@dataclass
class Calendar:
    view: str
    day: date
    first: date
    last: date
    days: list[Day]
    previous: date
    next: date

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def is_empty(self) -> bool:
        return not any(d.entries for d in self.days if d.in_range)


def parse_view(value: str | None) -> str:
    return value if value in VIEWS else WEEK


def parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def bounds(view: str, day: date) -> tuple[date, date]:
    """First and last day (inclusive) shown for `day` in `view`."""
    if view == MONTH:
        first_of_month = day.replace(day=1)
        last_of_month = day.replace(day=monthrange(day.year, day.month)[1])
        first = week_start(first_of_month)
        last = week_start(last_of_month) + timedelta(days=6)
        return first, last
    first = week_start(day)
    return first, first + timedelta(days=6)


def _shift(view: str, day: date, step: int) -> date:
    if view == MONTH:
        month = day.month - 1 + step
        year = day.year + month // 12
        month = month % 12 + 1
        return date(year, month, 1)
    return week_start(day) + timedelta(days=7 * step)


def calendar(
    entries: list[Entry],
    *,
    view: str,
    day: date,
    today: date,
    closed: dict[date, str] | None = None,
    opening: dict[date, list[tuple[time, time]]] | None = None,
    blocked: dict[date, list[tuple[time, time]]] | None = None,
) -> Calendar:
    """The days of the week or month around `day`, each with its entries in start order and,
    from `closed`, why it cannot be booked at all. A day with `opening` hours gets its free
    slots: the opening hours less its entries and the `blocked` spans (partial closures)."""
    closed = closed or {}
    opening = opening or {}
    blocked = blocked or {}
    first, last = bounds(view, day)
    by_day: dict[date, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.starts_at, e.room, e.title)):
        by_day.setdefault(entry.starts_at.date(), []).append(entry)
    days = []
    current = first
    while current <= last:
        days.append(
            Day(
                date=current,
                entries=by_day.get(current, []),
                in_range=view == WEEK or current.month == day.month,
                is_today=current == today,
                closed=closed.get(current, ""),
                is_past=current < today,
                free=free_slots(
                    opening.get(current, []),
                    [(e.starts_at.time(), e.ends_at.time()) for e in by_day.get(current, [])]
                    + blocked.get(current, []),
                ),
            )
        )
        current += timedelta(days=1)
    return Calendar(
        view=view,
        day=day,
        first=first,
        last=last,
        days=days,
        previous=_shift(view, day, -1),
        next=_shift(view, day, 1),
    )


MIN_FREE = timedelta(minutes=30)


def free_slots(
    opening: list[tuple[time, time]], busy: list[tuple[time, time]]
) -> list[tuple[time, time]]:
    """The gaps of at least half an hour in `opening` that no `busy` span touches.

    A busy span that ends before it starts runs past midnight: it blocks until the day's end.
    """
    slots: list[tuple[time, time]] = []
    spans = sorted((s, e if e > s else time.max) for s, e in busy)
    for opens, closes in sorted(opening):
        cursor = opens
        for start, end in spans:
            if end <= cursor or start >= closes:
                continue
            if start > cursor:
                slots.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < closes:
            slots.append((cursor, closes))
    day = date.min
    return [
        (s, e) for s, e in slots if datetime.combine(day, e) - datetime.combine(day, s) >= MIN_FREE
    ]
