"""The pure week/month grid of a room's bookings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal import occupancy

BERLIN = ZoneInfo("Europe/Berlin")


def entry(day: date, hour: int, title: str = "Chor", state: str = "confirmed") -> occupancy.Entry:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)
    return occupancy.Entry(
        starts_at=start,
        ends_at=start.replace(hour=hour + 2),
        title=title,
        group=title,
        room="Café",
        state=state,
    )


@pytest.mark.parametrize(
    ("view", "day", "first", "last"),
    [
        ("week", date(2030, 2, 13), date(2030, 2, 11), date(2030, 2, 17)),
        ("week", date(2030, 2, 11), date(2030, 2, 11), date(2030, 2, 17)),
        ("week", date(2030, 2, 17), date(2030, 2, 11), date(2030, 2, 17)),
        # February 2030 starts on a Friday and ends on a Thursday: whole weeks around it.
        ("month", date(2030, 2, 13), date(2030, 1, 28), date(2030, 3, 3)),
        # A month that starts on a Monday and ends on a Sunday: exactly its own days.
        ("month", date(2027, 2, 10), date(2027, 2, 1), date(2027, 2, 28)),
    ],
)
def test_bounds_cover_whole_weeks(view, day, first, last):
    assert occupancy.bounds(view, day) == (first, last)
    assert (last - first).days % 7 == 6


def test_week_has_seven_days_with_entries_in_start_order():
    cal = occupancy.calendar(
        [entry(date(2030, 2, 12), 18, "Later"), entry(date(2030, 2, 12), 9, "Earlier")],
        view="week",
        day=date(2030, 2, 13),
        today=date(2030, 2, 12),
    )
    assert cal.days[0].date == date(2030, 2, 11)
    assert len(cal.days) == 7
    tuesday = cal.days[1]
    assert [e.title for e in tuesday.entries] == ["Earlier", "Later"]
    assert tuesday.is_today
    assert not cal.is_empty
    assert (cal.previous, cal.next) == (date(2030, 2, 4), date(2030, 2, 18))


def test_month_marks_days_of_neighbouring_months_and_navigates_by_month():
    cal = occupancy.calendar(
        [entry(date(2030, 1, 29), 10)], view="month", day=date(2030, 2, 13), today=date(2030, 1, 1)
    )
    assert len(cal.weeks) == 5
    assert all(len(week) == 7 for week in cal.weeks)
    outside = [d for d in cal.days if not d.in_range]
    assert {d.date.month for d in outside} == {1, 3}
    # The only entry lies in January: February itself is free.
    assert cal.is_empty
    assert (cal.previous, cal.next) == (date(2030, 1, 1), date(2030, 3, 1))


def test_december_navigates_into_the_next_year():
    cal = occupancy.calendar([], view="month", day=date(2030, 12, 5), today=date(2030, 1, 1))
    assert (cal.previous, cal.next) == (date(2030, 11, 1), date(2031, 1, 1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2030-02-13", date(2030, 2, 13)), ("13.02.2030", date(2000, 1, 1)), (None, date(2000, 1, 1))],
)
def test_parse_day_falls_back_on_bad_input(raw, expected):
    assert occupancy.parse_day(raw, date(2000, 1, 1)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("month", "month"), ("year", "week"), (None, "week")]
)
def test_parse_view(raw, expected):
    assert occupancy.parse_view(raw) == expected
