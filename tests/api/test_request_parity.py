"""A request made through the API and the same request made through the leader's form
(POST /me/request/) produce identical series, dates and per-date conflict reports."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from html import unescape

import pytest
from django.db import transaction

from api.services import api_token_create
from bookings import services
from bookings.recurrence import RecurrenceRule

FORM = {
    "start_date": "2030-02-05",
    "start_time": "18:00",
    "end_time": "20:00",
    "frequency": "weekly",
    "interval": "1",
    "weekdays": ["1"],
    "monthly_position": "1",
    "ends": "count",
    "count": "5",
    "expected_participants": "10",
    "note": "Wir bringen eigenes Geschirr mit.",
}
API = {
    "start_date": "2030-02-05",
    "start_time": "18:00",
    "end_time": "20:00",
    "frequency": "weekly",
    "interval": 1,
    "weekdays": [1],
    "count": 5,
    "expected_participants": 10,
    "note": "Wir bringen eigenes Geschirr mit.",
}


@pytest.fixture
def scene(make_user, make_center, make_room, make_group, make_equipment):
    """Tuesdays in February 2030: the 12th clashes with another group's confirmed booking,
    the 19th falls into a closure, the kitchen lacks the projector asked for."""
    center = make_center(name="Haus am Markt", slug="markt")
    staff = make_user(username="staff")
    center.staff.add(staff)
    leader = make_user(username="leila")
    rival_leader = make_user(username="rivale")
    kitchen = make_room(center=center, name="Küche", capacity=12)
    make_room(center=center, name="Café", capacity=30)
    group = make_group(center=center, name="Frauenfrühstück", slug="fruehstueck", leaders=[leader])
    rival = make_group(center=center, name="Kochgruppe", slug="kochgruppe", leaders=[rival_leader])
    services.booking_request_create(
        user=rival_leader,
        group=rival,
        room=kitchen,
        rule=RecurrenceRule(start_date=date(2030, 2, 12), start_time=time(19), end_time=time(21)),
        expected_participants=6,
    )
    services.closure_create(
        user=staff,
        center=center,
        starts_at=datetime(2030, 2, 19, 0, tzinfo=UTC),
        ends_at=datetime(2030, 2, 20, 0, tzinfo=UTC),
        reason="Betriebsausflug",
    )
    projector = make_equipment("projector", "Beamer")
    return {
        "leader": leader,
        "group": group,
        "kitchen": kitchen,
        "projector": projector,
        "token": api_token_create(user=leader, name="parity", scope="write")[1],
    }


def _outcome(series) -> dict:
    rule = {
        name: getattr(series, name)
        for name in (
            "group_id",
            "room_id",
            "title",
            "status",
            "frequency",
            "interval",
            "weekdays",
            "monthly_mode",
            "monthly_position",
            "monthly_day",
            "start_date",
            "start_time",
            "end_time",
            "until",
            "count",
            "extra_dates",
            "expected_participants",
            "note",
            "materialised_until",
            "created_by_id",
        )
    }
    rule["equipment"] = sorted(series.equipment_needed.values_list("code", flat=True))
    dates = list(
        series.occurrences.order_by("original_start").values_list(
            "original_start",
            "starts_at",
            "ends_at",
            "room_id",
            "state",
            "cause",
            "reason",
            "closure_id",
        )
    )
    return {"series": rule, "dates": dates}


def _by_form(client, scene, extra: dict) -> tuple[dict, str]:
    client.force_login(scene["leader"])
    data = {**FORM, "group": scene["group"].pk, "room": scene["kitchen"].pk, **extra}
    preview = client.post("/me/request/preview/", data).content.decode()
    response = client.post("/me/request/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    series_id = int(re.search(r"/me/series/(\d+)/", response["Location"]).group(1))
    from bookings.models import Series

    return _outcome(Series.objects.get(pk=series_id)), preview


def _by_api(api, scene, extra: dict) -> tuple[dict, dict, dict]:
    body = {**API, "group": "fruehstueck", "room": scene["kitchen"].pk, **extra}
    preview = api.post("/api/v1/requests/preview/", body, scene["token"])
    assert preview.status_code == 200, preview.content
    created = api.post("/api/v1/requests/", body, scene["token"])
    assert created.status_code == 201, created.content
    from bookings.models import Series

    series = Series.objects.get(pk=created.json()["series"]["id"])
    return _outcome(series), preview.json(), created.json()


@pytest.mark.parametrize(
    ("form_extra", "api_extra"),
    [
        ({}, {}),
        ({"equipment": ["PROJECTOR"]}, {"equipment": ["projector"]}),
        (
            {"ends": "until", "count": "", "until": "2030-03-05"},
            {"count": None, "until": "2030-03-05"},
        ),
    ],
    ids=["plain", "equipment missing", "until a date"],
)
def test_api_and_form_make_the_same_request(client, api, scene, form_extra, api_extra):
    if "equipment" in form_extra:
        form_extra = {"equipment": [scene["projector"].pk]}
    with transaction.atomic():
        by_form, form_preview = _by_form(client, scene, form_extra)
        transaction.set_rollback(True)  # as if it never happened: same starting point
    client.logout()
    by_api, api_preview, created = _by_api(api, scene, api_extra)

    assert by_api == by_form
    # The report came before the request was made, exactly as the preview showed it.
    assert created["report"] == api_preview
    dates = api_preview["dates"]
    assert len(dates) == len(by_api["dates"])
    verdicts = [d["verdict"] for d in dates]
    assert "refused" in verdicts and "skipped" in verdicts  # the clash and the closure
    # The form's preview shows each date with the same verdict and the same messages.
    for item in dates:
        pattern = (
            rf'<li class="preview-date ([^"]*)" id="date-{item["key"]}">(.*?)</li>'
            r'\s*(?=<li class="preview-date|</ol>)'
        )
        match = re.search(
            pattern,
            form_preview,
            re.S,
        )
        assert match, item["key"]
        css, html = match.group(1), unescape(match.group(2))
        # The form shows the policy's verdict for the date, the same as the API's.
        assert f"verdict-{item['verdict']}" in css.split(), (item["key"], css, item["verdict"])
        for issue in item["issues"]:
            assert issue["message"] in html, (item["key"], issue["message"])


def test_api_offers_the_alternatives_the_form_offers(client, api, scene):
    client.force_login(scene["leader"])
    data = {**FORM, "group": scene["group"].pk, "room": scene["kitchen"].pk}
    form_preview = unescape(client.post("/me/request/preview/", data).content.decode())
    body = {**API, "group": "fruehstueck", "room": scene["kitchen"].pk}
    report = api.post("/api/v1/requests/preview/", body, scene["token"]).json()
    clash = next(d for d in report["dates"] if d["verdict"] == "refused")
    assert clash["alternatives"], "the engine offers alternatives for the clash"
    for alternative in clash["alternatives"]:
        assert alternative["label"] in form_preview

    # Taking the first alternative through the API books it, as picking it in the form does.
    first = clash["alternatives"][0]
    picked = {
        "date": clash["original_start"],
        "room": first["room"]["id"],
        "starts_at": first["starts_at"],
        "ends_at": first["ends_at"],
    }
    created = api.post("/api/v1/requests/", {**body, "alternatives": [picked]}, scene["token"])
    assert created.status_code == 201, created.content
    moved = [
        d
        for d in created.json()["series"]["dates"]
        if d["original_start"] == clash["original_start"]
    ]
    assert moved[0]["room"]["id"] == first["room"]["id"]
    assert moved[0]["starts_at"][:16] == first["starts_at"][:16]
