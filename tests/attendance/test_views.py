"""The pages: the dashboard's "How many came?" list and quick form, the record page with the
breakdown, the staff list of missing counts, and the reminder e-mail's link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from attendance.jobs import attendance_reminders_send
from attendance.models import Attendance
from tests.attendance.test_services import START, date_world  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=False)
LATER = START + timedelta(days=1, hours=-9)  # the next morning, 09:00


@pytest.fixture
def leader_client(client, date_world):  # noqa: F811
    date_world.leader.preferred_language = "en"
    date_world.leader.save(update_fields=["preferred_language"])
    client.force_login(date_world.leader)
    return client


def test_the_dashboard_asks_and_one_post_records_the_count(leader_client, date_world):  # noqa: F811
    w = date_world
    with time_machine.travel(LATER, tick=False):
        page = leader_client.get("/me/").content.decode()
        assert "How many came?" in page and f'id="count-{w.occurrence.pk}"' in page
        response = leader_client.post(
            f"/attendance/{w.occurrence.pk}/quick/", {"participants": "14", "next": "/me/"}
        )
        assert response.status_code == 302 and response["Location"] == "/me/"
        assert Attendance.objects.get(occurrence=w.occurrence).participants == 14
        page = leader_client.get("/me/").content.decode()
        assert "14 people recorded" in page


def test_the_quick_form_keeps_a_recorded_breakdown(leader_client, date_world):  # noqa: F811
    w = date_world
    with time_machine.travel(LATER, tick=False):
        leader_client.post(
            f"/attendance/{w.occurrence.pk}/",
            {"participants": "10", f"breakdown_{w.ages[0].key}": "4", "volunteer_hours": "1.5"},
        )
        leader_client.post(f"/attendance/{w.occurrence.pk}/quick/", {"participants": "11"})
    record = Attendance.objects.get(occurrence=w.occurrence)
    assert (record.participants, record.breakdown) == (11, {w.ages[0].key: 4})
    assert str(record.volunteer_hours) == "1.50"


def test_the_record_page_shows_errors_and_changes_nothing(leader_client, date_world):  # noqa: F811
    w = date_world
    with time_machine.travel(LATER, tick=False):
        response = leader_client.post(
            f"/attendance/{w.occurrence.pk}/",
            {
                "participants": "3",
                f"breakdown_{w.ages[0].key}": "2",
                f"breakdown_{w.ages[1].key}": "2",
            },
        )
        assert response.status_code == 400
        assert "adds up to 4 people, more than the 3 who came" in response.content.decode()
        response = leader_client.post(f"/attendance/{w.occurrence.pk}/", {"participants": "-4"})
        assert response.status_code == 400
        response = leader_client.post(
            f"/attendance/{w.occurrence.pk}/quick/", {"participants": "x"}
        )
        assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_strangers_find_nothing_and_late_leaders_are_refused(client, date_world):  # noqa: F811
    w = date_world
    client.force_login(w.stranger)
    with time_machine.travel(LATER, tick=False):
        assert client.get(f"/attendance/{w.occurrence.pk}/").status_code == 404
        assert (
            client.post(f"/attendance/{w.occurrence.pk}/quick/", {"participants": 1}).status_code
            == 404
        )
    client.force_login(w.leader)
    with time_machine.travel(START + timedelta(days=20), tick=False):
        page = client.get(f"/attendance/{w.occurrence.pk}/")
        assert page.status_code == 200 and b'name="participants"' not in page.content
        assert (
            client.post(f"/attendance/{w.occurrence.pk}/", {"participants": 1}).status_code == 403
        )
    assert not Attendance.objects.exists()


def test_staff_see_dates_without_a_count_and_record_them(client, date_world):  # noqa: F811
    w = date_world
    client.force_login(w.staff)
    with time_machine.travel(START + timedelta(days=30), tick=False):
        page = client.get(f"/staff/{w.center.slug}/reports/missing/").content.decode()
        assert f'id="missing-{w.occurrence.pk}"' in page
        client.post(f"/attendance/{w.occurrence.pk}/", {"participants": "6"})
        page = client.get(f"/staff/{w.center.slug}/reports/missing/").content.decode()
        assert f'id="missing-{w.occurrence.pk}"' not in page


def test_the_reminder_e_mail_links_to_the_record_page_once(
    date_world,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    w = date_world
    for user in (w.leader, w.deputy):
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    settings.SITE_URL = "https://treffpunkt.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        assert attendance_reminders_send(today=START.date() + timedelta(days=1)) == 2
        assert attendance_reminders_send(today=START.date() + timedelta(days=2)) == 0
    sent = [m for m in mail.outbox if "How many came" in m.subject]
    assert len(sent) == 2
    assert f"https://treffpunkt.example.org/attendance/{w.occurrence.pk}/" in sent[0].body
    # A date with a count gets no reminder.
    from notifications.models import OutboxMessage

    OutboxMessage.objects.all().delete()
    Attendance.objects.create(occurrence=w.occurrence, participants=4)
    assert attendance_reminders_send(today=START.date() + timedelta(days=1)) == 0
