"""Rendered feeds in the cache: one entry per feed, language and data version.

The key holds a cheap data version (a few aggregate queries), so a change or a deletion makes
a new entry instead of serving a stale one; nothing has to be invalidated by hand. ETag is a
hash of the bytes; Last-Modified is when these bytes first appeared (never earlier than an
older version's), so If-Modified-Since cannot answer 304 after a deletion lowered
max(updated_at).

`warm_public_feeds` renders, ahead of the calendar apps, every public feed whose data changed,
so that a subscriber's poll after a busy day of decisions is a cache hit, not a cold render of
a whole center's program.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from calendars import selectors
from calendars.ical import build_calendar, fingerprints, set_sequences, to_bytes
from calendars.services import feed_objects_record

CACHE_SECONDS = 24 * 3600
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    last_modified: int  # seconds since the epoch


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:40]}"'


def _last_modified(identity: str, version: str) -> int:
    """When this version was first rendered, and always later than the previous version's."""
    key = f"feeds:lm:{identity}"
    now = int(timezone.now().timestamp())
    previous = cache.get(key)
    if previous is not None and previous[0] == version:
        return previous[1]
    stamp = max(now, previous[1] + 1) if previous is not None else now
    cache.set(key, (version, stamp), CACHE_SECONDS)
    return stamp


def _current(spec: selectors.FeedSpec) -> tuple[tuple[datetime, datetime], str]:
    """The feed's window (from today, local) and the version of the data it shows."""
    today = timezone.now().astimezone(spec.tz).date()
    window = selectors.feed_window(today, spec.tz)
    return window, f"{window[0].isoformat()}|{selectors.data_version(spec, window)}"


def _cached(
    spec: selectors.FeedSpec, lang: str, window: tuple[datetime, datetime], version: str
) -> tuple[Rendered, bool]:
    """The rendered feed and whether it had to be rendered now."""
    identity = f"{spec.identity}:{lang}"
    key = "feeds:body:" + hashlib.sha256(f"{identity}|{version}".encode()).hexdigest()
    rendered = cache.get(key)
    if rendered is not None:
        return rendered, False
    with translation.override(lang):
        cal = build_calendar(selectors.feed_meta(spec, window), selectors.feed_series(spec, window))
    set_sequences(cal, feed_objects_record(feed=spec.identity, objects=fingerprints(cal)))
    body = to_bytes(cal)
    rendered = Rendered(
        body=body, etag=etag_of(body), last_modified=_last_modified(identity, version)
    )
    cache.set(key, rendered, CACHE_SECONDS)
    return rendered, True


def render(spec: selectors.FeedSpec, lang: str) -> Rendered:
    """The feed's current bytes, from the cache when its data has not changed."""
    window, version = _current(spec)
    return _cached(spec, lang, window, version)[0]


def cache_is_shared() -> bool:
    """Whether other processes (the web server) see what this one caches."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def warm_public_feeds() -> int:
    """Render every public feed (all languages) whose data changed; returns how many."""
    rendered = 0
    for spec in selectors.public_feed_specs():
        window, version = _current(spec)  # once for all languages
        for lang in LANGUAGES:
            rendered += _cached(spec, lang, window, version)[1]
    return rendered
