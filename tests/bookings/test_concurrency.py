"""Double booking is impossible: workers confirming clashing requests at the same moment.

Each worker is a thread with its own database connection, released together by a barrier.
PostgreSQL: row locks, the re-check and the exclusion constraint. SQLite: BEGIN IMMEDIATE
serializes the writers and the re-check refuses the losers.
"""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from bookings import services
from bookings.errors import BookingConflict, is_decided_meanwhile
from bookings.models import Occurrence, OccurrenceState, RoomBlock

from ._engine import (
    confirmed_overlaps,
    rule,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

WORKERS = 8


def _race(world, make_group, *, room, series_confirm: bool):
    room.requires_approval = True
    room.save(update_fields=["requires_approval"])
    requests = []
    for n in range(WORKERS):
        group = make_group(center=world.center, leaders=[world.leader])
        # Every request overlaps every other one: starts 10 minutes apart, 2 hours long.
        requests.append(
            services.booking_request_create(
                user=world.leader,
                group=group,
                room=room,
                rule=rule(date(2030, 5, 7), f"18:{n:02d}", "20:00"),
            )
        )
    barrier = threading.Barrier(WORKERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def work(series) -> None:
        try:
            barrier.wait()
            if series_confirm:
                services.series_confirm(user=world.staff, series=series)
            else:
                services.occurrences_confirm(
                    user=world.staff, occurrences=list(series.occurrences.all())
                )
            outcome = "won"
        except BookingConflict:
            outcome = "conflict"
        except ValidationError as error:
            # Scheduled so late that the winner had committed before this worker read its dates:
            # the service says "decided in the meantime" — a lost race, not a failure.
            outcome = "conflict" if is_decided_meanwhile(error) else f"error: {error!r}"
        except Exception as error:
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=work, args=(s,)) for s in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.parametrize("series_confirm", [True, False], ids=["series", "dates"])
@pytest.mark.parametrize("room_name", ["kitchen", "hall"])
@pytest.mark.django_db(transaction=True)
def test_exactly_one_of_eight_simultaneous_confirmations_wins(
    world, make_group, room_name, series_confirm
):
    outcomes = _race(
        world, make_group, room=getattr(world, room_name), series_confirm=series_confirm
    )
    assert sorted(outcomes) == ["conflict"] * (WORKERS - 1) + ["won"]
    assert Occurrence.objects.filter(state=OccurrenceState.CONFIRMED).count() == 1
    assert confirmed_overlaps() == 0


@pytest.mark.django_db(transaction=True)
def test_halves_against_the_whole_hall_at_the_same_moment(world, make_group):
    """Hall and its halves race: either the hall wins alone, or the two halves together."""
    for room in (world.hall, world.half_a, world.half_b):
        room.requires_approval = True
        room.save(update_fields=["requires_approval"])
    rooms = [world.hall, world.half_a, world.half_b] * 3
    requests = [
        services.booking_request_create(
            user=world.leader,
            group=make_group(center=world.center, leaders=[world.leader]),
            room=room,
            rule=rule(date(2030, 5, 7)),
        )
        for room in rooms
    ]
    barrier = threading.Barrier(len(requests))
    won: list[str] = []

    def work(series) -> None:
        try:
            barrier.wait()
            services.series_confirm(user=world.staff, series=series)
            won.append(series.room.name)
        except BookingConflict:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(s,)) for s in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(won) in (["Saal"], ["Saal A"], ["Saal B"], ["Saal A", "Saal B"])
    assert confirmed_overlaps() == 0


def _block(occurrence, room, start, hours=2):
    return RoomBlock.objects.create(
        occurrence=occurrence, room=room, starts_at=start, ends_at=start + timedelta(hours=hours)
    )


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_exclusion_constraint_refuses_an_overlapping_raw_block(world):
    one = services.booking_request_create(
        user=world.leader, group=world.group, room=world.hall, rule=rule(date(2030, 5, 7))
    ).occurrences.get()
    other = services.booking_request_create(
        user=world.other_leader,
        group=world.other_group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7)),
    ).occurrences.get()
    start = datetime(2030, 5, 7, 19, tzinfo=world.center.tz)
    # The hall's confirmation holds Saal, Saal A and Saal B: each half now clashes with it.
    for unit in (world.hall, world.half_a, world.half_b):
        with pytest.raises(IntegrityError), transaction.atomic():
            _block(other, unit, start)
    # Touching ranges are fine ([) ranges).
    _block(other, world.half_a, datetime(2030, 5, 7, 20, tzinfo=world.center.tz))
    assert one.blocks.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db
def test_half_and_other_half_do_not_clash_at_the_database_level(world):
    a = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 5, 8))
    ).occurrences.get()
    b = services.booking_request_create(
        user=world.other_leader,
        group=world.other_group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 9)),
    ).occurrences.get()
    start = datetime(2030, 6, 1, 18, tzinfo=world.center.tz)
    _block(a, world.half_a, start)
    _block(b, world.half_b, start)  # the other half at the same time: allowed
    # The whole hall holds itself and both halves (as a confirmation writes it): refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        for unit in (world.hall, world.half_a, world.half_b):
            _block(b, unit, start + timedelta(hours=1))
    assert RoomBlock.objects.filter(room=world.hall).count() == 0
