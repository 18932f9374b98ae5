"""A group leader books on a phone-sized or desktop screen: Playwright + Debian's Chromium.

Assertions use classes and the html lang attribute, not wording: the German catalogue is
filled in by a translator later and must not break these tests.
"""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from bookings import services
from bookings.recurrence import RecurrenceRule
from centers.models import Room

from .conftest import DEMO_PASSWORD

TUESDAYS = [date(2030, 2, 5), date(2030, 2, 12), date(2030, 2, 19), date(2030, 2, 26)]


@pytest.fixture
def scene(make_user, make_center, make_room, make_group):
    center = make_center(name="Haus am Markt", federal_state="NW")
    leader = make_user(username="leila", first_name="Leila", password=DEMO_PASSWORD)
    other = make_user(username="otto")
    group = make_group(center=center, name="Frauenfrühstück", leaders=[leader], usual_size=10)
    cooks = make_group(center=center, name="Kochgruppe Zukunft", leaders=[other])
    kitchen = make_room(center=center, name="Küche", capacity=14)
    cafe = make_room(center=center, name="Café", capacity=30)
    make_room(center=center, name="Saal", capacity=80)

    def book(user, grp, room, day, **rule):
        return services.booking_request_create(
            user=user,
            group=grp,
            room=room,
            rule=RecurrenceRule(start_date=day, start_time=time(18), end_time=time(20), **rule),
            expected_participants=8,
        )

    # The cooks have the kitchen on the 2nd and 4th Tuesday: the leader's series clashes twice.
    for day in (TUESDAYS[1], TUESDAYS[3]):
        book(other, cooks, kitchen, day)
    # The leader's group already meets in the café on Thursdays (confirmed).
    cafe_series = book(leader, group, cafe, date(2030, 2, 7), frequency="weekly", count=4)
    # From now on every room needs approval: the new request stays pending.
    Room.objects.filter(center=center).update(requires_approval=True)
    return {"leader": leader, "kitchen": kitchen, "cafe_series": cafe_series, "group": group}


def test_leader_requests_a_series_picks_an_alternative_and_manages_dates(
    page, scene, login, screenshot, assert_accessible
):
    login(page, "leila")

    # --- request form with live preview -------------------------------------------------------
    page.goto("/me/request/")
    assert_accessible(page, "request form (empty)")
    page.select_option("#id_room", str(scene["kitchen"].pk))
    page.fill("#id_start_date", "2030-02-05")
    page.fill("#id_start_time", "18:00")
    page.fill("#id_end_time", "20:00")
    page.check("input[name=frequency][value=weekly]")
    page.check("input[name=weekdays][value='1']")
    page.check("input[name=ends][value=count]")
    page.fill("#id_count", "4")
    page.fill("#id_expected_participants", "10")
    page.locator("#id_expected_participants").blur()

    dates = page.locator("#preview .preview-date")
    expect(dates).to_have_count(4)
    clashes = page.locator("#preview .preview-date.is-clash")
    expect(clashes).to_have_count(2)
    for i in range(2):
        expect(clashes.nth(i)).to_contain_text("Kochgruppe Zukunft")
        expect(clashes.nth(i).locator("input[type=radio]").first).to_be_visible()
    expect(page.locator("#preview-status")).not_to_be_empty()

    # Take the first suggested alternative for the first clash, with one tap on its label.
    first_alternative = clashes.nth(0).locator(".alternatives .choice label").first
    first_alternative.click()
    expect(clashes.nth(0).locator(".alternatives input[type=radio]").first).to_be_checked()
    screenshot(page, "leader-request")
    assert_accessible(page, "request form with preview")

    page.click("button[name=send]")
    page.wait_for_url("**/me/series/*/")
    expect(page.locator(".series-date")).to_have_count(4)
    expect(page.locator(".badge-moved")).to_have_count(1)
    screenshot(page, "leader-series-new")
    assert_accessible(page, "new series")

    # --- the request is pending on the dashboard ----------------------------------------------
    page.goto("/me/")
    request_item = page.locator(".request-item").filter(has_text="Küche")
    expect(request_item.locator(".badge-pending")).to_be_visible()
    screenshot(page, "leader-dashboard")
    assert_accessible(page, "dashboard")

    # --- cancel a single confirmed date -------------------------------------------------------
    page.goto(f"/me/series/{scene['cafe_series'].pk}/")
    first_date = page.locator(".series-date").first
    expect(first_date.locator(".badge-confirmed")).to_be_visible()
    cancel = first_date.locator("details.date-action").first
    cancel.locator("summary").click()
    cancel.locator("input[name=reason]").fill("Ausflug ins Museum")
    cancel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    first_date = page.locator(".series-date").first
    expect(first_date.locator(".badge-cancelled")).to_be_visible()
    expect(first_date).to_contain_text("Ausflug ins Museum")
    expect(page.locator(".messages")).to_be_visible()
    screenshot(page, "leader-series")
    assert_accessible(page, "series page")

    # --- take it up again, then move the next date an hour later ---------------------------------
    first_date.get_by_role("button", name="Diesen Termin wieder aufnehmen").click()
    page.wait_for_load_state()
    first_date = page.locator(".series-date").first
    expect(first_date.locator(".badge-confirmed")).to_be_visible()
    second_date = page.locator(".series-date").nth(1)
    move = second_date.locator("details.date-action").nth(1)
    move.locator("summary").click()
    move.locator("input[name=start_time]").fill("19:00")
    move.locator("input[name=end_time]").fill("21:00")
    move.locator("button[type=submit]").click()
    page.wait_for_load_state()
    second_date = page.locator(".series-date").nth(1)
    expect(second_date).to_contain_text("19:00–21:00")
    expect(second_date.locator(".badge-moved")).to_be_visible()

    # --- room occupancy -------------------------------------------------------------------------
    page.goto(f"/me/rooms/{scene['kitchen'].pk}/?view=week&date=2030-02-26")
    # The cooks (confirmed) and our request for that date, kept as it is.
    expect(page.locator(".occ-entry")).to_have_count(2)
    expect(page.locator(".occ-entry .badge-confirmed")).to_have_count(1)
    expect(page.locator(".occ-entry .badge-requested")).to_have_count(1)
    screenshot(page, "leader-occupancy-week")
    assert_accessible(page, "occupancy week")
    page.goto(f"/me/rooms/{scene['kitchen'].pk}/?view=month&date=2030-02-12")
    expect(page.locator(".occ-entry .badge-confirmed")).to_have_count(2)
    screenshot(page, "leader-occupancy-month")
    assert_accessible(page, "occupancy month")

    # --- switch to English and back -------------------------------------------------------------
    page.goto("/profile/")
    assert page.get_attribute("html", "lang") == "de"
    page.check("input[name=preferred_language][value=en]")
    page.click("form[action='/profile/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    page.goto("/me/")
    assert page.get_attribute("html", "lang") == "en"
    page.goto("/profile/")
    screenshot(page, "leader-profile")
    assert_accessible(page, "profile")
    page.check("input[name=preferred_language][value=de]")
    page.click("form[action='/profile/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "de"


def test_request_form_works_without_javascript(browser, live_server, scene, login):
    """The "Check dates" button renders the same preview on the server."""
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        login(page, "leila")
        page.goto("/me/request/")
        page.select_option("#id_room", str(scene["kitchen"].pk))
        page.fill("#id_start_date", "2030-02-05")
        page.fill("#id_start_time", "18:00")
        page.fill("#id_end_time", "20:00")
        page.check("input[name=frequency][value=weekly]")
        page.check("input[name=ends][value=count]")
        page.fill("#id_count", "4")
        page.fill("#id_expected_participants", "10")
        page.click("button[name=check]")
        page.wait_for_load_state()
        expect(page.locator("#preview .preview-date.is-clash")).to_have_count(2)
        # Every value is still there.
        expect(page.locator("#id_count")).to_have_value("4")
        expect(page.locator("#id_start_time")).to_have_value("18:00")
    finally:
        context.close()
