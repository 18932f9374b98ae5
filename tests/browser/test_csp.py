"""The Content-Security-Policy holds on every page: no violation in Chromium, as anonymous,
leader, staff and superuser, in German and English.

The pages come from the same crawler as the bad-input suite (tests/config/crawl.py): every page
each role can reach, one per URL pattern. Each is loaded in Chromium (without Playwright's CSP
bypass) with a listener for `securitypolicyviolation` events installed before any page script,
and the console is watched for "Content Security Policy" errors. Pages that use script are also
worked: the live preview of the request form (htmx), the print button, the feed address field.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.config.crawl import crawl, fill_patterns, url_patterns
from tests.config.fuzz_world import FuzzWorld, build

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("de", "en")
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push({
  directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
  source: e.sourceFile, line: e.lineNumber,
}));
"""
# Admin pages are Django's, all alike per kind: one of each kind is enough.
ADMIN_KINDS = ("/admin/", "/admin/accounts/", "/add/", "/change/", "/history/", "/password_change/")


@pytest.fixture
def world(make_user, make_center, make_room, make_group, make_equipment) -> FuzzWorld:
    return build(make_user, make_center, make_room, make_group, make_equipment)


def _session(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def pages_for(world: FuzzWorld) -> dict[str, tuple[str | None, list[str]]]:
    """Per role: its session cookie and the HTML pages it can reach, one per URL pattern."""
    patterns = url_patterns()
    ours = [p for p in patterns if not p.route.startswith("admin/")]
    seeds = ["/", "/me/", "/staff/", "/profile/", "/admin/", *fill_patterns(ours, world.ids)]
    roles: dict[str, str | None] = {
        "anonymous": None,
        "leader": _session(world.leader),
        "staff": _session(world.staff),
        "superuser": _session(world.superuser),
    }
    found = {}
    for role, session in roles.items():
        client = Client()
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        html: dict[str, str] = {}

        def fetch(url: str, client: Client = client, html: dict[str, str] = html):  # type: ignore[no-untyped-def]
            response = client.get(url)
            if response.get("Content-Type", "").startswith("text/html"):
                html[url] = response.content.decode()
            return response

        site = crawl(fetch, role, seeds, patterns, per_pattern=1)
        # Whole pages only: htmx fragments (a progress line, a preview) live inside one.
        urls = [
            u
            for u, status in site.pages.items()
            if status == 200 and u in html and html[u].lstrip()[:15].lower() == "<!doctype html>"
        ]
        admin_seen: set[str] = set()
        chosen = []
        for url in urls:
            path = urlsplit(url).path
            if path.startswith("/admin/"):
                kind = next((k for k in ADMIN_KINDS if path.endswith(k)), "changelist")
                if kind in admin_seen:
                    continue
                admin_seen.add(kind)
            chosen.append(url)
        found[role] = (session, chosen)
    return found


@pytest.fixture
def contexts(browser, live_server) -> Iterator:  # type: ignore[no-untyped-def]
    opened = []

    def make(session: str | None, language: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="de-DE" if language == "de" else "en-US",
            base_url=live_server.url,
        )
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
        if session:
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session})
        context.add_cookies([{**c, "url": live_server.url} for c in cookies])
        context.add_init_script(LISTEN)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def _work(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Use what the page does with script, so that those parts meet the policy too."""
    if urlsplit(url).path == "/me/request/" and page.locator("#request-form").count():
        with page.expect_response(lambda r: "/me/request/preview/" in r.url):
            page.check("input[name=frequency][value=weekly]")
        page.wait_for_selector("#preview .preview-list, #preview p, #preview table")
    address = page.locator("[data-select-on-focus]")
    if address.count():
        address.first.focus()


def test_no_page_breaks_the_content_security_policy(world, contexts):
    started = time.monotonic()
    found = pages_for(world)
    crawled = time.monotonic() - started
    assert sum(len(urls) for _session, urls in found.values()) > 40  # the crawler found them
    violations = []
    visited = 0
    for role, (session, urls) in found.items():
        for language in LANGUAGES:
            context = contexts(session, language)
            page = context.new_page()
            console: list[str] = []
            page.on(
                "console",
                lambda message, console=console: (
                    console.append(message.text)
                    if "Content Security Policy" in message.text or "htmx:eval" in message.text
                    else None
                ),
            )
            for url in urls:
                response = page.goto(url)
                assert response is not None and response.status == 200, (role, url)
                # The API docs (Swagger UI) are for developers and in English only.
                expected = "en" if url.startswith("/api/") else language
                assert f'lang="{expected}"' in page.content(), (role, language, url)
                _work(page, url)
                # Violation events are queued tasks: one round trip to the page lets them run.
                page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
                for event in page.evaluate("window.__csp"):
                    violations.append({"role": role, "language": language, "url": url, **event})
                visited += 1
            violations += [
                {"role": role, "language": language, "console": text} for text in console
            ]
            page.close()
    print(
        f"CSP: {visited} page views, {len(violations)} violations; crawl {crawled:.0f} s, "
        f"browser {time.monotonic() - started - crawled:.0f} s"
    )
    assert not violations, json.dumps(violations[:20], indent=1, ensure_ascii=False)
