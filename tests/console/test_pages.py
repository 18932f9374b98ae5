"""Overview, occupancy board and closures: what staff see and what a closure does."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from bookings.models import OccurrenceState
from centers.models import Closure
from console import selectors as staff_selectors

from .conftest import TUESDAYS, at

pytestmark = pytest.mark.django_db


def _url(world, name):
    return reverse(f"staff:{name}", kwargs={"slug": world.center.slug})


# --- overview -------------------------------------------------------------------------------


def test_overview_counts_requests_clashes_and_room_use(world):
    now = at(world.center, date(2030, 2, 1), 12)
    overview = staff_selectors.overview(center=world.center, now=now)
    assert overview.open_requests == [world.request]
    clashes = [(c.is_request, c.starts_at, c.group, c.issues) for c in overview.clashes]
    assert clashes == [
        (
            True,
            at(world.center, day, 18),
            "Sprachcafé Çağrı",
            ("überschneidet sich mit Kochgruppe Zukunft in Küche",),
        )
        for day in TUESDAYS[:2]
    ]
    use = {u.room.name: u for u in overview.room_use}
    # February 2030: 28 days × 14 opening hours, no public holiday in NW.
    assert use["Küche"].open_hours == 392
    assert use["Küche"].booked_hours == 4
    assert use["Küche"].percent == 1
    assert use["Saal"].booked_hours == 0 and use["Saal"].percent == 0


def test_closures_that_hit_bookings_are_clashes(world):
    Closure.objects.create(
        center=world.center,
        room=world.cafe,
        starts_at=at(world.center, date(2030, 2, 6), 0),
        ends_at=at(world.center, date(2030, 2, 7), 0),
        reason="Wasserschaden",
    )
    clashes = staff_selectors.clashes_between(
        world.center, at(world.center, date(2030, 2, 1), 0), at(world.center, date(2030, 3, 1), 0)
    )
    closure_clashes = [(c.group, c.issues) for c in clashes if not c.is_request]
    assert closure_clashes == [("Frauenfrühstück Öztürk", ("geschlossen: Wasserschaden",))]


def test_room_use_leaves_out_public_holidays(world):
    may = staff_selectors.room_use(world.center, date(2030, 5, 1))
    # May 2030 in NW: 1 May, Ascension (30 May) and Whit Monday is in June; 31 - 2 days.
    assert may[0].open_hours == 29 * 14


def test_overview_page(staff_client, world):
    body = staff_client.get(_url(world, "overview")).content.decode()
    assert "Sprachcafé Çağrı" in body
    assert "Küche" in body and "Saal" in body


# --- board ----------------------------------------------------------------------------------


def test_board_day_shows_confirmed_and_pending_with_their_buffers(staff_client, world):
    response = staff_client.get(_url(world, "board"), {"date": "2030-02-05"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "board-item board-confirmed" in body and "board-item board-pending" in body
    assert "Kochgruppe Zukunft" in body and "Sprachcafé Çağrı" in body
    assert "buffer-after" in body  # the kitchen has 30 minutes of cleanup
    assert (
        reverse("staff:request", kwargs={"slug": world.center.slug, "pk": world.request.pk}) in body
    )
    assert "?date=2030-02-04" in body and "?date=2030-02-06" in body


def test_board_week_and_filters(staff_client, world, make_equipment):
    board = staff_selectors.board(center=world.center, day=date(2030, 2, 6), view="week")
    assert board.days[0] == date(2030, 2, 4)
    cells = {row.room.name: row.cells for row in board.week_grid.rows}
    assert [e.label for e in cells["Café"][2].items] == ["Frauenfrühstück Öztürk"]
    kitchen = make_equipment("kitchen")
    only_kitchens = staff_selectors.board(
        center=world.center, day=date(2030, 2, 6), equipment=[kitchen], min_capacity=20
    )
    assert [room.name for room in only_kitchens.rooms] == ["Saal"]
    response = staff_client.get(
        _url(world, "board"),
        {"date": "2030-02-06", "view": "week", "equipment": kitchen.pk, "min_capacity": 20},
    )
    body = response.content.decode()
    assert "Saal" in body and "Frauenfrühstück" not in body


def test_board_marks_holidays_and_closures(staff_client, world):
    Closure.objects.create(
        center=world.center,
        room=None,
        starts_at=at(world.center, date(2030, 5, 2), 0),
        ends_at=at(world.center, date(2030, 5, 3), 0),
        reason="Betriebsausflug",
    )
    body = staff_client.get(
        _url(world, "board"), {"date": "2030-05-01", "view": "week"}
    ).content.decode()
    assert "is-holiday" in body
    assert "Betriebsausflug" in body


def test_board_survives_bad_parameters_and_says_which(staff_client, world):
    response = staff_client.get(
        _url(world, "board"), {"date": "kaputt", "view": "year", "min_capacity": "-3"}
    )
    # The board still shows (today, day view); the summary names each wrong value.
    assert response.status_code == 400
    assert response.context["board"].view == "day"
    summary = response.content.decode().split('role="alert"')[1].split("</div>")[0]
    assert summary.count("<li>") == 3


# --- closures -------------------------------------------------------------------------------


def _closure_data(world, **changes):
    data = {
        "room": "",
        "first_day": "2030-02-11",
        "last_day": "2030-02-17",
        "start": "",
        "end": "",
        "reason": "Winterpause",
    }
    data.update(changes)
    return data


def test_a_closure_is_previewed_before_it_is_saved(staff_client, world):
    response = staff_client.post(_url(world, "closures"), _closure_data(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert not Closure.objects.filter(reason="Winterpause").exists()
    assert "Kochgruppe Zukunft" in body and "Sprachcafé Çağrı" in body
    assert 'name="confirmed" value="1"' in body
    preview = response.context["preview"]
    assert [o.starts_at for o in preview["affected"]] == [at(world.center, TUESDAYS[1], 18)] * 2


def test_confirming_the_preview_saves_and_cancels_the_dates(staff_client, world):
    response = staff_client.post(_url(world, "closures"), _closure_data(world, confirmed="1"))
    assert response.status_code == 302
    closure = Closure.objects.get(reason="Winterpause")
    assert closure.room is None
    assert closure.starts_at == at(world.center, date(2030, 2, 11), 0)
    assert closure.ends_at == at(world.center, date(2030, 2, 18), 0)
    cooking_second = world.dates(world.confirmed)[1]
    assert (cooking_second.state, cooking_second.reason) == (
        OccurrenceState.CANCELLED,
        "Winterpause",
    )
    assert world.dates(world.request)[1].state == OccurrenceState.CANCELLED
    assert world.dates(world.request)[2].state == OccurrenceState.REQUESTED


def test_a_room_closure_for_some_hours(staff_client, world):
    staff_client.post(
        _url(world, "closures"),
        _closure_data(
            world,
            room=world.cafe.pk,
            first_day="2030-02-06",
            last_day="2030-02-06",
            start="08:00",
            end="10:00",
            reason="Reinigung",
            confirmed="1",
        ),
    )
    closure = Closure.objects.get(reason="Reinigung")
    assert closure.room == world.cafe
    assert closure.ends_at - closure.starts_at == timedelta(hours=2)
    assert world.dates(world.breakfast_series)[0].state == OccurrenceState.CANCELLED


@pytest.mark.parametrize(
    "changes",
    [
        {"reason": "  "},
        {"first_day": "2030-02-17", "last_day": "2030-02-11"},
        {"room": "999999"},
        {"first_day": "2030-01-01", "last_day": "2031-06-01"},
    ],
)
def test_bad_closures_are_refused(staff_client, world, changes):
    response = staff_client.post(
        _url(world, "closures"), _closure_data(world, confirmed="1", **changes)
    )
    assert response.status_code == 400
    assert not Closure.objects.exists()


def test_the_closures_page_lists_coming_holidays(staff_client, world):
    page = staff_selectors.closures_page(
        center=world.center, now=datetime(2030, 4, 1, 10, tzinfo=world.center.tz)
    )
    assert date(2030, 5, 1) in page.holidays
    assert staff_client.get(_url(world, "closures")).status_code == 200


def test_staff_shorten_a_closure_and_its_dates_come_back(staff_client, world):
    staff_client.post(_url(world, "closures"), _closure_data(world, confirmed="1"))
    closure = Closure.objects.get(reason="Winterpause")
    url = reverse("staff:closure_edit", kwargs={"slug": world.center.slug, "pk": closure.pk})
    page = staff_client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["last_day"] == date(2030, 2, 17)
    shorter = _closure_data(world, first_day="2030-02-13", version=closure.version)
    preview = staff_client.post(url, shorter)
    assert preview.status_code == 200
    released = preview.context["preview"]["released"]
    assert {o.series_id for o in released} == {world.confirmed.pk, world.request.pk}
    assert Closure.objects.get(pk=closure.pk).starts_at.day == 10  # nothing saved yet
    assert world.dates(world.confirmed)[1].state == OccurrenceState.CANCELLED
    response = staff_client.post(url, {**shorter, "confirmed": "1"})
    assert response.status_code == 302
    assert world.dates(world.confirmed)[1].state == OccurrenceState.CONFIRMED
    # The Sprachcafé's date was only requested: it waits for staff again.
    assert world.dates(world.request)[1].state == OccurrenceState.REQUESTED
    # Saving again from the old page (old version) changes nothing.
    response = staff_client.post(
        url, {**_closure_data(world, version=closure.version), "confirmed": "1"}, follow=True
    )
    assert world.dates(world.confirmed)[1].state == OccurrenceState.CONFIRMED
    assert "Jemand anderes hat das geändert" in response.content.decode()


def test_staff_remove_a_closure_and_its_dates_come_back(staff_client, world):
    staff_client.post(_url(world, "closures"), _closure_data(world, confirmed="1"))
    closure = Closure.objects.get(reason="Winterpause")
    url = reverse("staff:closure_delete", kwargs={"slug": world.center.slug, "pk": closure.pk})
    page = staff_client.get(url)
    assert page.status_code == 200
    assert len(page.context["back"]) == 2
    assert Closure.objects.filter(pk=closure.pk).exists()  # asking changes nothing
    response = staff_client.post(url, {"version": closure.version})
    assert response.status_code == 302
    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert world.dates(world.confirmed)[1].state == OccurrenceState.CONFIRMED
