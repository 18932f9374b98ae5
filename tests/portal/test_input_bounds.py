"""What used to be a 500 on the leaders' pages: dates in year 1 or 9999, ids beyond 64 bits, a
rule the engine refuses. Now a clear 400 or form error, and nothing changes."""

from datetime import date

import pytest
from django.urls import reverse

from bookings.models import Series

from .conftest import TUESDAYS, request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, place):
    client.force_login(place.leader)
    return client


@pytest.mark.parametrize(
    "field", [{"start_date": "9999-12-31"}, {"until": "9999-12-31", "ends": "until"}]
)
def test_a_request_in_year_9999_is_a_form_error(leader_client, place, field):
    response = leader_client.post(reverse("leader:request"), request_data(place, send="1", **field))
    assert response.status_code == 400
    assert "31.12.2199" in response.content.decode()
    assert not Series.objects.exists()


@pytest.mark.parametrize("pk", [str(2**63), "9" * 25])
def test_series_ids_beyond_64_bits_are_not_found(leader_client, pk):
    assert leader_client.get(f"/me/series/{pk}/").status_code == 404
    assert leader_client.post(f"/me/dates/{pk}/cancel/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("value", ["abc", str(2**64)])
def test_a_request_prefilled_from_a_series_that_is_no_id_is_not_found(leader_client, value):
    response = leader_client.get(reverse("leader:request"), {"from_series": value})
    assert response.status_code == 404


def test_ending_a_series_after_its_last_date_is_a_form_error(leader_client, place, book):
    series = book(
        user=place.leader, group=place.group, room=place.kitchen, frequency="weekly", count=2
    )
    response = leader_client.post(
        reverse("leader:series_end", args=[series.pk]),
        {
            "end-last_date": date(TUESDAYS[0].year + 1, 1, 1).isoformat(),
            "end-version": series.version,
        },
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "reload" not in response.content.decode()  # the date is wrong, not the page
    series.refresh_from_db()
    assert series.occurrences.count() == 2
