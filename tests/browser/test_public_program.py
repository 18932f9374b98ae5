"""A resident finds the free Turkish offer in the Dorsten program and subscribes to it."""

from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from bookings.models import OccurrenceState
from groups.models import Group, Language
from tests.groups.factories import make_series


@pytest.fixture
def dorsten(
    make_center, make_room, make_group, make_organisation, make_user, settings, live_server
):
    # Feed addresses are absolute (SITE_URL): point them at the test server.
    settings.SITE_URL = live_server.url
    Language.objects.create(code="tr", name_de="Türkisch", name_en="Turkish")
    Language.objects.create(code="de", name_de="Deutsch", name_en="German")
    Language.objects.create(code="ar", name_de="Arabisch", name_en="Arabic")
    center = make_center(
        name="Kultur- und Begegnungszentrum am Brunnenplatz",
        slug="brunnenplatz",
        directions="Bus 272 und 274 bis Haltestelle Brunnenplatz; Eingang am Platz.",
    )
    cafe = make_room(center=center, name="Café", accessibility_notes="ebenerdig, breite Tür")
    hall = make_room(center=center, name="Großer Saal")
    make_room(
        center=center,
        name="Werkraum",
        floor=1,
        step_free=False,
        accessibility_notes="nur über Treppe",
    )
    start = timezone.localdate() + timedelta(days=1)
    leader = make_user(first_name="Privat", last_name="Person", email="privat@example.org")
    turkish = make_group(
        center=center,
        name="Türkischer Frauentreff",
        slug="tuerkischer-frauentreff",
        kind=Group.Kind.MEETING,
        audience=Group.Audience.WOMEN,
        description="Austausch, Tee und Beratung auf Türkisch und Deutsch.",
        contact_name="Frauentreff-Team",
        organisation=make_organisation(name="Türkischer Elternverein Dorsten e.V."),
        leaders=[leader],
    )
    turkish.languages.set(["tr", "de"])
    paid_turkish = make_group(
        center=center,
        name="Saz-Kurs",
        slug="saz-kurs",
        kind=Group.Kind.COURSE,
        free_of_charge=False,
        fee="5 € pro Termin",
    )
    paid_turkish.languages.set(["tr"])
    german = make_group(
        center=center, name="Deutsch-Café", slug="deutsch-cafe", kind=Group.Kind.CAFE
    )
    german.languages.set(["de", "ar"])
    _, dates = make_series(
        group=turkish, room=cafe, start_date=start, start_time=time(15), end_time=time(17), weeks=12
    )
    dates[1].state = OccurrenceState.CANCELLED
    dates[1].reason = "Ausflug nach Haltern am See"
    dates[1].save(update_fields=["state", "reason"])
    make_series(
        group=paid_turkish,
        room=hall,
        start_date=start,
        start_time=time(18),
        end_time=time(19, 30),
        weeks=12,
    )
    make_series(
        group=german,
        room=cafe,
        start_date=start + timedelta(days=1),
        start_time=time(10),
        end_time=time(12),
        weeks=12,
    )
    return center


def test_resident_filters_opens_group_and_subscribes(
    page, dorsten, screenshot, assert_accessible, tmp_path: Path
):
    page.goto("/centers/brunnenplatz/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kultur- und")
    screenshot(page, "public-center")
    assert_accessible(page, "center page")

    page.locator("main .page-intro a.button").click()  # "See the whole program"
    page.select_option("form.filters select[name=language]", "tr")
    page.check("input[name=free]")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "free=on" in page.url and "language=tr" in page.url
    entries = page.locator(".program-entry h2")
    assert entries.all_inner_texts() == ["Türkischer Frauentreff"]
    assert page.locator("form.filters select[name=language]").input_value() == "tr"
    assert page.locator("input[name=free]").is_checked()
    screenshot(page, "public-program")
    assert_accessible(page, "filtered program")

    entries.get_by_role("link").click()
    page.wait_for_load_state()
    cancelled = page.locator(".date-cancelled")
    assert cancelled.count() == 1
    assert "Ausflug nach Haltern am See" in cancelled.inner_text()
    assert "privat@example.org" not in page.content()
    screenshot(page, "public-group")
    assert_accessible(page, "group page")

    webcal = page.locator('a[data-kind="webcal"]').get_attribute("href")
    assert webcal == "webcal://" + dorsten_feed(page).split("://", 1)[1]
    with page.expect_download() as download_info:
        page.locator('.subscribe a[data-kind="https"]').click()
    feed = tmp_path / "feed.ics"
    download_info.value.save_as(feed)
    text = feed.read_text().replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "Türkischer Frauentreff" in text
    assert "Ausflug nach Haltern am See" in text


def dorsten_feed(page) -> str:
    return page.locator('.subscribe a[data-kind="https"]').get_attribute("href")
