"""Attendance on a phone and the report page in the browser: Playwright + Debian's Chromium.

A leader records how many came on a 360 px screen in at most three interactions, from the
dashboard and from the reminder e-mail's link; the staff report page with its charts passes
axe-core; screenshots at 360 and 1280 px (tests/artifacts/).
"""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import Attendance
from bookings.models import Occurrence, OccurrenceState, Series
from tests.reports.conftest import world  # noqa: F401 — the fixture

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held_date(make_user, make_center, make_room, make_group):
    center = make_center(name="Haus am Markt")
    leader = make_user(username="leila", first_name="Leila", password=DEMO_PASSWORD)
    group = make_group(center=center, name="Frauenfrühstück", leaders=[leader])
    room = make_room(center=center, name="Café")
    yesterday = timezone.localdate() - timedelta(days=1)
    starts_at = timezone.make_aware(datetime.combine(yesterday, time(9)))
    series = Series.objects.create(
        group=group,
        room=room,
        status="confirmed",
        frequency="weekly",
        weekdays=[yesterday.weekday()],
        start_date=yesterday,
        start_time=time(9),
        end_time=time(11),
    )
    return Occurrence.objects.create(
        series=series,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        original_start=starts_at,
        state=OccurrenceState.CONFIRMED,
    )


class Interactions:
    """Counts what the person does on the page (typing a number, tapping a button)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def fill(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.fill(selector, value)

    def tap(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)


def test_a_leader_records_the_count_on_a_phone_from_the_dashboard(
    page, held_date, login, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, "leila")
    page.goto("/me/")
    item = page.locator(f"#attendance-{held_date.pk}")
    expect(item).to_be_visible()
    assert_accessible(page, "dashboard with the attendance list")
    screenshot(page, "attendance-dashboard", widths=(360,))
    person = Interactions(page)
    person.fill(f"#count-{held_date.pk}", "17")
    person.tap(f"#attendance-{held_date.pk} button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    assert person.count <= 3
    assert Attendance.objects.get(occurrence=held_date).participants == 17
    expect(page.locator(f"#attendance-{held_date.pk}")).to_have_class(re.compile("is-recorded"))
    # No sideways scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_leader_records_from_the_reminder_link(
    page, held_date, login, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 360, "height": 780})
    login(page, "leila")
    page.goto(f"/attendance/{held_date.pk}/")
    assert_accessible(page, "record page")
    person = Interactions(page)
    person.fill("input[name=participants]", "9")
    person.tap("form.attendance-form button[type=submit] >> nth=0")
    expect(page.locator(".messages")).to_be_visible()
    assert person.count <= 3
    assert Attendance.objects.get(occurrence=held_date).participants == 9
    screenshot(page, "attendance-saved", widths=(360,))


def test_the_report_page_with_charts_is_accessible(
    page,
    world,  # noqa: F811
    login,
    screenshot,
    assert_accessible,
):
    world.staff.set_password(DEMO_PASSWORD)
    world.staff.save(update_fields=["password"])
    login(page, "anna")
    page.goto(f"/staff/{world.center.slug}/reports/?period=month&year=2025&month=5")
    expect(page.locator("figure.chart svg[role=img]")).to_have_count(6)
    expect(page.locator("table[data-table=groups] tbody tr")).to_have_count(3)
    assert_accessible(page, "report page")
    screenshot(page, "report")
    page.set_viewport_size({"width": 360, "height": 780})
    assert_accessible(page, "report page at 360 px")
    # The page itself never scrolls sideways; wide tables scroll in their own region.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 362)
            .slice(0, 8)
            .map(e => `${e.tagName}.${e.className}#${e.id}`)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    page.set_viewport_size({"width": 1280, "height": 900})
    for section in ("missing", "categories"):
        page.goto(f"/staff/{world.center.slug}/reports/{section}/")
        assert_accessible(page, f"reports: {section}")
        screenshot(page, f"report-{section}")
