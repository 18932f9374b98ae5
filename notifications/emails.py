"""Rendering e-mails: context builders per event and one `render` that fixes language and zone.

Templates live in templates/notifications/email/<kind>.{subject.txt,txt,html}. The dispatcher
renders each outbox row when it first sends it (from the event stored on the row, see
`notifications.events`), in the recipient's language and the center's time zone, and keeps the
result on the row, so every attempt sends the same text.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState, Series
from config.site import site_url

# Long series list their first dates only; the dashboard link shows the rest.
MAX_LISTED_DATES = 12


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(kind: str, context: dict[str, Any], *, language: str, tz: tzinfo | None) -> Rendered:
    """Subject, plain text and HTML of one e-mail, in `language`, times shown in `tz`."""
    context = {"site_url": site_url(), **context}
    with translation.override(language), timezone.override(tz or timezone.get_default_timezone()):
        subject = render_to_string(f"notifications/email/{kind}.subject.txt", context)
        text = render_to_string(f"notifications/email/{kind}.txt", context)
        html = render_to_string(f"notifications/email/{kind}.html", context)
    # Header injection and stray template newlines: a subject is one line.
    subject = " ".join(subject.split())
    return Rendered(subject=subject, text=_tidy_text(text), html=html.strip() + "\n")


def _tidy_text(text: str) -> str:
    """Collapse the blank lines template tags leave behind in plain-text mails."""
    # "-- " keeps its space: it is the signature delimiter mail clients recognise.
    lines = [line if line == "-- " else line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line == "" and tidy and tidy[-1] == "":
            continue
        tidy.append(line)
    return "\n".join(tidy) + "\n"


def series_event_context(
    *,
    series: Series,
    occurrences: Iterable[Occurrence],
    whole: Iterable[Occurrence] | None = None,
    actor: User | None,
    reason: str,
    recipient: User,
) -> dict[str, Any]:
    occurrences = list(occurrences)
    # For a partial decision the event names the confirmed dates; the rest of the request
    # (still open, or not possible) comes from the whole series.
    pool = list(whole) if whole is not None else occurrences
    confirmed = [o for o in pool if o.state == OccurrenceState.CONFIRMED]
    declined = [o for o in pool if o.state == OccurrenceState.DECLINED]
    waiting = [o for o in pool if o.state == OccurrenceState.REQUESTED]
    return {
        "recipient": recipient,
        "series": series,
        "group": series.group,
        "center": series.group.center,
        "room": series.room,
        "actor": actor,
        "reason": reason or series.decision_note,
        "dates": occurrences[:MAX_LISTED_DATES],
        "dates_count": len(occurrences),
        "dates_more": max(0, len(occurrences) - MAX_LISTED_DATES),
        "confirmed": confirmed[:MAX_LISTED_DATES],
        "confirmed_count": len(confirmed),
        "confirmed_more": max(0, len(confirmed) - MAX_LISTED_DATES),
        "declined": declined[:MAX_LISTED_DATES],
        "declined_count": len(declined),
        "declined_more": max(0, len(declined) - MAX_LISTED_DATES),
        "waiting": waiting[:MAX_LISTED_DATES],
        "waiting_more": max(0, len(waiting) - MAX_LISTED_DATES),
        "total_count": len(pool),
        "moved": [_moved(o, series) for o in occurrences[:MAX_LISTED_DATES]],
        "leader_url": f"{site_url()}/me/",
        "staff_url": f"{site_url()}/staff/",
    }


def _moved(occurrence: Occurrence, series: Series) -> dict[str, Any]:
    return {
        "occurrence": occurrence,
        "original_start": occurrence.original_start,
        "original_room": series.room,
        "room_changed": occurrence.room_id != series.room_id,
    }


def reminder_context(*, occurrence: Occurrence, recipient: User) -> dict[str, Any]:
    series = occurrence.series
    return {
        "recipient": recipient,
        "occurrence": occurrence,
        "series": series,
        "group": series.group,
        "center": series.group.center,
        "room_changed": occurrence.room_id != series.room_id,
        "time_changed": occurrence.starts_at != occurrence.original_start,
        "original_room": series.room,
        "leader_url": f"{site_url()}/me/",
    }


def digest_context(
    *,
    center: Any,
    recipient: User,
    week_start: Any,
    open_requests: list[Series],
    clashes: list[tuple[Occurrence, list[str]]],
) -> dict[str, Any]:
    return {
        "recipient": recipient,
        "center": center,
        "week_start": week_start,
        "open_requests": open_requests,
        "clashes": clashes,
        "staff_url": f"{site_url()}/staff/",
        "admin_url": f"{site_url()}/admin/",
    }


def message_context(*, message: Any, recipient: User) -> dict[str, Any]:
    series = message.series
    return {
        "recipient": recipient,
        "message": message,
        "sender": message.sender,
        "series": series,
        "group": series.group,
        "center": series.group.center,
        "leader_url": f"{site_url()}/me/",
    }
