"""Pure recurrence: month ends, last weekdays, DST and the count/until cut."""

import warnings
import zoneinfo
from datetime import date, time, timedelta

import pytest

from bookings import recurrence

from ._engine import rule

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (
            rule(
                date(2030, 1, 31),
                frequency="monthly",
                monthly_mode="day_of_month",
                monthly_day=31,
                count=4,
            ),
            [date(2030, 1, 31), date(2030, 3, 31), date(2030, 5, 31), date(2030, 7, 31)],
        ),
        (
            rule(
                date(2030, 1, 1),
                frequency="monthly",
                monthly_mode="nth_weekday",
                monthly_position=-1,
                weekdays=(3,),
                until=date(2030, 4, 30),
            ),
            [date(2030, 1, 31), date(2030, 2, 28), date(2030, 3, 28), date(2030, 4, 25)],
        ),
        (
            rule(date(2030, 1, 8), frequency="weekly", interval=2, count=3),
            [date(2030, 1, 8), date(2030, 1, 22), date(2030, 2, 5)],
        ),
        (
            rule(date(2030, 1, 8), extra_dates=(date(2030, 1, 10),)),
            [date(2030, 1, 8), date(2030, 1, 10)],
        ),
    ],
    ids=["monthly on the 31st", "last Thursday", "every 2 weeks", "extra date"],
)
def test_local_dates(wanted, expected):
    assert recurrence.local_dates(wanted, through=date(2030, 12, 31)) == expected


@pytest.mark.parametrize("day", [date(2030, 3, 31), date(2030, 10, 27)], ids=["spring", "autumn"])
def test_18_local_stays_18_local_across_the_switch(day):
    weekly = rule(day - timedelta(days=7), frequency="weekly", count=3)
    slots = recurrence.expand(weekly, BERLIN)
    assert [s.starts_at.astimezone(BERLIN).time() for s in slots] == [time(18)] * 3
    offsets = {s.starts_at.astimezone(BERLIN).utcoffset() for s in slots}
    assert len(offsets) == 2  # the UTC time moves, the local time does not


def test_count_with_a_horizon_is_cut_without_a_dateutil_warning():
    wanted = rule(date(2030, 1, 8), frequency="weekly", count=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(recurrence.local_dates(wanted, through=date(2030, 1, 31))) == 4


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2031, 3, 30), "02:30", "04:00"),  # spring forward: 02:30 does not exist
        (date(2031, 10, 26), "02:30", "03:30"),  # fall back: 02:30 happens twice
        (date(2031, 7, 1), "18:00", "20:00"),
    ],
)
def test_slots_carry_the_wall_clock_times_their_utc_times_show(day, start, end):
    # The conflict check reads these instead of converting every date back: they must agree.
    (slot,) = recurrence.expand(rule(day, start, end), BERLIN)
    for local, utc in ((slot.local_start, slot.starts_at), (slot.local_end, slot.ends_at)):
        shown = utc.astimezone(BERLIN)
        assert local.tzinfo is BERLIN
        assert (local.date(), local.time(), local.utcoffset()) == (
            shown.date(),
            shown.time(),
            shown.utcoffset(),
        )
