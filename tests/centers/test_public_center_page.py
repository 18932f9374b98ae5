"""The public center page: address, hours, access, this week's program, closures, holidays."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import OccurrenceState
from centers.models import Closure
from tests.groups.factories import make_series

# Monday 30 November 2026, 08:00 in Dorsten; Friday 25 December is Christmas.
NOW = datetime.fromisoformat("2026-11-30T08:00:00+01:00")


@pytest.fixture
def center(make_center, make_room, make_group):
    with time_machine.travel(NOW, tick=False):
        center = make_center(
            name="Brunnenplatz",
            slug="brunnenplatz",
            directions="Bus 272 bis Brunnenplatz",
        )
        cafe = make_room(center=center, name="Café", accessibility_notes="Eingang über den Hof")
        make_room(center=center, name="Dachboden", floor=2, step_free=False)
        group = make_group(center=center, name="Strickcafé", slug="strickcafe")
        _, dates = make_series(
            group=group, room=cafe, start_date=NOW.date() + timedelta(days=1), weeks=4
        )
        dates[0].state = OccurrenceState.CANCELLED
        dates[0].reason = "Krankheit"
        dates[0].save(update_fields=["state", "reason"])
        internal = make_group(center=center, name="Teamsitzung", slug="team", is_public=False)
        make_series(
            group=internal, room=cafe, start_date=NOW.date(), start_time=time(9), end_time=time(10)
        )
        Closure.objects.create(
            center=center,
            starts_at=datetime.fromisoformat("2026-12-03T00:00:00+01:00"),
            ends_at=datetime.fromisoformat("2026-12-04T00:00:00+01:00"),
            reason="Betriebsausflug",
        )
    return center


@pytest.fixture
def page(client, center):
    with time_machine.travel(NOW, tick=False):
        response = client.get("/centers/brunnenplatz/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_center_page_shows_how_to_visit(page):
    assert "Burgsdorffstraße 76" in page
    assert "Bus 272 bis Brunnenplatz" in page
    assert "08:00–22:00" in page  # opening hours
    assert "Eingang über den Hof" in page
    assert "not step-free" in page  # the attic, in words, not just a colour


def test_this_week_lists_public_dates_with_cancellations(page):
    assert "Strickcafé" in page
    assert "Teamsitzung" not in page
    assert "Cancelled" in page and "Krankheit" in page
    assert "Today, Monday, 30 November" in page
    assert "Sunday, 6 December" in page
    assert "Monday, 7 December" not in page.split('id="visit-heading"')[0]


def test_closures_and_holidays_are_announced(page):
    assert "Betriebsausflug" in page
    assert "Christmas Day" in page


def test_center_page_links_program_and_feed(page):
    assert 'href="/centers/brunnenplatz/program/"' in page
    assert "webcal://" in page and "/feeds/center/brunnenplatz.ics" in page


def test_center_page_needs_a_fixed_number_of_queries(client, center, make_group, make_room):
    def count():
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            client.get("/centers/brunnenplatz/")
        return len(queries)

    before = count()
    room = make_room(center=center, name="Saal")
    for n in range(5):
        group = make_group(center=center)
        make_series(
            group=group,
            room=room,
            start_date=NOW.date() + timedelta(days=n),
            start_time=time(10 + n),
            end_time=time(11 + n),
            weeks=2,
        )
    assert count() == before


def test_center_page_offers_each_room_calendar(client, make_room):
    room = make_room(name="Seminarraum 1")
    body = client.get(room.center.get_absolute_url()).content.decode()
    assert f"/feeds/room/{room.pk}.ics" in body
    assert "webcal://" in body
