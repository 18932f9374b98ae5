"""Rendered feeds in the cache: one entry per feed, language and data version.

The key holds a cheap data version (one indexed read of counters the writers raise in their
transaction, `selectors.data_version`), so a change or a deletion makes a new entry instead of
serving a stale one; nothing has to be invalidated by hand. A missing entry is assembled
from per-series blocks (`calendars.assemble`), so only changed series are rendered again. Each entry
is the plain and the gzipped body (compressed once), plus a small head (ETag, Last-Modified)
that answers a conditional request without reading a body. ETag is a hash of the bytes;
Last-Modified is when these bytes first appeared (never earlier than an older version's), so
If-Modified-Since cannot answer 304 after a deletion lowered max(updated_at).

`warm_public_feeds` renders, ahead of the calendar apps, every public feed whose data changed,
so that a subscriber's poll after a busy day of decisions is a cache hit, not a cold render of
a whole center's program.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from calendars import selectors
from calendars.assemble import render_body

CACHE_SECONDS = 24 * 3600
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class Head:
    """What a conditional request needs: answered from this alone, before any body is read."""

    etag: str  # of the plain body; the gzipped one is `gzip_etag(etag)`
    last_modified: int  # seconds since the epoch


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    last_modified: int  # seconds since the epoch
    gzipped: bytes = b""  # compressed once, when rendered

    @property
    def head(self) -> Head:
        return Head(etag=self.etag, last_modified=self.last_modified)


@dataclass(frozen=True)
class Current:
    """A feed in one language at its current data version, and its cache keys."""

    spec: selectors.FeedSpec
    lang: str
    window: tuple[datetime, datetime]
    version: str

    @property
    def identity(self) -> str:
        return f"{self.spec.identity}:{self.lang}"

    def key(self, kind: str) -> str:
        digest = hashlib.sha256(f"{self.identity}|{self.version}".encode()).hexdigest()
        return f"feeds:{kind}:{digest}"


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:40]}"'


def gzip_etag(etag: str) -> str:
    """The gzipped body is another representation: another (strong) ETag."""
    return f'{etag[:-1]}-gz"'


def compress(body: bytes) -> bytes:
    # mtime=0: the same bytes give the same gzip stream, so the ETag stays stable.
    return gzip.compress(body, compresslevel=6, mtime=0)


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


def current(spec: selectors.FeedSpec, lang: str) -> Current:
    """The feed's window (stable for a month) and the version of the data it shows."""
    today = timezone.now().astimezone(spec.tz).date()
    window = selectors.feed_window(today, spec.tz)
    data = spec.known_version or selectors.data_version(spec, window)
    version = f"{window[0].isoformat()}|{data}"
    return Current(spec=spec, lang=lang, window=window, version=version)


# Heads this worker has read, by cache key. A key names one feed at one data version, whose
# bytes never change (ids are never reused: AUTOINCREMENT on SQLite, sequences on PostgreSQL),
# so a conditional request after the first needs no cache round trip. Bounded: cleared whole.
_HEADS: dict[str, Head] = {}
HEADS_KEPT = 4096


def head(state: Current) -> Head | None:
    """ETag and Last-Modified of the cached bytes of this version (None: not rendered yet)."""
    key = state.key("head")
    found = _HEADS.get(key)
    if found is None:
        found = cache.get(key)
        if found is not None:
            if len(_HEADS) >= HEADS_KEPT:
                _HEADS.clear()
            _HEADS[key] = found
    return found


def forget_heads() -> None:
    """Forget the heads this worker has read (tests: ids start again in every test)."""
    _HEADS.clear()


def _rendered(state: Current) -> tuple[Rendered, bool]:
    """The rendered feed and whether it had to be rendered now."""
    rendered = cache.get(state.key("body"))
    if rendered is not None:
        return rendered, False
    # A cold render allocates ~10^6 short-lived objects without cycles: the cyclic garbage
    # collector's passes over them cost ~10 % of a big center's render and free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        body = render_body(state.spec, state.lang, state.window)
    finally:
        if collecting:
            gc.enable()
    rendered = Rendered(
        body=body,
        etag=etag_of(body),
        last_modified=_last_modified(state.identity, state.version),
        gzipped=compress(body),
    )
    cache.set(state.key("body"), rendered, CACHE_SECONDS)
    cache.set(state.key("head"), rendered.head, CACHE_SECONDS)
    return rendered, True


def rendered(state: Current) -> Rendered:
    """The feed's current bytes, from the cache when its data has not changed."""
    return _rendered(state)[0]


def render(spec: selectors.FeedSpec, lang: str) -> Rendered:
    return rendered(current(spec, lang))


def cache_is_shared() -> bool:
    """Whether other processes (the web server) see what this one caches."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def warm_public_feeds() -> int:
    """Render every public feed (all languages) whose data changed; returns how many."""
    count = 0
    for spec in selectors.public_feed_specs():
        state = current(spec, LANGUAGES[0])  # the version once for all languages
        for lang in LANGUAGES:
            count += _rendered(replace(state, lang=lang))[1]
    return count
