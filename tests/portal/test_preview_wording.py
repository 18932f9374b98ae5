"""The live preview tells closures from clashes, never promises a staff decision for a date the
center is closed, and labels alternatives that still need approval."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from centers.models import Closure, OpeningHours

from .conftest import TUESDAYS, request_data

pytestmark = pytest.mark.django_db


def _preview(client, place, language="en", **overrides) -> str:
    client.force_login(place.leader)
    client.cookies["django_language"] = language
    response = client.post(
        reverse("leader:request_preview"), request_data(place, **overrides), HTTP_HX_REQUEST="true"
    )
    assert response.status_code in (200, 400)
    return response.content.decode()


@pytest.fixture
def closed_second_tuesday(place):
    tz = place.center.tz
    return Closure.objects.create(
        center=place.center,
        starts_at=datetime(2030, 2, 12, tzinfo=tz),
        ends_at=datetime(2030, 2, 13, tzinfo=tz),
        reason="Betriebsausflug",
    )


def _date_item(body: str, day: str) -> str:
    items = re.findall(
        r'<li class="preview-date.*?</li>\s*(?=<li class="preview-date|</ol>)', body, re.S
    )
    return next(i for i in items if day in i)


def test_a_closure_is_not_a_clash_and_not_left_to_staff(client, place, closed_second_tuesday):
    body = _preview(client, place)

    item = _date_item(body, "12 February 2030")
    assert "Betriebsausflug" in item
    assert "staff decide" not in item.lower()
    assert "not possible" not in item
    assert "1 skipped (closed)" in body
    assert "not possible" not in body.split("</span>", 1)[0]


def test_a_closed_date_shows_no_staff_decision_even_outside_opening_hours(client, place):
    """A room closure on a weekday the center does not open: the date drops out, so "staff
    decide: outside opening hours" would promise a decision that never comes."""
    tz = place.center.tz
    Closure.objects.create(
        center=place.center,
        room=place.kitchen,
        starts_at=datetime(2030, 2, 12, tzinfo=tz),
        ends_at=datetime(2030, 2, 13, tzinfo=tz),
        reason="Wartung",
    )
    OpeningHours.objects.filter(center=place.center, weekday=1).delete()

    body = _preview(client, place, language="de")

    item = _date_item(body, "12. Februar 2030")
    assert "Wartung" in item
    assert "Das Team entscheidet" not in item
    assert "das Team entscheidet" not in item


def test_an_alternative_that_needs_approval_says_so(client, place, book):
    # The kitchen is taken on the second Tuesday; the hall (approval needed) and the café are free.
    book(user=place.other_leader, group=place.other_group, room=place.kitchen, day=TUESDAYS[1])

    body = _preview(client, place)

    item = _date_item(body, "12 February 2030")
    labels = re.findall(r'<label for="alt-[^"]+-\d+">(.*?)</label>', item, re.S)
    hall = next(label for label in labels if "Saal" in label)
    assert "needs approval" in hall and "badge" in hall
    cafe = next(label for label in labels if "Café" in label)
    assert "confirmed at once" in cafe and "badge" in cafe


def test_the_hint_says_what_is_wrong_with_each_field(client, place):
    body = _preview(client, place, ends="until", until="2030-01-01", count="")

    summary = body.split('class="error-summary', 1)[1].split("</div>", 1)[0]
    link = re.search(r'<a href="#id_until">([^<]+)</a>', summary)
    assert link, summary
    assert link.group(1).startswith("Last date: ")
    assert len(link.group(1)) > len("Last date: ")  # the field's own error, not just its name
    assert not re.search(r",\s*</p>", summary)


def test_holidays_are_not_counted_as_closed(client, place):
    body = _preview(client, place, start_date="2029-12-18", count="3", ends="count")

    status = body.split("</span>", 1)[0]
    assert "2 skipped (holidays)" in status
    assert "closed" not in status
