"""Thin views that serve .ics feeds with conditional-request headers.

Rendering and caching live in `calendars.cache`; these views only pick the feed, its
language and the headers.
"""

from __future__ import annotations

from datetime import UTC

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from accounts.tokens import feed_token_lookup
from calendars import selectors
from calendars.cache import LANGUAGES, Rendered, etag_of, render
from calendars.ical import FeedMeta, build_single, to_bytes

# Calendar apps poll every few hours; a short max-age keeps proxies from serving old dates long.
MAX_AGE = 900


def _language(request: HttpRequest) -> str:
    """Feeds are German unless ?lang=en: subscribers' apps send no useful Accept-Language."""
    lang = request.GET.get("lang", "de")
    return lang if lang in LANGUAGES else "de"


def _respond(
    request: HttpRequest,
    rendered: Rendered,
    *,
    filename: str,
    private: bool,
    disposition: str,
    lang: str,
) -> HttpResponse:
    response = HttpResponse(rendered.body, content_type="text/calendar; charset=utf-8")
    # The feed's language, not the browser's (LocaleMiddleware only sets it when missing).
    response["Content-Language"] = lang
    response["ETag"] = rendered.etag
    response["Last-Modified"] = http_date(rendered.last_modified)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE}"
    if private:
        # The token is the password: keep it out of Referer headers and search engines.
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    return get_conditional_response(
        request, etag=rendered.etag, last_modified=rendered.last_modified, response=response
    )


def _serve(request: HttpRequest, spec: selectors.FeedSpec, filename: str) -> HttpResponse:
    lang = _language(request)
    return _respond(
        request,
        render(spec, lang),
        filename=filename,
        private=not spec.public,
        disposition="inline",
        lang=lang,
    )


@require_safe
def group_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, selectors.group_feed(slug), f"{slug}.ics")


@require_safe
def room_feed(request: HttpRequest, room_id: int) -> HttpResponse:
    return _serve(request, selectors.room_feed(room_id), f"room-{room_id}.ics")


@require_safe
def center_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, selectors.center_feed(slug), f"{slug}.ics")


@require_safe
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed_token = feed_token_lookup(token)
    if feed_token is None:
        raise Http404
    return _serve(request, selectors.private_feed(feed_token), "treffpunkt.ics")


@require_safe
def occurrence_ics(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """One confirmed public date as a downloadable .ics with a single VEVENT."""
    occurrence = selectors.public_occurrence(occurrence_id)
    series = occurrence.series
    host = selectors.uid_host()
    lang = _language(request)
    with translation.override(lang):
        data = selectors.series_data(series, [selectors.date_row(occurrence)], host=host)
        row = data.rows[0]
        tz = data.tz
        start = occurrence.starts_at
        meta = FeedMeta(name=data.summary, window=(start, start))
        body = to_bytes(build_single(meta, data, row, uid=f"occurrence-{occurrence.pk}@{host}"))
    modified = max(data.updated_at, row.updated_at).astimezone(UTC)
    rendered = Rendered(
        body=body,
        etag=etag_of(body),
        last_modified=int(modified.timestamp()),
    )
    day = start.astimezone(tz).date().isoformat()
    return _respond(
        request,
        rendered,
        filename=f"{series.group.slug}-{day}.ics",
        private=False,
        disposition="attachment",
        lang=lang,
    )
