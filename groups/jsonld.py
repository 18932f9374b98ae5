"""Pure: schema.org `Event` JSON-LD for a group's upcoming dates, for search engines.

No ORM here: callers pass the group (with `center`, `organisation` and its language codes) and
the dates already loaded. `script_json` escapes the result so it is safe inside <script>.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import tzinfo
from typing import Any

from django.utils.safestring import SafeString, mark_safe

SCHEMA = "https://schema.org"
_STATUS = {
    "scheduled": f"{SCHEMA}/EventScheduled",
    "cancelled": f"{SCHEMA}/EventCancelled",
    "rescheduled": f"{SCHEMA}/EventRescheduled",
}
# The same escapes as django.utils.html.json_script: nothing in the data can close the script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _place(center: Any, room_name: str) -> dict[str, Any]:
    return {
        "@type": "Place",
        "name": f"{center.name}, {room_name}" if room_name else center.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": center.street,
            "postalCode": center.postal_code,
            "addressLocality": center.city,
            "addressCountry": "DE",
        },
    }


def _organizer(group: Any, group_url: str) -> dict[str, Any]:
    organisation = group.organisation
    if organisation is None:
        return {"@type": "Organization", "name": group.name, "url": group_url}
    organizer = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        organizer["url"] = organisation.website
    return organizer


def _offers(group: Any, group_url: str) -> dict[str, Any]:
    if group.free_of_charge:
        return {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": group_url}
    # The fee is free text ("3 € per meeting"): described, not parsed into a price.
    return {"@type": "Offer", "description": group.fee, "url": group_url}


def occurrence_status(occurrence: Any, series_room_id: int | None) -> str:
    """scheduled, cancelled or rescheduled (moved to another time or room)."""
    if occurrence.state == "cancelled":
        return "cancelled"
    if occurrence.starts_at != occurrence.original_start or (
        series_room_id is not None and occurrence.room_id != series_room_id
    ):
        return "rescheduled"
    return "scheduled"


def group_events(
    *,
    group: Any,
    occurrences: Iterable[Any],
    group_url: str,
    language_codes: Sequence[str],
    tz: tzinfo,
) -> list[dict[str, Any]]:
    """One schema.org Event per date; each occurrence needs `room` and `series` loaded."""
    events = []
    for occurrence in occurrences:
        status = occurrence_status(occurrence, occurrence.series.room_id)
        event: dict[str, Any] = {
            "@context": SCHEMA,
            "@type": "Event",
            "name": occurrence.series.title or group.name,
            "startDate": occurrence.starts_at.astimezone(tz).isoformat(),
            "endDate": occurrence.ends_at.astimezone(tz).isoformat(),
            "eventStatus": _STATUS[status],
            "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
            "location": _place(group.center, occurrence.room.name),
            "organizer": _organizer(group, group_url),
            "isAccessibleForFree": bool(group.free_of_charge),
            "offers": _offers(group, group_url),
            "url": group_url,
        }
        if group.description:
            event["description"] = group.description
        if language_codes:
            event["inLanguage"] = (
                language_codes[0] if len(language_codes) == 1 else list(language_codes)
            )
        if status == "rescheduled":
            event["previousStartDate"] = occurrence.original_start.astimezone(tz).isoformat()
        events.append(event)
    return events


def script_json(data: Any) -> SafeString:
    """JSON for inside <script type="application/ld+json">: `<`, `>` and `&` escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # escaped above, as django's json_script does
