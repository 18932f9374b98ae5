"""Pure: a center's public program as a schema.org DataFeed of Events (JSON-LD) and as CSV rows.

No ORM here: callers pass the center, its licence and the public dates with their groups
loaded (`series__group` with `center`, `organisation` and prefetched `languages`, and `room`).
The events are `groups.jsonld.group_events`, the same JSON-LD the group pages carry.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from groups.jsonld import SCHEMA, group_events, occurrence_status

CSV_COLUMNS = (
    "date_id",
    "group",
    "group_slug",
    "title",
    "kind",
    "audience",
    "languages",
    "free_of_charge",
    "fee",
    "starts_at",
    "ends_at",
    "status",
    "original_start",
    "reason",
    "room",
    "center",
    "address",
    "url",
    "licence",
)


def _by_group(occurrences: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for occurrence in occurrences:
        grouped[occurrence.series.group_id].append(occurrence)
    return grouped


def events_feed(
    *,
    center: Any,
    occurrences: Sequence[Any],
    group_url: Callable[[Any], str],
    feed_url: str,
    licence_url: str,
    attribution: str,
    modified: datetime | None,
) -> dict[str, Any]:
    """A schema.org DataFeed whose elements are one Event per public date."""
    tz = center.tz
    events: list[dict[str, Any]] = []
    for dates in _by_group(occurrences).values():
        group = dates[0].series.group
        events.extend(
            group_events(
                group=group,
                occurrences=dates,
                group_url=group_url(group),
                language_codes=[language.code for language in group.languages.all()],
                tz=tz,
            )
        )
    events.sort(key=lambda e: (e["startDate"], e["name"]))
    feed: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "DataFeed",
        "name": center.name,
        "url": feed_url,
        "provider": {"@type": "Organization", "name": center.name},
        "dataFeedElement": events,
    }
    if licence_url:
        feed["license"] = licence_url
    if attribution:
        feed["creditText"] = attribution
    if modified is not None:
        feed["dateModified"] = modified.astimezone(tz).isoformat()
    return feed


def csv_text(
    *,
    center: Any,
    occurrences: Sequence[Any],
    group_url: Callable[[Any], str],
    licence_url: str,
) -> str:
    """One row per public date, local times with offset, UTF-8 (the caller adds a BOM)."""
    tz = center.tz
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for occurrence in occurrences:
        group = occurrence.series.group
        status = occurrence_status(occurrence, occurrence.series.room_id)
        writer.writerow(
            [
                occurrence.pk,
                _cell(group.name),
                group.slug,
                _cell(occurrence.series.title or group.name),
                group.kind,
                group.audience,
                " ".join(language.code for language in group.languages.all()),
                "yes" if group.free_of_charge else "no",
                _cell(group.fee),
                occurrence.starts_at.astimezone(tz).isoformat(),
                occurrence.ends_at.astimezone(tz).isoformat(),
                status,
                occurrence.original_start.astimezone(tz).isoformat(),
                _cell(occurrence.reason) if status == "cancelled" else "",
                _cell(occurrence.room.name),
                _cell(center.name),
                _cell(center.address),
                group_url(group),
                licence_url,
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """Text as data, never as a spreadsheet formula (CSV injection: =, +, -, @ at the start)."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
