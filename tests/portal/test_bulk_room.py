"""One choice for every clashing date: "use this room for all clashing dates" (works without
JavaScript: a submit button that re-checks the form and picks the room for each date)."""

import re

import pytest
from django.urls import reverse

from bookings.models import Series

from .conftest import TUESDAYS, request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_clashes(place, book):
    for day in (TUESDAYS[1], TUESDAYS[3]):
        book(user=place.other_leader, group=place.other_group, room=place.kitchen, day=day)


def _checked_alternatives(body: str) -> list[str]:
    return re.findall(
        r'<input type="radio" name="alt-[^"]+"[^>]*value="([^"]*)"[^>]* checked>', body
    )


def test_the_preview_offers_one_room_for_all_clashing_dates(client, place, two_clashes):
    client.force_login(place.leader)
    client.cookies["django_language"] = "en"

    body = client.post(
        reverse("leader:request_preview"), request_data(place), HTTP_HX_REQUEST="true"
    ).content.decode()

    button = re.search(
        rf'<button type="submit" name="use_room" value="{place.cafe.pk}"[^>]*>(.*?)</button>',
        body,
        re.S,
    )
    assert button, body
    assert "Café" in button.group(1) and "2" in button.group(1)


def test_using_a_room_for_all_picks_it_for_each_clashing_date(client, place, two_clashes):
    client.force_login(place.leader)

    response = client.post(
        reverse("leader:request"), {**request_data(place), "use_room": str(place.cafe.pk)}
    )

    assert response.status_code == 200
    assert not Series.objects.filter(group=place.group).exists()  # checked, not sent
    picked = [v for v in _checked_alternatives(response.content.decode()) if v]
    assert len(picked) == 2
    assert all(v.startswith(f"{place.cafe.pk}|") for v in picked)
