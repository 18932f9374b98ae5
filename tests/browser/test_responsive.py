"""Every page of every role (tests/browser/pages.py) at 360 px and 1280 px, in German and
English: nothing wider than the screen, no text left in the other language, no raw state
values, no serious accessibility findings; screenshots of each."""

import gettext
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from tests.console.conftest import world  # noqa: F401 — the fixture

from .pages import PAGES, build_scene

ROOT = Path(__file__).resolve().parents[2]
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


@cache
def _foreign_phrases(language: str) -> tuple[str, ...]:
    """Phrases of our catalogue that must not show in `language`: on a German page the English
    text of a translated string (its translation was lost), on an English page the German one
    (text written into a template without gettext). Only phrases of three words or more, without
    placeholders: single words like "Name" or "Status" are the same in both languages."""
    catalogue = gettext.GNUTranslations(
        (ROOT / "locale" / "de" / "LC_MESSAGES" / "django.mo").open("rb")
    )._catalog  # type: ignore[attr-defined]
    phrases = set()
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not msgid or "\x04" in msgid or msgid == msgstr:
            continue
        text = msgid if language == "de" else msgstr
        if len(text.split()) >= 3 and "%" not in text and "{" not in text and "<" not in text:
            phrases.add(" ".join(text.split()))
    return tuple(sorted(phrases))


def _problems(page, name: str, language: str, screenshot, assert_accessible) -> list[str]:
    """What is wrong with the page as shown: every finding, not only the first."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            problems.append(
                f"{name} at {width} px is {widths[0]} px wide: " + ", ".join(page.evaluate(WIDEST))
            )
        # Tables scroll inside their box on phones; on a desktop nothing is cut off.
        if width >= 1280 and (cut := page.evaluate(CUT_TABLES)):
            problems.append(f"{name} at {width} px: tables wider than their box: {cut}")
    text = page.inner_text("body")
    for pattern in (RAW_VALUES, US_DATE):
        if found := pattern.search(text):
            problems.append(f"{name}: {found.group(0)!r}")
    flat = " ".join(text.split())
    if foreign := [p for p in _foreign_phrases(language) if p in flat]:
        problems.append(f"{name}: text in the other language: {foreign[:5]}")
    screenshot(page, name, widths=WIDTHS)
    try:
        assert_accessible(page, name)
    except AssertionError as finding:
        problems.append(str(finding))
    return problems


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_fits_phone_and_desktop(
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
    scene = build_scene(world, make_user, make_organisation)
    current = "nobody yet"
    problems: list[str] = []
    for entry in PAGES:
        if entry.user != current:
            page.context.clear_cookies()
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            if entry.user:
                login(page, entry.user)
            current = entry.user
        path = entry.path(scene)
        if not entry.name.startswith("!"):
            # The page list names the pattern each address is for: the guard test trusts it.
            assert resolve(urlsplit(path).path).view_name == entry.name.split("#")[0], path
        if entry.lang_query:
            path += ("&" if "?" in path else "?") + f"lang={language}"
        response = page.goto(path)
        expected = 404 if entry.name == "!not-found" else 200
        shown_in = entry.only_in or language
        if entry.ready:
            page.locator(entry.ready).first.wait_for()
        if response.status != expected:
            problems.append(f"{entry.name}: {path} answered {response.status}, not {expected}")
            continue
        if (lang := page.locator("html").get_attribute("lang")) != shown_in:
            problems.append(f"{entry.name}: {path} says lang={lang!r}, not {shown_in!r}")
        assert response.headers["content-type"].startswith("text/html"), entry.name
        label = entry.name.replace(":", "-").replace("#", "-").lstrip("!")
        problems += _problems(page, f"{label}-{language}", shown_in, screenshot, assert_accessible)
    print(f"\n{len(PAGES)} pages in {language!r} at {WIDTHS} px")
    assert not problems, "\n".join(problems)
