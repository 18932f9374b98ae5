"""The program on the center's own website: an <iframe> page or a <script> that shows the same
HTML in a shadow root. Both show the public program with its filters (or one group's next
dates), in German or English, styled by CSS variables, and set no cookies.

The iframe page may be framed by any site (EMBED_FRAME_ANCESTORS); everything else keeps
X-Frame-Options: DENY. It has its own strict Content-Security-Policy: no script at all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from groups import selectors as program_selectors
from groups.filters import ProgramFilter

from .. import selectors

SCRIPT = Path(__file__).resolve().parent.parent / "static" / "api" / "embed.js"
_HEX = re.compile(r"^[0-9a-fA-F]{6}$")
THEME_KEYS = ("accent", "text", "background")
# Parameters of the embed itself; everything else is a filter of the program.
OWN_PARAMS = ("lang", "group", "page", *THEME_KEYS)


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    if lang in ("de", "en"):
        return lang
    return translation.get_language_from_request(request) or "de"


def theme(request: HttpRequest) -> dict[str, str]:
    """Colours the host gives as ?accent=1f6feb (hex, no #); anything else is ignored."""
    return {key: f"#{value}" for key in THEME_KEYS if _HEX.match(value := request.GET.get(key, ""))}


def _context(request: HttpRequest, slug: str) -> dict[str, Any]:
    center = selectors.center(slug)
    now = timezone.now()
    today = now.astimezone(center.tz).date()
    own = {k: request.GET[k] for k in ("lang", "group", *THEME_KEYS) if request.GET.get(k)}
    context: dict[str, Any] = {"center": center, "own": own, "theme": theme(request)}
    group_slug = request.GET.get("group")
    if group_slug:
        page = program_selectors.group_page(slug=group_slug[:100], now=now, today=today)
        if page.group.center_id != center.pk:
            raise Http404
        context["group_page"] = page
        return context
    filters = ProgramFilter(
        {k: v for k, v in request.GET.items() if k not in OWN_PARAMS} or None,
        queryset=program_selectors.program_groups(center),
        center=center,
        now=now,
    )
    program = program_selectors.program(
        groups=filters.qs, page_number=request.GET.get("page"), now=now, today=today
    )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(filters=filters, program=program, query=query.urlencode())
    return context


def _no_cookies(response: HttpResponse) -> HttpResponse:
    """Nothing the embed answers may set a cookie (a third-party cookie on the host's page)."""
    response.cookies.clear()
    response["Cache-Control"] = "public, max-age=300"
    return response


def csp(*, frame_ancestors: str) -> str:
    return (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        f"base-uri 'none'; frame-ancestors {frame_ancestors}"
    )


@xframe_options_exempt
@require_safe
def frame(request: HttpRequest, slug: str) -> HttpResponse:
    """The iframe page."""
    with translation.override(_language(request)):
        context = _context(request, slug)
        context["mode"] = "frame"
        response = render(request, "api/embed_frame.html", context)
    response["Content-Security-Policy"] = csp(frame_ancestors=settings.EMBED_FRAME_ANCESTORS)
    return _no_cookies(response)


@require_safe
def fragment(request: HttpRequest, slug: str) -> HttpResponse:
    """The same program as an HTML fragment, for the script to put in its shadow root."""
    with translation.override(_language(request)):
        context = _context(request, slug)
        context["mode"] = "script"
        response = render(request, "api/_embed_program.html", context)
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = csp(frame_ancestors="'none'")
    return _no_cookies(response)


@require_safe
def theme_css(request: HttpRequest) -> HttpResponse:
    """The host's colours as CSS variables (a stylesheet, since the CSP allows no inline style)."""
    rules = "".join(f"--tp-{key}:{value};" for key, value in theme(request).items())
    response = HttpResponse(f":root{{{rules}}}\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return _no_cookies(response)


@require_safe
def script(request: HttpRequest) -> HttpResponse:
    """The embed script at a stable address (not a hashed static name), cached for an hour."""
    response = HttpResponse(SCRIPT.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return _no_cookies(response)
