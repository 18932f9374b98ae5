"""The request queue: per-date reports, competing requests side by side, and every decision."""

from datetime import time

import pytest
from django.urls import reverse

from bookings import services
from bookings.models import Occurrence, OccurrenceState, SeriesStatus
from bookings.recurrence import RecurrenceRule
from console import selectors as staff_selectors
from notifications.models import OutboxMessage

from .conftest import TUESDAYS, at

pytestmark = pytest.mark.django_db


def _url(world, name, pk):
    return reverse(f"staff:{name}", kwargs={"slug": world.center.slug, "pk": pk})


def test_a_request_shows_which_dates_clash_and_with_whom(world):
    card = staff_selectors.request_card(world.request)
    assert [line.occurrence.starts_at for line in card.dates] == [
        at(world.center, day, 18) for day in TUESDAYS
    ]
    assert [bool(line.hard) for line in card.dates] == [True, True, False, False]
    assert all("Kochgruppe Zukunft" in line.hard[0].message for line in card.clashing)


def test_the_queue_lists_open_requests_by_first_date_and_only_the_own_centers(world):
    clusters = staff_selectors.queue(centers=[world.center])
    assert [[c.series for c in cluster] for cluster in clusters] == [[world.request]]


def test_competing_requests_are_grouped_side_by_side(world, make_group):
    rival_group = make_group(center=world.center, name="Chor Harmonie", leaders=[world.cook])
    rival = services.booking_request_create(
        user=world.cook,
        group=rival_group,
        room=world.kitchen,
        rule=_tuesday(TUESDAYS[2]),
        expected_participants=5,
    )
    later = services.booking_request_create(
        user=world.cook,
        group=rival_group,
        room=world.hall,
        rule=_tuesday(TUESDAYS[3], start=9, end=10),
    )
    clusters = staff_selectors.queue(centers=[world.center])
    assert [{c.series.pk for c in cluster} for cluster in clusters] == [
        {world.request.pk, rival.pk},
        {later.pk},
    ]


def _tuesday(day, start=18, end=20):
    return RecurrenceRule(start_date=day, start_time=time(start), end_time=time(end))


def test_the_queue_page_shows_reports_and_actions(staff_client, world):
    response = staff_client.get(reverse("staff:requests", kwargs={"slug": world.center.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sprachcafé Çağrı" in body
    assert body.count('class="is-clashing"') == 2
    assert body.count('class="is-free"') == 2
    assert "Nähcafé" not in body  # the other center's request
    assert _url(world, "request_confirm", world.request.pk) in body
    # The index gathers every center the person runs.
    assert "Sprachcafé Çağrı" in staff_client.get("/staff/").content.decode()


def test_confirm_all_is_refused_while_dates_clash_and_names_them(staff_client, world):
    response = staff_client.post(
        _url(world, "request_confirm", world.request.pk), {"mode": "all"}, follow=True
    )
    assert "05.02.2030" in response.content.decode()
    assert world.request.occurrences.filter(state=OccurrenceState.CONFIRMED).count() == 0


def _v(series) -> int:
    series.refresh_from_db()
    return series.version


def test_a_decision_made_on_an_old_page_changes_nothing(staff_client, world):
    seen = _v(world.request)
    second = world.dates(world.request)[1]
    staff_client.post(
        _url(world, "date_decline", second.pk), {"reason": "belegt", "version": second.version}
    )
    response = staff_client.post(
        _url(world, "request_confirm", world.request.pk),
        {"mode": "free", "version": seen},
        follow=True,
    )
    assert [o.state for o in world.dates(world.request)] == [
        "requested",
        "declined",
        "requested",
        "requested",
    ]
    body = response.content.decode()
    assert "Jemand anderes hat das geändert" in body
    assert "belegt" in body


def test_confirm_all_but_the_clashing_dates(staff_client, world):
    staff_client.post(
        _url(world, "request_confirm", world.request.pk),
        {"mode": "free", "note": "Gern!", "version": _v(world.request)},
    )
    states = [o.state for o in world.dates(world.request)]
    assert states == ["requested", "requested", "confirmed", "confirmed"]
    world.request.refresh_from_db()
    assert world.request.status == SeriesStatus.PARTLY_CONFIRMED


def test_move_a_clashing_date_to_another_room_then_confirm(staff_client, world):
    first = world.dates(world.request)[0]
    response = staff_client.post(
        _url(world, "date_move", first.pk),
        {
            "room": world.hall.pk,
            "day": "2030-02-05",
            "start": "18:00",
            "end": "20:00",
            "version": first.version,
        },
    )
    assert response.status_code == 302
    assert "#" not in response["Location"]  # the page opens at the message (issue 17)
    first.refresh_from_db()
    assert first.room == world.hall and first.state == OccurrenceState.REQUESTED
    card = staff_selectors.request_card(world.request)
    assert [bool(line.hard) for line in card.dates] == [False, True, False, False]


def test_move_refuses_a_room_of_another_center(staff_client, world):
    first = world.dates(world.request)[0]
    foreign_room = world.other_request.room
    staff_client.post(
        _url(world, "date_move", first.pk),
        {"room": foreign_room.pk, "day": "2030-02-05", "start": "18:00", "end": "20:00"},
    )
    first.refresh_from_db()
    assert first.room == world.kitchen


def test_decline_one_date_needs_a_reason(staff_client, world):
    second = world.dates(world.request)[1]
    staff_client.post(
        _url(world, "date_decline", second.pk), {"reason": "  ", "version": second.version}
    )
    second.refresh_from_db()
    assert second.state == OccurrenceState.REQUESTED
    staff_client.post(
        _url(world, "date_decline", second.pk),
        {"reason": "Küche belegt", "version": second.version},
    )
    second.refresh_from_db()
    assert (second.state, second.reason) == (OccurrenceState.DECLINED, "Küche belegt")


def test_bulk_actions_for_many_dates(staff_client, world):
    dates = world.dates(world.request)
    url = _url(world, "request_dates", world.request.pk)
    staff_client.post(
        url,
        {"dates": [dates[2].pk, dates[3].pk], "action": "decline", "version": _v(world.request)},
    )
    assert Occurrence.objects.filter(pk=dates[2].pk, state="requested").exists()  # no reason
    staff_client.post(
        url,
        {"dates": [dates[2].pk, dates[3].pk], "action": "confirm", "version": _v(world.request)},
    )
    states = [o.state for o in world.dates(world.request)]
    assert states == ["requested", "requested", "confirmed", "confirmed"]
    sent = OutboxMessage.objects.count()
    staff_client.post(
        url,
        {
            "dates": [dates[0].pk, dates[1].pk],
            "action": "decline",
            "reason": "belegt",
            "version": _v(world.request),
        },
    )
    assert [o.state for o in world.dates(world.request)][:2] == ["declined", "declined"]
    # Declining several dates at once tells each leader once, not once per date.
    leaders = world.request.group.leaders.count()
    assert OutboxMessage.objects.count() - sent == leaders


def test_bulk_confirm_with_a_clashing_date_changes_nothing(staff_client, world):
    dates = world.dates(world.request)
    response = staff_client.post(
        _url(world, "request_dates", world.request.pk),
        {"dates": [dates[0].pk, dates[2].pk], "action": "confirm", "version": _v(world.request)},
        follow=True,
    )
    assert "05.02.2030" in response.content.decode()
    assert [o.state for o in world.dates(world.request)] == ["requested"] * 4


def test_decline_the_whole_request(staff_client, world):
    staff_client.post(
        _url(world, "request_decline", world.request.pk),
        {"reason": "Kein Platz", "version": _v(world.request)},
    )
    world.request.refresh_from_db()
    assert world.request.status == SeriesStatus.DECLINED
    assert {o.reason for o in world.dates(world.request)} == {"Kein Platz"}


def test_write_to_the_leaders(staff_client, world):
    from notifications.models import Message

    staff_client.post(
        _url(world, "request_message", world.request.pk), {"body": "Geht auch 17 Uhr?"}
    )
    assert Message.objects.filter(series=world.request, body="Geht auch 17 Uhr?").exists()


def test_next_must_stay_on_this_site(staff_client, world):
    response = staff_client.post(
        _url(world, "request_message", world.request.pk),
        {"body": "Hallo", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/staff/")


def test_the_request_page_shows_the_history(staff_client, world):
    second = world.dates(world.request)[1]
    staff_client.post(
        _url(world, "date_decline", second.pk), {"reason": "belegt", "version": second.version}
    )
    body = staff_client.get(_url(world, "request", world.request.pk)).content.decode()
    assert "belegt" in body
    assert 'id="history-' in body


def test_clashing_dates_come_with_suggestions_staff_can_click(staff_client, world):
    card = staff_selectors.request_card(world.request)
    first = card.clashing[0]
    assert first.alternatives, "a free room at the same time should be suggested"
    same_time = [a for a in first.alternatives if a.starts_at == first.occurrence.starts_at]
    assert world.hall in [a.room for a in same_time]
    assert world.kitchen not in [a.room for a in same_time]
    body = staff_client.get(_url(world, "request", world.request.pk)).content.decode()
    assert f'name="room" value="{world.hall.pk}"' in body
