"""The public group page: facts, the next ten dates with their changes, JSON-LD."""

import json
import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import OccurrenceState
from groups.models import Group


@pytest.fixture
def breakfast(make_center, make_room, make_group, make_series, make_organisation):
    center = make_center(name="Brunnenplatz", slug="brunnenplatz", street="Am Brunnen 1")
    cafe = make_room(center=center, name="Café")
    hall = make_room(center=center, name="Saal", step_free=False)
    group = make_group(
        center=center,
        name="Türkisches Frauenfrühstück",
        slug="fruehstueck",
        description="Frühstück & Gespräche </script><b>",
        kind=Group.Kind.CAFE,
        languages=["tr"],
        contact_name="Ayşe Demir",
        contact_phone="02362 12345",
        organisation=make_organisation(
            name="Frauenverein Dorsten e.V.", website="https://fv.example"
        ),
    )
    group.partners.add(make_organisation(name="Caritas Dorsten"))
    start = timezone.localdate() + timedelta(days=1)
    series, dates = make_series(
        group=group,
        room=cafe,
        start_date=start,
        start_time=time(9, 30),
        end_time=time(11, 30),
        weeks=15,
    )
    dates[0].state = OccurrenceState.CANCELLED
    dates[0].reason = "Heizungsausfall"
    dates[0].save(update_fields=["state", "reason"])
    moved = dates[1]
    moved.starts_at += timedelta(hours=1)
    moved.ends_at += timedelta(hours=1)
    moved.room = hall
    moved.save(update_fields=["starts_at", "ends_at", "room"])
    return {"center": center, "group": group, "dates": dates, "series": series}


def get(client, slug, language="en"):
    return client.get(f"/groups/{slug}/", HTTP_ACCEPT_LANGUAGE=language)


def test_group_page_shows_the_facts_and_the_next_ten_dates(client, breakfast):
    response = get(client, "fruehstueck")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Frauenverein Dorsten e.V." in body and "Caritas Dorsten" in body
    assert "Ayşe Demir" in body and "02362 12345" in body
    assert len(re.findall(r'<li class="date[ "]', body)) == 10
    assert "Heizungsausfall" in body and "Cancelled" in body
    assert re.search(r"from [^<]*09:30 \(Café\) to [^<]*10:30 \(Saal\)", body)
    assert "every " in body and "09:30–11:30, Café" in body


def test_a_date_can_be_downloaded_alone(client, breakfast):
    body = get(client, "fruehstueck").content.decode()
    # The page is English: so is the date it offers (issue 12, item 5).
    assert f'href="/feeds/occurrence/{breakfast["dates"][2].pk}.ics?lang=en"' in body


def test_internal_groups_do_not_exist_publicly(client, make_group):
    make_group(slug="intern", is_public=False)
    assert get(client, "intern").status_code == 404


def test_json_ld_has_one_event_per_date_with_status(client, breakfast):
    body = get(client, "fruehstueck").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert "</script><b>" not in script  # escaped: the description cannot end the script
    events = json.loads(script)
    assert len(events) == 10
    assert events[0]["eventStatus"] == "https://schema.org/EventCancelled"
    assert events[1]["eventStatus"] == "https://schema.org/EventRescheduled"
    assert events[2]["eventStatus"] == "https://schema.org/EventScheduled"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT09:30:00\+0[12]:00", events[2]["startDate"])
    assert events[2]["location"]["address"]["streetAddress"] == "Am Brunnen 1"
    assert events[2]["isAccessibleForFree"] is True
    assert events[2]["inLanguage"] == "tr"
    assert events[2]["organizer"]["name"] == "Frauenverein Dorsten e.V."
    assert events[1]["previousStartDate"].endswith(("T09:30:00+01:00", "T09:30:00+02:00"))


def test_group_page_queries_do_not_grow_with_dates(client, breakfast, make_series):
    with CaptureQueriesContext(connection) as before:
        get(client, "fruehstueck")
    group = breakfast["group"]
    make_series(
        group=group,
        room=breakfast["series"].room,
        start_date=timezone.localdate() + timedelta(days=2),
        start_time=time(15),
        end_time=time(16),
        weeks=20,
    )
    with CaptureQueriesContext(connection) as after:
        get(client, "fruehstueck")
    assert len(after) == len(before) <= 8


def test_group_page_in_german(client, breakfast):
    response = get(client, "fruehstueck", language="de")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_all_upcoming_dates_are_reachable_page_by_page(client, breakfast):
    first = get(client, "fruehstueck").content.decode()
    assert re.search(r'<a rel="next" href="\?page=2#dates"', first)
    assert "Page 1 of 2" in first

    second = client.get("/groups/fruehstueck/?page=2", HTTP_ACCEPT_LANGUAGE="en")

    body = second.content.decode()
    assert second.status_code == 200
    assert len(re.findall(r'<li class="date[ "]', body)) == len(breakfast["dates"]) - 10
    assert f'href="/feeds/occurrence/{breakfast["dates"][-1].pk}.ics?lang=en"' in body
    assert re.search(r'<a rel="prev" href="\?page=1#dates"', body)
    assert 'rel="next"' not in body


@pytest.mark.parametrize("page", ["x", "99", "0"])
def test_a_page_number_out_of_range_still_shows_dates(client, breakfast, page):
    response = client.get(f"/groups/fruehstueck/?page={page}")
    assert response.status_code == 200
    assert re.findall(r'<li class="date[ "]', response.content.decode())
