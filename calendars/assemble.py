"""A feed assembled from per-series blocks: only changed series are rendered again.

Each series' VEVENTs (master, overrides, dates of their own) are cached as bytes under a key
made of what they depend on: the feed, its language and window, the series' version (raised
by every change of the series or one of its dates, bookings.services.transitions.touch), its
SEQUENCE, the stamps of its group, center and room, and the rooms of the feed's centers (the
LOCATION of a moved date). After one changed series, a big center's feed reads and renders
that series alone, and joins the other blocks from the cache.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from bookings.models import Series
from calendars import selectors
from calendars.ical import SeriesData, calendar_shell, series_specs, to_bytes
from calendars.ical.fast import TextEvent, write
from calendars.services import feed_objects_record
from centers.models import Room
from config.site import site_url

BLOCK_SECONDS = 7 * 24 * 3600
FORMAT = 1  # raise when the rendering changes, so that no old block is joined with new ones
_END = b"END:VCALENDAR\r\n"


def _rooms_stamp(spec: selectors.FeedSpec) -> str:
    found = Room.objects.filter(center_id__in=spec.center_ids).aggregate(
        changed=Max("updated_at"), count=Count("pk")
    )
    return f"{found['changed']}|{found['count']}"


def _block_key(prefix: str, stamps: tuple) -> str:
    parts = (prefix, *(v.isoformat() if isinstance(v, datetime) else v for v in stamps))
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return f"feeds:block:{digest}"


def render_body(spec: selectors.FeedSpec, lang: str, window: tuple[datetime, datetime]) -> bytes:
    """The whole feed: cached blocks of unchanged series, fresh ones of the others."""
    stamps = selectors.feed_series_stamps(spec)
    start, end = (moment.isoformat() for moment in window)
    rooms = _rooms_stamp(spec)
    prefix = "|".join((str(FORMAT), spec.identity, lang, start, end, rooms, site_url()))
    keys = {row[0]: _block_key(prefix, row) for row in stamps}
    blocks: dict[str, tuple[str, bytes]] = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in blocks]
    if missing:
        series = selectors.feed_series_heads(spec, pks=missing)
        blocks.update(_render_blocks(spec, lang, window, series, keys))
    zones, parts = [], []
    for key in keys.values():
        zone, block = blocks[key]
        if block:
            zones.append(zone)
            parts.append(block)
    with translation.override(lang):
        shell = to_bytes(calendar_shell(selectors.feed_meta(spec, window), zones))
    return shell[: -len(_END)] + b"".join(parts) + _END


def _render_blocks(
    spec: selectors.FeedSpec,
    lang: str,
    window: tuple[datetime, datetime],
    series: list[Series],
    keys: dict[int, str],
) -> dict[str, tuple[str, bytes]]:
    """Render these series' VEVENTs, give them their SEQUENCE, cache and return the blocks."""
    series = sorted(series, key=lambda item: item.pk)
    # One series at a time: its rows are dropped once its VEVENTs are text.
    with translation.override(lang):
        written = [
            (item.tz.key, series_text(item, window))
            for item in selectors.iter_feed_series(spec, window, series)
        ]
    objects = {}
    series_of = {}  # every UID of a series (its parts and standalone dates too) -> the series
    for model, (_zone, found) in zip(series, written, strict=True):
        for event in found:
            objects[event.key] = (event.fingerprint, event.sequence)
            series_of[event.key[0]] = model.pk
    sequences = feed_objects_record(feed=spec.identity, objects=objects, series_of=series_of)
    fresh = {}
    for model, (zone, events) in zip(series, written, strict=True):
        block = b"".join(event.to_bytes(sequences.get(event.key)) for event in events)
        fresh[keys[model.pk]] = (zone, block)
    cache.set_many(fresh, BLOCK_SECONDS)
    return fresh


def series_text(item: SeriesData, window: tuple[datetime, datetime]) -> list[TextEvent]:
    """One series' VEVENTs written as text (calendars.ical.fast); tests check them against
    icalendar's bytes."""
    return [write(spec) for spec in series_specs(item, window)]
