"""No private data on public pages or in public feeds.

Pending requests, declined dates, internal groups, leaders' names and e-mails stay private; a
group's published contact fields are the only contact shown.
"""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from bookings.models import OccurrenceState, SeriesStatus

SECRET_STRINGS = (
    "Geheimes Vorstandstreffen",  # internal group
    "Angefragte Probe",  # pending request
    "Abgelehnter Termin",  # declined series
    "Karl-Heinz Leiter",  # leader's name
    "leiter@private.example",  # leader's e-mail
    "Notiz an das Team",  # note to staff
)


@pytest.fixture
def center_with_secrets(make_center, make_room, make_group, make_user, make_series):
    center = make_center(name="Brunnenplatz", slug="brunnenplatz")
    room = make_room(center=center, name="Café")
    start = timezone.localdate() + timedelta(days=1)
    leader = make_user(
        username="kh", first_name="Karl-Heinz", last_name="Leiter", email="leiter@private.example"
    )
    public = make_group(
        center=center,
        name="Offenes Café",
        slug="offenes-cafe",
        leaders=[leader],
        contact_name="Café-Team",
        contact_email="cafe@brunnenplatz.example",
    )
    internal = make_group(
        center=center,
        name="Geheimes Vorstandstreffen",
        slug="vorstand",
        is_public=False,
        leaders=[leader],
    )
    make_series(group=public, room=room, start_date=start, note="Notiz an das Team")
    make_series(group=internal, room=room, start_date=start, start_time=time(18), end_time=time(19))
    make_series(
        group=public,
        room=room,
        start_date=start,
        start_time=time(10),
        end_time=time(11),
        title="Angefragte Probe",
        status=SeriesStatus.PENDING,
        date_state=OccurrenceState.REQUESTED,
    )
    make_series(
        group=public,
        room=room,
        start_date=start,
        start_time=time(8),
        end_time=time(9),
        title="Abgelehnter Termin",
        status=SeriesStatus.DECLINED,
        date_state=OccurrenceState.DECLINED,
    )
    return center


PUBLIC_PAGES = [
    "/centers/brunnenplatz/",
    "/centers/brunnenplatz/program/",
    "/centers/brunnenplatz/program/?time=afternoon&free=on",
    "/groups/offenes-cafe/",
]
PUBLIC_FEEDS = ["/feeds/center/brunnenplatz.ics", "/feeds/group/offenes-cafe.ics"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_show_nothing_private(client, center_with_secrets, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Offenes Café" in body
    for secret in SECRET_STRINGS:
        assert secret not in body


def test_published_contact_is_shown(client, center_with_secrets):
    body = client.get("/groups/offenes-cafe/").content.decode()
    assert "Café-Team" in body and "cafe@brunnenplatz.example" in body


@pytest.mark.parametrize("url", PUBLIC_FEEDS)
def test_public_feeds_show_nothing_private(client, center_with_secrets, url):
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode().replace("\r\n ", "")  # unfold iCalendar lines
    assert "Offenes Café" in text
    for secret in SECRET_STRINGS:
        assert secret not in text


def test_internal_group_has_no_public_page_or_feed(client, center_with_secrets):
    assert client.get("/groups/vorstand/").status_code == 404
    assert client.get("/feeds/group/vorstand.ics").status_code == 404
