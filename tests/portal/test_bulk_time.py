"""One choice for every clashing date: "same room, another free time" picks, for each clashing
date, the engine's nearest free time in the requested room; sending stores exactly those, and a
choice that is no longer free stores nothing."""

import re
from datetime import datetime, time

import pytest
from django.urls import reverse

from bookings.alternatives import alternatives_for_report
from bookings.conflicts import check
from bookings.models import Series
from bookings.recurrence import RecurrenceRule, expand
from portal.forms import alternative_value, parse_slot_key, slot_key

from .conftest import TUESDAYS, request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_clashes(place, book):
    for day in (TUESDAYS[1], TUESDAYS[3]):
        book(user=place.other_leader, group=place.other_group, room=place.kitchen, day=day)


def _offered_times(place) -> dict[str, str]:
    """What the engine offers: per clashing date, its first same-room alternative."""
    rule = RecurrenceRule(
        start_date=TUESDAYS[0],
        start_time=time(18),
        end_time=time(20),
        frequency="weekly",
        count=4,
    )
    report = check(
        room=place.kitchen,
        slots=expand(rule, place.center.tz),
        expected_participants=8,
        now=datetime.now(tz=place.center.tz),
    )
    found = alternatives_for_report(room=place.kitchen, report=report, expected_participants=8)
    offered = {}
    for start, alts in found.items():
        first = next((a for a in alts if a.kind == "time"), None)
        if first is not None:
            offered[slot_key(start)] = alternative_value(
                first.room.pk, first.starts_at, first.ends_at
            )
    return offered


def _picked(body: str) -> dict[str, str]:
    return {
        key: value
        for key, value in re.findall(
            r'<input type="radio" name="alt-([^"]+)"[^>]*value="([^"]*)"[^>]* checked>', body
        )
        if value
    }


def _data(place) -> dict[str, str]:
    return {**request_data(place), "count": "4"}


def test_the_preview_offers_another_time_for_all_clashing_dates(client, place, two_clashes):
    client.force_login(place.leader)
    client.cookies["django_language"] = "en"

    body = client.post(
        reverse("leader:request_preview"), _data(place), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert re.search(
        r'<button type="submit" name="use_time" value="1"[^>]*>Küche at another free time for '
        r"all 2 clashing dates</button>",
        body,
    ), body


def test_one_submit_picks_exactly_the_engines_same_room_times(client, place, two_clashes):
    client.force_login(place.leader)
    offered = _offered_times(place)
    assert len(offered) == 2

    response = client.post(reverse("leader:request"), {**_data(place), "use_time": "1"})

    assert response.status_code == 200
    assert not Series.objects.filter(group=place.group).exists()  # checked, not sent
    picked = _picked(response.content.decode())
    assert picked == offered
    assert all(v.startswith(f"{place.kitchen.pk}|") for v in picked.values())

    sent = client.post(
        reverse("leader:request"),
        {**_data(place), "send": "1", **{f"alt-{k}": v for k, v in picked.items()}},
    )

    assert sent.status_code == 302
    series = Series.objects.get(group=place.group)
    stored = {
        slot_key(o.original_start): alternative_value(o.room_id, o.starts_at, o.ends_at)
        for o in series.occurrences.all()
        if o.starts_at != o.original_start
    }
    assert stored == offered


def test_a_picked_time_taken_meanwhile_stores_nothing(client, place, two_clashes, book):
    client.force_login(place.leader)
    picked = _picked(
        client.post(reverse("leader:request"), {**_data(place), "use_time": "1"}).content.decode()
    )
    first = sorted(picked)[0]
    _room, start, end = picked[first].split("|")
    local = parse_slot_key(start).astimezone(place.center.tz)
    ends = parse_slot_key(end)
    book(
        user=place.other_leader,
        group=place.other_group,
        room=place.kitchen,
        day=local.date(),
        start=local.time(),
        end=ends.astimezone(place.center.tz).time(),
    )

    response = client.post(
        reverse("leader:request"),
        {**_data(place), "send": "1", **{f"alt-{k}": v for k, v in picked.items()}},
    )

    assert response.status_code == 400  # the form again, saying the choice is taken
    assert "is no longer free" in response.content.decode() or "nicht mehr frei" in (
        response.content.decode()
    )
    assert not Series.objects.filter(group=place.group).exists()
