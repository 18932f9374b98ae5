"""The public endpoints: windows, changes and cancellations, ETag/304, errors as problem
details, throttling per IP and per token, stale edits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings import services
from bookings.models import Occurrence

FEB = "?from=2030-02-01&to=2030-02-28"
TUESDAYS_2030 = [date(2030, 2, 5)]


def test_dates_show_cancellations_and_moves(world, api):
    first, second, third = world.dates[:3]
    services.occurrence_cancel(user=world.leader, occurrence=first, reason="Ferien")
    services.occurrence_move(user=world.staff, occurrence=second, room=world.cafe)
    dates = api.get("/api/v1/centers/markt/dates/" + FEB).json()["results"]
    by_id = {d["id"]: d for d in dates}
    assert by_id[first.pk]["status"] == "cancelled"
    assert by_id[first.pk]["reason"] == "Ferien"
    assert by_id[first.pk]["cause"] == "group"
    assert by_id[second.pk]["status"] == "rescheduled"
    assert by_id[second.pk]["room"]["name"] == "Café"
    assert by_id[third.pk]["status"] == "scheduled"
    assert by_id[third.pk]["reason"] is None  # internal notes stay internal
    assert by_id[third.pk]["starts_at"] == "2030-02-19T18:00:00+01:00"  # the center's time

    cancelled = api.get("/api/v1/centers/markt/dates/" + FEB + "&status=cancelled").json()
    assert [d["id"] for d in cancelled["results"]] == [first.pk]


def test_windows_are_checked(world, api):
    for query in (
        "?from=2030-03-01&to=2030-02-01",
        "?from=2030-01-01&to=2031-06-01",
        "?from=0001-01-01",
        "?from=banana",
        "?room=99999999999999999999",
    ):
        response = api.get("/api/v1/centers/markt/dates/" + query)
        assert response.status_code == 400, query
        body = response.json()
        assert response["Content-Type"] == "application/problem+json"
        assert body["status"] == 400 and body["errors"], query
    march = api.get("/api/v1/centers/markt/dates/?from=2030-03-01&to=2030-03-31").json()
    assert march["count"] == 0


def test_etag_and_304_follow_the_plan_version(world, api):
    url = "/api/v1/centers/markt/dates/" + FEB
    first = api.get(url)
    etag = first["ETag"]
    assert etag and first["Cache-Control"].startswith("public")
    with CaptureQueriesContext(connection) as queries:
        again = api.get(url, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert len(queries) <= 2  # the center and its plan version: no dates, groups or rooms
    # Another window is another response.
    assert api.get(url + "&group=fruehstueck")["ETag"] != etag
    # A change of the plan (a cancellation) changes the ETag.
    services.occurrence_cancel(user=world.leader, occurrence=world.dates[0], reason="krank")
    changed = api.get(url, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize(
    "change",
    ["rename the group", "unpublish the group", "rename the room", "rename the center"],
)
def test_etag_follows_what_the_dates_show_of_groups_rooms_and_the_center(world, api, change):
    url = "/api/v1/centers/markt/dates/" + FEB
    etag = api.get(url)["ETag"]
    center = world.group.center
    if change == "rename the group":
        world.group.name = "Frauenfrühstück am Markt"
        world.group.save()
    elif change == "unpublish the group":
        world.group.is_public = False
        world.group.save()
    elif change == "rename the room":
        room = center.rooms.get(name="Küche")
        room.name = "Lehrküche"
        room.save()
    else:
        center.name = "Begegnungszentrum am Markt"
        center.save()
    assert api.get(url, **{"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/centers/",
        "/api/v1/centers/markt/rooms/",
        "/api/v1/centers/markt/groups/",
        "/api/v1/centers/markt/closures/",
    ],
)
def test_every_list_answers_304_when_unchanged(world, api, path):
    etag = api.get(path)["ETag"]
    assert api.get(path, **{"If-None-Match": etag}).status_code == 304
    assert api.get(path, **{"If-None-Match": '"other"'}).status_code == 200


def test_personal_lists_have_etags_per_person(world, api):
    leader = api.get("/api/v1/series/", world.tokens["leader"])
    staff = api.get("/api/v1/series/", world.tokens["staff"])
    assert leader["ETag"] != staff["ETag"]
    assert leader["Cache-Control"] == "private, no-cache"
    assert (
        api.get(
            "/api/v1/series/", world.tokens["leader"], **{"If-None-Match": leader["ETag"]}
        ).status_code
        == 304
    )


def test_group_filters_are_the_programs(world, api):
    world.group.free_of_charge = False
    world.group.fee = "2 €"
    world.group.save()
    free = api.get("/api/v1/centers/markt/groups/?free=true").json()
    assert [g["slug"] for g in free["results"]] == ["kochgruppe"]
    assert api.get("/api/v1/centers/markt/groups/?kind=nonsense").status_code == 400


def test_stale_edits_are_refused(world, api):
    date = world.dates[1]
    token = world.tokens["leader"]
    old = api.get(f"/api/v1/dates/{date.pk}/", token)
    assert old["ETag"] == f'"v{date.version}"'
    services.occurrence_move(user=world.staff, occurrence=date, room=world.cafe)
    by_header = api.post(
        f"/api/v1/dates/{date.pk}/cancel/", {"reason": "Ferien"}, token, **{"If-Match": old["ETag"]}
    )
    assert by_header.status_code == 412
    assert by_header.json()["code"] == "stale"
    by_field = api.post(
        f"/api/v1/dates/{date.pk}/cancel/", {"reason": "Ferien", "version": 1}, token
    )
    assert by_field.status_code == 409
    current = by_field.json()["current_version"]
    ok = api.post(
        f"/api/v1/dates/{date.pk}/cancel/", {"reason": "Ferien", "version": current}, token
    )
    assert ok.status_code == 200
    assert ok.json()["state"] == "cancelled"


def test_service_errors_are_problem_details(world, api):
    past = Occurrence.objects.filter(pk=world.dates[0].pk)
    past.update(
        starts_at=datetime.now(UTC) - timedelta(days=2),
        ends_at=datetime.now(UTC) - timedelta(days=2, hours=-1),
    )
    response = api.post(
        f"/api/v1/dates/{world.dates[0].pk}/cancel/", {"reason": "x"}, world.tokens["leader"]
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]["occurrence"]
    missing = api.post(f"/api/v1/dates/{world.dates[1].pk}/cancel/", {}, world.tokens["leader"])
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    bad_json = api.client.post(
        f"/api/v1/dates/{world.dates[1].pk}/cancel/",
        "{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['leader']}",
    )
    assert bad_json.status_code == 400
    assert bad_json["Content-Type"] == "application/problem+json"


def test_errors_speak_the_callers_language(world, api):
    german = api.get("/api/v1/series/")
    english = api.get("/api/v1/series/", **{"Accept-Language": "en"})
    assert german.json()["detail"] != english.json()["detail"]
    assert "token" in english.json()["detail"].lower()


def test_throttled_per_ip_and_per_token(world, api, settings):
    settings.API_THROTTLE_RATES = {"ip": "5/min", "token": "2/min"}
    token = world.tokens["leader"]
    assert [api.get("/api/v1/me/", token).status_code for _ in range(3)] == [200, 200, 429]
    limited = api.get("/api/v1/me/", token)
    assert limited["Retry-After"]
    assert limited["Content-Type"] == "application/problem+json"
    # Another token has its own budget, but the address is shared: 5 per minute in all.
    other = world.tokens["staff"]
    assert [api.get("/api/v1/me/", other).status_code for _ in range(2)] == [200, 429]
    assert api.get("/api/v1/centers/").status_code == 429


def test_unknown_api_addresses_are_problems(api):
    response = api.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert api.get("/api/v1/series/123456789012345678901234/").status_code == 404


def test_docs_use_no_inline_script(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page
    assert "swagger-ui-bundle.js" in page
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_fast_date_serializer_says_what_the_fields_say(world):
    from rest_framework import serializers as drf

    from api.serializers.public import PublicDateSerializer

    services.occurrence_cancel(user=world.leader, occurrence=world.dates[0], reason="Ferien")
    services.occurrence_move(user=world.staff, occurrence=world.dates[1], room=world.cafe)
    dates = Occurrence.objects.filter(series=world.series).select_related("series__group", "room")
    serializer = PublicDateSerializer()
    with timezone.override(world.center.tz):
        for date in dates:
            slow = drf.Serializer.to_representation(serializer, date)
            assert serializer.to_representation(date) == dict(slow)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/centers/markt/groups/",
        "/api/v1/centers/markt/dates/" + FEB,
        "/api/v1/centers/markt/rooms/",
        "/api/v1/centers/markt/closures/",
        "/open-data/markt/events.jsonld" + FEB,
        "/open-data/markt/events.csv" + FEB,
        "/embed/markt/",
    ],
)
def test_queries_do_not_grow_with_the_groups(world, api, make_group, make_room, path):
    from tests.groups.factories import make_series

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        group = make_group(center=world.center, slug=f"neu-{n}", languages=["de", "tr"])
        room = make_room(center=world.center, name=f"Neu {n}")
        make_series(group=group, room=room, start_date=TUESDAYS_2030[0], weeks=3)
    assert count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/series/",
        "/api/v1/dates/" + FEB,
        "/api/v1/queue/",
        "/api/v1/me/groups/",
        "/api/v1/closures/",
    ],
)
def test_personal_lists_do_not_grow_with_the_groups(world, api, make_group, make_room, path):
    from tests.groups.factories import make_series

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path, world.tokens["staff"]).status_code == 200
        return len(queries)

    count()  # the token's "last used" is written on its first use
    before = count()
    for n in range(5):
        group = make_group(center=world.center, slug=f"neu-{n}")
        room = make_room(center=world.center, name=f"Neu {n}")
        make_series(
            group=group,
            room=room,
            start_date=TUESDAYS_2030[0],
            weeks=3,
            status="pending",
            date_state="requested",
        )
    assert count() == before
