"""Staff resolve a clashing request in the browser; the leader sees the outcome; the board
shows the moved date in its new room. Every staff page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from bookings.models import OccurrenceState, SeriesStatus
from tests.console.conftest import TUESDAYS, world  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_resolve_a_clashing_request_and_the_leader_sees_it(
    page,
    world,  # noqa: F811
    login,
    screenshot,
    assert_accessible,
):
    series = world.request
    first, second, third, fourth = world.dates(series)
    login(page, "anna")
    page.goto(f"/staff/{world.center.slug}/requests/")
    card = page.locator(f"#request-{series.pk}")
    expect(card.locator("tr.is-clashing")).to_have_count(2)
    screenshot(page, "staff-queue")
    assert_accessible(page, "request queue")

    card.get_by_role("link", name="Sprachcafé Çağrı").click()
    expect(page).to_have_url(re.compile(rf"/requests/{series.pk}/$"))

    # Move the first clashing date to the suggested room.
    row = page.locator(f"#date-{first.pk}")
    row.locator(".inline-action button", has_text="Saal").click()
    expect(page.locator(".messages")).to_contain_text("Saal")
    expect(page.locator(f"#date-{first.pk}")).to_have_class(re.compile("is-free"))

    # Decline the other with a reason.
    row = page.locator(f"#date-{second.pk}")
    row.locator(f"#reason-{second.pk}").fill("Die Küche ist an diesem Abend vergeben.")
    row.locator(".decline-date button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()

    # Confirm the rest.
    page.locator(f"#request-{series.pk} button[name=mode][value=all]").click()
    expect(page.locator(".messages")).to_contain_text("Sprachcafé")
    assert_accessible(page, "request page after the decisions")
    screenshot(page, "staff-request-decided")

    states = {o.pk: (o.state, o.room_id, o.reason) for o in world.dates(series)}
    assert states[first.pk][:2] == (OccurrenceState.CONFIRMED, world.hall.pk)
    assert states[second.pk] == (
        OccurrenceState.DECLINED,
        world.kitchen.pk,
        "Die Küche ist an diesem Abend vergeben.",
    )
    assert states[third.pk][0] == states[fourth.pk][0] == OccurrenceState.CONFIRMED
    series.refresh_from_db()
    assert series.status == SeriesStatus.PARTLY_CONFIRMED

    # The board shows the moved date in the new room.
    page.goto(f"/staff/{world.center.slug}/board/?date={TUESDAYS[0].isoformat()}")
    hall_row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^Saal")))
    expect(hall_row).to_contain_text("Sprachcafé Çağrı")
    kitchen_row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^Küche")))
    expect(kitchen_row).not_to_contain_text("Sprachcafé")

    # The leader sees the outcome on their dashboard.
    page.context.clear_cookies()
    login(page, "lale")
    page.goto("/me/")
    expect(page.locator("main")).to_contain_text("Sprachcafé Çağrı")
    page.goto(f"/me/series/{series.pk}/")
    expect(page.locator("main")).to_contain_text("Die Küche ist an diesem Abend vergeben.")
    expect(page.locator("main")).to_contain_text("Saal")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("staff-overview", ""),
        ("staff-board-day", "board/?date=2030-02-05"),
        ("staff-board-week", "board/?date=2030-02-05&view=week"),
        ("staff-closures", "closures/"),
        ("staff-week", "week/?date=2030-02-05"),
    ],
)
def test_staff_pages_are_accessible(
    page,
    world,  # noqa: F811
    login,
    screenshot,
    assert_accessible,
    name,
    path,
):
    login(page, "anna")
    page.goto(f"/staff/{world.center.slug}/{path}")
    expect(page.locator("h1")).to_be_visible()
    screenshot(page, name)
    assert_accessible(page, name)


def test_closure_preview_in_the_browser(page, world, login, assert_accessible):  # noqa: F811
    login(page, "anna")
    page.goto(f"/staff/{world.center.slug}/closures/")
    page.locator("#id_first_day").fill("2030-02-11")
    page.locator("#id_last_day").fill("2030-02-17")
    page.locator("#id_reason").fill("Winterpause")
    page.locator("form.stacked-form button[type=submit]").click()
    preview = page.locator(".preview")
    expect(preview).to_contain_text("Kochgruppe Zukunft")
    assert_accessible(page, "closure preview")
    preview.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Winterpause")
    assert world.dates(world.confirmed)[1].state == OccurrenceState.CANCELLED


def test_the_print_view_fits_one_a4_landscape_page(page, world, login, tmp_path):  # noqa: F811
    import subprocess

    login(page, "anna")
    page.goto(f"/staff/{world.center.slug}/week/?date=2030-02-05")
    page.emulate_media(media="print")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"Pages:\s+1\b", info)
    assert re.search(r"Page size:\s+84[12]\.\d+ x 59[45]\.\d+", info)  # A4 landscape
