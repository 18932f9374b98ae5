"""The admin parameters Django 5.2 would turn into a 500 are refused with a 400 first."""

import pytest
from django.test import Client

from groups.models import Language

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user):
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/groups/language/%00/history/",
        "/admin/groups/language/?q=a%00b",
        "/admin/groups/language/1/change/?_to_field=",
        "/admin/notifications/outboxmessage/?created_at__year=99999999999999999999",
        "/admin/axes/accessattempt/?attempt_time__gte=0001-01-01",
    ],
)
def test_refused_with_a_reason(admin_client, url):
    Language.objects.create(code="tr", name_de="Türkisch", name_en="Turkish")
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response.content.strip()


def test_an_action_on_ids_that_are_not_ids_is_refused(admin_client):
    response = admin_client.post(
        "/admin/groups/language/",
        {"action": "delete_selected", "_selected_action": ["1e309", str(2**64)]},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/coordinator/add/?organisation=1e309",
        "/admin/reports/coordinator/add/?organisation=abc",
        f"/admin/reports/coordinator/add/?user={2**64}",
        "/admin/groups/group/add/?partners=1,x",
    ],
)
def test_an_add_form_prefilled_with_something_that_is_no_id_is_refused(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response.content.strip()


def test_an_add_form_prefilled_with_an_id_still_opens(admin_client, make_organisation):
    organisation = make_organisation()
    response = admin_client.get(f"/admin/reports/coordinator/add/?organisation={organisation.pk}")
    assert response.status_code == 200


def test_an_add_form_sent_with_something_that_is_no_id_is_refused(admin_client):
    response = admin_client.post(
        "/admin/reports/coordinator/add/", {"user": "1e309", "organisation": ""}
    )
    assert response.status_code == 400
