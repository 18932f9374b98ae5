"""The API documentation page renders from our own static files (no CDN, no inline script)."""

from __future__ import annotations


def test_the_docs_list_the_operations(page, live_server, screenshot):
    blocked: list[str] = []
    page.on(
        "request",
        lambda request: (
            blocked.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/centers/{slug}/dates/").first.wait_for()
    assert page.get_by_text("Treffpunkt API").first.is_visible()
    assert blocked == []  # everything from our own origin
    screenshot(page, "api-docs", widths=(1280,))
