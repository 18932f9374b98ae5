"""The outbox: rows commit with the booking, once per event and person, sent once, retried."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from bookings.models import OccurrenceState, SeriesStatus
from notifications.dispatch import (
    Outcome,
    dispatch,
    outbox_dispatch_pending,
    outbox_resend,
    rendered,
)
from notifications.models import OutboxMessage, Status
from notifications.outbox import enqueue

from .conftest import weekly

FAILING = "tests.notifications.backends.FailingEmailBackend"


def _confirm(series) -> list[int]:
    series.occurrences.update(state=OccurrenceState.CONFIRMED)
    series.status = SeriesStatus.CONFIRMED
    series.save(update_fields=["status"])
    return list(series.occurrences.values_list("pk", flat=True))


def test_request_received_goes_to_the_centers_staff(scene, make_series, make_user):
    other_center_staff = make_user()
    series = make_series(days=weekly(date(2026, 3, 3), 3))
    enqueue(event="request_received", series_id=series.pk, actor_id=scene.leader_de.pk)
    rows = list(OutboxMessage.objects.all())
    assert [r.recipient for r in rows] == [scene.staff]
    assert rows[0].recipient_email == "petra@example.org"
    assert rows[0].center == scene.center
    assert rows[0].status == Status.PENDING
    assert other_center_staff not in [r.recipient for r in rows]


def test_decision_goes_to_each_leader_in_their_language(scene, make_series):
    series = make_series(days=weekly(date(2026, 3, 3), 2))
    ids = _confirm(series)
    enqueue(
        event="request_confirmed", series_id=series.pk, occurrence_ids=ids, actor_id=scene.staff.pk
    )
    rows = {r.recipient: r for r in OutboxMessage.objects.all()}
    assert set(rows) == {scene.leader_de, scene.leader_en}
    assert rows[scene.leader_de].language == "de"
    assert "März" in rendered(rows[scene.leader_de]).text
    assert rows[scene.leader_en].language == "en"
    assert "March" in rendered(rows[scene.leader_en]).text
    assert '<html lang="en">' in rendered(rows[scene.leader_en]).html


def test_leaders_who_switched_off_emails_get_none(scene, make_series):
    scene.leader_en.email_notifications = False
    scene.leader_en.save(update_fields=["email_notifications"])
    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk, actor_id=scene.staff.pk)
    assert [r.recipient for r in OutboxMessage.objects.all()] == [scene.leader_de]


def test_a_leader_is_not_told_about_their_own_cancellation(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)], states=[OccurrenceState.CANCELLED])
    enqueue(event="date_cancelled", series_id=series.pk, actor_id=scene.leader_de.pk)
    assert [r.recipient for r in OutboxMessage.objects.all()] == [scene.leader_en]


def test_the_same_event_twice_gives_one_message_per_person(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)])
    ids = _confirm(series)
    for _ in range(2):
        enqueue(event="request_confirmed", series_id=series.pk, occurrence_ids=ids)
    assert OutboxMessage.objects.count() == 2


def test_a_date_moved_twice_is_two_events(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)], states=[OccurrenceState.CONFIRMED])
    occurrence = series.occurrences.get()
    for hours in (1, 2):
        occurrence.starts_at += timedelta(hours=hours)
        occurrence.ends_at += timedelta(hours=hours)
        occurrence.sequence += 1
        occurrence.save(update_fields=["starts_at", "ends_at", "sequence"])
        enqueue(event="date_moved", series_id=series.pk, occurrence_ids=[occurrence.pk])
    assert OutboxMessage.objects.filter(recipient=scene.leader_de).count() == 2


def test_unknown_events_are_a_programming_error(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)])
    with pytest.raises(ValueError):
        enqueue(event="request_confirmd", series_id=series.pk)


@pytest.mark.django_db(transaction=True)
def test_rows_roll_back_with_the_booking_and_nothing_is_sent(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)])
    with pytest.raises(RuntimeError), transaction.atomic():
        _confirm(series)
        enqueue(event="request_confirmed", series_id=series.pk)
        raise RuntimeError("the booking failed after enqueue")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_after_commit_each_message_is_sent_once(
    scene, make_series, django_capture_on_commit_callbacks
):
    series = make_series(days=[date(2026, 3, 3)])
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(event="request_confirmed", series_id=series.pk, occurrence_ids=_confirm(series))
    assert sorted(m.to[0] for m in mail.outbox) == ["amira@example.org", "hans@example.org"]
    sent = mail.outbox[0]
    assert sent.alternatives[0].mimetype == "text/html"
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    # A redelivered task or the periodic sweep finds nothing left to send.
    for row in OutboxMessage.objects.all():
        assert dispatch(row.pk) == Outcome.DONE
    assert outbox_dispatch_pending() == 0
    assert len(mail.outbox) == 2


def test_a_broker_outage_at_commit_loses_nothing(
    scene, make_series, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.dispatch_message, "apply_async", broker_down)
    series = make_series(days=[date(2026, 3, 3)])
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(event="request_confirmed", series_id=series.pk, occurrence_ids=_confirm(series))
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 2
    monkeypatch.undo()
    assert outbox_dispatch_pending() == 2
    assert len(mail.outbox) == 2


@override_settings(
    EMAIL_BACKEND=FAILING, NOTIFICATIONS_MAX_ATTEMPTS=3, NOTIFICATIONS_RETRY_SECONDS=60
)
def test_a_failing_send_backs_off_and_finally_fails_with_the_error(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk)
    message = OutboxMessage.objects.get(recipient=scene.leader_de)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert dispatch(message.pk) == Outcome.RETRY
        message.refresh_from_db()
        assert (message.attempts, message.status) == (1, Status.PENDING)
        assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert message.next_attempt_at == start + timedelta(seconds=60)
        assert dispatch(message.pk) == Outcome.NOT_DUE  # a task that arrives early waits

        clock.shift(timedelta(seconds=60))
        assert dispatch(message.pk) == Outcome.RETRY
        message.refresh_from_db()
        assert message.next_attempt_at == timezone.now() + timedelta(seconds=120)

        clock.shift(timedelta(seconds=120))
        assert dispatch(message.pk) == Outcome.FAILED
        message.refresh_from_db()
        assert (message.attempts, message.status) == (3, Status.FAILED)
        assert "Connection unexpectedly closed" in message.last_error
        clock.shift(timedelta(hours=1))
        assert dispatch(message.pk) == Outcome.DONE
        assert outbox_dispatch_pending() == 0


def test_send_again_puts_a_failed_message_back(
    scene, make_series, django_capture_on_commit_callbacks
):
    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk)
    message = OutboxMessage.objects.get(recipient=scene.leader_de)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_resend(message_ids=[message.pk]) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [m.to for m in mail.outbox] == [["hans@example.org"]]


# --- the event is stored, the e-mail rendered when it is sent ---------------------------------


def test_enqueue_stores_the_event_and_renders_nothing(
    scene, make_series, monkeypatch, django_assert_max_num_queries
):
    from notifications import emails

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered inside the booking's transaction")

    monkeypatch.setattr(emails, "render", no_rendering)
    series = make_series(days=weekly(date(2026, 3, 3), 3))
    ids = _confirm(series)
    with django_assert_max_num_queries(6):
        enqueue(event="request_confirmed", series_id=series.pk, occurrence_ids=ids, reason="Gern")
    row = OutboxMessage.objects.get(recipient=scene.leader_de)
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    assert row.payload["series"] == series.pk
    assert row.payload["reason"] == "Gern"
    assert [d[0] for d in row.payload["dates"]] == ids


def test_the_sent_email_is_the_one_rendered_from_the_booking_at_the_time(scene, make_series):
    from notifications import emails

    series = make_series(days=weekly(date(2026, 3, 3), 2))
    ids = _confirm(series)
    enqueue(event="request_confirmed", series_id=series.pk, occurrence_ids=ids, reason="Gern")
    expected = emails.render(
        "request_confirmed",
        emails.series_event_context(
            series=series,
            occurrences=list(series.occurrences.order_by("starts_at")),
            actor=None,
            reason="Gern",
            recipient=scene.leader_en,
        ),
        language="en",
        tz=scene.center.tz,
    )
    row = OutboxMessage.objects.get(recipient=scene.leader_en)
    assert dispatch(row.pk) == Outcome.SENT
    row.refresh_from_db()
    assert (row.subject, row.body_text, row.body_html) == (
        expected.subject,
        expected.text,
        expected.html,
    )
    sent = next(m for m in mail.outbox if m.to == ["amira@example.org"])
    assert (sent.subject, sent.body) == (expected.subject, expected.text)


def test_a_date_moved_again_before_sending_is_reported_as_it_was(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)], states=[OccurrenceState.CONFIRMED])
    occurrence = series.occurrences.get()
    occurrence.starts_at += timedelta(hours=1)  # 19:00
    occurrence.ends_at += timedelta(hours=1)
    occurrence.save(update_fields=["starts_at", "ends_at"])
    enqueue(event="date_moved", series_id=series.pk, occurrence_ids=[occurrence.pk])
    occurrence.starts_at += timedelta(hours=2)  # 21:00, a later event with its own e-mail
    occurrence.ends_at += timedelta(hours=2)
    occurrence.save(update_fields=["starts_at", "ends_at"])
    row = OutboxMessage.objects.get(recipient=scene.leader_en)
    assert dispatch(row.pk) == Outcome.SENT
    row.refresh_from_db()
    assert "now: Tuesday, 3 March 2026, 19:00–21:00, Saal" in row.body_text


def test_an_email_about_a_deleted_booking_fails_at_once_with_the_reason(scene, make_series):
    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk)
    row = OutboxMessage.objects.get(recipient=scene.leader_de)
    series.delete()
    assert dispatch(row.pk) == Outcome.FAILED
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "no longer exists" in row.last_error
    assert mail.outbox == []


# --- claims: no lock while sending, an expired claim is claimable again ----------------------


def test_a_claimed_message_belongs_to_its_worker_until_the_claim_expires(
    scene, make_series, settings
):
    from notifications.dispatch import claim, lease_seconds

    settings.NOTIFICATIONS_LEASE_SECONDS = 300
    scene.leader_en.email_notifications = False
    scene.leader_en.save(update_fields=["email_notifications"])
    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk)
    row = OutboxMessage.objects.get()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        claimed = claim(row.pk, now=timezone.now())
        assert not isinstance(claimed, Outcome)
        _message, token = claimed  # this "worker" now dies without recording anything
        row.refresh_from_db()
        assert (row.claim_token, row.claimed_until) == (token, start + timedelta(seconds=300))
        assert row.attempts == 1

        assert dispatch(row.pk) == Outcome.BUSY
        assert outbox_dispatch_pending() == 0
        assert mail.outbox == []

        clock.shift(timedelta(seconds=lease_seconds()))
        assert outbox_dispatch_pending() == 1  # the crash resends this one message, once
        assert outbox_dispatch_pending() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claim_token) == (Status.SENT, 2, None)
    assert [m.to for m in mail.outbox] == [["hans@example.org"]]


def test_a_worker_whose_claim_expired_does_not_overwrite_the_result(scene, make_series):
    from notifications.dispatch import _record, claim

    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk)
    row = OutboxMessage.objects.get(recipient=scene.leader_de)
    message, stale_token = claim(row.pk, now=timezone.now())
    OutboxMessage.objects.filter(pk=row.pk).update(claimed_until=timezone.now())  # expired
    assert dispatch(row.pk) == Outcome.SENT
    assert not _record(message, stale_token, status=Status.FAILED, last_error="late")
    row.refresh_from_db()
    assert (row.status, row.last_error) == (Status.SENT, "")


def test_the_smtp_timeout_defaults_to_15_seconds():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT == 15
