"""Check-in from the door: only a leader (or deputy) of the booked group, only from 30 minutes
before the start until the end; written to the attendance record with history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attendance.models import Attendance
from display.services import occurrence_check_in
from tests.display.conftest import cancel

pytestmark = pytest.mark.django_db


def test_a_leader_checks_in_with_the_count_and_history_says_who_and_why(house, clock):
    now = clock(9, 35)
    attendance = occurrence_check_in(
        user=house.cook, occurrence=house.cooking_morning, participants=9
    )
    assert attendance.checked_in_at == now
    assert attendance.checked_in_by == house.cook
    assert attendance.participants == 9 and attendance.recorded_by == house.cook
    record = attendance.history.latest()
    assert record.history_user == house.cook
    assert record.history_change_reason == "checked in at the door"


def test_a_deputy_may_check_in_and_a_second_tap_keeps_the_first_time(house, clock):
    first = clock(10, 5)
    occurrence_check_in(user=house.deputy, occurrence=house.cooking_morning)
    clock(10, 20)
    attendance = occurrence_check_in(
        user=house.cook, occurrence=house.cooking_morning, participants=11
    )
    assert attendance.checked_in_at == first and attendance.checked_in_by == house.deputy
    assert attendance.participants == 11
    assert Attendance.objects.filter(occurrence=house.cooking_morning).count() == 1
    assert attendance.history.count() == 2


@pytest.mark.parametrize("who", ["lale", "staff", "stranger"])
def test_only_a_leader_of_the_booked_group(house, clock, who):
    clock(10, 5)
    with pytest.raises(PermissionDenied):
        occurrence_check_in(user=getattr(house, who), occurrence=house.cooking_morning)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("hour", "minute", "allowed"),
    [(9, 29, False), (9, 30, True), (10, 0, True), (11, 59, True), (12, 0, False), (15, 0, False)],
)
def test_only_around_the_booked_time(house, clock, hour, minute, allowed):
    clock(hour, minute)
    if allowed:
        occurrence_check_in(user=house.cook, occurrence=house.cooking_morning)
        assert Attendance.objects.filter(checked_in_at__isnull=False).count() == 1
    else:
        with pytest.raises(ValidationError):
            occurrence_check_in(user=house.cook, occurrence=house.cooking_morning)
        assert not Attendance.objects.exists()


def test_no_check_in_for_a_cancelled_date(house, clock):
    clock(8)
    cancel(house.cook, house.cooking_evening)
    clock(18, 5)
    house.cooking_evening.refresh_from_db()
    with pytest.raises(ValidationError):
        occurrence_check_in(user=house.cook, occurrence=house.cooking_evening)


@pytest.mark.parametrize("count", [-1, 10000])
def test_a_count_out_of_range_changes_nothing(house, clock, count):
    clock(10)
    with pytest.raises(ValidationError):
        occurrence_check_in(user=house.cook, occurrence=house.cooking_morning, participants=count)
    assert not Attendance.objects.exists()


# --- from the room page -----------------------------------------------------------------------


def room_url(house, room) -> str:
    return f"/centers/brunnenplatz/rooms/{room.pk}/"


def check_in_url(house, room, occurrence) -> str:
    return f"/display/brunnenplatz/room/{room.pk}/check-in/{occurrence.pk}/"


def test_the_room_page_offers_we_are_here_to_the_leader_only(client, house, clock):
    clock(9, 45)
    page = client.get(room_url(house, house.kitchen)).content.decode()
    assert "Zum Anmelden einloggen" in page and "Wir sind da" not in page
    client.force_login(house.lale)
    page = client.get(room_url(house, house.kitchen)).content.decode()
    assert "Wir sind da" not in page and "Keine Ihrer Gruppen" in page
    client.force_login(house.cook)
    page = client.get(room_url(house, house.kitchen)).content.decode()
    assert "Wir sind da" in page and 'value="12"' in page  # the expected count, ready to send


def test_two_taps_from_the_room_page(client, house, clock):
    clock(9, 45)
    client.force_login(house.cook)
    url = check_in_url(house, house.kitchen, house.cooking_morning)
    response = client.post(url, {"participants": "10"}, follow=True)
    assert response.redirect_chain[-1][0] == room_url(house, house.kitchen)
    assert "angemeldet" in response.content.decode()
    attendance = Attendance.objects.get(occurrence=house.cooking_morning)
    assert attendance.participants == 10 and attendance.checked_in_by == house.cook
    page = client.get(room_url(house, house.kitchen)).content.decode()
    assert "Angemeldet um 09:45." in page and "Anzahl aktualisieren" in page


def test_bad_input_and_foreign_dates_change_nothing(client, house, clock):
    clock(9, 45)
    url = check_in_url(house, house.kitchen, house.cooking_morning)
    assert client.post(url, {"participants": "3"})["Location"].startswith("/accounts/login/")
    client.force_login(house.cook)
    response = client.post(url, {"participants": "viele"}, follow=True)
    assert "zwischen 0 und 9999" in response.content.decode()
    # Another group's date, a date of another room, a GET: nothing is written.
    client.force_login(house.lale)
    assert client.post(url, {"participants": "3"}).status_code == 404
    client.force_login(house.cook)
    wrong_room = check_in_url(house, house.hall, house.cooking_morning)
    assert client.post(wrong_room, {"participants": "3"}).status_code == 404
    assert client.get(url).status_code == 405
    too_late = check_in_url(house, house.kitchen, house.cooking_evening)
    clock(20, 30)
    response = client.post(too_late, {"participants": "3"}, follow=True)
    assert "schon vorbei" in response.content.decode()
    assert not Attendance.objects.exists()
