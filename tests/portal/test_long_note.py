"""A note longer than its limit is a clear error, never silently cut; what was typed stays."""

import re

import pytest
from django.urls import reverse

from bookings.models import Series

from .conftest import request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, place):
    client.force_login(place.leader)
    return client


def test_the_note_field_does_not_cut_what_is_pasted(leader_client):
    body = leader_client.get(reverse("leader:request")).content.decode()

    textarea = re.search(r'<textarea[^>]*name="note"[^>]*>', body).group(0)
    assert "maxlength" not in textarea
    assert "2000" in body or "2.000" in body  # the limit is said beside the field


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The note can be at most 2000 characters long; it has 2345."),
        ("de", "Die Notiz darf höchstens 2000 Zeichen lang sein; sie hat 2345."),
    ],
)
def test_a_too_long_note_is_a_translated_error_and_the_text_is_kept(
    leader_client, place, language, message
):
    note = "Wir brauchen die Küche. " * 97 + "x" * 17  # 2345 characters
    assert len(note) == 2345
    leader_client.cookies["django_language"] = language

    response = leader_client.post(reverse("leader:request"), request_data(place, note=note))

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert note in body  # the textarea shows all of it again
    assert not Series.objects.exists()


def test_the_error_summary_links_to_the_field(leader_client, place):
    leader_client.cookies["django_language"] = "en"

    response = leader_client.post(reverse("leader:request"), request_data(place, note="x" * 2001))

    summary = response.content.decode().split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert re.search(r'<a href="#id_note">Note to staff: The note can be at most 2000', summary)
