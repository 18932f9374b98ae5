"""The admin index: only our own sections, each name once, and a series list that answers
"who, where, when" at a glance."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from bookings import services
from bookings.recurrence import RecurrenceRule


def _index(client, user, language: str) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def _sections(body: str) -> list[str]:
    return re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", body)


def _models(body: str) -> list[str]:
    return re.findall(r'<th scope="row" id="[^"]+">\s*<a[^>]*>([^<]+)</a>', body)


@pytest.fixture
def admin_user(make_user):
    return make_user(username="ada", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("language", ["de", "en"])
def test_django_scheduler_models_are_not_in_the_admin(client, admin_user, language):
    body = _index(client, admin_user, language)

    assert "Schedules" not in _sections(body)
    assert "/admin/schedule/" not in body
    for name in ("Calendars", "Calendar relations", "Event relations", "Rules"):
        assert name not in _models(body)


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_admin_entry_has_a_distinct_name(client, admin_user, language):
    body = _index(client, admin_user, language)

    sections, models = _sections(body), _models(body)
    assert len(sections) == len(set(sections)), sections
    assert len(models) == len(set(models)), models


@pytest.mark.parametrize(
    ("language", "permission_groups", "our_groups"),
    [("de", "Berechtigungsgruppen", "Gruppen"), ("en", "Permission groups", "Groups")],
)
def test_the_two_kinds_of_group_are_told_apart(
    client, admin_user, language, permission_groups, our_groups
):
    models = _models(_index(client, admin_user, language))

    assert permission_groups in models
    assert our_groups in models


def test_series_list_shows_who_where_and_when(client, admin_user, make_room, make_group, make_user):
    room = make_room(name="Küche")
    leader = make_user()
    group = make_group(center=room.center, name="Frauengesprächskreis", leaders=[leader])
    services.booking_request_create(
        user=leader,
        group=group,
        room=room,
        rule=RecurrenceRule(
            start_date=date(2030, 2, 5),
            start_time=time(18),
            end_time=time(20),
            frequency="weekly",
            count=3,
        ),
        expected_participants=8,
    )
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"

    body = client.get(reverse("admin:bookings_series_changelist")).content.decode()

    for column in ("Group", "Room", "When", "First date", "Last date", "Status"):
        assert f">{column}<" in body or f">{column}</a>" in body, column
    assert "Frauengesprächskreis" in body
    assert "Küche" in body
    assert "Tue 18:00–20:00" in body
    assert "5 Feb 2030" in body
    assert "19 Feb 2030" in body
    for facet in ("By status", "By repeats"):
        assert facet in body


@pytest.mark.parametrize(
    ("language", "name"), [("de", "Anmeldeschutz"), ("en", "Login protection")]
)
def test_the_login_protection_section_has_a_name_in_each_language(
    client, admin_user, language, name
):
    sections = _sections(_index(client, admin_user, language))

    assert name in sections
    assert "Axes" not in sections
