"""A leader makes an API token on the profile page, sees it once, uses it, revokes it; staff
copy the embed snippet and set the open-data licence on their center's overview."""

from __future__ import annotations

from django.test import Client

from tests.browser.conftest import DEMO_PASSWORD


def test_a_leader_makes_and_revokes_a_token(
    make_user, make_center, make_group, page, login, screenshot, assert_accessible
):
    leader = make_user(username="leila", password=DEMO_PASSWORD)
    make_group(center=make_center(slug="markt"), name="Frauenfrühstück", leaders=[leader])
    login(page, "leila")
    page.goto("/profile/")
    page.get_by_label("Name des Tokens").fill("Website des Frauentreffs")
    page.get_by_label("lesen und schreiben").check()
    page.get_by_role("button", name="Token erstellen").click()
    token = page.locator("#api-token").input_value()
    assert token.startswith("tp_")
    assert_accessible(page, "token shown once")
    screenshot(page, "api-token-created")

    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["scope"] == "write"

    page.get_by_role("link", name="Zurück zu Ihrem Profil").click()
    assert token not in page.content()
    row = page.get_by_role("row", name="Website des Frauentreffs")
    assert "lesen und schreiben" in row.inner_text()
    assert_accessible(page, "profile with tokens")
    screenshot(page, "api-tokens-profile")
    row.get_by_role("button", name="Widerrufen").click()
    page.get_by_text("Das API-Token wurde widerrufen").wait_for()
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_staff_copy_the_snippet_and_set_the_licence(
    make_user, make_center, page, login, screenshot, assert_accessible
):
    staff = make_user(username="stefanie", password=DEMO_PASSWORD)
    center = make_center(name="Haus am Markt", slug="markt")
    center.staff.add(staff)
    login(page, "stefanie")
    page.goto("/staff/markt/")
    snippet = page.get_by_role("textbox", name="Skript").input_value()
    assert 'data-treffpunkt-program="markt"' in snippet and "/embed/embed.js" in snippet
    page.get_by_label("Lizenz").select_option("CC-BY-4.0")
    page.get_by_label("Quellenangabe").fill("Haus am Markt, Dorsten")
    page.get_by_role("button", name="Lizenz speichern").click()
    page.get_by_text("Die Lizenz der offenen Daten wurde gespeichert.").wait_for()
    assert page.get_by_label("Lizenz").input_value() == "CC-BY-4.0"
    assert_accessible(page, "staff overview with embed panel")
    screenshot(page, "staff-embed-panel")
