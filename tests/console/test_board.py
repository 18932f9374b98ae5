"""The pure board core: entries placed on rooms × quarter hours, and rooms × days."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bookings.recurrence import localize
from console import board

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class R:
    id: int
    name: str = "Raum"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return localize(datetime.combine(day, time(hour, minute)), BERLIN)


def entry(kind, room_id, day, start, end, label="Gruppe", **extra):
    return board.Entry(
        kind=kind,
        room_id=room_id,
        starts_at=at(day, *start),
        ends_at=at(day, *end),
        label=label,
        **extra,
    )


DAY = date(2030, 2, 5)


@pytest.mark.parametrize(
    ("intervals", "lanes"),
    [
        ([], []),
        ([(1, 2)], [1]),
        ([(1, 2), (2, 3)], [1, 1]),  # touching intervals share a lane
        ([(1, 3), (2, 4)], [1, 2]),
        ([(2, 4), (1, 3), (3, 5)], [2, 1, 1]),  # order of input does not matter
        ([(1, 5), (2, 3), (3, 4), (4, 6)], [1, 2, 2, 2]),
    ],
)
def test_lanes_stack_only_what_overlaps(intervals, lanes):
    spans = [(at(DAY, a), at(DAY, b)) for a, b in intervals]
    assert board.assign_lanes(spans) == lanes


def test_a_booking_sits_in_its_quarter_hour_columns():
    grid = board.day_grid(
        day=DAY,
        tz=BERLIN,
        rooms=[R(1)],
        entries=[entry(board.CONFIRMED, 1, DAY, (18, 0), (20, 0))],
        first_hour=8,
        last_hour=22,
    )
    assert grid.columns == 56
    (placed,) = grid.rows[0].items
    assert (placed.column, placed.span, placed.lane) == (41, 8, 1)  # 18:00 = 10 h × 4 + 1
    assert placed.starts_local.hour == 18
    assert grid.hours[0] == (8, 1) and grid.hours[-1] == (21, 53)


def test_buffers_widen_the_box_and_are_shares_of_it():
    grid = board.day_grid(
        day=DAY,
        tz=BERLIN,
        rooms=[R(1)],
        entries=[
            entry(board.CONFIRMED, 1, DAY, (18, 0), (20, 0), setup_minutes=30, cleanup_minutes=30)
        ],
    )
    (placed,) = grid.rows[0].items
    assert (placed.column, placed.span) == (39, 12)  # 17:30–20:30
    assert placed.setup_percent == pytest.approx(16.67, abs=0.01)
    assert placed.cleanup_percent == pytest.approx(16.67, abs=0.01)


def test_a_pending_request_against_a_confirmed_date_goes_to_a_second_lane():
    grid = board.day_grid(
        day=DAY,
        tz=BERLIN,
        rooms=[R(1), R(2)],
        entries=[
            entry(board.CONFIRMED, 1, DAY, (18, 0), (20, 0), label="Koch"),
            entry(board.PENDING, 1, DAY, (19, 0), (21, 0), label="Sprache"),
            entry(board.CONFIRMED, 2, DAY, (9, 0), (10, 0), label="Frühstück"),
        ],
    )
    first, second = grid.rows
    assert [(p.entry.label, p.lane) for p in first.items] == [("Koch", 1), ("Sprache", 2)]
    assert first.lanes == 2
    assert [p.entry.label for p in second.items] == ["Frühstück"]


def test_a_center_closure_covers_every_room_and_is_clipped_to_the_shown_hours():
    closure = board.Entry(
        kind=board.CLOSURE,
        room_id=None,
        starts_at=at(date(2030, 2, 1), 0),
        ends_at=at(date(2030, 2, 28), 0),
        label="Sommerpause",
    )
    grid = board.day_grid(day=DAY, tz=BERLIN, rooms=[R(1), R(2)], entries=[closure])
    for row in grid.rows:
        (placed,) = row.items
        assert (placed.column, placed.span) == (1, grid.columns)


def test_the_day_widens_to_bookings_outside_opening_hours():
    entries = [
        entry(board.CONFIRMED, 1, DAY, (6, 30), (7, 30)),
        entry(board.PENDING, 1, DAY, (22, 0), (23, 15)),
    ]
    assert board.hour_range(DAY, BERLIN, entries, opens=8, closes=22) == (6, 24)
    assert board.hour_range(DAY, BERLIN, [], opens=9, closes=17) == (9, 17)


def test_columns_follow_wall_clock_time_on_the_dst_switch():
    spring = date(2030, 3, 31)  # clocks go forward at 02:00 in Berlin
    grid = board.day_grid(
        day=spring,
        tz=BERLIN,
        rooms=[R(1)],
        entries=[entry(board.CONFIRMED, 1, spring, (18, 0), (20, 0))],
    )
    (placed,) = grid.rows[0].items
    assert (placed.column, placed.span) == (41, 8)


def test_week_grid_lists_each_days_bookings_and_closures_per_room():
    days = board.week_of(date(2030, 2, 7))
    assert days[0] == date(2030, 2, 4) and days[-1] == date(2030, 2, 10)
    entries = [
        entry(board.CONFIRMED, 1, date(2030, 2, 5), (18, 0), (20, 0), label="Koch"),
        entry(board.CONFIRMED, 1, date(2030, 2, 5), (9, 0), (10, 0), label="Früh"),
        entry(board.PENDING, 2, date(2030, 2, 6), (9, 0), (10, 0), label="Wartet"),
        board.Entry(
            kind=board.CLOSURE,
            room_id=2,
            starts_at=at(date(2030, 2, 8), 0),
            ends_at=at(date(2030, 2, 10), 0),
            label="Renovierung",
        ),
    ]
    grid = board.week_grid(
        days=days, tz=BERLIN, rooms=[R(1), R(2)], entries=entries, holidays={days[2]: "Testtag"}
    )
    first, second = grid.rows
    assert [e.label for e in first.cells[1].items] == ["Früh", "Koch"]
    assert [e.label for e in second.cells[2].items] == ["Wartet"]
    assert [c.day for c in second.cells if c.closures] == [date(2030, 2, 8), date(2030, 2, 9)]
    assert first.cells[2].holiday == "Testtag" and first.cells[2].is_closed
    assert grid.labels == {"Koch", "Früh", "Wartet"}
