"""No-shows: a date without a check-in 30 minutes after its start is noted (centers whose
groups check in only), shown to staff on the board; the room is released for walk-in use only
if the center wants it; repeated no-shows appear in the staff queue. The date stays as it is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bookings.models import Occurrence, OccurrenceState
from display.models import DisplaySettings, NoShow
from display.services import display_settings_update, no_shows_note, occurrence_check_in
from tests.display.conftest import DAY, book

pytestmark = pytest.mark.django_db
POLL = {"HTTP_HX_REQUEST": "true"}


def enable(house, *, release: bool = False) -> None:
    display_settings_update(
        user=house.staff,
        center=house.center,
        notice="",
        language="de+en",
        check_in=True,
        release_no_shows=release,
    )


def test_nothing_is_noted_while_the_center_does_not_use_check_in(house, clock):
    clock(11)
    assert no_shows_note() == 0
    assert not NoShow.objects.exists()


def test_a_date_without_check_in_is_noted_30_minutes_after_its_start(house, clock):
    clock(8)
    enable(house)
    clock(10, 29)
    assert no_shows_note() == 1  # only the breakfast (09:00) so far
    noted = NoShow.objects.get()
    assert noted.occurrence == house.breakfast_date and noted.released_at is None
    clock(10, 30)
    occurrence_check_in(user=house.cook, occurrence=house.cooking_morning)
    assert no_shows_note() == 0  # the Kochgruppe checked in
    assert no_shows_note() == 0  # idempotent
    # The date is not touched: still confirmed, no reason, no new version.
    date = Occurrence.objects.get(pk=house.breakfast_date.pk)
    assert date.state == OccurrenceState.CONFIRMED and date.reason == ""
    assert date.version == house.breakfast_date.version


def test_dates_before_check_in_was_switched_on_are_never_no_shows(house, clock):
    clock(10, 45)
    enable(house)  # the breakfast started at 09:00, the Kochgruppe at 10:00
    clock(11, 30)
    assert no_shows_note() == 0


def test_the_room_is_released_only_if_the_center_wants_it(client, house, clock):
    clock(8)
    enable(house, release=True)
    clock(10, 40)
    etag = client.get("/display/brunnenplatz/", **POLL)["ETag"]
    assert no_shows_note() == 2
    assert set(NoShow.objects.values_list("released_at", flat=True)) == {clock(10, 40)}
    # Every screen renders anew: the café and the kitchen are free for walk-in use.
    response = client.get("/display/brunnenplatz/", HTTP_IF_NONE_MATCH=etag, **POLL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="item item-released"') == 2
    running = body.split("section-now")[1].split("screen-ahead")[0]
    assert "Frei zur spontanen Nutzung" in running and "Kochgruppe Zukunft" not in running
    # The group comes after all: the room is theirs again on the screens.
    clock(11, 15)
    occurrence_check_in(user=house.cook, occurrence=house.cooking_morning, participants=4)
    assert NoShow.objects.get(occurrence=house.cooking_morning).arrived_at == clock(11, 15)
    body = client.get("/display/brunnenplatz/").content.decode()
    running = body.split("section-now")[1].split("screen-ahead")[0]
    assert "item-released" not in running and "Kochgruppe Zukunft" in running


def test_without_release_the_screens_keep_the_group(client, house, clock):
    clock(8)
    enable(house)
    clock(10, 40)
    no_shows_note()
    body = client.get("/display/brunnenplatz/").content.decode()
    assert "item-released" not in body and "Kochgruppe Zukunft" in body


def test_staff_see_missing_check_ins_on_the_board(client, house, clock):
    clock(8)
    enable(house, release=True)
    clock(10, 35)
    client.force_login(house.staff)
    board = client.get("/staff/brunnenplatz/board/").content.decode()
    assert "Nicht angemeldet" in board
    assert f'id="missing-{house.cooking_morning.pk}"' in board  # 35 minutes after 10:00
    assert f'id="missing-{house.breakfast_date.pk}"' in board
    no_shows_note()
    board = client.get("/staff/brunnenplatz/board/").content.decode()
    assert "Raum zur spontanen Nutzung freigegeben" in board
    occurrence_check_in(user=house.cook, occurrence=house.cooking_morning)
    board = client.get("/staff/brunnenplatz/board/").content.decode()
    assert f'id="missing-{house.cooking_morning.pk}"' not in board
    # Other centers' staff see nothing of it; without check-in there is no list.
    DisplaySettings.objects.filter(center=house.center).update(
        check_in=False, release_no_shows=False
    )
    assert "Nicht angemeldet" not in client.get("/staff/brunnenplatz/board/").content.decode()


def test_repeated_no_shows_appear_in_the_staff_queue(client, house, clock):
    clock(8, day=DAY - timedelta(days=1))
    enable(house)
    later = [
        book(house.cook, house.cooking, house.kitchen, 18, 20, day=DAY + timedelta(days=n))
        for n in (7, 14)
    ]
    client.force_login(house.staff)
    clock(21)  # the job runs every five minutes; here once in the evening
    assert no_shows_note() == 4
    clock(19, day=DAY + timedelta(days=7))
    assert no_shows_note() == 1
    queue = client.get("/staff/").content.decode()
    # By now the Kochgruppe missed 5 February twice and the 12th; the breakfast group once.
    assert "Wiederholt nicht erschienen" in queue
    assert "Kochgruppe Zukunft</a>" in queue and "3-mal nicht erschienen" in queue
    assert "Frauenfrühstück" not in queue.split("Wiederholt nicht erschienen")[1]
    assert later[0].pk in NoShow.objects.values_list("occurrence_id", flat=True)
    other = client.get("/staff/brunnenplatz/requests/").content.decode()
    assert "3-mal nicht erschienen" in other
