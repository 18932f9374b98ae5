"""The foyer screen and the door signs over HTTP: what they show, what they never show, and
the ETag that lets an idle screen's poll end in a 304 without rendering."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import services
from centers.models import Closure
from display.models import DisplaySettings, ScreenLanguage
from tests.display.conftest import at, cancel

pytestmark = pytest.mark.django_db
POLL = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def section(response, name: str) -> str:
    """The HTML of one section of the foyer screen (now, next, later)."""
    match = re.search(
        rf'<section class="screen-section section-{name}".*?</section>', text(response)
    )
    return match.group(0) if match else ""


def test_foyer_screen_shows_now_next_and_later_by_room(client, house, clock):
    clock(10, 30)
    response = client.get("/display/brunnenplatz/")
    assert response.status_code == 200
    now, upcoming, later = (
        section(response, "now"),
        section(response, "next"),
        section(response, "later"),
    )
    assert "Kochgruppe Zukunft" in now and "Küche" in now and "10:00" in now
    assert "Sprachcafé Çağrı" in upcoming and "Saal" in upcoming
    assert "18:00" in later and "Kochgruppe Zukunft" in later
    assert response["Cache-Control"] == "no-cache"
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')


def test_internal_groups_appear_as_booked_without_a_name(client, house, clock):
    clock(9, 30)
    for url in ("/display/brunnenplatz/", f"/display/brunnenplatz/room/{house.cafe.pk}/"):
        body = text(client.get(url))
        assert "Frauenfrühstück" not in body
        assert "Öztürk" not in body
        assert re.search(
            r'class="item-title"><span lang="de" class="lang-first">Belegt</span>', body
        )
    room_page = text(client.get(f"/centers/brunnenplatz/rooms/{house.cafe.pk}/"))
    assert "Frauenfrühstück" not in room_page and "Belegt" in room_page


def test_cancelled_and_moved_dates_are_marked_in_words(client, house, clock):
    clock(8)
    cancel(house.lale, house.language_date, reason="Die Leiterin ist krank.")
    services.occurrence_move(
        user=house.staff,
        occurrence=house.cooking_evening,
        room=house.hall,
        starts_at=at(house.center, 19),
        ends_at=at(house.center, 21),
        reason="Küche wird renoviert",
    )
    body = text(client.get("/display/brunnenplatz/"))
    cancelled = re.search(r'<li class="item item-cancelled".*?</li>', body).group(0)
    assert "Sprachcafé Çağrı" in cancelled
    assert "Entfällt" in cancelled and "Cancelled" in cancelled
    assert "Die Leiterin ist krank." in cancelled
    moved = re.search(
        r'<li class="item item-active"[^>]*>(?:(?!</li>).)*19:00.*?</li>', body
    ).group(0)
    assert "Saal" in moved and "Verlegt" in moved
    assert "verlegt von Küche" in moved and "moved from Küche" in moved
    assert "vorher 18:00" in moved
    # The kitchen's door sign says where the evening went.
    door = text(client.get(f"/display/brunnenplatz/room/{house.kitchen.pk}/"))
    away = re.search(r'<li class="item item-moved_away".*?</li>', door).group(0)
    assert "18:00" in away and "Saal" in away


def test_notice_closure_and_language_as_set(client, house, clock):
    clock(8)
    DisplaySettings.objects.create(
        center=house.center, notice="Heute Kuchenbasar im Foyer!", language=ScreenLanguage.ENGLISH
    )
    Closure.objects.create(
        center=house.center,
        room=house.hall,
        starts_at=at(house.center, 13),
        ends_at=at(house.center, 17),
        reason="Wasserschaden",
    )
    response = client.get("/display/brunnenplatz/")
    body = text(response)
    assert "Heute Kuchenbasar im Foyer!" in body
    assert "Saal:</strong> Wasserschaden" in body
    assert '<html lang="en">' in body
    assert "Later today" in body and "Später heute" not in body
    german = text(client.get("/display/brunnenplatz/?lang=de"))
    assert "Später heute" in german and "Later today" not in german
    both = text(client.get("/display/brunnenplatz/?lang=de%2Ben"))
    assert "Später heute" in both and "Later today" in both
    # An unknown language falls back to the center's setting, never an error.
    assert client.get("/display/brunnenplatz/?lang=xx").status_code == 200


def test_unknown_center_or_room_is_404(client, house):
    assert client.get("/display/nirgendwo/").status_code == 404
    foreign_room = f"/display/haus-der-kulturen/room/{house.kitchen.pk}/"
    assert client.get(foreign_room).status_code == 404
    assert client.get("/display/brunnenplatz/room/999999/").status_code == 404
    assert client.post("/display/brunnenplatz/").status_code == 405


def test_an_idle_poll_is_a_304_in_two_queries_without_rendering(client, house, clock):
    clock(10, 30)
    first = client.get("/display/brunnenplatz/", **POLL)
    etag = first["ETag"]
    assert first.status_code == 200
    clock(10, 59)  # nothing started or ended since 10:00
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/display/brunnenplatz/", HTTP_IF_NONE_MATCH=etag, **POLL)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert not again.templates  # nothing rendered
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_the_etag_changes_when_a_date_starts_or_ends(client, house, clock):
    clock(10, 30)
    etag = client.get("/display/brunnenplatz/", **POLL)["ETag"]
    clock(11)  # the breakfast ends
    changed = client.get("/display/brunnenplatz/", HTTP_IF_NONE_MATCH=etag, **POLL)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Belegt" not in section(changed, "now")


def test_the_etag_changes_when_the_plan_changes(client, house, clock):
    clock(10, 30)
    etag = client.get("/display/brunnenplatz/", **POLL)["ETag"]
    cancel(house.lale, house.language_date)
    changed = client.get("/display/brunnenplatz/", HTTP_IF_NONE_MATCH=etag, **POLL)
    assert changed.status_code == 200
    assert "item-cancelled" in section(changed, "next")


def test_the_etag_changes_with_the_notice_language_and_part(client, house, clock, make_user):
    clock(10, 30)
    page = client.get("/display/brunnenplatz/")
    poll = client.get("/display/brunnenplatz/", **POLL)
    assert page["ETag"] != poll["ETag"]
    # The page carries the poll's ETag, so the first poll of an unchanged screen is a 304.
    assert f'data-etag="{poll["ETag"].replace(chr(34), "&quot;")}"' in page.content.decode()
    english = client.get("/display/brunnenplatz/?lang=en", **POLL)
    assert english["ETag"] != poll["ETag"]
    from display.services import display_settings_update

    display_settings_update(
        user=house.staff,
        center=house.center,
        notice="Neu!",
        language="de+en",
        check_in=False,
        release_no_shows=False,
    )
    changed = client.get("/display/brunnenplatz/", HTTP_IF_NONE_MATCH=poll["ETag"], **POLL)
    assert changed.status_code == 200 and "Neu!" in changed.content.decode()
    # The fragment has no page around it.
    assert b"<html" not in changed.content and b"<main" in changed.content


def test_door_sign_shows_now_next_and_free_until(client, house, clock):
    clock(12, 30)
    body = text(client.get(f"/display/brunnenplatz/room/{house.kitchen.pk}/"))
    assert "Frei bis 18:00" in body and "Free until 18:00" in body
    clock(18, 10)
    body = text(client.get(f"/display/brunnenplatz/room/{house.kitchen.pk}/"))
    now_box = re.search(r'<section class="door-box door-now".*?</section>', body).group(0)
    assert "Kochgruppe Zukunft" in now_box
    assert "Sprachcafé" not in body  # another room's date
    assert 'role="img" aria-label="QR-Code: http://' in body


def test_pages_are_csp_friendly_no_inline_script_or_style(client, house, clock):
    clock(10, 30)
    for url in ("/display/brunnenplatz/", f"/display/brunnenplatz/room/{house.kitchen.pk}/"):
        body = client.get(url).content.decode()
        assert "style=" not in body
        assert "<style" not in body
        assert re.findall(r"<script(?![^>]*\bsrc=)", body) == []
        assert " on" not in re.sub(r"<svg.*?</svg>", "", body).replace(" only", "")
