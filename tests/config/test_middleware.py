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
