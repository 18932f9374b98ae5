"""Everyday journeys with counted interactions (clicks, taps, typed fields; page loads by
address are not counted): a leader on a phone books a weekly series whose one clashing date is
resolved by an offered alternative, and staff confirm a request with one clash resolved."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from bookings import services
from bookings.models import OccurrenceState, SeriesStatus
from bookings.recurrence import RecurrenceRule
from centers.models import Room

from .conftest import DEMO_PASSWORD

TUESDAYS = [date(2030, 2, 5), date(2030, 2, 12), date(2030, 2, 19), date(2030, 2, 26)]


class Counted:
    """The page's interactions, counted: each click, check, selection or filled field is one."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.count = 0

    def click(self, locator: object) -> None:
        self.count += 1
        locator.click()  # type: ignore[attr-defined]

    def fill(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.fill(selector, value)  # type: ignore[attr-defined]

    def select(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.select_option(selector, value)  # type: ignore[attr-defined]

    def check(self, selector: str) -> None:
        self.count += 1
        self.page.check(selector)  # type: ignore[attr-defined]


def _book(user, group, room, day, **rule):
    return services.booking_request_create(
        user=user,
        group=group,
        room=room,
        rule=RecurrenceRule(start_date=day, start_time=time(18), end_time=time(20), **rule),
        expected_participants=8,
    )


@pytest.fixture
def scene(make_user, make_center, make_room, make_group):
    center = make_center(name="Haus am Markt", federal_state="NW")
    leader = make_user(username="leila", first_name="Leila", password=DEMO_PASSWORD)
    staff = make_user(username="anna", password=DEMO_PASSWORD)
    center.staff.add(staff)
    cook = make_user(username="otto")
    group = make_group(center=center, name="Frauengesprächskreis", leaders=[leader])
    cooks = make_group(center=center, name="Kochgruppe Zukunft", leaders=[cook])
    kitchen = make_room(center=center, name="Küche", capacity=14)
    make_room(center=center, name="Café", capacity=30)
    _book(cook, cooks, kitchen, TUESDAYS[1])  # confirmed: the one clash
    return {"center": center, "group": group, "kitchen": kitchen, "leader": leader}


def test_a_leader_on_a_phone_books_a_series_with_one_clash_in_at_most_10(
    page, scene, login, screenshot
):
    page.set_viewport_size({"width": 360, "height": 800})
    login(page, "leila")
    page.goto("/me/request/")
    act = Counted(page)

    # One question at a time on a phone: who and where, when, what is needed (and the dates).
    expect(page.locator(".step-head:visible .step-count")).to_have_text("Schritt 1 von 3")
    act.select("#id_room", str(scene["kitchen"].pk))
    act.click(page.get_by_role("button", name="Weiter"))
    expect(page.locator(".step-head:visible .step-count")).to_have_text("Schritt 2 von 3")
    act.fill("#id_start_date", "2030-02-05")
    act.fill("#id_start_time", "18:00")
    # "Bis" follows "Von" (a new date lasts two hours): no tap of its own.
    expect(page.locator("#id_end_time")).to_have_value("20:00")
    act.check("input[name=frequency][value=weekly]")
    act.fill("#id_until", "2030-02-26")
    act.click(page.get_by_role("button", name="Weiter"))
    expect(page.locator(".step-head:visible .step-count")).to_have_text("Schritt 3 von 3")
    act.fill("#id_expected_participants", "10")
    page.locator("#id_expected_participants").blur()
    clash = page.locator("#preview .preview-date.is-clash")
    expect(clash).to_have_count(1)
    act.click(clash.locator(".alternatives .choice label").first)
    act.click(page.locator("button[name=send]"))
    page.wait_for_url("**/me/series/*/")

    print(f"\nleader, 360 px: weekly series with one clash resolved in {act.count} interactions")
    screenshot(page, "journey-leader-done", widths=(360,))
    assert act.count <= 10
    series = scene["group"].series.get()
    dates = list(series.occurrences.order_by("starts_at"))
    assert len(dates) == 4
    assert all(d.state == OccurrenceState.CONFIRMED for d in dates)
    assert dates[1].room != scene["kitchen"]


def test_staff_confirm_a_request_with_one_clash_in_at_most_5(page, scene, login, screenshot):
    Room.objects.filter(center=scene["center"]).update(requires_approval=True)
    series = _book(
        scene["leader"], scene["group"], scene["kitchen"], TUESDAYS[0], count=4, frequency="weekly"
    )
    login(page, "anna")
    page.goto(f"/staff/{scene['center'].slug}/requests/")
    card = page.locator(f"#request-{series.pk}")
    expect(card.locator("tr.is-clashing")).to_have_count(1)
    act = Counted(page)

    act.click(card.locator("tr.is-clashing .inline-action button").first)
    expect(page.locator(".messages")).to_be_in_viewport()
    card = page.locator(f"#request-{series.pk}")
    expect(card.locator("tr.is-clashing")).to_have_count(0)
    act.click(card.locator("button[name=mode][value=all]"))
    # The page opens where the message is, not at the card further down.
    expect(page.locator(".messages")).to_be_in_viewport()

    print(f"\nstaff: request with one clash confirmed in {act.count} interactions")
    screenshot(page, "journey-staff-done", widths=(1280,))
    assert act.count <= 5
    series.refresh_from_db()
    assert series.status == SeriesStatus.CONFIRMED
