"""The embedded program (iframe page, script fragment) and the open-data files."""

from __future__ import annotations

import csv
import io
import json

import pytest

from api.models import OpenData
from bookings import services

FEB = "?from=2030-02-01&to=2030-02-28"


# --- embed ---------------------------------------------------------------------------------------


def test_the_frame_may_be_framed_and_sets_no_cookie(world, client, settings):
    settings.EMBED_FRAME_ANCESTORS = "https://www.example.org"
    client.cookies.clear()
    response = client.get("/embed/markt/?lang=en")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors https://www.example.org" in csp
    assert "script-src" not in csp and "default-src 'none'" in csp  # no script at all
    assert not response.cookies
    assert "Set-Cookie" not in str(response.serialize_headers())
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Frauenfrühstück" in page and "Show offers" in page
    assert "<script" not in page and "style=" not in page


def test_other_pages_still_refuse_frames(world, client):
    assert client.get("/centers/markt/")["X-Frame-Options"] == "DENY"


def test_the_frame_filters_like_the_program(world, client):
    world.group.free_of_charge = False
    world.group.fee = "3 €"
    world.group.save()
    page = client.get("/embed/markt/?free=on&lang=de").content.decode()
    assert "Frauenfrühstück" not in page
    assert "1 Angebot" in page


def test_one_groups_next_dates(world, client):
    services.occurrence_cancel(user=world.leader, occurrence=world.dates[1], reason="Ferien")
    page = client.get("/embed/markt/?group=fruehstueck&lang=en").content.decode()
    assert "Next dates" in page and "Cancelled" in page and "Ferien" in page
    # A group of another center is not shown under this center.
    assert client.get("/embed/hafen/?group=fruehstueck").status_code == 404


def test_the_fragment_is_for_other_origins(world, client):
    response = client.get("/embed/markt/fragment/?lang=de")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    assert response.content.decode().lstrip().startswith('<div class="tp-root"')


def test_theme_colours_are_checked(client):
    css = client.get("/embed/theme.css?accent=1f6feb&text=red;}body{x&background=FFFFFF")
    body = css.content.decode()
    assert "--tp-accent:#1f6feb" in body and "--tp-background:#FFFFFF" in body
    assert "red" not in body and "body{" not in body


def test_the_script_is_served_at_a_stable_address(client):
    response = client.get("/embed/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"attachShadow" in response.content and b'credentials: "omit"' in response.content


def test_staff_find_the_snippets_on_their_overview(world, client):
    client.force_login(world.staff)
    page = client.get("/staff/markt/").content.decode()
    assert 'data-treffpunkt-program="markt"' in page
    assert "/embed/markt/" in page and "/open-data/markt/events.csv" in page


# --- open data -----------------------------------------------------------------------------------


def test_staff_set_the_licence(world, client):
    client.force_login(world.staff)
    response = client.post(
        "/open-data/markt/licence/", {"licence": "CC-BY-4.0", "attribution": "Haus am Markt"}
    )
    assert response.status_code == 302
    assert OpenData.objects.get(center=world.center).licence == "CC-BY-4.0"
    client.force_login(world.other_staff)
    assert client.post("/open-data/markt/licence/", {"licence": "CC0-1.0"}).status_code == 404
    client.force_login(world.leader)
    assert client.post("/open-data/markt/licence/", {"licence": "CC0-1.0"}).status_code == 404
    assert OpenData.objects.get(center=world.center).licence == "CC-BY-4.0"


@pytest.fixture
def licensed(world):
    OpenData.objects.create(center=world.center, licence="CC-BY-4.0", attribution="Haus am Markt")
    services.occurrence_cancel(user=world.leader, occurrence=world.dates[1], reason="Ferien")
    return world


def test_jsonld_is_a_feed_of_schema_org_events(licensed, client):
    response = client.get("/open-data/markt/events.jsonld" + FEB)
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    feed = json.loads(response.content)
    assert feed["@type"] == "DataFeed"
    assert feed["license"] == "https://creativecommons.org/licenses/by/4.0/"
    events = feed["dataFeedElement"]
    assert [e["@type"] for e in events] == ["Event"] * 4  # the rival's request is not public
    assert events[1]["eventStatus"] == "https://schema.org/EventCancelled"
    assert events[0]["startDate"] == "2030-02-05T18:00:00+01:00"
    api_feed = client.get("/api/v1/centers/markt/").json()
    assert api_feed["licence"]["id"] == "CC-BY-4.0"


def test_csv_has_a_row_per_date_and_the_licence(licensed, client):
    response = client.get("/open-data/markt/events.csv" + FEB)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert rows[1]["status"] == "cancelled" and rows[1]["reason"] == "Ferien"
    assert {r["licence"] for r in rows} == {"https://creativecommons.org/licenses/by/4.0/"}
    etag = response["ETag"]
    assert (
        client.get("/open-data/markt/events.csv" + FEB, HTTP_IF_NONE_MATCH=etag).status_code == 304
    )


def test_csv_cells_are_never_formulas(world, client):
    world.group.name = '=HYPERLINK("http://evil")'
    world.group.save()
    text = client.get("/open-data/markt/events.csv" + FEB).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_open_data_rejects_bad_windows(world, client):
    assert client.get("/open-data/markt/events.csv?from=soon").status_code == 400
    assert client.get("/open-data/nowhere/events.jsonld").status_code == 404


# --- tokens on the profile -----------------------------------------------------------------------


def test_tokens_are_made_and_revoked_on_the_profile(world, client, api):
    from api.models import ApiToken

    client.force_login(world.leader)
    profile = client.get("/profile/").content.decode()
    assert 'action="/profile/api-tokens/"' in profile
    made = client.post("/profile/api-tokens/", {"name": "Website", "scope": "read"})
    assert made.status_code == 201
    assert "no-store" in made["Cache-Control"]
    token = made.context["token"]
    assert token.startswith("tp_") and token in made.content.decode()
    row = ApiToken.objects.get(user=world.leader, name="Website")
    assert token not in row.token_hash and len(row.token_hash) == 64  # only the hash is kept
    assert token not in client.get("/profile/").content.decode()  # shown once
    assert api.get("/api/v1/me/", token).json()["scope"] == "read"
    # Someone else's token cannot be revoked by id.
    client.force_login(world.other_leader)
    client.post(f"/profile/api-tokens/{row.pk}/revoke/")
    assert api.get("/api/v1/me/", token).status_code == 200
    client.force_login(world.leader)
    client.post(f"/profile/api-tokens/{row.pk}/revoke/")
    assert api.get("/api/v1/me/", token).status_code == 401


def test_a_token_needs_a_name(world, client):
    client.force_login(world.leader)
    response = client.post("/profile/api-tokens/", {"name": " ", "scope": "write"})
    assert response.status_code == 400
    assert "tp_" not in response.content.decode()
