"""A leader's look at a room's week: closed days say so, open days start a request for this
room and day with one link (no JavaScript needed), and a Sunday opens on the coming week."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from centers.models import Closure, OpeningHours
from portal import occupancy

pytestmark = pytest.mark.django_db


def _week(client, place, **params):
    client.force_login(place.leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("leader:room", args=[place.kitchen.pk]), params)
    assert response.status_code == 200
    return response


def test_days_the_center_does_not_open_are_closed_not_free(client, place):
    OpeningHours.objects.filter(center=place.center, weekday=6).delete()
    Closure.objects.create(
        center=place.center,
        starts_at=datetime(2030, 2, 13, tzinfo=place.center.tz),
        ends_at=datetime(2030, 2, 14, tzinfo=place.center.tz),
        reason="Renovierung",
    )

    response = _week(client, place, view="week", date="2030-02-13")

    days = {d.date: d for d in response.context["calendar"].days}
    assert days[date(2030, 2, 17)].closed
    assert "Renovierung" in days[date(2030, 2, 13)].closed
    assert not days[date(2030, 2, 12)].closed
    body = response.content.decode()
    assert body.count('class="occ-closed"') == 2
    assert body.count('class="occ-free"') == 5


def test_an_open_day_links_to_a_request_for_this_room_day_and_free_time(client, place):
    body = _week(client, place, view="week", date="2030-02-13").content.decode()

    link = (
        f'href="/me/request/?room={place.kitchen.pk}&amp;start_date=2030-02-12'
        '&amp;start_time=08:00&amp;end_time=22:00"'
    )
    assert link in body
    assert "Request 08:00–22:00" in body


def test_each_free_slot_between_bookings_and_closures_gets_its_own_link(client, place, book):
    book(
        user=place.other_leader, group=place.other_group, room=place.kitchen, day=date(2030, 2, 12)
    )
    Closure.objects.create(
        center=place.center,
        room=place.kitchen,
        starts_at=datetime(2030, 2, 12, 8, tzinfo=place.center.tz),
        ends_at=datetime(2030, 2, 12, 10, tzinfo=place.center.tz),
        reason="Grundreinigung",
    )

    response = _week(client, place, view="week", date="2030-02-13")

    days = {d.date: d for d in response.context["calendar"].days}
    assert days[date(2030, 2, 12)].free == [(time(10), time(18)), (time(20), time(22))]
    body = response.content.decode()
    base = f"/me/request/?room={place.kitchen.pk}&amp;start_date=2030-02-12"
    assert f'href="{base}&amp;start_time=10:00&amp;end_time=18:00"' in body
    assert f'href="{base}&amp;start_time=20:00&amp;end_time=22:00"' in body
    assert f'href="{base}&amp;start_time=08:00' not in body


def test_without_opening_hours_the_link_carries_room_and_date_only(client, place):
    OpeningHours.objects.filter(center=place.center).delete()

    body = _week(client, place, view="week", date="2030-02-13").content.decode()

    assert f'href="/me/request/?room={place.kitchen.pk}&amp;start_date=2030-02-12"' in body


@pytest.mark.parametrize(
    ("opening", "busy", "free"),
    [
        ([(time(8), time(22))], [], [(time(8), time(22))]),
        ([(time(8), time(22))], [(time(8), time(21, 45))], []),
        (
            [(time(8), time(12)), (time(14), time(22))],
            [(time(11), time(15))],
            [(time(8), time(11)), (time(15), time(22))],
        ),
        ([(time(8), time(22))], [(time(20), time(1))], [(time(8), time(20))]),
        (
            [(time(8), time(22))],
            [(time(9), time(10)), (time(9, 30), time(12))],
            [(time(8), time(9)), (time(12), time(22))],
        ),
    ],
)
def test_free_slots_are_opening_hours_less_busy_spans(opening, busy, free):
    assert occupancy.free_slots(opening, busy) == free


def test_the_request_form_is_filled_in_from_the_link(client, place):
    client.force_login(place.leader)

    response = client.get(
        reverse("leader:request"),
        {
            "room": place.kitchen.pk,
            "start_date": "2030-02-12",
            "start_time": "18:00",
            "end_time": "20:00",
        },
    )

    form = response.context["form"]
    assert str(form["room"].value()) == str(place.kitchen.pk)
    assert str(form["start_date"].value()) == "2030-02-12"
    assert str(form["start_time"].value()) == "18:00"
    assert str(form["end_time"].value()) == "20:00"


def test_on_a_sunday_the_week_view_opens_on_the_coming_week(client, place):
    with time_machine.travel(datetime(2030, 2, 10, 12, tzinfo=place.center.tz), tick=False):
        response = _week(client, place)

    assert response.context["calendar"].first == date(2030, 2, 11)


def test_today_the_free_slots_start_at_the_next_half_hour(client, place):
    with time_machine.travel(datetime(2030, 2, 12, 14, 10, tzinfo=place.center.tz), tick=False):
        response = _week(client, place, view="week", date="2030-02-12")

    days = {d.date: d for d in response.context["calendar"].days}
    assert days[date(2030, 2, 12)].free == [(time(14, 30), time(22))]
    assert days[date(2030, 2, 13)].free == [(time(8), time(22))]
