"""The django-scheduler mirror says the same as recurrence.py, across DST and month ends."""

from datetime import date, datetime, time, timedelta

import pytest

from bookings import recurrence, services
from bookings.models import OccurrenceState
from bookings.scheduler import rule_params

from ._engine import (
    local,
    rule,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

# Real commits: the mirror is synced after each commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

CASES = {
    "weekly": rule(date(2030, 1, 7), frequency="weekly", weekdays=(0, 3), until=date(2030, 6, 30)),
    "every 2 weeks": rule(date(2030, 1, 8), frequency="weekly", interval=2, count=20),
    "last Thursday": rule(
        date(2030, 1, 31),
        frequency="monthly",
        monthly_mode="nth_weekday",
        monthly_position=-1,
        weekdays=(3,),
        count=12,
    ),
    "first Monday": rule(
        date(2030, 1, 7),
        frequency="monthly",
        monthly_mode="nth_weekday",
        monthly_position=1,
        weekdays=(0,),
        until=date(2030, 12, 31),
    ),
    "monthly on the 31st": rule(
        date(2030, 1, 31), frequency="monthly", monthly_mode="day_of_month", monthly_day=31, count=7
    ),
    "across both DST switches": rule(
        date(2030, 3, 24), frequency="weekly", until=date(2030, 11, 3)
    ),
    "open-ended weekly": rule(date(2030, 1, 10), frequency="weekly"),
    "one date": rule(date(2030, 3, 31)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_django_scheduler_expands_the_series_like_recurrence(world, name):
    wanted = CASES[name]
    series = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=wanted
    )
    tz = world.center.tz
    start = datetime(2030, 1, 1, tzinfo=tz)
    end = datetime(2031, 1, 1, tzinfo=tz)
    ours = [
        (s.starts_at.astimezone(tz), s.ends_at.astimezone(tz))
        for s in recurrence.expand(wanted, tz, through=date(2030, 12, 31))
    ]
    theirs = [
        (o.start.astimezone(tz), o.end.astimezone(tz))
        for o in series.event.get_occurrences(start, end)
        if not o.cancelled
    ]
    # Our rows: what was materialised (holidays are cancelled rows, so compare all of them).
    rows = [
        (local(o.starts_at, world.center), local(o.ends_at, world.center))
        for o in series.occurrences.order_by("starts_at")
        if o.starts_at < end
    ]
    cancelled = {
        o.start.astimezone(tz) for o in series.event.get_occurrences(start, end) if o.cancelled
    }
    assert [*sorted(theirs)] == sorted(x for x in ours if x[0] not in cancelled)
    assert [r[0] for r in rows] == [x[0] for x in ours]
    assert all(s.time() == time(18) and e.time() == time(20) for s, e in ours)


def test_dst_in_both_directions_keeps_18_local():
    tz = __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    slots = recurrence.expand(
        rule(date(2030, 3, 24), frequency="weekly", until=date(2030, 11, 3)), tz
    )
    by_day = {s.starts_at.astimezone(tz).date(): s for s in slots}
    assert by_day[date(2030, 3, 24)].starts_at.hour == 17  # UTC in winter
    assert by_day[date(2030, 3, 31)].starts_at.hour == 16  # UTC in summer
    assert by_day[date(2030, 10, 27)].starts_at.hour == 17  # back to winter
    assert {s.starts_at.astimezone(tz).time() for s in slots} == {time(18)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("weekly", ("WEEKLY", "wkst:MO;byweekday:MO,TH;until")),
        ("every 2 weeks", ("WEEKLY", "wkst:MO;interval:2;byweekday:TU;count:20")),
        ("last Thursday", ("MONTHLY", "wkst:MO;byweekday:TH;bysetpos:-1;count:12")),
        ("monthly on the 31st", ("MONTHLY", "wkst:MO;bymonthday:31;count:7")),
    ],
)
def test_rule_params_use_weekday_codes(name, expected):
    frequency, params = rule_params(CASES[name])
    assert frequency == expected[0]
    assert params == expected[1].removesuffix(";until")


def test_until_becomes_the_end_of_the_recurring_period(world):
    series = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=CASES["weekly"]
    )
    end = series.event.end_recurring_period.astimezone(world.center.tz)
    assert end.date() == date(2030, 6, 30) and end.time() == time(20)


def test_mirror_follows_cancel_move_edit_and_end(world):
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 8), frequency="weekly", count=6),
    )
    rows = list(series.occurrences.order_by("starts_at"))
    services.occurrence_cancel(user=world.leader, occurrence=rows[1], reason="Ferien")
    later = rows[2].starts_at + timedelta(hours=1)
    services.occurrence_move(user=world.staff, occurrence=rows[2], starts_at=later)
    series.refresh_from_db()
    tz = world.center.tz
    window = (datetime(2030, 1, 1, tzinfo=tz), datetime(2030, 3, 1, tzinfo=tz))
    theirs = series.event.get_occurrences(*window)
    assert [o.cancelled for o in theirs] == [False, True, False, False, False, False]
    assert theirs[2].start == later
    services.series_end(user=world.leader, series=series, last_date=date(2030, 1, 29))
    series.refresh_from_db()
    live = [o for o in series.event.get_occurrences(*window) if not o.cancelled]
    assert [o.start.astimezone(tz).date() for o in live] == [
        date(2030, 1, 8),
        date(2030, 1, 22),
        date(2030, 1, 29),
    ]
    assert series.occurrences.filter(state=OccurrenceState.CONFIRMED).count() == 3
    world.group.refresh_from_db()
    assert world.group.calendar.event_set.count() == 1
