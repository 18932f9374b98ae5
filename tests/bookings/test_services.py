"""Requests become rows: validation, holidays and closures, auto-confirm, divisible rooms."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from bookings import services
from bookings.errors import BookingConflict
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series, SeriesStatus
from centers.models import Closure
from groups.models import GroupLeader

from ._engine import (
    confirmed_overlaps,
    local,
    rule,
    states,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

pytestmark = pytest.mark.django_db


def test_weekly_request_in_a_room_without_approval_is_confirmed_with_blocks(world):
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 8), frequency="weekly", count=4),
    )
    assert series.status == SeriesStatus.CONFIRMED
    assert states(series) == [OccurrenceState.CONFIRMED] * 4
    assert RoomBlock.objects.filter(occurrence__series=series, room=world.kitchen).count() == 4


def test_request_for_a_room_that_needs_approval_stays_pending(world):
    world.kitchen.requires_approval = True
    world.kitchen.save(update_fields=["requires_approval"])
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 8), frequency="weekly", count=3),
    )
    assert series.status == SeriesStatus.PENDING
    assert states(series) == [OccurrenceState.REQUESTED] * 3
    assert not RoomBlock.objects.exists()


@pytest.mark.parametrize("deputy", [False, True])
def test_leaders_and_deputies_and_staff_may_book(world, make_user, deputy):
    person = make_user()
    role = GroupLeader.Role.DEPUTY if deputy else GroupLeader.Role.LEADER
    GroupLeader.objects.create(group=world.group, user=person, role=role)
    for user in (person, world.staff):
        series = services.booking_request_create(
            user=user,
            group=world.group,
            room=world.kitchen,
            rule=rule(date(2030, 2, 4) + timedelta(days=Series.objects.count())),
        )
        assert series.created_by == user


def _bad_inputs(w):
    past = timezone.now().astimezone(w.center.tz).date() - timedelta(days=7)
    return {
        "end before start": (
            {"rule": rule(date(2030, 1, 8), "20:00", "18:00")},
            "end_time",
            "The end time must be after the start time.",
        ),
        "unbounded daily rule": (
            {"rule": rule(date(2030, 1, 8), frequency="daily")},
            "until",
            "A daily booking needs an end date or a number of dates.",
        ),
        "date in the past": (
            {"rule": rule(past)},
            "start_date",
            "The first date is in the past.",
        ),
        "room of another center": (
            {"room": "foreign"},
            "room",
            "This room belongs to another center.",
        ),
        "a stranger books": (
            {"user": w.stranger},
            "group",
            "You cannot book rooms for this group.",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "end before start",
        "unbounded daily rule",
        "date in the past",
        "room of another center",
        "a stranger books",
    ],
)
def test_bad_input_is_refused_translated_and_changes_nothing(world, make_room, case):
    kwargs, field, english = _bad_inputs(world)[case]
    if kwargs.get("room") == "foreign":
        kwargs["room"] = make_room()
    arguments = {
        "user": world.leader,
        "group": world.group,
        "room": world.kitchen,
        "rule": rule(date(2030, 1, 8)),
    }
    arguments.update(kwargs)
    before = (Series.objects.count(), Occurrence.objects.count(), RoomBlock.objects.count())
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.booking_request_create(**arguments)
    assert english in refused.value.message_dict[field]
    # The German catalogue is filled later; the message goes through gettext either way.
    with translation.override("de"), pytest.raises(ValidationError) as refused_de:
        services.booking_request_create(**arguments)
    assert field in refused_de.value.message_dict
    assert (Series.objects.count(), Occurrence.objects.count(), RoomBlock.objects.count()) == before


def test_holidays_and_closures_are_created_cancelled_with_their_reason(world):
    Closure.objects.create(
        center=world.center,
        starts_at=datetime(2030, 7, 28, tzinfo=world.center.tz),
        ends_at=datetime(2030, 8, 11, tzinfo=world.center.tz),
        reason="Sommerpause",
    )
    # Thursdays: Ascension Day (30 May 2030) and Corpus Christi (20 June, a holiday in NW).
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 23), frequency="weekly", until=date(2030, 8, 15)),
    )
    rows = {local(o.starts_at, world.center).date(): o for o in series.occurrences.all()}
    assert rows[date(2030, 5, 30)].state == OccurrenceState.CANCELLED
    assert rows[date(2030, 5, 30)].reason == "Christi Himmelfahrt"
    assert rows[date(2030, 6, 20)].state == OccurrenceState.CANCELLED
    assert rows[date(2030, 6, 20)].reason == "Fronleichnam"
    for day in (date(2030, 8, 1), date(2030, 8, 8)):
        assert rows[day].state == OccurrenceState.CANCELLED
        assert rows[day].reason == "Sommerpause"
    assert rows[date(2030, 5, 23)].state == OccurrenceState.CONFIRMED
    assert rows[date(2030, 8, 15)].state == OccurrenceState.CONFIRMED
    assert not RoomBlock.objects.filter(occurrence=rows[date(2030, 5, 30)]).exists()


def test_a_room_closure_of_a_half_closes_the_whole_hall_but_not_the_other_half(world):
    Closure.objects.create(
        center=world.center,
        room=world.half_a,
        starts_at=datetime(2030, 3, 1, tzinfo=world.center.tz),
        ends_at=datetime(2030, 3, 31, tzinfo=world.center.tz),
        reason="Neuer Boden",
    )
    day = rule(date(2030, 3, 12))
    # The only date lies in the closure: nothing is left to decide, so no request is made.
    with pytest.raises(ValidationError, match="Neuer Boden"):
        services.booking_request_create(
            user=world.leader, group=world.group, room=world.hall, rule=day
        )
    assert not world.group.series.exists()
    other = services.booking_request_create(
        user=world.other_leader, group=world.other_group, room=world.half_b, rule=day
    )
    assert states(other) == [OccurrenceState.CONFIRMED]
    weekly = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.hall,
        rule=rule(date(2030, 2, 26), frequency="weekly", count=4),
    )
    # Dates in the closure are skipped and listed with its reason; the others go ahead.
    assert states(weekly) == [OccurrenceState.CONFIRMED] + [OccurrenceState.CANCELLED] * 3
    skipped = weekly.occurrences.order_by("starts_at")[1]
    assert (skipped.reason, skipped.cause) == ("Neuer Boden", "closure")
    assert skipped.closure.reason == "Neuer Boden"


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ("hall", "half_a", True),
        ("half_a", "hall", True),
        ("half_b", "hall", True),
        ("half_a", "half_b", False),
        ("half_a", "half_a", True),
    ],
)
def test_divisible_rooms_clash_in_both_directions(world, first, second, clash):
    day = rule(date(2030, 4, 9))
    services.booking_request_create(
        user=world.leader, group=world.group, room=getattr(world, first), rule=day
    )
    later = services.booking_request_create(
        user=world.other_leader, group=world.other_group, room=getattr(world, second), rule=day
    )
    expected = OccurrenceState.REQUESTED if clash else OccurrenceState.CONFIRMED
    assert states(later) == [expected]
    assert confirmed_overlaps() == 0


def test_the_whole_hall_blocks_itself_and_both_halves(world):
    series = services.booking_request_create(
        user=world.leader, group=world.group, room=world.hall, rule=rule(date(2030, 4, 9))
    )
    blocked = set(
        RoomBlock.objects.filter(occurrence__series=series).values_list("room__name", flat=True)
    )
    assert blocked == {"Saal", "Saal A", "Saal B"}


def test_buffers_widen_the_block_and_make_touching_dates_clash(world):
    world.kitchen.cleanup_minutes = 30
    world.kitchen.save(update_fields=["cleanup_minutes"])
    first = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 4, 9))
    )
    block = RoomBlock.objects.get(occurrence__series=first)
    assert local(block.ends_at, world.center).time() == time(20, 30)
    touching = services.booking_request_create(
        user=world.other_leader,
        group=world.other_group,
        room=world.kitchen,
        rule=rule(date(2030, 4, 9), "20:00", "21:00"),
    )
    assert states(touching) == [OccurrenceState.REQUESTED]


def test_touching_dates_without_buffers_do_not_clash(world):
    services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 4, 9))
    )
    touching = services.booking_request_create(
        user=world.other_leader,
        group=world.other_group,
        room=world.kitchen,
        rule=rule(date(2030, 4, 9), "20:00", "21:00"),
    )
    assert states(touching) == [OccurrenceState.CONFIRMED]


def test_alternatives_create_the_clashing_date_where_the_leader_chose(world):
    services.booking_request_create(
        user=world.other_leader,
        group=world.other_group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 15)),
    )
    wanted = rule(date(2030, 1, 8), frequency="weekly", count=3)
    clash_start = datetime(2030, 1, 15, 18, tzinfo=world.center.tz)
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=wanted,
        alternatives={clash_start: (world.half_a, clash_start, clash_start + timedelta(hours=2))},
    )
    moved = series.occurrences.get(original_start=clash_start)
    assert moved.room == world.half_a and moved.is_moved
    assert states(series) == [OccurrenceState.CONFIRMED] * 3


def test_a_clashing_date_of_an_auto_confirmed_series_stays_requested(world):
    services.booking_request_create(
        user=world.other_leader,
        group=world.other_group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 15)),
    )
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 8), frequency="weekly", count=3),
    )
    assert states(series) == [
        OccurrenceState.CONFIRMED,
        OccurrenceState.REQUESTED,
        OccurrenceState.CONFIRMED,
    ]
    assert series.status == SeriesStatus.PARTLY_CONFIRMED
    with pytest.raises(BookingConflict):
        services.series_confirm(user=world.staff, series=series)
