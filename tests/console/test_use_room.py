"""Staff resolve every clashing date of a request with one room at once: exactly the engine's
same-time alternatives, one transaction, one e-mail; a page out of date stores nothing."""

import re
from datetime import time

import pytest
from django.urls import reverse

from bookings import services
from bookings.errors import BookingConflict
from bookings.models import Occurrence
from bookings.recurrence import RecurrenceRule
from console.selectors import request_card
from notifications.models import OutboxMessage

from .conftest import TUESDAYS, at


def _page(world) -> str:
    return reverse("staff:request", kwargs={"slug": world.center.slug, "pk": world.request.pk})


def _url(world) -> str:
    return reverse(
        "staff:request_use_room", kwargs={"slug": world.center.slug, "pk": world.request.pk}
    )


def _form(body: str, room_pk: int) -> dict[str, str]:
    """The hidden fields of the page's "use <room> for all clashing dates" form."""
    for form in [f for f in re.findall(r"<form.*?</form>", body, re.S) if "/room/" in f]:
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
        if fields.get("room") == str(room_pk):
            return fields
    raise AssertionError(f"no form for room {room_pk}")


def test_the_page_offers_each_room_the_engine_offers_for_all_clashing_dates(staff_client, world):
    staff_client.cookies["django_language"] = "en"
    card = request_card(world.request)
    clashing = [line.occurrence.pk for line in card.clashing]
    for line in card.clashing:  # the engine offers the hall at the same time for each
        assert any(a.kind == "room" and a.room == world.hall for a in line.alternatives)
    assert len(clashing) == 2

    body = staff_client.get(_page(world)).content.decode()

    assert "Use Saal for all 2 clashing dates" in body
    fields = _form(body, world.hall.pk)
    assert sorted(int(pk) for pk in fields["dates"].split(",")) == sorted(clashing)


def test_one_submit_moves_every_clashing_date_to_the_offered_alternative(
    staff_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    body = staff_client.get(_page(world)).content.decode()
    fields = _form(body, world.hall.pk)
    expected = {
        o.pk: (room.pk, start, end)
        for o, room, start, end in request_card(world.request).moves_to(world.hall.pk)
    }
    sent = OutboxMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_url(world), {**fields, "next": _page(world)})

    assert response.status_code == 302
    moved = {
        o.pk: (o.room_id, o.starts_at, o.ends_at)
        for o in Occurrence.objects.filter(pk__in=expected)
    }
    assert moved == expected
    assert all(room == world.hall.pk for room, _s, _e in moved.values())
    # The same time as asked: 18:00 on the first two Tuesdays.
    assert sorted(s for _r, s, _e in moved.values()) == [
        at(world.center, d, 18) for d in TUESDAYS[:2]
    ]
    assert not request_card(world.request).clashing
    # One e-mail per leader for all moved dates, not one per date.
    assert OutboxMessage.objects.count() - sent == world.request.group.leaders.count()
    moved_mails = [m for m in mailoutbox if "Saal" in m.body]
    assert len(moved_mails) == world.request.group.leaders.count()


def test_a_submit_after_the_offers_changed_stores_nothing(staff_client, world):
    staff_client.cookies["django_language"] = "en"
    body = staff_client.get(_page(world)).content.decode()
    fields = _form(body, world.hall.pk)
    # Meanwhile someone else takes the hall on the first clashing date.
    taken = services.booking_request_create(
        user=world.cook,
        group=world.cooking,
        room=world.hall,
        rule=RecurrenceRule(start_date=TUESDAYS[0], start_time=time(18), end_time=time(20)),
        expected_participants=8,
    )
    services.series_confirm(user=world.staff, series=taken)
    before = list(
        Occurrence.objects.filter(series=world.request).values_list(
            "pk", "room_id", "starts_at", "state"
        )
    )
    sent = OutboxMessage.objects.count()

    response = staff_client.post(_url(world), {**fields, "next": _page(world)}, follow=True)

    after = list(
        Occurrence.objects.filter(series=world.request).values_list(
            "pk", "room_id", "starts_at", "state"
        )
    )
    assert after == before
    assert OutboxMessage.objects.count() == sent
    assert any("nothing was moved" in str(m) for m in response.context["messages"])


def test_a_stale_version_or_invented_dates_store_nothing(staff_client, world):
    body = staff_client.get(_page(world)).content.decode()
    fields = _form(body, world.hall.pk)
    before = list(
        Occurrence.objects.filter(series=world.request).values_list("pk", "room_id", "state")
    )
    free_date = world.dates(world.request)[3].pk

    staff_client.post(_url(world), {**fields, "version": str(int(fields["version"]) - 1)})
    staff_client.post(_url(world), {**fields, "dates": f"{fields['dates']},{free_date}"})
    staff_client.post(_url(world), {**fields, "dates": "1e309"})
    staff_client.post(_url(world), {**fields, "room": str(world.kitchen.pk)})

    after = list(
        Occurrence.objects.filter(series=world.request).values_list("pk", "room_id", "state")
    )
    assert after == before


def test_the_service_moves_all_or_nothing(world):
    first, second = world.dates(world.request)[:2]
    cooking_date = world.dates(world.confirmed)[1]  # the kitchen, Tuesday 12, confirmed
    before = list(Occurrence.objects.values_list("pk", "room_id", "starts_at", "state"))

    with pytest.raises(BookingConflict):
        services.occurrences_move(
            user=world.staff,
            series=world.request,
            moves=[
                (first, world.hall, first.starts_at, first.ends_at),
                # Into the kitchen at the time the Kochgruppe holds it: refused.
                (second, world.kitchen, cooking_date.starts_at, cooking_date.ends_at),
            ],
        )

    assert list(Occurrence.objects.values_list("pk", "room_id", "starts_at", "state")) == before


def _time_form(body: str) -> dict[str, str]:
    forms = [
        f for f in re.findall(r"<form.*?</form>", body, re.S) if 'name="kind" value="time"' in f
    ]
    assert len(forms) == 1
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', forms[0]))


def test_same_room_another_time_moves_each_clashing_date_to_the_engines_nearest_time(
    staff_client, world
):
    staff_client.cookies["django_language"] = "en"
    card = request_card(world.request)
    expected = {
        o.pk: (room.pk, start, end) for o, room, start, end in card.moves_to(None, kind="time")
    }
    assert len(expected) == 2
    assert all(room == world.kitchen.pk for room, _s, _e in expected.values())
    for line in card.clashing:  # the first same-room alternative the engine offers
        first = next(a for a in line.alternatives if a.kind == "time")
        assert expected[line.occurrence.pk] == (first.room.pk, first.starts_at, first.ends_at)
    body = staff_client.get(_page(world)).content.decode()
    assert "Same room, another free time for all 2 clashing dates" in body

    response = staff_client.post(
        _url(world), {**_time_form(body), "next": _page(world)}, follow=True
    )

    moved = {
        o.pk: (o.room_id, o.starts_at, o.ends_at)
        for o in Occurrence.objects.filter(pk__in=expected)
    }
    assert moved == expected
    assert not request_card(world.request).clashing
    assert any("other free times in Küche" in str(m) for m in response.context["messages"])


def test_same_room_another_time_with_a_stale_page_stores_nothing(staff_client, world):
    fields = _time_form(staff_client.get(_page(world)).content.decode())
    before = list(Occurrence.objects.values_list("pk", "room_id", "starts_at", "state"))

    staff_client.post(_url(world), {**fields, "version": str(int(fields["version"]) + 1)})
    staff_client.post(_url(world), {**fields, "dates": fields["dates"].split(",")[0]})
    staff_client.post(_url(world), {**fields, "kind": "elsewhere"})

    assert list(Occurrence.objects.values_list("pk", "room_id", "starts_at", "state")) == before
