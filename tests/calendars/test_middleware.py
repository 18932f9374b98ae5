"""Feeds take the short way through the stack (calendars.middleware): no session or user, the
security headers still on, and whatever is not a feed answer goes the whole way."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def feed(make_chor) -> str:
    make_chor(
        weekdays=[1],
        start_date=date(2026, 12, 1),
        until=date(2027, 3, 2),
        time_zone="Europe/Berlin",
    )
    return "/feeds/group/chor.ics"


def _session_touched(response: Any) -> bool:
    return "Cookie" in response.get("Vary", "") or "sessionid" in response.cookies


def test_a_feed_is_answered_before_sessions_and_keeps_the_security_headers(
    client: Client, feed: str, make_user: Any
) -> None:
    client.force_login(make_user())  # a signed-in browser opening the link
    response = client.get(feed)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert int(response["Content-Length"]) == len(response.content)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response
    # Answered without the session: no Vary: Cookie, no user attached to the request.
    assert not _session_touched(response)
    assert not hasattr(response.wsgi_request, "user")


def test_a_missing_feed_is_the_sites_own_404_page(client: Client, feed: str) -> None:
    response = client.get("/feeds/group/gibt-es-nicht.ics")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert hasattr(response.wsgi_request, "user")  # went down the whole stack


def test_a_post_to_a_feed_goes_the_whole_way_and_is_refused(client: Client, feed: str) -> None:
    response = client.post(feed)
    assert response.status_code in (403, 405)  # CSRF or require_safe, never a feed
    assert not response["Content-Type"].startswith("text/calendar")


def test_a_group_that_is_not_public_has_no_feed(client: Client, feed: str) -> None:
    from groups.models import Group

    Group.objects.filter(slug="chor").update(is_public=False)
    assert client.get(feed).status_code == 404
    Group.objects.filter(slug="chor").update(is_public=True)
    assert client.get(feed).status_code == 200


def test_room_and_center_feeds_are_found_by_their_keys(client: Client, feed: str) -> None:
    from centers.models import Room

    room = Room.objects.get()
    assert client.get(f"/feeds/room/{room.pk}.ics").status_code == 200
    assert client.get(f"/feeds/room/{room.pk + 1000}.ics").status_code == 404
    assert client.get("/feeds/center/hdk.ics").status_code == 200
    assert client.get("/feeds/center/HDK.ics").status_code == 404
