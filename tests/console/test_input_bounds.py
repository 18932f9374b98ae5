"""What used to be a 500 on the staff pages: dates in year 1 or 9999, ids beyond 64 bits. Now a
clear 400 or form error, and nothing changes (the Hypothesis suite in tests/config hunts for
more; these are the cases found by hand, kept readable)."""

import pytest
from django.urls import reverse

from centers.models import Closure

pytestmark = pytest.mark.django_db


def _url(world, name):
    return reverse(f"staff:{name}", kwargs={"slug": world.center.slug})


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "10000-01-01"])
@pytest.mark.parametrize("page", ["board", "week"])
def test_board_and_week_say_the_date_is_out_of_range(staff_client, world, page, day):
    response = staff_client.get(_url(world, page), {"date": day})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    if day != "10000-01-01":  # that one is no date at all
        assert "01.01.2000" in body and "31.12.2199" in body  # the range, as the reader writes


def test_the_weekly_pdf_refuses_a_date_out_of_range_in_words(staff_client, world):
    response = staff_client.get(_url(world, "week_pdf"), {"date": "9999-12-31"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "31.12.2199" in response.content.decode()


def test_an_equipment_id_beyond_64_bits_is_an_invalid_choice(staff_client, world):
    response = staff_client.get(_url(world, "board"), {"equipment": str(2**64)})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode() or 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("first_day", ["0001-01-01", "9999-12-30"])
def test_a_closure_in_year_1_or_9999_is_a_form_error(staff_client, world, first_day):
    response = staff_client.post(
        _url(world, "closures"),
        {"first_day": first_day, "last_day": "9999-12-31", "reason": "Umbau", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()
    assert not Closure.objects.exists()


@pytest.mark.parametrize("pk", [str(2**63), "9" * 30])
def test_ids_beyond_64_bits_are_not_found(staff_client, world, pk):
    url = f"/staff/{world.center.slug}/requests/{pk}/"
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url + "confirm/", {"mode": "all"}).status_code == 404
