"""QR codes (segno) to a room's public page: inline SVG for screens, squares for the PDF."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.site import site_url


def room_url(center_slug: str, room_id: int) -> str:
    """The absolute address of the room's public page (SITE_URL: a screen has no request
    whose host could be trusted to be the public one)."""
    path = reverse("centers:room", kwargs={"slug": center_slug, "room_id": room_id})
    return f"{site_url()}{path}"


@lru_cache(maxsize=256)
def _make(data: str) -> segno.QRCode:
    # Error correction M: readable through a smudged protective sleeve on a door.
    return segno.make(data, error="m", micro=False)


def svg(data: str, *, label: str) -> SafeString:
    """The code as inline SVG, scalable by CSS, with an accessible name."""
    markup = _make(data).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-code"
    )
    named = markup.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1
    )
    return mark_safe(named)  # segno's markup; the label is escaped above


def matrix(data: str) -> list[list[bool]]:
    """Dark modules row by row, without the quiet zone (the PDF draws its own margin)."""
    return [[bool(cell) for cell in row] for row in _make(data).matrix]


def png(data: str, path: str, *, scale: int = 8) -> None:
    """Write the code as PNG (for tests that decode it)."""
    _make(data).save(path, kind="png", scale=scale, border=4)
