"""What `bench/stress_mixed.py` found, each as the smallest sequence that shows it.

The stress run interleaves many writers; each case below replays the one interleaving that
went wrong, in a single thread, so that it fails (or passes) the same way every time.
"""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F

from bookings import scheduler, services
from bookings.locking import lock
from bookings.models import Occurrence, Series
from centers.models import Closure

from ._engine import (
    local,
    rule,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

# Real commits: the mirror is synced after each commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def at(world, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=world.center.tz)


def test_changing_the_time_from_a_later_date_keeps_the_mirror_equal_to_the_rows(world):
    """A series' time changes from its second date on: the first date keeps its old time, and
    the mirror must not show it (also) at the new time."""
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 3), "19:15", "21:15", frequency="weekly", interval=2, count=2),
    )
    first = series.occurrences.order_by("starts_at").first()
    series = services.series_update(
        user=world.leader,
        series=series,
        from_date=date(2030, 5, 10),
        rule=series.rule.with_changes(start_time=time(18), end_time=time(20)),
    )
    first.refresh_from_db()
    assert local(first.starts_at, world.center).time() == time(19, 15)  # kept, as documented
    window = (at(world, date(2030, 4, 1), 0), at(world, date(2030, 7, 1), 0))
    assert scheduler.drift(series, *window) == set()


def test_a_moved_date_kept_by_a_series_change_keeps_the_mirror_equal_to_the_rows(world):
    """Staff moved the second date; then the group changes the series' time. The moved date
    stays where staff put it, and the mirror must not show the rule's date as well."""
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7), frequency="weekly", count=3),
    )
    second = series.occurrences.order_by("starts_at")[1]
    services.occurrence_move(
        user=world.staff, occurrence=second, starts_at=second.starts_at + timedelta(days=1)
    )
    series.refresh_from_db()
    series = services.series_update(
        user=world.leader,
        series=series,
        from_date=date(2030, 5, 7),
        rule=series.rule.with_changes(start_time=time(17), end_time=time(19)),
    )
    second.refresh_from_db()
    assert local(second.starts_at, world.center) == at(world, date(2030, 5, 15), 18)
    window = (at(world, date(2030, 4, 1), 0), at(world, date(2030, 7, 1), 0))
    assert scheduler.drift(series, *window) == set()


def test_a_series_change_from_a_later_date_keeps_the_number_of_dates(world):
    """Four Tuesdays; from the third on they become Wednesdays: still four dates."""
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7), frequency="weekly", weekdays=(1,), count=4),
    )
    series = services.series_update(
        user=world.leader,
        series=series,
        from_date=date(2030, 5, 20),
        rule=series.rule.with_changes(weekdays=(2,)),
    )
    live = series.occurrences.exclude(state__in=["cancelled", "declined"]).order_by("starts_at")
    assert [local(o.starts_at, world.center).date() for o in live] == [
        date(2030, 5, 7),
        date(2030, 5, 14),
        date(2030, 5, 22),
        date(2030, 5, 29),
    ]
    window = (at(world, date(2030, 4, 1), 0), at(world, date(2030, 7, 1), 0))
    assert scheduler.drift(series, *window) == set()


def test_every_second_week_stays_in_step_after_a_change_from_an_off_week(world):
    """Every second Tuesday; from a week without a date on they become Wednesdays."""
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7), frequency="weekly", weekdays=(1,), interval=2, count=4),
    )
    series = services.series_update(
        user=world.leader,
        series=series,
        from_date=date(2030, 5, 27),
        rule=series.rule.with_changes(weekdays=(2,)),
    )
    live = series.occurrences.exclude(state__in=["cancelled", "declined"]).order_by("starts_at")
    assert [local(o.starts_at, world.center).date() for o in live] == [
        date(2030, 5, 7),
        date(2030, 5, 21),
        date(2030, 6, 5),
        date(2030, 6, 19),
    ]
    window = (at(world, date(2030, 4, 1), 0), at(world, date(2030, 7, 1), 0))
    assert scheduler.drift(series, *window) == set()


def test_updating_a_closure_that_was_removed_meanwhile_is_refused_not_a_crash(world):
    """Two staff members: one removes a closure while the other has its edit page open."""
    day = date(2030, 5, 7)
    closure, _cancelled = services.closure_create(
        user=world.staff,
        center=world.center,
        starts_at=at(world, day, 8),
        ends_at=at(world, day, 12),
        reason="Putztag",
    )
    on_the_page = Closure.objects.get(pk=closure.pk)
    services.closure_delete(user=world.staff, closure=closure)
    with pytest.raises(ValidationError):
        services.closure_update(
            user=world.staff,
            closure=on_the_page,
            room=None,
            starts_at=at(world, day, 8),
            ends_at=at(world, day, 14),
            reason="Putztag, länger",
        )


@pytest.mark.parametrize(
    "act",
    [
        lambda world, row: services.occurrence_move(
            user=world.staff, occurrence=row, starts_at=row.starts_at + timedelta(hours=1)
        ),
        lambda world, row: services.occurrence_cancel(
            user=world.leader, occurrence=row, reason="fällt aus"
        ),
    ],
    ids=["move", "cancel"],
)
def test_acting_on_a_date_that_a_series_change_removed_meanwhile_is_refused(world, act):
    """A leader shortens the series (its requested dates after the end are deleted) while
    staff have one of those dates open."""
    world.kitchen.requires_approval = True
    world.kitchen.save(update_fields=["requires_approval"])
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7), frequency="weekly", count=4),
    )
    last = Occurrence.objects.filter(series=series).order_by("starts_at").last()
    services.series_end(user=world.leader, series=series, last_date=date(2030, 5, 14))
    assert not Occurrence.objects.filter(pk=last.pk).exists()
    with pytest.raises(ValidationError):
        act(world, last)


@pytest.mark.postgres
def test_a_room_held_by_one_writer_does_not_hold_up_another_writers_commit(world):
    """The deadlocks of the PostgreSQL stress run, reduced to their cause.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: PostgreSQL checks them at COMMIT,
    taking FOR KEY SHARE on each referenced row, and it re-checks every foreign key of a row
    that the same transaction updates twice (`touch` does: status, then version). If `lock()`
    holds rooms FOR UPDATE, such a commit waits for whoever holds the series' room; when that
    writer in turn waits for the center's plan version, which the committing writer raised
    already, PostgreSQL breaks the deadlock and a user gets "try again".
    """
    series = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 5, 7))
    )
    holding, release = threading.Event(), threading.Event()

    def hold_the_kitchen() -> None:
        try:
            with transaction.atomic():
                lock(rooms=[world.kitchen.pk])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_kitchen)
    holder.start()
    assert holding.wait(10)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Series.objects.filter(pk=series.pk).update(version=F("version") + 1)
            Series.objects.filter(pk=series.pk).update(version=F("version") + 1)
        committed = True
    except OperationalError:
        committed = False
    finally:
        release.set()
        holder.join()
    assert committed


@pytest.mark.postgres
def test_removing_a_closure_while_it_is_being_extended_brings_every_date_back(world, monkeypatch):
    """One staff member extends a closure over one more date; another removes the closure
    while the extension is being saved. Once the closure is gone, no date may stay cancelled
    by it."""
    import bookings.services.closures as closures

    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 5, 7), frequency="weekly", count=2),
    )
    closure, _cancelled = services.closure_create(
        user=world.staff,
        center=world.center,
        starts_at=at(world, date(2030, 5, 7), 0),
        ends_at=at(world, date(2030, 5, 8), 0),
        reason="Putztag",
    )
    saving, go_on = threading.Event(), threading.Event()
    real = closures.plan_changed

    def pause_before_commit(center_ids):
        real(center_ids)
        if threading.current_thread().name == "extend":
            saving.set()
            go_on.wait(20)

    monkeypatch.setattr(closures, "plan_changed", pause_before_commit)
    failures: list[BaseException] = []

    def run(action) -> None:
        try:
            action()
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    extend = threading.Thread(
        name="extend",
        target=run,
        args=(
            lambda: services.closure_update(
                user=world.staff,
                closure=Closure.objects.get(pk=closure.pk),
                room=None,
                starts_at=at(world, date(2030, 5, 7), 0),
                ends_at=at(world, date(2030, 5, 15), 0),
                reason="Putztag",
            ),
        ),
    )
    remove = threading.Thread(
        name="remove",
        target=run,
        args=(
            lambda: services.closure_delete(
                user=world.staff, closure=Closure.objects.get(pk=closure.pk)
            ),
        ),
    )
    extend.start()
    assert saving.wait(20)
    remove.start()
    remove.join(timeout=2)  # it waits for the extension's locks
    go_on.set()
    extend.join(timeout=30)
    remove.join(timeout=30)
    assert not failures, failures
    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert list(series.occurrences.values_list("state", flat=True)) == ["confirmed"] * 2
