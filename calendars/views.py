"""Thin views that serve .ics feeds with conditional-request headers.

Rendering and caching live in `calendars.cache`; these views only pick the feed, its
language, its encoding and the headers. A conditional request is answered from the cached
head (ETag, Last-Modified) before any body is read; bodies go out gzipped when the client
accepts it (compressed once, when rendered).
"""

from __future__ import annotations

from datetime import UTC

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.views.decorators.http import require_safe

from accounts.tokens import feed_token_lookup
from calendars import cache as feed_cache
from calendars import selectors
from calendars.cache import LANGUAGES, Head, etag_of, gzip_etag
from calendars.ical import FeedMeta, build_single, to_bytes

# Calendar apps poll every few hours; a short max-age keeps proxies from serving old dates long.
MAX_AGE = 900
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


def _language(request: HttpRequest) -> str:
    """Feeds are German unless ?lang=en: subscribers' apps send no useful Accept-Language."""
    lang = request.GET.get("lang", "de")
    return lang if lang in LANGUAGES else "de"


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _headers(
    head: Head, *, filename: str, private: bool, disposition: str, lang: str, gzipped: bool
) -> HttpResponse:
    """A response with every header and no body yet (a 304 needs no body)."""
    response = HttpResponse(content_type="text/calendar; charset=utf-8")
    # The feed's language, not the browser's (LocaleMiddleware only sets it when missing).
    response["Content-Language"] = lang
    response["ETag"] = gzip_etag(head.etag) if gzipped else head.etag
    response["Last-Modified"] = http_date(head.last_modified)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    if gzipped:
        response["Content-Encoding"] = "gzip"
    if private:
        # The token is the password: keep it out of Referer headers and search engines.
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
    return response


def _conditional(request: HttpRequest, response: HttpResponse, head: Head) -> HttpResponse:
    """A 304 (or 412) when the client's copy is current, else `response` itself."""
    answer = get_conditional_response(
        request, etag=response["ETag"], last_modified=head.last_modified, response=response
    )
    if answer is not response:
        # Django's 304 keeps the caching headers only; the feed's language is the feed's.
        answer["Content-Language"] = response["Content-Language"]
    return answer


def _serve(request: HttpRequest, spec: selectors.FeedSpec, filename: str) -> HttpResponse:
    """The feed: a 304 from the cached head alone, else the (gzipped) body."""
    lang = _language(request)
    state = feed_cache.current(spec, lang)
    options = {
        "filename": filename,
        "private": not spec.public,
        "disposition": "inline",
        "lang": lang,
        "gzipped": _accepts_gzip(request),
    }
    # Only a conditional request can be answered from the head; any other reads the body.
    conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
    head = feed_cache.head(state) if conditional else None
    if head is not None:
        response = _conditional(request, _headers(head, **options), head)
        if response.status_code != 200:
            return response
    rendered = feed_cache.rendered(state)
    response = _headers(rendered.head, **options)
    answer = _conditional(request, response, rendered.head)
    if answer is response:
        response.content = rendered.gzipped if options["gzipped"] else rendered.body
    return answer


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
    head = Head(etag=etag_of(body), last_modified=int(modified.timestamp()))
    day = start.astimezone(tz).date().isoformat()
    response = _headers(
        head,
        filename=f"{series.group.slug}-{day}.ics",
        private=False,
        disposition="attachment",
        lang=lang,
        gzipped=False,  # a few hundred bytes
    )
    answer = _conditional(request, response, head)
    if answer is response:
        response.content = body
    return answer
