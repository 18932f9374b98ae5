"""Double booking is impossible: workers confirming clashing requests at the same moment.

Each worker is a thread with its own database connection, released together by a barrier.
PostgreSQL: row locks, the re-check and the exclusion constraint. SQLite: BEGIN IMMEDIATE
serializes the writers and the re-check refuses the losers.
"""

import threading
from datetime import date, datetime, time, timedelta

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


def _run_together(*jobs):
    """Run each job in its own thread with its own connection, released together."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def work(index: int, job) -> None:
        try:
            barrier.wait()
            job()
            outcomes[index] = "ok"
        except (BookingConflict, ValidationError) as refused:
            outcomes[index] = f"refused: {refused}"
        except Exception as error:  # a 500 in production
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_series_change_and_a_confirmation_in_a_divisible_hall_never_deadlock(world, make_group):
    """Both writers lock rooms -> series -> rows: they queue, they do not deadlock (a 500)."""
    for room in (world.hall, world.half_a, world.half_b):
        room.requires_approval = True
        room.save(update_fields=["requires_approval"])
    for attempt in range(3):
        day = date(2030, 5, 7) + timedelta(weeks=10 * attempt)
        mine = services.booking_request_create(
            user=world.leader,
            group=world.group,
            room=world.half_a,
            rule=rule(day, frequency="weekly", count=6),
        )
        services.series_confirm(user=world.staff, series=mine)
        other = services.booking_request_create(
            user=world.other_leader,
            group=world.other_group,
            room=world.hall,
            rule=rule(day, "10:00", "12:00", frequency="weekly", count=6),
        )
        changed = mine.rule.with_changes(start_time=time(9), end_time=time(11))
        outcomes = _run_together(
            lambda s=mine, r=changed, d=day: services.series_update(
                user=world.leader, series=s, from_date=d, rule=r
            ),
            lambda s=other: services.series_confirm(user=world.staff, series=s, skip_clashing=True),
        )
        assert not [o for o in outcomes if o.startswith("error")], outcomes
        assert confirmed_overlaps() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_withdraw_does_not_lock_the_center(world, settings):
    """Only the rows meant are locked: a transaction holding the center row does not block a
    withdrawal (it used to wait for it, and every other writer of the center with it)."""
    from centers.models import Center

    settings.BOOKING_LOCK_TIMEOUT_MS = 2000
    world.kitchen.requires_approval = True
    world.kitchen.save(update_fields=["requires_approval"])
    series = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 5, 7))
    )
    held = threading.Event()
    release = threading.Event()

    def hold_center() -> None:
        with transaction.atomic():
            Center.objects.select_for_update().get(pk=world.center.pk)
            held.set()
            release.wait(timeout=30)
        connection.close()

    holder = threading.Thread(target=hold_center)
    holder.start()
    held.wait(timeout=10)
    try:
        services.series_withdraw(user=world.leader, series=series, reason="doch nicht")
    finally:
        release.set()
        holder.join(timeout=30)
    series.refresh_from_db()
    assert series.status == "withdrawn"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_lock_timeout_is_a_clear_try_again_and_changes_nothing(world, settings):
    from bookings.locking import BookingBusy
    from centers.models import Room

    settings.BOOKING_LOCK_TIMEOUT_MS = 300
    world.kitchen.requires_approval = True
    world.kitchen.save(update_fields=["requires_approval"])
    series = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 5, 7))
    )
    held = threading.Event()
    release = threading.Event()

    def hold_room() -> None:
        with transaction.atomic():
            Room.objects.select_for_update().get(pk=world.kitchen.pk)
            held.set()
            release.wait(timeout=30)
        connection.close()

    holder = threading.Thread(target=hold_room)
    holder.start()
    held.wait(timeout=10)
    try:
        with pytest.raises(BookingBusy) as busy:
            services.series_confirm(user=world.staff, series=series)
    finally:
        release.set()
        holder.join(timeout=30)
    assert "try again" in str(busy.value) or "noch einmal" in str(busy.value)
    assert series.occurrences.get().state == OccurrenceState.REQUESTED
