"""The written policy and server-made alternatives (issue 11, "What was seen", part 1).

Each test reproduces one thing that went wrong around the main path and shows the engine's
answer now. They run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bookings import alternatives, services
from bookings.models import OccurrenceState, RoomBlock, SeriesStatus
from bookings.policy import Verdict
from bookings.recurrence import localize
from centers.models import OpeningHours
from portal.selectors import request_preview

from ._engine import (
    confirmed_overlaps,
    rule,
    states,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekdays_only(world):
    """The center opens 9–21 from Monday to Saturday; it is closed on Sundays."""
    OpeningHours.objects.filter(center=world.center).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(center=world.center, weekday=day, opens=time(9), closes=time(21))
        for day in range(6)
    )
    world.center.booking_horizon_months = 12
    world.center.save(update_fields=["booking_horizon_months"])
    return world


def _soon(weekday: int, weeks: int = 2) -> date:
    """A date with this weekday a few weeks from now (within any horizon)."""
    today = date.today() + timedelta(weeks=weeks)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _book(world, group=None, room=None, **rule_args):
    group = group or world.group
    return services.booking_request_create(
        user=world.other_leader if group == world.other_group else world.leader,
        group=group,
        room=room or world.kitchen,
        rule=rule(**rule_args),
    )


# --- the policy: refused, staff decides, fine ----------------------------------------------


def test_more_people_than_the_room_holds_is_refused_and_nothing_is_stored(weekdays_only):
    w = weekdays_only
    with pytest.raises(ValidationError) as refused:
        services.booking_request_create(
            user=w.leader,
            group=w.group,
            room=w.kitchen,  # holds 12
            rule=rule(_soon(1)),
            expected_participants=500,
        )
    assert "expected_participants" in refused.value.error_dict
    assert not w.group.series.exists()
    preview = request_preview(
        group=w.group, room=w.kitchen, rule=rule(_soon(1)), expected_participants=500
    )
    assert [d.verdict for d in preview.dates] == [Verdict.REFUSED]


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ({"start": None, "weekday": 6}, "outside_hours"),  # a Sunday: the center is closed
        ({"start": "23:00", "end": "23:30", "weekday": 0}, "outside_hours"),  # 23:00 Monday
        ({"start_date": date(2099, 6, 2)}, "horizon"),  # far beyond the booking horizon
    ],
    ids=["sunday", "late-monday", "year-2099"],
)
def test_what_staff_must_decide_is_never_confirmed_at_once(weekdays_only, when, reason):
    w = weekdays_only
    day = when.get("start_date") or _soon(when["weekday"])
    wanted = rule(day, when.get("start") or "18:00", when.get("end") or "20:00")
    preview = request_preview(group=w.group, room=w.kitchen, rule=wanted, expected_participants=4)
    (item,) = preview.dates
    assert item.verdict == Verdict.STAFF
    assert reason in item.report.kinds
    series = services.booking_request_create(
        user=w.leader, group=w.group, room=w.kitchen, rule=wanted, expected_participants=4
    )
    assert states(series) == [OccurrenceState.REQUESTED]
    assert series.status == SeriesStatus.PENDING
    assert not RoomBlock.objects.filter(occurrence__series=series).exists()


def test_a_free_date_in_a_room_without_approval_is_confirmed_at_once(weekdays_only):
    w = weekdays_only
    series = _book(w, start=_soon(1))
    assert states(series) == [OccurrenceState.CONFIRMED]
    preview = request_preview(
        group=w.group, room=w.half_a, rule=rule(_soon(1)), expected_participants=4
    )
    assert [d.verdict for d in preview.dates] == [Verdict.FINE]


def test_a_request_whose_only_date_is_a_holiday_is_not_created(world):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _book(world, start=date(2030, 12, 25))
    assert "Christmas" in str(refused.value)
    assert not world.group.series.exists()


def test_02_30_on_the_spring_forward_night_moves_forward_to_03_30(world):
    spring = date(2030, 3, 31)
    series = _book(world, start=spring, start_time="02:30", end_time="04:00")
    # The center is open 8–22 in tests, so this waits for staff; the time is what matters.
    (row,) = series.occurrences.all()
    local = row.starts_at.astimezone(world.center.tz)
    assert (local.hour, local.minute) == (3, 30)
    assert localize(datetime(2030, 3, 31, 2, 30), world.center.tz).hour == 3


# --- alternatives are server-made ---------------------------------------------------------


def test_an_alternative_that_was_never_offered_is_refused_and_nothing_is_stored(world):
    w = world
    w.hall.requires_approval = False
    w.hall.save(update_fields=["requires_approval"])
    taken = _book(w, group=w.other_group, room=w.kitchen, start=date(2030, 5, 7))
    assert states(taken) == [OccurrenceState.CONFIRMED]
    wanted = rule(date(2030, 5, 7))
    slot = services.requests._slots(wanted, w.center.tz, through=date(2030, 5, 7))[0]
    tz = w.center.tz
    invented = [
        # Weeks long, in the hall:
        (w.hall, slot.starts_at, slot.starts_at + timedelta(weeks=3)),
        # In the past:
        (w.hall, datetime(2020, 1, 1, 18, tzinfo=tz), datetime(2020, 1, 1, 20, tzinfo=tz)),
        # Another length on the same day:
        (w.hall, slot.starts_at, slot.ends_at + timedelta(minutes=10)),
    ]
    for choice in invented:
        with pytest.raises(ValidationError) as refused:
            services.booking_request_create(
                user=w.leader,
                group=w.group,
                room=w.kitchen,
                rule=wanted,
                alternatives={slot.original_start: choice},
            )
        assert refused.value.error_dict["alternatives"][0].code == "alternative_not_offered"
    assert not w.group.series.exists()
    offered = alternatives.alternatives_for(room=w.kitchen, slot=slot)
    assert offered, "the hall at the same time is free"
    series = services.booking_request_create(
        user=w.leader,
        group=w.group,
        room=w.kitchen,
        rule=wanted,
        alternatives={
            slot.original_start: (offered[0].room, offered[0].starts_at, offered[0].ends_at)
        },
    )
    row = series.occurrences.get()
    assert (row.room, row.starts_at) == (offered[0].room, offered[0].starts_at)
    assert confirmed_overlaps() == 0


def test_the_request_form_answers_400_for_a_tampered_alternative(client, world):
    w = world
    _book(w, group=w.other_group, room=w.kitchen, start=date(2030, 5, 7))
    client.force_login(w.leader)
    data = {
        "group": w.group.pk,
        "room": w.kitchen.pk,
        "start_date": "2030-05-07",
        "start_time": "18:00",
        "end_time": "20:00",
        "frequency": "once",
        "ends": "until",
        "expected_participants": 4,
        "send": "1",
        # 18:00 Berlin in May is 16:00 UTC: the key of the date, and an invented weeks-long hall.
        "alt-20300507T160000Z": f"{w.hall.pk}|20300507T160000Z|20300528T180000Z",
    }
    response = client.post("/me/request/", data)
    assert response.status_code == 400
    assert not w.group.series.exists()
