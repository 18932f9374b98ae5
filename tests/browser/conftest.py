"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Fixtures: `browser` (one Chromium per session), `page` (a fresh context per test, 1280 px),
`login(page, username)`, `screenshot(page, name)` (kept under tests/artifacts/, git-ignored),
`assert_accessible(page)` (axe-core from npm: no serious or critical violations).
"""

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still
# plain synchronous code, so Django's async guard must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "treffpunkt-demo"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's Chromium: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP refuses.
    # tests/browser/test_csp.py checks the policy itself, in contexts without this.
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900},
        locale="de-DE",
        base_url=live_server.url,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login() -> Callable[..., None]:
    def do_login(page: object, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")  # type: ignore[attr-defined]
        page.fill("input[name=username]", username)  # type: ignore[attr-defined]
        page.fill("input[name=password]", password)  # type: ignore[attr-defined]
        # The header holds forms too (language switch): click the login form's own button.
        page.click("main form [type=submit]")  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]

    return do_login


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., list[Path]]:
    """Screenshots of the current page at 360 px and 1280 px wide."""

    def take(page: object, name: str, widths: tuple[int, ...] = (360, 1280)) -> list[Path]:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        paths = []
        original = page.viewport_size  # type: ignore[attr-defined]
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
            path = ARTIFACTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
            paths.append(path)
        page.set_viewport_size(original)  # type: ignore[attr-defined]
        return paths

    return take


@pytest.fixture
def assert_accessible() -> Callable[..., None]:
    if not AXE.exists():
        pytest.skip("needs axe-core from npm: run `npm ci` in the project folder")

    def check(page: object, context: str = "") -> None:
        page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
        result = page.evaluate(  # type: ignore[attr-defined]
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        serious = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"axe-core on {context or page.url}: " + json.dumps(  # type: ignore[attr-defined]
            serious, indent=1, ensure_ascii=False
        )

    return check
