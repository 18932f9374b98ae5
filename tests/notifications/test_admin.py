"""The outbox in the admin: staff see their centers' e-mails and can send failed ones again."""

from datetime import date

import pytest
from django.urls import reverse

from notifications.models import OutboxMessage, Status
from notifications.outbox import enqueue


@pytest.fixture
def outbox(scene, make_series, make_center, make_room, make_group, make_user):
    """One failed e-mail about this center, one about another center."""
    series = make_series(days=[date(2026, 3, 3)])
    enqueue(event="request_declined", series_id=series.pk)
    OutboxMessage.objects.filter(recipient=scene.leader_de).update(
        status=Status.FAILED, attempts=5, last_error="SMTPServerDisconnected: closed"
    )
    elsewhere = make_center(name="Haus der Kulturen", slug="hdk")
    foreign_leader = make_user(email="foreign@example.org")
    group = make_group(center=elsewhere, leaders=[foreign_leader])
    from bookings.models import Series

    other = Series.objects.create(
        group=group,
        room=make_room(center=elsewhere),
        start_date=date(2026, 3, 3),
        start_time="18:00",
        end_time="20:00",
    )
    enqueue(event="request_declined", series_id=other.pk)
    scene.staff.is_staff = True
    scene.staff.save(update_fields=["is_staff"])
    return scene


def test_staff_see_the_outbox_of_their_center_only(client, outbox):
    client.force_login(outbox.staff)
    response = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "hans@example.org" in page and "SMTPServerDisconnected" in page
    assert "foreign@example.org" not in page
    failed = client.get(
        reverse("admin:notifications_outboxmessage_changelist"), {"status__exact": "failed"}
    )
    assert "amira@example.org" not in failed.content.decode()


def test_leaders_do_not_see_the_outbox(client, outbox):
    outbox.leader_de.is_staff = True  # even with admin access, no center: no outbox
    outbox.leader_de.save(update_fields=["is_staff"])
    client.force_login(outbox.leader_de)
    url = reverse("admin:notifications_outboxmessage_changelist")
    assert client.get(url).status_code == 403


def test_send_again_sends_a_failed_message(client, outbox, django_capture_on_commit_callbacks):
    from django.core import mail

    failed = OutboxMessage.objects.get(status=Status.FAILED)
    client.force_login(outbox.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert [m.to for m in mail.outbox] == [["hans@example.org"]]
