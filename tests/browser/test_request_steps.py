"""The room request form one step at a time on a phone (GOV.UK's one question per page): by
keyboard through "Continue" and "Back", focus on each step's heading, a refused submit opening
the step of its first error, the browser's back button going back a step; on a desktop and
without script the whole form at once."""

import re

import pytest
from playwright.sync_api import expect

from .test_journeys import scene  # noqa: F401 — the fixture

STEP_FIELDS = {1: "#id_room", 2: "#id_start_date", 3: "#id_expected_participants"}


def _shown_step(page) -> int:
    """The one step whose fields show; fails unless exactly one does."""
    shown = [step for step, field in STEP_FIELDS.items() if page.locator(field).is_visible()]
    assert len(shown) == 1, shown
    return shown[0]


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


@pytest.fixture
def phone(page, scene, login):  # noqa: F811
    page.set_viewport_size({"width": 360, "height": 800})
    login(page, "leila")
    page.goto("/me/request/")
    return page


def test_continue_and_back_by_keyboard_move_step_by_step_with_focus_on_the_heading(
    phone, assert_accessible, screenshot
):
    page = phone
    assert _shown_step(page) == 1
    expect(page.locator(".step-head:visible .step-count")).to_have_text("Schritt 1 von 3")
    expect(page.locator(".step-head:visible .step-back")).to_have_count(0)  # nothing before
    expect(page.locator("button[name=send]")).to_be_hidden()
    assert_accessible(page, "request step 1 at 360 px")

    # Continue is a real button: Enter on it goes on.
    page.get_by_role("button", name="Weiter").focus()
    page.keyboard.press("Enter")
    assert _shown_step(page) == 2
    expect(page.locator(".step-head:visible .step-count")).to_have_text("Schritt 2 von 3")
    assert _focused(page) == "Wann?"
    screenshot(page, "request-step-2", widths=(360,))

    # Tab from the heading reaches the step's first field, not one of another step.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_start_date"
    # Enter in a field goes on as Continue does, rather than sending half a request.
    page.locator("#id_start_date").fill("2030-02-05")
    page.keyboard.press("Enter")
    assert _shown_step(page) == 3
    assert _focused(page) == "Was brauchen Sie?"
    expect(page.locator("button[name=send]")).to_be_visible()
    assert_accessible(page, "request step 3 at 360 px")

    # Back (a link) by keyboard, then Continue by Space.
    page.locator(".step-head:visible .step-back").focus()
    page.keyboard.press("Enter")
    assert _shown_step(page) == 2
    assert _focused(page) == "Wann?"
    expect(page.locator("#id_start_date")).to_have_value("2030-02-05")  # nothing lost
    page.locator(".step-nav:visible button").focus()
    page.keyboard.press("Space")
    assert _shown_step(page) == 3


def test_the_live_preview_shows_the_dates_on_the_last_step(phone, scene):  # noqa: F811
    page = phone
    page.select_option("#id_room", str(scene["kitchen"].pk))
    page.get_by_role("button", name="Weiter").click()
    page.fill("#id_start_date", "2030-02-12")
    page.fill("#id_start_time", "18:00")
    page.get_by_role("button", name="Weiter").click()
    page.fill("#id_expected_participants", "8")
    page.locator("#id_expected_participants").blur()
    # Tuesday 12 February: the cooks hold the kitchen.
    expect(page.locator("#preview .preview-date.is-clash")).to_have_count(1)


def test_check_dates_comes_back_to_the_last_step(phone, scene):  # noqa: F811
    page = phone
    page.select_option("#id_room", str(scene["kitchen"].pk))
    page.get_by_role("button", name="Weiter").click()
    page.fill("#id_start_date", "2030-02-19")
    page.fill("#id_start_time", "18:00")
    page.get_by_role("button", name="Weiter").click()
    page.fill("#id_expected_participants", "8")
    page.locator("button[name=check]").click()
    page.wait_for_load_state()
    expect(page.locator("#form-errors")).to_have_count(0)
    assert _shown_step(page) == 3
    expect(page.locator("#preview .preview-date")).to_have_count(1)


@pytest.mark.parametrize(
    ("filled", "opens"),
    [
        # Nothing but the room: the first marked field is the date, on step 2.
        ({}, 2),
        # All of the date, no number of people: step 3.
        ({"#id_start_date": "2030-02-05", "#id_start_time": "18:00", "#id_end_time": "20:00"}, 3),
    ],
)
def test_a_refused_submit_opens_the_step_of_the_first_error(
    phone,
    scene,  # noqa: F811
    assert_accessible,
    filled,
    opens,
):
    page = phone
    page.select_option("#id_room", str(scene["kitchen"].pk))
    page.get_by_role("button", name="Weiter").click()
    for field, value in filled.items():
        page.fill(field, value)
    page.get_by_role("button", name="Weiter").click()
    page.locator("button[name=send]").click()
    page.wait_for_load_state()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # read first, as before
    assert _shown_step(page) == opens
    expect(page.locator(".step-head:visible .step-count")).to_have_text(f"Schritt {opens} von 3")
    assert_accessible(page, f"refused request, step {opens} at 360 px")
    # The summary's link to a field on another step opens that step at the field.
    link = summary.get_by_role("link", name=re.compile("Erwartete Teilnehmende"))
    link.click()
    assert _shown_step(page) == 3
    expect(page.locator("#id_expected_participants")).to_be_focused()


def test_on_a_desktop_the_whole_form_shows_at_once(page, scene, login):  # noqa: F811
    login(page, "leila")
    page.goto("/me/request/")  # 1280 px
    for field in STEP_FIELDS.values():
        expect(page.locator(field)).to_be_visible()
    expect(page.locator("#preview-heading")).to_be_visible()
    expect(page.locator("button[name=send]")).to_be_visible()
    expect(page.locator(".step-head:visible, .step-nav:visible")).to_have_count(0)
    # Narrowed to a phone, the same page turns into steps (and back).
    page.set_viewport_size({"width": 360, "height": 800})
    expect(page.locator("#id_start_date")).to_be_hidden()  # the media query answers a frame later
    assert _shown_step(page) == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    for field in STEP_FIELDS.values():
        expect(page.locator(field)).to_be_visible()


def test_without_script_a_phone_gets_the_whole_form(browser, live_server, scene, login):  # noqa: F811
    context = browser.new_context(
        viewport={"width": 360, "height": 800},
        locale="de-DE",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    login(page, "leila")
    page.goto("/me/request/")
    for field in STEP_FIELDS.values():
        expect(page.locator(field)).to_be_visible()
    expect(page.locator("button[name=send]")).to_be_visible()
    expect(page.locator(".step-head:visible, .step-nav:visible")).to_have_count(0)
    context.close()


def test_until_follows_from_and_keeps_the_length(page, scene, login):  # noqa: F811
    login(page, "leila")
    page.goto("/me/request/")
    start, end = page.locator("#id_start_time"), page.locator("#id_end_time")
    start.fill("18:00")
    expect(end).to_have_value("20:00")  # a new date lasts two hours
    start.fill("17:30")
    expect(end).to_have_value("19:30")  # moved: the same length
    end.fill("21:00")
    start.fill("18:00")
    expect(end).to_have_value("21:30")  # the length the leader set, kept
    start.fill("23:00")
    expect(end).to_have_value("21:30")  # never past midnight: left for the leader to fix


def test_the_phones_back_button_goes_back_a_step_and_keeps_what_was_entered(
    phone,
    scene,  # noqa: F811
):
    page = phone
    page.select_option("#id_room", str(scene["kitchen"].pk))
    page.get_by_role("button", name="Weiter").click()
    page.fill("#id_start_date", "2030-02-05")
    page.get_by_role("button", name="Weiter").click()
    assert _shown_step(page) == 3

    page.go_back()  # the browser's back: a step, not off the form
    expect(page.locator(STEP_FIELDS[2])).to_be_visible()
    assert _shown_step(page) == 2
    assert _focused(page) == "Wann?"
    page.go_back()
    expect(page.locator(STEP_FIELDS[1])).to_be_visible()
    assert _shown_step(page) == 1
    expect(page).to_have_url(re.compile(r"/me/request/$"))
    expect(page.locator("#id_room")).to_have_value(str(scene["kitchen"].pk))

    page.go_forward()
    expect(page.locator(STEP_FIELDS[2])).to_be_visible()
    expect(page.locator("#id_start_date")).to_have_value("2030-02-05")  # nothing lost
    # The page's own "Back" is the same step back: forward leads where it led before.
    page.locator(".step-head:visible .step-back").click()
    expect(page.locator(STEP_FIELDS[1])).to_be_visible()
    page.go_forward()
    expect(page.locator(STEP_FIELDS[2])).to_be_visible()
    assert _shown_step(page) == 2
