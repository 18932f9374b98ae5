"""Every endpoint × role: anonymous, the group's leader, another leader, staff of the center,
staff of another center; revoked tokens, tokens of people switched off, read-only tokens.

The rules are the pages' rules: what is not yours does not exist (404); what you can see but
not do is 403; no token where one is needed is 401; a read-only token never writes (403).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from api.models import ApiToken
from bookings import services
from bookings.models import Occurrence, OccurrenceState, Series
from centers.models import Closure

PROBLEM = "application/problem+json"


def _closure(world):
    closure, _ = services.closure_create(
        user=world.staff,
        center=world.center,
        room=world.cafe,
        starts_at=datetime(2030, 3, 1, 8, tzinfo=UTC),
        ends_at=datetime(2030, 3, 1, 20, tzinfo=UTC),
        reason="Renovierung",
    )
    return closure


PUBLIC_GETS = [
    "/api/v1/centers/",
    "/api/v1/centers/markt/",
    "/api/v1/centers/markt/rooms/",
    "/api/v1/centers/markt/groups/",
    "/api/v1/centers/markt/dates/",
    "/api/v1/centers/markt/closures/",
    "/api/v1/groups/fruehstueck/",
    "/api/v1/groups/fruehstueck/dates/",
]


@pytest.mark.parametrize("path", PUBLIC_GETS)
@pytest.mark.parametrize("role", [None, "leader", "other_staff", "leader_read"])
def test_public_endpoints_answer_everyone(world, api, path, role):
    response = api.get(path, token=world.tokens[role] if role else None)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_internal_groups_do_not_exist_publicly(world, api):
    world.group.is_public = False
    world.group.save(update_fields=["is_public"])
    assert api.get("/api/v1/groups/fruehstueck/").status_code == 404
    assert api.get("/api/v1/groups/fruehstueck/dates/").status_code == 404
    listed = api.get("/api/v1/centers/markt/groups/").json()["results"]
    assert [g["slug"] for g in listed] == ["kochgruppe"]
    dates = api.get("/api/v1/centers/markt/dates/?from=2030-02-01&to=2030-02-28").json()
    assert dates["count"] == 0  # the rival's series is only requested: not public either


PERSONAL_GETS = [
    "/api/v1/me/",
    "/api/v1/me/groups/",
    "/api/v1/series/",
    "/api/v1/dates/",
    "/api/v1/queue/",
    "/api/v1/closures/",
]


@pytest.mark.parametrize("path", PERSONAL_GETS)
def test_personal_endpoints_need_a_token(world, api, path):
    response = api.get(path)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


@pytest.mark.parametrize("path", [*PERSONAL_GETS, "/api/v1/centers/"])
@pytest.mark.parametrize("how", ["revoked", "inactive", "unknown", "malformed"])
def test_dead_tokens_are_refused(world, api, path, how):
    token = world.tokens["leader"]
    if how == "revoked":
        ApiToken.objects.filter(user=world.leader).update(revoked_at=timezone.now())
    elif how == "inactive":
        world.leader.is_active = False
        world.leader.save(update_fields=["is_active"])
    elif how == "unknown":
        token = "tp_" + "x" * 43
    else:
        token = "not a token"
    response = api.get(path, token=token)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def _object_paths(world) -> dict[str, str]:
    closure = _closure(world)
    return {
        "series": f"/api/v1/series/{world.series.pk}/",
        "date": f"/api/v1/dates/{world.dates[0].pk}/",
        "rival_series": f"/api/v1/series/{world.rival.pk}/",
        "closure": f"/api/v1/closures/{closure.pk}/",
    }


# who sees what: the group's own leader and the center's staff see its series; the other
# leader and other center's staff get 404 as if it did not exist.
VISIBLE = {
    "leader": {"series": 200, "date": 200, "rival_series": 404, "closure": 404},
    "other_leader": {"series": 404, "date": 404, "rival_series": 200, "closure": 404},
    "staff": {"series": 200, "date": 200, "rival_series": 200, "closure": 200},
    "other_staff": {"series": 404, "date": 404, "rival_series": 404, "closure": 404},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_objects_are_visible_only_to_their_people(world, api, role):
    paths = _object_paths(world)
    for name, path in paths.items():
        for token in (world.tokens[role], world.tokens[f"{role}_read"]):
            response = api.get(path, token=token)
            assert response.status_code == VISIBLE[role][name], (role, name)
            if response.status_code == 404:
                assert response["Content-Type"] == PROBLEM


def test_lists_hold_only_what_is_yours(world, api):
    def ids(path, role):
        return {r["id"] for r in api.get(path, token=world.tokens[role]).json()["results"]}

    window = "?from=2030-02-01&to=2030-02-28"
    assert ids("/api/v1/series/", "leader") == {world.series.pk}
    assert ids("/api/v1/series/", "staff") == {world.series.pk, world.rival.pk}
    assert ids("/api/v1/series/", "other_staff") == set()
    assert ids("/api/v1/dates/" + window, "other_leader") == set(
        world.rival.occurrences.values_list("pk", flat=True)
    )
    assert ids("/api/v1/queue/", "staff") == {world.rival.pk}
    assert ids("/api/v1/queue/", "leader") == set()
    assert ids("/api/v1/queue/", "other_staff") == set()


# --- writes --------------------------------------------------------------------------------------


def _writes(world) -> list[tuple[str, str, dict]]:
    date = world.dates[1]
    rival_date = world.rival.occurrences.order_by("starts_at")[1]
    closure = _closure(world)
    return [
        ("cancel", f"/api/v1/dates/{date.pk}/cancel/", {"reason": "Ferien"}),
        ("move", f"/api/v1/dates/{date.pk}/move/", {"room": world.cafe.pk}),
        ("confirm_date", f"/api/v1/dates/{rival_date.pk}/confirm/", {}),
        ("decline_date", f"/api/v1/dates/{rival_date.pk}/decline/", {"reason": "belegt"}),
        ("confirm_series", f"/api/v1/series/{world.rival.pk}/confirm/", {}),
        ("decline_series", f"/api/v1/series/{world.rival.pk}/decline/", {"reason": "belegt"}),
        (
            "request",
            "/api/v1/requests/",
            {
                "group": "fruehstueck",
                "room": world.cafe.pk,
                "start_date": "2030-03-05",
                "start_time": "10:00",
                "end_time": "11:00",
                "expected_participants": 5,
            },
        ),
        (
            "closure_create",
            "/api/v1/closures/",
            {
                "center": "markt",
                "starts_at": "2030-04-01T08:00:00+02:00",
                "ends_at": "2030-04-01T18:00:00+02:00",
                "reason": "Putztag",
            },
        ),
        ("closure_delete", f"/api/v1/closures/{closure.pk}/", None),
    ]


def _send(api, name, path, data, token):
    if name == "closure_delete":
        return api.send("DELETE", path, None, token)
    return api.post(path, data, token)


# Expected status per role; 404: not theirs; 403: theirs to see, not to decide.
WRITES = {
    "leader": {
        "cancel": 200,
        "move": 200,
        "confirm_date": 404,
        "decline_date": 404,
        "confirm_series": 404,
        "decline_series": 404,
        "request": 201,
        "closure_create": 400,
        "closure_delete": 404,
    },
    "other_leader": {
        "cancel": 404,
        "move": 404,
        "confirm_date": 403,
        "decline_date": 403,
        "confirm_series": 403,
        "decline_series": 403,
        "request": 400,
        "closure_create": 400,
        "closure_delete": 404,
    },
    "staff": {
        "cancel": 200,
        "move": 200,
        "confirm_date": 200,
        "decline_date": 200,
        "confirm_series": 200,
        "decline_series": 200,
        "request": 201,
        "closure_create": 201,
        "closure_delete": 200,
    },
    "other_staff": {
        "cancel": 404,
        "move": 404,
        "confirm_date": 404,
        "decline_date": 404,
        "confirm_series": 404,
        "decline_series": 404,
        "request": 400,
        "closure_create": 400,
        "closure_delete": 404,
    },
}


@pytest.mark.parametrize("role", list(WRITES))
@pytest.mark.parametrize(
    "action",
    [
        "cancel",
        "move",
        "confirm_date",
        "decline_date",
        "confirm_series",
        "decline_series",
        "request",
        "closure_create",
        "closure_delete",
    ],
)
def test_writes_follow_the_pages_rules(world, api, role, action):
    name, path, data = next(w for w in _writes(world) if w[0] == action)
    response = _send(api, name, path, data, world.tokens[role])
    assert response.status_code == WRITES[role][action], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == PROBLEM


def _snapshot() -> tuple:
    dates = list(Occurrence.objects.order_by("pk").values_list("pk", "state", "version", "room"))
    return dates, Series.objects.count(), list(Closure.objects.values_list("pk", "starts_at"))


@pytest.mark.parametrize("role", list(WRITES))
def test_read_only_tokens_never_write(world, api, role):
    writes = _writes(world)
    before = _snapshot()
    for name, path, data in writes:
        response = _send(api, name, path, data, world.tokens[f"{role}_read"])
        # Not yours is still 404 first; otherwise the token's scope refuses it.
        assert response.status_code in (403, 404), (name, response.status_code)
        if response.status_code == 403:
            assert (
                "read-only" in response.json()["detail"] or "nur lesen" in response.json()["detail"]
            )
    assert _snapshot() == before


def test_anonymous_writes_are_401(world, api):
    for name, path, data in _writes(world):
        response = _send(api, name, path, data, None)
        assert response.status_code == 401, name


def test_read_only_token_may_preview(world, api):
    body = {
        "group": "fruehstueck",
        "room": world.kitchen.pk,
        "start_date": "2030-02-12",
        "start_time": "19:00",
        "end_time": "21:00",
        "expected_participants": 5,
    }
    response = api.post("/api/v1/requests/preview/", body, world.tokens["leader_read"])
    assert response.status_code == 200
    assert response.json()["dates"][0]["free"] is False


def test_a_cancelled_date_stays_cancelled_for_everyone_else(world, api):
    date = world.dates[2]
    api.post(f"/api/v1/dates/{date.pk}/cancel/", {"reason": "Ferien"}, world.tokens["leader"])
    date.refresh_from_db()
    assert date.state == OccurrenceState.CANCELLED
