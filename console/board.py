"""Pure: bookings, buffers and closures placed on a rooms × time grid. No ORM.

The occupancy board (day: rooms × quarter hours; week: rooms × days) and the weekly plan for
the notice board are drawn from these structures. Times arrive aware; everything is laid out in
the center's wall-clock time, so a booking at 18:00 Berlin sits in the 18:00 column all year.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from bookings.recurrence import localize

CONFIRMED = "confirmed"
PENDING = "pending"
CLOSURE = "closure"
KINDS = (CONFIRMED, PENDING, CLOSURE)


@dataclass(frozen=True)
class Entry:
    """Something that occupies a room (or, with room_id None, the whole center) for a while."""

    kind: str  # CONFIRMED | PENDING | CLOSURE
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    label: str  # the group's name, or the closure's reason
    url: str = ""
    occurrence_id: int | None = None
    series_id: int | None = None
    # Buffers around a confirmed booking (setup before, cleanup after), in minutes.
    setup_minutes: int = 0
    cleanup_minutes: int = 0
    # What stands in this date's way now (the conflict core's messages); empty: nothing.
    clashes: tuple[str, ...] = ()

    @property
    def busy_from(self) -> datetime:
        return self.starts_at - timedelta(minutes=self.setup_minutes)

    @property
    def busy_until(self) -> datetime:
        return self.ends_at + timedelta(minutes=self.cleanup_minutes)

    def applies_to(self, room_id: int) -> bool:
        return self.room_id is None or self.room_id == room_id


@dataclass(frozen=True)
class Placed:
    """An entry on one room's row of the day grid, in grid columns (1-based, CSS grid)."""

    entry: Entry
    column: int
    span: int
    lane: int  # 1-based row inside the room's row, so overlapping entries stack
    starts_local: datetime
    ends_local: datetime
    setup_percent: float = 0.0  # share of the box that is setup buffer (hatched)
    cleanup_percent: float = 0.0

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass
class DayRow:
    room: Any
    items: list[Placed] = field(default_factory=list)
    lanes: int = 1


@dataclass
class DayGrid:
    day: date
    first_hour: int
    last_hour: int
    step_minutes: int
    rows: list[DayRow]
    holiday: str = ""

    @property
    def columns(self) -> int:
        return (self.last_hour - self.first_hour) * 60 // self.step_minutes

    @property
    def hours(self) -> list[tuple[int, int]]:
        """(hour, grid column where it starts) for the header."""
        per_hour = 60 // self.step_minutes
        return [
            (hour, 1 + (hour - self.first_hour) * per_hour)
            for hour in range(self.first_hour, self.last_hour)
        ]

    @property
    def columns_per_hour(self) -> int:
        return 60 // self.step_minutes


@dataclass
class WeekCell:
    day: date
    items: list[Entry] = field(default_factory=list)  # bookings, by start
    closures: list[Entry] = field(default_factory=list)
    holiday: str = ""
    closed_all_day: bool = False  # the center has no opening hours on this weekday

    @property
    def is_closed(self) -> bool:
        return bool(self.closures) or bool(self.holiday) or self.closed_all_day


@dataclass
class WeekRow:
    room: Any
    cells: list[WeekCell]


@dataclass
class WeekGrid:
    days: list[date]
    rows: list[WeekRow]
    holidays: dict[date, str] = field(default_factory=dict)

    @property
    def header(self) -> list[tuple[date, str]]:
        return [(day, self.holidays.get(day, "")) for day in self.days]

    @property
    def labels(self) -> set[str]:
        return {item.label for row in self.rows for cell in row.cells for item in cell.items}


def _day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    return (
        localize(datetime.combine(day, time.min), tz),
        localize(datetime.combine(day + timedelta(days=1), time.min), tz),
    )


def assign_lanes(intervals: Sequence[tuple[datetime, datetime]]) -> list[int]:
    """A 1-based lane per interval (given in any order) so that no two in one lane overlap.

    Greedy by start time: each interval takes the lowest lane that is free again; touching
    intervals (one ends when the next starts) share a lane.
    """
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][0], intervals[i][1]))
    lane_ends: list[datetime] = []
    lanes = [0] * len(intervals)
    for index in order:
        start, end = intervals[index]
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                lanes[index] = lane + 1
                break
        else:
            lane_ends.append(end)
            lanes[index] = len(lane_ends)
    return lanes


def hour_range(
    day: date,
    tz: tzinfo,
    entries: Iterable[Entry],
    *,
    opens: int = 8,
    closes: int = 22,
) -> tuple[int, int]:
    """The hours the day grid shows: opening hours, widened to every booking of that day."""
    first, last = opens, closes
    day_start, day_end = _day_bounds(day, tz)
    for entry in entries:
        if entry.kind == CLOSURE or entry.busy_until <= day_start or entry.busy_from >= day_end:
            continue
        start = max(entry.busy_from, day_start).astimezone(tz)
        end = min(entry.busy_until, day_end).astimezone(tz)
        first = min(first, start.hour)
        end_hour = 24 if end.date() > day else end.hour + (1 if end.minute or end.second else 0)
        last = max(last, end_hour)
    return max(0, first), min(24, max(last, first + 1))


def day_grid(
    *,
    day: date,
    tz: tzinfo,
    rooms: Sequence[Any],
    entries: Iterable[Entry],
    first_hour: int = 8,
    last_hour: int = 22,
    step_minutes: int = 15,
    holiday: str = "",
) -> DayGrid:
    """Rooms × time slots of one day. Entries outside the shown hours are clipped to them."""
    entries = list(entries)
    grid = DayGrid(
        day=day,
        first_hour=first_hour,
        last_hour=last_hour,
        step_minutes=step_minutes,
        rows=[DayRow(room=room) for room in rooms],
        holiday=holiday,
    )
    view_start = localize(datetime.combine(day, time(first_hour)), tz)
    view_end = (
        localize(datetime.combine(day + timedelta(days=1), time.min), tz)
        if last_hour >= 24
        else localize(datetime.combine(day, time(last_hour)), tz)
    )
    step = timedelta(minutes=step_minutes)
    for row in grid.rows:
        mine = [
            e
            for e in entries
            if e.applies_to(row.room.id) and e.busy_from < view_end and e.busy_until > view_start
        ]
        # Closures fill the whole row behind the bookings; bookings stack in lanes below them.
        lanes = assign_lanes([(e.busy_from, e.busy_until) for e in mine])
        for entry, lane in zip(mine, lanes, strict=True):
            start = max(entry.busy_from, view_start)
            end = min(entry.busy_until, view_end)
            column = 1 + math.floor((start - view_start) / step)
            last_column = math.ceil((end - view_start) / step)
            span = max(1, last_column - column + 1)
            total = (end - start).total_seconds() or 1
            setup = max(timedelta(0), min(entry.starts_at, end) - start).total_seconds()
            cleanup = max(timedelta(0), end - max(entry.ends_at, start)).total_seconds()
            row.items.append(
                Placed(
                    entry=entry,
                    column=column,
                    span=span,
                    lane=lane,
                    starts_local=entry.starts_at.astimezone(tz),
                    ends_local=entry.ends_at.astimezone(tz),
                    setup_percent=round(100 * setup / total, 2),
                    cleanup_percent=round(100 * cleanup / total, 2),
                )
            )
        row.items.sort(key=lambda p: (p.lane, p.column))
        row.lanes = max([p.lane for p in row.items], default=1)
    return grid


def week_grid(
    *,
    days: Sequence[date],
    tz: tzinfo,
    rooms: Sequence[Any],
    entries: Iterable[Entry],
    holidays: dict[date, str] | None = None,
    closed_weekdays: Collection[int] = (),
) -> WeekGrid:
    """Rooms × days; each cell lists that day's bookings by start and the closures hitting it;
    days of `closed_weekdays` (0 = Monday) are closed all day."""
    entries = sorted(entries, key=lambda e: (e.starts_at, e.label))
    holidays = holidays or {}
    bounds = {day: _day_bounds(day, tz) for day in days}
    rows = []
    for room in rooms:
        cells = []
        for day in days:
            day_start, day_end = bounds[day]
            cell = WeekCell(
                day=day,
                holiday=holidays.get(day, ""),
                closed_all_day=day.weekday() in closed_weekdays,
            )
            for entry in entries:
                if not entry.applies_to(room.id):
                    continue
                if entry.kind == CLOSURE:
                    if entry.starts_at < day_end and entry.ends_at > day_start:
                        cell.closures.append(entry)
                elif day_start <= entry.starts_at < day_end:
                    cell.items.append(entry)
            cells.append(cell)
        rows.append(WeekRow(room=room, cells=cells))
    return WeekGrid(
        days=list(days), rows=rows, holidays={d: holidays[d] for d in days if d in holidays}
    )


def week_day_to_show(today: date) -> date:
    """The day whose week a week view opens on: on a Sunday the week is over, so the next."""
    return today + timedelta(days=1) if today.weekday() == 6 else today


def week_of(day: date) -> list[date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


def overlaps(a: Entry, b: Entry) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at
