"""Administrators assign coordinators in the admin: garbled ids are a form error, not a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Coordinator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("garbled", [":", "à%", "9223372036854775808"])
def test_a_garbled_user_id_is_a_form_error(client, make_user, make_organisation, garbled):
    admin = make_user(username="root", is_superuser=True, is_staff=True)
    organisation = make_organisation(name="AWO")
    client.force_login(admin)

    response = client.post(
        reverse("admin:reports_coordinator_add"),
        {"user": garbled, "organisation": organisation.pk, "_save": "1"},
    )

    # The admin's id guard answers 400 with what is wrong; past it, the form would say so.
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "errorlist" in body if response.status_code == 200 else body.strip()
    assert not Coordinator.objects.exists()
