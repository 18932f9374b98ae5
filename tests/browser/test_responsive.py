"""The main pages of every role at 360 px and 1280 px, in German and English: nothing wider
than the screen, no raw state values, no serious accessibility findings; screenshots of each."""

import re
from datetime import time

import pytest

from bookings import services
from bookings.recurrence import RecurrenceRule
from groups.models import Group
from reports.models import Coordinator
from tests.console.conftest import DEMO_PASSWORD, TUESDAYS, world  # noqa: F401 — the fixture

WIDTHS = (360, 1280)
RAW_VALUES = re.compile(
    r"\b(partly_confirmed|school_holiday|day_of_month|nth_weekday|requires_approval)\b"
)
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
# The innermost elements that reach past the right edge, to say what overflows.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase()
    + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px '
    + (e.textContent || '').trim().slice(0, 30))"""
CUT_TABLES = """() => [...document.querySelectorAll('.table-scroll')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.getAttribute('aria-label') || e.className)
    + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
LONG_NAME = "Frauengesprächskreis Lebensbegleitungsangebote Öztürk"


def _pages(world) -> dict[str, tuple[str | None, str]]:  # noqa: F811
    slug = world.center.slug
    return {
        "leader-dashboard": ("lale", "/me/"),
        "leader-series": ("lale", f"/me/series/{world.request.pk}/"),
        "leader-request": ("lale", "/me/request/"),
        "leader-rooms": ("lale", "/me/rooms/"),
        "leader-room-week": ("lale", f"/me/rooms/{world.kitchen.pk}/?date=2030-02-05"),
        "leader-profile": ("lale", "/profile/"),
        "staff-queue": ("anna", f"/staff/{slug}/requests/"),
        "staff-board": ("anna", f"/staff/{slug}/board/?date=2030-02-05"),
        "staff-week": ("anna", f"/staff/{slug}/week/?date=2030-02-05"),
        "staff-overview": ("anna", f"/staff/{slug}/"),
        "staff-request": ("anna", f"/staff/{slug}/requests/{world.request.pk}/"),
        "staff-board-week": ("anna", f"/staff/{slug}/board/?date=2030-02-05&view=week"),
        "staff-closures": ("anna", f"/staff/{slug}/closures/"),
        "staff-reports": ("anna", f"/staff/{slug}/reports/"),
        "coordinator-reports": ("carla", "/reports/"),
        "coordinator-organisation": (
            "carla",
            f"/reports/organisations/{world.language.organisation_id}/",
        ),
        "admin-index": ("root", "/admin/"),
        "public-centers": (None, "/"),
        "public-center": (None, f"/centers/{slug}/"),
        "public-group": (None, f"/groups/{world.breakfast.slug}/"),
        "public-program": (None, f"/centers/{slug}/program/"),
    }


def _check(page, name: str, screenshot, assert_accessible) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} at {width} px is {widths[0]} px wide: " + ", ".join(
            page.evaluate(WIDEST)
        )
        # Tables scroll inside their box on phones; on a desktop nothing is cut off.
        if width >= 1280:
            cut = page.evaluate(CUT_TABLES)
            assert not cut, f"{name} at {width} px: tables wider than their box: {cut}"
    text = page.inner_text("body")
    assert not RAW_VALUES.search(text), (name, RAW_VALUES.search(text))
    assert not US_DATE.search(text), (name, US_DATE.search(text))
    screenshot(page, name, widths=WIDTHS)
    assert_accessible(page, name)


@pytest.mark.parametrize("language", ["de", "en"])
def test_main_pages_fit_phone_and_desktop(
    page,
    world,  # noqa: F811
    make_user,
    make_organisation,
    login,
    screenshot,
    assert_accessible,
    live_server,
    language,
):
    # A second request for the same kitchen and time: the queue shows the two side by side.
    services.booking_request_create(
        user=world.lale,
        group=world.breakfast,
        room=world.kitchen,
        rule=RecurrenceRule(
            start_date=TUESDAYS[2],
            start_time=time(18),
            end_time=time(20),
            frequency="weekly",
            count=2,
        ),
        expected_participants=8,
    )
    # A coordinator of the Sprachcafé's organisation, and an administrator.
    organisation = make_organisation(name="Internationaler Kulturverein Lebensbegleitung e.V.")
    Group.objects.filter(pk=world.language.pk).update(organisation=organisation)
    world.language.refresh_from_db()
    Coordinator.objects.create(
        user=make_user(username="carla", password=DEMO_PASSWORD), organisation=organisation
    )
    make_user(username="root", password=DEMO_PASSWORD, is_superuser=True, is_staff=True)
    Group.objects.filter(pk=world.breakfast.pk).update(name=LONG_NAME, is_public=True)
    Group.objects.filter(pk=world.language.pk).update(name=LONG_NAME + " II")
    current = None
    for name, (user, path) in _pages(world).items():
        if user != current:
            page.context.clear_cookies()
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            if user:
                login(page, user)
            current = user
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, name
        _check(page, f"{name}-{language}", screenshot, assert_accessible)
