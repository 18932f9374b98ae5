"""A series' rule in words."""

from datetime import date, time

import pytest
from django.utils import translation

from bookings.recurrence import RecurrenceRule
from bookings.rule_text import rule_text

TUESDAY = date(2027, 3, 2)


def rule(**fields):
    base = {"start_date": TUESDAY, "start_time": time(14), "end_time": time(16)}
    base.update(fields)
    return RecurrenceRule(**base)


@pytest.mark.parametrize(
    ("fields", "room", "expected"),
    [
        ({"frequency": "weekly"}, "Café", "every Tuesday 14:00–16:00, Café"),
        (
            {"frequency": "weekly", "interval": 2, "weekdays": (3,)},
            "",
            "every second Thursday 14:00–16:00",
        ),
        ({"frequency": "weekly", "weekdays": (0, 3)}, "", "every Monday and Thursday 14:00–16:00"),
        ({"frequency": "weekly", "interval": 6}, "", "every 6 weeks on Tuesday 14:00–16:00"),
        (
            {
                "frequency": "monthly",
                "monthly_mode": "nth_weekday",
                "monthly_position": 1,
                "weekdays": (0,),
            },
            "Saal",
            "first Monday of the month 14:00–16:00, Saal",
        ),
        (
            {
                "frequency": "monthly",
                "monthly_mode": "nth_weekday",
                "monthly_position": -1,
                "weekdays": (3,),
            },
            "",
            "last Thursday of the month 14:00–16:00",
        ),
        (
            {"frequency": "monthly", "monthly_mode": "day_of_month", "monthly_day": 15},
            "",
            "on day 15 of every month 14:00–16:00",
        ),
        (
            {"frequency": "once", "start_date": date(2027, 3, 12)},
            "",
            "on 12 March 2027 14:00–16:00",
        ),
        ({"frequency": "daily", "count": 5}, "", "daily 14:00–16:00"),
        (
            {"frequency": "weekly", "until": date(2027, 6, 29)},
            "",
            "every Tuesday 14:00–16:00, until 29 June 2027",
        ),
    ],
)
def test_rule_in_english(fields, room, expected):
    with translation.override("en"):
        assert rule_text(rule(**fields), room=room) == expected


def test_a_past_end_is_not_named():
    with translation.override("en"):
        text = rule_text(rule(frequency="weekly", until=date(2027, 3, 30)), today=date(2027, 4, 1))
    assert "until" not in text


def test_german_names_the_weekday_in_german():
    with translation.override("de"):
        assert "Dienstag" in rule_text(rule(frequency="weekly"))
