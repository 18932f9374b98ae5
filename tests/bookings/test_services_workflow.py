"""Staff decisions and leaders' changes: confirm, decline, move, cancel, withdraw, end, edit."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from bookings import services
from bookings.errors import BookingConflict, is_decided_meanwhile
from bookings.models import Occurrence, OccurrenceState, RoomBlock, SeriesStatus
from bookings.selectors import closure_affected_occurrences, series_history

from ._engine import (
    confirmed_overlaps,
    local,
    rule,
    states,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval(world):
    """Every room of the world needs a staff decision."""
    for room in (world.kitchen, world.hall, world.half_a, world.half_b):
        room.requires_approval = True
        room.save(update_fields=["requires_approval"])
    return world


def _request(w, user, group, room, **rule_changes):
    start = rule_changes.pop("start", date(2030, 1, 8))
    return services.booking_request_create(
        user=user, group=group, room=room, rule=rule(start, **rule_changes)
    )


def test_confirm_declines_competing_pending_dates_and_names_the_winner(approval):
    w = approval
    winner = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=3)
    loser = _request(w, w.other_leader, w.other_group, w.kitchen, start=date(2030, 1, 15))
    untouched = _request(w, w.other_leader, w.other_group, w.half_a, start=date(2030, 1, 15))
    with translation.override("en"):
        result = services.series_confirm(user=w.staff, series=winner)
    assert len(result.confirmed) == 3
    loser_date = loser.occurrences.get()
    assert loser_date.state == OccurrenceState.DECLINED
    assert loser_date.reason == "overlaps with Kochgruppe Zukunft, confirmed for Küche"
    loser.refresh_from_db()
    winner.refresh_from_db()
    assert loser.status == SeriesStatus.DECLINED
    assert winner.status == SeriesStatus.CONFIRMED
    assert states(untouched) == [OccurrenceState.REQUESTED]


def test_confirm_with_a_clash_raises_naming_the_dates_and_changes_nothing(approval):
    w = approval
    blocker = _request(w, w.other_leader, w.other_group, w.hall, start=date(2030, 1, 15))
    services.series_confirm(user=w.staff, series=blocker)
    series = _request(w, w.leader, w.group, w.half_a, frequency="weekly", count=3)
    with pytest.raises(BookingConflict) as conflict:
        services.series_confirm(user=w.staff, series=series)
    assert [local(d, w.center).date() for d in conflict.value.dates] == [date(2030, 1, 15)]
    assert "15.01.2030" in str(conflict.value) or "01/15/2030" in str(conflict.value)
    assert states(series) == [OccurrenceState.REQUESTED] * 3

    result = services.series_confirm(user=w.staff, series=series, skip_clashing=True)
    assert len(result.confirmed) == 2 and len(result.left_requested) == 1
    assert states(series) == [
        OccurrenceState.CONFIRMED,
        OccurrenceState.REQUESTED,
        OccurrenceState.CONFIRMED,
    ]
    series.refresh_from_db()
    assert series.status == SeriesStatus.PARTLY_CONFIRMED
    assert confirmed_overlaps() == 0


def test_only_staff_of_the_center_decide(approval, make_user):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen)
    outsider_staff = make_user()
    for user in (w.leader, outsider_staff):
        with pytest.raises(PermissionDenied):
            services.series_confirm(user=user, series=series)
        with pytest.raises(PermissionDenied):
            services.series_decline(user=user, series=series, reason="Nein")
    assert states(series) == [OccurrenceState.REQUESTED]


def test_decline_needs_a_reason_and_records_it(approval):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    with pytest.raises(ValidationError) as refused:
        services.series_decline(user=w.staff, series=series, reason="  ")
    assert "reason" in refused.value.message_dict
    services.series_decline(user=w.staff, series=series, reason="Küche wird renoviert")
    series.refresh_from_db()
    assert series.status == SeriesStatus.DECLINED
    assert set(series.occurrences.values_list("reason", flat=True)) == {"Küche wird renoviert"}


def test_occurrence_decline_and_confirm_single_dates(approval):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    first, second = series.occurrences.order_by("starts_at")
    services.occurrence_decline(user=w.staff, occurrence=first, reason="Elternabend")
    services.occurrences_confirm(user=w.staff, occurrences=[second])
    assert states(series) == [OccurrenceState.DECLINED, OccurrenceState.CONFIRMED]
    series.refresh_from_db()
    assert series.status == SeriesStatus.PARTLY_CONFIRMED


def test_confirming_two_overlapping_requests_together_is_refused(approval):
    w = approval
    one = _request(w, w.leader, w.group, w.kitchen).occurrences.get()
    two = _request(w, w.other_leader, w.other_group, w.kitchen).occurrences.get()
    with pytest.raises(BookingConflict):
        services.occurrences_confirm(user=w.staff, occurrences=[one, two])
    assert not RoomBlock.objects.exists()


def test_staff_move_keeps_a_confirmed_date_confirmed_if_free_and_refuses_a_clash(world):
    w = world
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    first, second = series.occurrences.order_by("starts_at")
    other = _request(w, w.other_leader, w.other_group, w.half_a, start=date(2030, 1, 8))
    moved = services.occurrence_move(
        user=w.staff, occurrence=first, room=w.half_b, reason="Herd defekt"
    )
    assert moved.state == OccurrenceState.CONFIRMED and moved.room == w.half_b
    assert set(RoomBlock.objects.filter(occurrence=first).values_list("room", flat=True)) == {
        w.half_b.pk
    }
    with pytest.raises(BookingConflict):
        # The whole hall at the time Saal A is taken by the other group.
        services.occurrence_move(
            user=w.staff,
            occurrence=second,
            room=w.hall,
            starts_at=other.occurrences.get().starts_at,
        )
    second.refresh_from_db()
    assert second.room == w.kitchen and second.state == OccurrenceState.CONFIRMED
    assert confirmed_overlaps() == 0


def test_leaders_move_a_date_through_the_same_checks_and_approval(approval):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    first, second = series.occurrences.order_by("starts_at")
    later = first.starts_at + timedelta(hours=1)
    moved = services.occurrence_move(user=w.leader, occurrence=first, starts_at=later)
    assert moved.starts_at == later and moved.ends_at == later + timedelta(hours=2)
    assert moved.state == OccurrenceState.REQUESTED
    services.occurrences_confirm(user=w.staff, occurrences=[second])
    second.refresh_from_db()
    # A confirmed date moved by the group into a room that needs approval waits for staff
    # again, and its old place is free for others.
    w.half_a.requires_approval = True
    w.half_a.save(update_fields=["requires_approval"])
    moved = services.occurrence_move(user=w.leader, occurrence=second, room=w.half_a)
    assert (moved.state, moved.room) == (OccurrenceState.REQUESTED, w.half_a)
    assert not RoomBlock.objects.filter(occurrence=second).exists()
    # Into a room where nothing needs a decision, it is confirmed at once.
    w.half_b.requires_approval = False
    w.half_b.save(update_fields=["requires_approval"])
    moved = services.occurrence_move(user=w.leader, occurrence=second, room=w.half_b)
    assert (moved.state, moved.room) == (OccurrenceState.CONFIRMED, w.half_b)
    # Somebody else's date: not for this leader.
    other = _request(w, w.other_leader, w.other_group, w.kitchen, start=date(2030, 6, 4))
    with pytest.raises(PermissionDenied):
        services.occurrence_move(user=w.leader, occurrence=other.occurrences.get(), starts_at=later)


def test_cancel_releases_the_room_and_keeps_the_reason(world):
    w = world
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    first = series.occurrences.order_by("starts_at").first()
    services.occurrence_cancel(user=w.leader, occurrence=first, reason="Ferien")
    first.refresh_from_db()
    assert first.state == OccurrenceState.CANCELLED and first.reason == "Ferien"
    assert not RoomBlock.objects.filter(occurrence=first).exists()
    with pytest.raises(PermissionDenied):
        services.occurrence_cancel(
            user=w.other_leader, occurrence=series.occurrences.last(), reason="x"
        )


def test_withdraw_cancels_every_future_date(world):
    w = world
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=4)
    services.series_withdraw(user=w.leader, series=series)
    series.refresh_from_db()
    assert series.status == SeriesStatus.WITHDRAWN
    assert states(series) == [OccurrenceState.CANCELLED] * 4
    assert not RoomBlock.objects.exists()


def test_end_removes_or_cancels_the_dates_after_the_last_day(world):
    w = world
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly")
    assert series.occurrences.count() > 40  # open-ended: materialised up to the horizon
    services.series_end(user=w.leader, series=series, last_date=date(2030, 1, 29))
    series.refresh_from_db()
    active = series.occurrences.filter(state=OccurrenceState.CONFIRMED)
    assert [local(o.starts_at, w.center).date() for o in active] == [
        date(2030, 1, 8),
        date(2030, 1, 15),
        date(2030, 1, 22),
        date(2030, 1, 29),
    ]
    assert series.until == date(2030, 1, 29)
    assert not RoomBlock.objects.filter(
        occurrence__starts_at__gt=datetime(2030, 2, 1, tzinfo=w.center.tz)
    ).exists()


def test_series_edit_keeps_cancelled_and_moved_dates(world):
    w = world
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", weekdays=(1,), count=8)
    rows = list(series.occurrences.order_by("starts_at"))
    # 2030-01-08 is a Tuesday; cancel the 3rd date, move the 4th to the other room.
    services.occurrence_cancel(user=w.leader, occurrence=rows[2], reason="Ausflug")
    services.occurrence_move(user=w.staff, occurrence=rows[3], room=w.half_a)
    # "From 5 February on, Tuesdays and Thursdays" — the Tuesdays are kept, Thursdays added.
    new_rule = rule(date(2030, 1, 8), frequency="weekly", weekdays=(1, 3), until=date(2030, 2, 28))
    services.series_update(user=w.leader, series=series, from_date=date(2030, 1, 20), rule=new_rule)
    rows[2].refresh_from_db()
    rows[3].refresh_from_db()
    assert rows[2].state == OccurrenceState.CANCELLED and rows[2].reason == "Ausflug"
    assert rows[3].room == w.half_a and rows[3].state == OccurrenceState.CONFIRMED
    days = {local(o.original_start, w.center).date(): o.state for o in series.occurrences.all()}
    assert days[date(2030, 1, 24)] == OccurrenceState.CONFIRMED  # a new Thursday
    assert days[date(2030, 1, 15)] == OccurrenceState.CONFIRMED  # before from_date: untouched
    assert date(2030, 1, 10) not in days  # Thursdays start only from the edit on
    assert max(days) == date(2030, 2, 28)


def test_series_edit_moving_the_weekday_drops_the_old_dates(approval):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=6)
    services.series_confirm(user=w.staff, series=series)
    rows = list(series.occurrences.order_by("starts_at"))
    services.occurrence_cancel(user=w.leader, occurrence=rows[4], reason="Ferien")
    thursdays = rule(date(2030, 1, 8), frequency="weekly", weekdays=(3,), until=date(2030, 2, 14))
    services.series_update(
        user=w.leader, series=series, from_date=date(2030, 1, 28), rule=thursdays
    )
    by_day = {local(o.starts_at, w.center).date(): o for o in series.occurrences.all()}
    assert by_day[date(2030, 1, 22)].state == OccurrenceState.CONFIRMED  # before: untouched
    assert by_day[date(2030, 1, 29)].state == OccurrenceState.CANCELLED  # dropped confirmed
    assert by_day[date(2030, 2, 5)].reason == "Ferien"  # an exception outside the rule stays
    assert by_day[date(2030, 1, 31)].state == OccurrenceState.REQUESTED  # new: needs approval
    assert by_day[date(2030, 2, 14)].state == OccurrenceState.REQUESTED
    assert not RoomBlock.objects.filter(occurrence=by_day[date(2030, 1, 29)]).exists()


def test_closure_cancels_affected_dates_with_its_reason(world):
    w = world
    hall = _request(w, w.leader, w.group, w.hall, frequency="weekly", count=3)
    other = _request(w, w.other_leader, w.other_group, w.kitchen, frequency="weekly", count=3)
    start = datetime(2030, 1, 14, tzinfo=w.center.tz)
    end = datetime(2030, 1, 17, tzinfo=w.center.tz)
    preview = closure_affected_occurrences(
        center=w.center, room=w.half_b, starts_at=start, ends_at=end
    )
    assert [o.series_id for o in preview] == [hall.pk]
    _closure, cancelled = services.closure_create(
        user=w.staff,
        center=w.center,
        room=w.half_b,
        starts_at=start,
        ends_at=end,
        reason="Wasserschaden",
    )
    assert [o.pk for o in cancelled] == [o.pk for o in preview]
    assert states(hall) == [
        OccurrenceState.CONFIRMED,
        OccurrenceState.CANCELLED,
        OccurrenceState.CONFIRMED,
    ]
    assert hall.occurrences.get(state=OccurrenceState.CANCELLED).reason == "Wasserschaden"
    assert states(other) == [OccurrenceState.CONFIRMED] * 3
    with pytest.raises(PermissionDenied):
        services.closure_create(
            user=w.leader, center=w.center, starts_at=start, ends_at=end, reason="x"
        )


def test_horizons_extend_is_idempotent(world, time_machine):
    w = world
    time_machine.move_to(datetime(2030, 1, 7, 23, tzinfo=UTC), tick=False)
    w.center.booking_horizon_months = 2
    w.center.save(update_fields=["booking_horizon_months"])
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", start=date(2030, 1, 8))
    first_batch = series.occurrences.count()
    assert first_batch == 9  # 8 Jan .. 8 Mar 2030
    created = services.horizons_extend(today=date(2030, 2, 8))
    assert created == 4  # up to 8 April
    assert services.horizons_extend(today=date(2030, 2, 8)) == 0
    assert series.occurrences.count() == first_batch + 4
    # An approved series' new dates are confirmed and hold the room.
    assert states(series) == [OccurrenceState.CONFIRMED] * 13
    assert RoomBlock.objects.filter(occurrence__series=series).count() == 13


def test_history_records_who_and_why(approval):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    first = series.occurrences.order_by("starts_at").first()
    services.occurrence_decline(user=w.staff, occurrence=first, reason="Putztag")
    services.series_confirm(user=w.staff, series=series, note="Passt")
    entries = series_history(series)
    assert entries[0].when >= entries[-1].when
    declined = [e for e in entries if e.occurrence_id == first.pk and e.why == "Putztag"]
    assert declined and declined[0].who == w.staff
    assert any(e.who == w.leader and e.occurrence_id is None for e in entries)
    assert Occurrence.history.filter(history_user=w.staff).count() >= 2


def test_history_reads_in_the_language_of_the_reader(approval):
    w = approval
    series = _request(w, w.leader, w.group, w.kitchen, frequency="weekly", count=2)
    first = series.occurrences.order_by("starts_at").first()
    services.occurrence_decline(user=w.staff, occurrence=first, reason="Putztag")
    with translation.override("de"):
        german = [e.what for e in series_history(series)]
    with translation.override("en"):
        english = [e.what for e in series_history(series)]
    assert any(w.startswith("Termin ") and "geändert" in w for w in german), german
    assert any(w.startswith("Date ") and "changed" in w for w in english), english
    assert not any("changed" in w or "created" in w for w in german)


def test_confirming_a_request_decided_meanwhile_says_so_and_changes_nothing(approval):
    w = approval
    winner = _request(w, w.leader, w.group, w.kitchen)
    loser = _request(w, w.other_leader, w.other_group, w.kitchen)
    services.series_confirm(user=w.staff, series=winner)
    before = list(loser.occurrences.values_list("state", "reason", "sequence"))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.series_confirm(user=w.staff, series=loser)
    assert "decided it in the meantime" in str(refused.value)
    assert is_decided_meanwhile(refused.value)
    assert not is_decided_meanwhile(ValidationError({"series": "something else"}))
    assert list(loser.occurrences.values_list("state", "reason", "sequence")) == before
    assert before[0][0] == OccurrenceState.DECLINED
