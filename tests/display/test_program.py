"""The pure arrangement of a day: now, next, later; the instants at which a screen changes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from display.program import (
    ACTIVE,
    CANCELLED,
    Item,
    arrange,
    boundaries,
    current_and_next,
    segment,
)

BERLIN = ZoneInfo("Europe/Berlin")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 2, 5, hour, minute, tzinfo=BERLIN)


def item(pk: int, start: int, end: int, state: str = ACTIVE, room: str = "Saal") -> Item:
    return Item(pk, at(start), at(end), 1, room, f"Gruppe {pk}", state)


DAY = [
    item(1, 9, 11),
    item(2, 10, 12),
    item(3, 14, 16),
    item(4, 14, 15, CANCELLED),
    item(5, 18, 20),
]


def ids(items: list[Item]) -> list[int]:
    return [i.occurrence_id for i in items]


@pytest.mark.parametrize(
    ("now", "running", "upcoming", "later"),
    [
        (at(8), [], [1], [2, 3, 4, 5]),
        (at(9), [1], [2], [3, 4, 5]),
        (at(10, 30), [1, 2], [3, 4], [5]),
        (at(11), [2], [3, 4], [5]),
        (at(12), [], [3, 4], [5]),
        (at(14, 59), [3, 4], [5], []),
        (at(19), [5], [], []),
        (at(20), [], [], []),
    ],
)
def test_arrange_splits_the_day_into_now_next_and_later(now, running, upcoming, later):
    sections = arrange(DAY, now)
    assert ids(sections.now) == running
    assert ids(sections.next) == upcoming  # everything at the earliest start still ahead
    assert ids(sections.later) == later


def test_a_door_sign_skips_cancelled_dates_for_now_and_next():
    current, upcoming = current_and_next(DAY, at(13))
    assert current is None
    assert upcoming.occurrence_id == 3  # not the cancelled 14:00 date
    current, upcoming = current_and_next(DAY, at(14, 30))
    assert (current.occurrence_id, upcoming.occurrence_id) == (3, 5)


def test_the_segment_changes_exactly_when_a_date_starts_or_ends():
    instants = boundaries(DAY)
    hours = [9, 10, 11, 12, 14, 15, 16, 18, 20]  # 14:00 starts two dates: one instant
    assert instants == tuple(at(h).timestamp() for h in hours)
    assert segment(instants, at(7)) == 0
    assert segment(instants, at(9, 59)) == segment(instants, at(9, 0)) == 1
    assert segment(instants, at(10)) == 2
    assert segment(instants, at(21)) == len(hours)


@pytest.mark.parametrize("minute", range(0, 600, 7))
def test_within_a_segment_the_screen_shows_the_same(minute):
    instants = boundaries(DAY)
    now = datetime.fromtimestamp(at(8).timestamp() + minute * 60, BERLIN)
    # The start of the segment `now` is in: the boundary before it (or 8:00).
    index = segment(instants, now)
    start = datetime.fromtimestamp(instants[index - 1], BERLIN) if index else at(8)
    assert arrange(DAY, now) == arrange(DAY, max(start, at(8)))
