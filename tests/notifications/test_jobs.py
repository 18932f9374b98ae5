"""Periodic jobs under frozen time: each does its work once; a second run changes nothing."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from bookings.jobs import holidays_apply
from bookings.models import Occurrence, OccurrenceState, RoomBlock, SeriesStatus
from notifications.dispatch import rendered
from notifications.models import Kind, Message, OutboxMessage
from notifications.selectors import messages_for_leader, messages_for_series
from notifications.services import digests_send, message_send, reminders_send
from tests.eager import run_task

from .conftest import BERLIN, at, weekly

MONDAY = date(2026, 3, 2)


def _snapshot() -> list[tuple]:
    """Everything a job may change, to compare before and after a second run."""
    return [
        sorted(OutboxMessage.objects.values_list("kind", "event_key", "recipient_id", "status")),
        sorted(Occurrence.objects.values_list("pk", "state", "reason", "sequence")),
        sorted(RoomBlock.objects.values_list("occurrence_id", "room_id")),
    ]


def test_digest_reports_open_requests_and_clashes_once_a_week(scene, make_series):
    booked = make_series(days=[date(2026, 3, 10)], states=["confirmed"])
    booked.status = SeriesStatus.CONFIRMED
    booked.save(update_fields=["status"])
    make_series(days=[date(2026, 3, 10)], title="Chor Harmonie")  # same room, same time
    make_series(days=[date(2026, 3, 12)], title="Tanzgruppe")  # free
    # The wording is checked in English; the German text is covered by the golden files.
    scene.staff.preferred_language = "en"
    scene.staff.save(update_fields=["preferred_language"])
    with time_machine.travel(datetime.combine(MONDAY, time(7), tzinfo=BERLIN)):
        assert digests_send() == 1
        before = _snapshot()
        assert digests_send() == 0
        assert _snapshot() == before
    digest = OutboxMessage.objects.get(kind=Kind.DIGEST)
    assert digest.recipient == scene.staff
    text = rendered(digest).text
    assert "Chor Harmonie" in text and "Tanzgruppe" in text
    assert "Chor Harmonie (requested): clashes with Strickcafé Wollmäuse in" in text
    # Next week is another digest.
    assert digests_send(today=MONDAY.replace(day=9)) == 1


def test_reminder_goes_out_once_for_a_moved_date_shortly_before(scene, make_series):
    series = make_series(
        days=weekly(date(2026, 3, 3), 3), states=["confirmed"] * 3, status=SeriesStatus.CONFIRMED
    )
    first, second, _third = series.occurrences.order_by("starts_at")
    second.room = scene.cafe  # room changed
    second.save(update_fields=["room"])
    with time_machine.travel(datetime(2026, 3, 1, 8, tzinfo=BERLIN)):
        assert reminders_send() == 0  # 10 March is more than three days ahead
    assert reminders_send(today=date(2026, 3, 7)) == 2  # one per leader
    before = _snapshot()
    assert reminders_send(today=date(2026, 3, 7)) == 0
    assert reminders_send(today=date(2026, 3, 8)) == 0  # still in the window: already done
    assert _snapshot() == before
    assert set(OutboxMessage.objects.values_list("kind", flat=True)) == {Kind.REMINDER}
    # Moved again: a new version of the date, a new reminder.
    second.starts_at = at(date(2026, 3, 10), 17)
    second.save(update_fields=["starts_at"])
    assert reminders_send(today=date(2026, 3, 8)) == 2
    assert first.state == OccurrenceState.CONFIRMED  # unchanged dates get no reminder
    assert OutboxMessage.objects.filter(kind=Kind.REMINDER).count() == 4


def test_holidays_cancel_dates_once_and_tell_the_leaders(scene, make_series):
    # 1 May 2026 (Labour Day) and 4 June 2026 (Corpus Christi, a holiday in NRW).
    series = make_series(
        days=[date(2026, 4, 30), date(2026, 5, 1), date(2026, 6, 4)],
        states=["confirmed", "confirmed", "requested"],
        status=SeriesStatus.CONFIRMED,
    )
    with time_machine.travel(datetime(2026, 4, 1, 2, 45, tzinfo=BERLIN)):
        assert holidays_apply() == 2
        before = _snapshot()
        assert holidays_apply() == 0
        assert _snapshot() == before
    by_day = {o.starts_at.astimezone(BERLIN).date(): o for o in series.occurrences.all()}
    assert by_day[date(2026, 4, 30)].state == OccurrenceState.CONFIRMED
    assert by_day[date(2026, 5, 1)].state == OccurrenceState.CANCELLED
    assert by_day[date(2026, 5, 1)].reason == "Erster Mai"
    assert by_day[date(2026, 6, 4)].state == OccurrenceState.CANCELLED
    assert not RoomBlock.objects.filter(occurrence=by_day[date(2026, 5, 1)]).exists()
    assert RoomBlock.objects.filter(occurrence=by_day[date(2026, 4, 30)]).exists()
    assert OutboxMessage.objects.filter(kind=Kind.DATE_CANCELLED).count() == 2  # two leaders


def test_holidays_leave_a_date_alone_that_staff_restored(scene, make_series):
    series = make_series(days=[date(2026, 5, 1)], states=["confirmed"])
    assert holidays_apply(today=date(2026, 4, 1)) == 1
    restored = series.occurrences.get()
    restored.state = OccurrenceState.CONFIRMED  # staff decided it takes place after all
    restored.save(update_fields=["state"])
    assert holidays_apply(today=date(2026, 4, 2)) == 0
    restored.refresh_from_db()
    assert restored.state == OccurrenceState.CONFIRMED


def test_holidays_of_another_state_do_not_count(scene, make_center, make_series):
    scene.center.federal_state = "BE"  # Corpus Christi is no holiday in Berlin
    scene.center.save(update_fields=["federal_state"])
    make_series(days=[date(2026, 6, 4)], states=["confirmed"])
    assert holidays_apply(today=date(2026, 4, 1)) == 0


def test_staff_message_is_stored_shown_and_emailed(scene, make_series, make_user):
    series = make_series(days=[date(2026, 3, 3)])
    message = message_send(user=scene.staff, series=series, body="  Bitte Schlüssel abgeben.  ")
    assert message.body == "Bitte Schlüssel abgeben."
    assert list(messages_for_series(series=series)) == [message]
    assert list(messages_for_leader(user=scene.leader_en)) == [message]
    assert list(messages_for_leader(user=scene.staff)) == []
    rows = OutboxMessage.objects.filter(kind=Kind.MESSAGE)
    assert sorted(rows.values_list("recipient_email", flat=True)) == [
        "amira@example.org",
        "hans@example.org",
    ]
    with pytest.raises(PermissionDenied):
        message_send(user=make_user(), series=series, body="Hallo")
    with pytest.raises(PermissionDenied):
        message_send(user=scene.leader_de, series=series, body="Hallo")
    with pytest.raises(ValidationError):
        message_send(user=scene.staff, series=series, body="   ")
    assert Message.objects.count() == 1


def test_booking_upkeep_tasks_call_the_services_with_the_local_date(monkeypatch):
    import accounts.tokens
    import bookings.services
    from bookings import tasks

    calls = []
    monkeypatch.setattr(
        bookings.services, "horizons_extend", lambda *, today: calls.append(("extend", today)) or 3
    )
    monkeypatch.setattr(
        accounts.tokens, "feed_token_purge_expired", lambda: calls.append(("purge",)) or 1
    )
    with time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=BERLIN)):
        assert run_task(tasks.horizons_extend) == 3
    assert run_task(tasks.feed_tokens_purge) == 1
    assert calls == [("extend", date(2026, 3, 1)), ("purge",)]


def test_every_beat_job_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


@pytest.mark.django_db
def test_every_periodic_job_twice_changes_nothing_the_second_time(scene, make_series):
    """All notification and upkeep jobs in one world, run twice at the same moment."""
    from notifications.dispatch import outbox_dispatch_pending

    series = make_series(days=[date(2026, 5, 1), date(2026, 5, 5)], states=["confirmed"] * 2)
    moved = series.occurrences.get(starts_at__date=date(2026, 5, 5))
    moved.room = scene.cafe
    moved.save(update_fields=["room"])
    make_series(days=[date(2026, 5, 5)], title="Chor")
    jobs = [
        lambda: holidays_apply(today=date(2026, 5, 1)),
        lambda: reminders_send(today=date(2026, 5, 2)),
        lambda: digests_send(today=date(2026, 5, 4)),
        outbox_dispatch_pending,
    ]
    with time_machine.travel(datetime(2026, 5, 1, 9, tzinfo=BERLIN)):
        first = [job() for job in jobs]
        before = _snapshot()
        second = [job() for job in jobs]
    assert first[:3] == [1, 2, 1] and first[3] > 0
    assert second == [0, 0, 0, 0]
    assert _snapshot() == before
