"""The embed snippet on a plain page of another origin (a static server on 127.0.0.1, while
Treffpunkt runs on localhost): the script shows the Dorsten program in its shadow root, the
filters work there, the iframe mode shows the same, no cookie is set, axe finds nothing."""

from __future__ import annotations

import threading
from datetime import time, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from groups.models import Group, Language
from tests.groups.factories import make_series

HOST_PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Begegnungszentrum Dorsten – Programm</title>
<style>body {{ font-family: Georgia, serif; margin: 0 auto; max-width: 70rem; padding: 1rem; }}
.sidebar {{ float: right; width: 12rem; border: 1px solid #999; padding: .5rem; }}
#programm {{ --tp-accent: #6b2c91; --tp-font: Georgia, serif; }}</style></head>
<body>
<header><h1>Kultur- und Begegnungszentrum am Brunnenplatz</h1></header>
<main>
<aside class="sidebar" aria-label="Öffnungszeiten"><p>Mo–Fr 9–21 Uhr</p></aside>
<p>Unser Programm, direkt aus Treffpunkt:</p>
{snippet}
</main>
</body></html>
"""


@pytest.fixture
def dorsten(make_center, make_room, make_group):
    for code, de, en in (("tr", "Türkisch", "Turkish"), ("de", "Deutsch", "German")):
        Language.objects.create(code=code, name_de=de, name_en=en)
    center = make_center(name="Kultur- und Begegnungszentrum am Brunnenplatz", slug="brunnenplatz")
    cafe = make_room(center=center, name="Café")
    hall = make_room(center=center, name="Großer Saal")
    start = timezone.localdate() + timedelta(days=1)
    offers = [
        ("Türkischer Frauentreff", "tuerkischer-frauentreff", ["tr", "de"], True, cafe, 10),
        ("Saz-Kurs", "saz-kurs", ["tr"], False, hall, 17),
        ("Deutsch-Café", "deutsch-cafe", ["de"], True, cafe, 15),
        ("Wollmäuse", "wollmaeuse", ["de"], True, hall, 9),
    ]
    for name, slug, languages, free, room, hour in offers:
        group = make_group(
            center=center,
            name=name,
            slug=slug,
            kind=Group.Kind.COURSE if not free else Group.Kind.MEETING,
            free_of_charge=free,
            fee="" if free else "5 € pro Termin",
            description=f"{name} im Brunnenplatz.",
        )
        group.languages.set(languages)
        make_series(
            group=group, room=room, start_date=start, start_time=time(hour), end_time=time(hour + 2)
        )
    return center


@pytest.fixture
def other_origin(tmp_path: Path):
    """A plain static web server on 127.0.0.1 (Treffpunkt's live server is on localhost)."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(name: str, snippet: str) -> str:
        (tmp_path / name).write_text(HOST_PAGE.format(snippet=snippet), encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield publish
    server.shutdown()
    server.server_close()


def test_script_snippet_shows_the_filtered_program(
    dorsten, live_server, other_origin, page, screenshot, assert_accessible
):
    snippet = (
        f'<div id="programm" data-treffpunkt-program="brunnenplatz" data-lang="de"></div>\n'
        f'<script src="{live_server.url}/embed/embed.js" async></script>'
    )
    url = other_origin("script.html", snippet)
    assert not url.startswith(live_server.url)
    page.goto(url)
    # Playwright's locators reach into open shadow roots.
    program = page.locator("#programm")
    program.get_by_role("heading", name="Saz-Kurs").wait_for()
    assert program.get_by_role("heading", level=3).count() == 4

    program.get_by_label("Sprache des Angebots").select_option("tr")
    program.get_by_label("nur kostenlose").check()
    program.get_by_role("button", name="Angebote anzeigen").click()
    program.get_by_text("1 Angebot").wait_for()
    headings = program.get_by_role("heading", level=3).all_inner_texts()
    assert [h.splitlines()[0] for h in headings] == ["Türkischer Frauentreff"]
    # The host's layout is untouched: its own heading and sidebar keep their styles.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith(
        "Georgia"
    )
    # The host's CSS variable reached the button inside the shadow root.
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('#programm').shadowRoot"
        ".querySelector('button')).backgroundColor"
    )
    assert colour == "rgb(107, 44, 145)"
    assert page.context.cookies() == []
    assert_accessible(page, "embed script on another origin")
    screenshot(page, "embed-script")


def test_iframe_snippet_shows_the_program_in_english(
    dorsten, live_server, other_origin, page, screenshot, assert_accessible
):
    snippet = (
        f'<iframe src="{live_server.url}/embed/brunnenplatz/?lang=en&amp;language=tr" '
        'title="Program of the Brunnenplatz" width="100%" height="700"></iframe>'
    )
    page.goto(other_origin("frame.html", snippet))
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Saz-Kurs").wait_for()
    assert frame.get_by_text("2 offers").is_visible()
    assert frame.get_by_role("heading", name="Wollmäuse").count() == 0
    assert page.context.cookies() == []
    assert_accessible(page, "embed iframe on another origin")
    screenshot(page, "embed-iframe")
