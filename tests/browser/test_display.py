"""The foyer screen and the door signs in Chromium at 1920×1080 and 1080×1920: no scrollbars,
axe clean, long days in turns, an update within one polling interval after a cancellation, the
last content and "as of" when the server is gone, a QR code a phone can read, and check-in in
two taps. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time as wall
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application
from playwright.sync_api import expect

from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from bookings.recurrence import localize
from centers.models import Room
from display import qr
from tests.browser.conftest import ARTIFACTS
from tests.display.conftest import (  # noqa: F401 — the fixtures
    DAY,
    at,
    cancel,
    clock_fixture,
    fresh_stamps_fixture,
    house_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def fits_on_screen(page) -> dict:
    """Scrollbars, and any shown date that is cut off by the edge of the screen."""
    return page.evaluate(
        """() => {
          const d = document.documentElement;
          // A shown date is cut when the screen or a box that clips it ends above its bottom.
          const clipped = el => {
            const r = el.getBoundingClientRect();
            if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1) return true;
            for (let box = el.parentElement; box; box = box.parentElement) {
              if (getComputedStyle(box).overflowY === 'visible') continue;
              if (r.bottom > box.getBoundingClientRect().bottom + 1) return true;
            }
            return false;
          };
          const cut = [...document.querySelectorAll('[data-item]')]
            .filter(el => el.offsetParent !== null).filter(clipped).length;
          return {scrollX: d.scrollWidth > d.clientWidth, scrollY: d.scrollHeight > d.clientHeight,
                  cut};
        }"""
    )


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.parametrize("orientation", SIZES)
def test_foyer_screen_and_door_sign_fit_the_screen_and_pass_axe(
    page, house, clock, orientation, assert_accessible
):
    clock(10, 30, tick=True)
    width, height = SIZES[orientation]
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/display/brunnenplatz/")
    expect(page.locator(".section-now")).to_contain_text("Kochgruppe Zukunft")
    expect(page.locator(".section-now")).to_contain_text("Belegt")
    expect(page.locator("[data-clock]")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert fits_on_screen(page) == {"scrollX": False, "scrollY": False, "cut": 0}
    # Legible from 3 m: the dates' text is at least ~30 px on a 1080 px screen.
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.item')).fontSize)")
    assert size >= 30
    shoot(page, f"display-foyer-{orientation}")
    assert_accessible(page, f"foyer screen {orientation}")

    page.goto(f"/display/brunnenplatz/room/{house.kitchen.pk}/")
    expect(page.locator(".door-now")).to_contain_text("Kochgruppe Zukunft")
    expect(page.locator(".door-qr svg")).to_be_visible()
    assert fits_on_screen(page) == {"scrollX": False, "scrollY": False, "cut": 0}
    shoot(page, f"display-door-{orientation}")
    assert_accessible(page, f"door sign {orientation}")


def _long_day(house, count: int = 36) -> None:
    """`count` short dates today in eight more rooms: more than one screen holds."""
    rooms = Room.objects.bulk_create(
        Room(center=house.center, name=f"Gruppenraum {n + 1}", capacity=12) for n in range(8)
    )
    tz = house.center.tz
    for n in range(count):
        start = localize(datetime.combine(DAY, time(11 + n // 8, (n % 4) * 15)), tz)
        series = Series.objects.create(
            group=house.cooking if n % 2 else house.language,
            room=rooms[n % 8],
            status=SeriesStatus.CONFIRMED,
            title=f"Angebot Nummer {n + 1}",
            start_date=DAY,
            start_time=start.time(),
            end_time=(start + timedelta(minutes=45)).time(),
        )
        Occurrence.objects.create(
            series=series,
            room=series.room,
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            original_start=start,
            state=OccurrenceState.CONFIRMED,
        )


@pytest.mark.parametrize("orientation", SIZES)
def test_a_long_day_is_shown_in_turns_without_scrolling(page, house, clock, settings, orientation):
    settings.DISPLAY_PAGE_SECONDS = 2
    _long_day(house)
    clock(10, 30, tick=True)
    width, height = SIZES[orientation]
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/display/brunnenplatz/")
    pager = page.locator("[data-pager]")
    expect(pager).to_be_visible()
    pages = int(page.locator("[data-page-count]").first.inner_text())
    assert pages >= 2
    expect(page.locator("[data-page-number]").first).to_have_text("1")
    assert fits_on_screen(page) == {"scrollX": False, "scrollY": False, "cut": 0}
    first = page.locator("[data-item]:visible").all_inner_texts()
    shoot(page, f"display-foyer-long-{orientation}-page1")
    expect(page.locator("[data-page-number]").first).to_have_text("2", timeout=5000)
    assert fits_on_screen(page) == {"scrollX": False, "scrollY": False, "cut": 0}
    second = page.locator("[data-item]:visible").all_inner_texts()
    assert second and not set(second) & set(first)
    shoot(page, f"display-foyer-long-{orientation}-page2")
    # Every date is on some page.
    seen: set[str] = set()
    for _ in range(pages):
        seen.update(t for t in page.locator(".item-title:visible").all_inner_texts())
        page.wait_for_timeout(2100)
    assert sum(1 for t in seen if t.startswith("Angebot Nummer")) == 36


def test_the_screen_updates_within_one_polling_interval_after_a_cancellation(
    page, house, clock, settings
):
    settings.DISPLAY_POLL_SECONDS = 2
    clock(10, 30, tick=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    statuses: list[int] = []
    page.on(
        "response",
        lambda r: statuses.append(r.status) if "/display/brunnenplatz/" in r.url else None,
    )
    page.goto("/display/brunnenplatz/")
    upcoming = page.locator(".section-next")
    expect(upcoming).to_contain_text("Sprachcafé Çağrı")
    expect(upcoming.locator(".item-cancelled")).to_have_count(0)
    page.wait_for_timeout(4500)  # two idle polls
    assert statuses[0] == 200 and statuses[1:] and set(statuses[1:]) == {304}
    cancel(house.lale, house.language_date, reason="Die Leiterin ist krank.")
    cancelled_at = wall.monotonic()
    expect(upcoming.locator(".item-cancelled")).to_contain_text("Entfällt", timeout=5000)
    # One interval (2 s) plus the request's own time; never a second interval.
    assert wall.monotonic() - cancelled_at < 2 + 1.5
    expect(upcoming).to_contain_text("Die Leiterin ist krank.")
    assert 200 in statuses[1:]
    shoot(page, "display-foyer-after-cancellation")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def own_server(house):
    """A server of this test's own that it can stop (the shared live server stays up). HTTP/1.0
    without keep-alive, so once stopped no open connection keeps answering."""
    app = StaticFilesHandler(get_wsgi_application())
    httpd = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    stopped = threading.Event()

    def stop() -> None:
        if not stopped.is_set():
            stopped.set()
            httpd.shutdown()
            httpd.server_close()

    yield SimpleNamespace(url=f"http://127.0.0.1:{httpd.server_port}", stop=stop)
    stop()
    thread.join(5)


def test_with_the_server_stopped_the_screen_keeps_its_content_and_says_as_of(
    browser, own_server, house, clock, settings
):
    settings.DISPLAY_POLL_SECONDS = 1
    clock(10, 30, tick=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{own_server.url}/display/brunnenplatz/")
        expect(page.locator(".section-now")).to_contain_text("Kochgruppe Zukunft")
        as_of = page.locator(".screen-status [data-as-of]").first
        page.wait_for_timeout(1500)  # at least one good poll
        before = as_of.inner_text()
        assert re.fullmatch(r"\d\d:\d\d", before)
        own_server.stop()
        offline = page.locator("[data-offline]")
        expect(offline).to_be_visible(timeout=15_000)
        expect(offline).to_contain_text("Keine Verbindung")
        expect(page.locator(".screen-status")).to_contain_text(f"Stand {as_of.inner_text()}")
        assert as_of.inner_text() == before or re.fullmatch(r"\d\d:\d\d", as_of.inner_text())
        # The last content is still there.
        expect(page.locator(".section-now")).to_contain_text("Kochgruppe Zukunft")
        expect(page.locator(".section-next")).to_contain_text("Sprachcafé Çağrı")
        assert fits_on_screen(page) == {"scrollX": False, "scrollY": False, "cut": 0}
        shoot(page, "display-foyer-offline")
    finally:
        context.close()


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="needs zbar-tools (apt-get install)")
def test_the_door_signs_qr_code_reads_as_the_rooms_page(page, house, clock, tmp_path):
    clock(10, 30, tick=True)
    page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto(f"/display/brunnenplatz/room/{house.kitchen.pk}/")
    image = tmp_path / "qr.png"
    page.locator(".door-qr svg").screenshot(path=str(image))
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert found == [qr.room_url("brunnenplatz", house.kitchen.pk)]


def test_a_leader_checks_in_from_the_qr_code_in_two_taps(
    page, house, clock, login, assert_accessible
):
    clock(9, 50, tick=True)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "koch")
    page.goto(f"/centers/brunnenplatz/rooms/{house.kitchen.pk}/")
    form = page.locator(".check-in-form")
    expect(form.get_by_label("Wie viele seid ihr?")).to_have_value("12")
    assert_accessible(page, "room page with check-in")
    form.get_by_label("Wie viele seid ihr?").fill("9")
    form.get_by_role("button", name="Wir sind da").click()
    expect(page.locator(".messages")).to_contain_text("angemeldet")
    expect(page.locator(".check-in-done")).to_contain_text("9 Personen")
    shoot(page, "display-check-in-done")
    attendance = house.cooking_morning.attendance
    attendance.refresh_from_db()
    assert attendance.participants == 9 and attendance.checked_in_by == house.cook
    assert at(house.center, 10) > attendance.checked_in_at


def test_staff_pages_with_the_screens_parts_pass_axe(page, house, clock, login, assert_accessible):
    from display.services import display_settings_update, no_shows_note

    clock(8, tick=True)
    display_settings_update(
        user=house.staff,
        center=house.center,
        notice="",
        language="de+en",
        check_in=True,
        release_no_shows=True,
    )
    clock(10, 40, tick=True)
    no_shows_note()
    login(page, "anna")
    page.goto("/staff/brunnenplatz/display/")
    page.get_by_label("Hinweis auf den Bildschirmen").fill("Heute Kuchenbasar im Foyer!")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_contain_text("Gespeichert")
    assert_accessible(page, "screen settings")
    page.get_by_label("Gruppen melden sich an der Tür an").uncheck()
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "screen settings with an error")
    page.goto("/staff/brunnenplatz/board/")
    expect(page.locator(".missing-check-ins")).to_contain_text("Kochgruppe Zukunft")
    expect(page.locator(".missing-check-ins")).to_contain_text("freigegeben")
    assert_accessible(page, "board with missing check-ins")
    shoot(page, "display-staff-board")
