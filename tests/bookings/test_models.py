"""The booking tables refuse impossible rows by themselves, whatever code writes to them."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction

from bookings import services
from bookings.models import Frequency, Occurrence, OccurrenceState, RoomBlock, Series

from ._engine import (
    rule,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

pytestmark = pytest.mark.django_db


def _series(world, **changes) -> Series:
    return services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7), frequency="weekly", count=2, **changes),
    )


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        fields.pop("model").objects.create(**fields)


def test_a_series_row_must_end_after_it_starts_and_keep_positive_numbers(world):
    base = {
        "model": Series,
        "group": world.group,
        "room": world.kitchen,
        "start_date": date(2030, 5, 7),
        "start_time": time(18),
        "end_time": time(20),
        "frequency": Frequency.WEEKLY,
    }
    _refused(**{**base, "end_time": time(17)})
    _refused(**{**base, "interval": 0})
    _refused(**{**base, "expected_participants": 0})
    _refused(**{**base, "until": date(2030, 6, 1), "count": 4})
    assert not Series.objects.exists()


def test_a_date_must_end_after_it_starts_and_exist_once_per_rule_date(world):
    series = _series(world)
    first = series.occurrences.order_by("starts_at").first()
    _refused(
        model=Occurrence,
        series=series,
        room=world.kitchen,
        starts_at=first.starts_at + timedelta(days=30),
        ends_at=first.starts_at + timedelta(days=30),
        original_start=first.starts_at + timedelta(days=30),
    )
    # The rule date is the identity of a date in the feeds (RECURRENCE-ID): never twice.
    _refused(
        model=Occurrence,
        series=series,
        room=world.hall,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        original_start=first.original_start,
    )
    assert series.occurrences.count() == 2


def test_a_room_block_must_end_after_it_starts_and_exist_once_per_room(world):
    series = _series(world)
    occurrence = series.occurrences.order_by("starts_at").first()
    _refused(
        model=RoomBlock,
        occurrence=occurrence,
        room=world.kitchen,
        starts_at=occurrence.ends_at,
        ends_at=occurrence.starts_at,
    )
    # Confirming made the block already; a second one for the same room unit is refused.
    assert RoomBlock.objects.filter(occurrence=occurrence, room=world.kitchen).count() == 1
    _refused(
        model=RoomBlock,
        occurrence=occurrence,
        room=world.kitchen,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
    )


def test_a_date_knows_when_it_was_moved(world):
    series = _series(world)
    first, second = series.occurrences.order_by("starts_at")
    assert not first.is_moved
    first.starts_at += timedelta(hours=1)
    first.ends_at += timedelta(hours=1)
    second.room = world.hall
    assert first.is_moved and second.is_moved
    assert first.state == second.state == OccurrenceState.CONFIRMED


def test_only_series_without_an_end_are_open_ended(world):
    assert not _series(world).is_open_ended
    open_ended = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.hall,
        rule=rule(date(2030, 5, 8), frequency="weekly"),
    )
    assert open_ended.is_open_ended
