"""What an outbox row stores about its event, and how the dispatcher rebuilds the e-mail from it.

Writers store plain JSON (`payload`): ids, and the dates *as they were* when the event happened
(a date moved twice must be reported with the time of each move, whenever the e-mail is sent).
Nothing is rendered and no template is loaded while the booking's transaction holds its locks.
The dispatcher calls `context_for` outside any transaction, just before it talks to the mail
server; `emails.render` then turns the context into subject, text and HTML.

What still comes from the database at sending time is what does not describe the event itself:
names of the group, room and center, the series' title and note, the recipient's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from accounts.models import User
from bookings.models import Occurrence, Series
from centers.models import Center, Room
from config.site import site_url

from . import emails, selectors
from .models import Kind, Message

PAYLOAD_VERSION = 1


class Gone(Exception):
    """What the e-mail is about no longer exists (deleted series, message or recipient)."""


# --- writing: the event as plain JSON ---------------------------------------------------------


def date_snapshot(occurrence: Occurrence) -> list[Any]:
    """One date as the e-mail shows it: [id, room, start, end, planned start, state, reason]."""
    return [
        occurrence.pk,
        occurrence.room_id,
        occurrence.starts_at.isoformat(),
        occurrence.ends_at.isoformat(),
        occurrence.original_start.isoformat(),
        occurrence.state,
        occurrence.reason,
    ]


def series_event_payload(
    *,
    series_id: int,
    dates: Iterable[Occurrence],
    whole: Iterable[Occurrence] | None,
    actor_id: int | None,
    reason: str,
) -> dict[str, Any]:
    return {
        "v": PAYLOAD_VERSION,
        "series": series_id,
        "dates": [date_snapshot(o) for o in dates],
        "whole": None if whole is None else [date_snapshot(o) for o in whole],
        "actor": actor_id,
        "reason": reason,
    }


def reminder_payload(occurrence: Occurrence) -> dict[str, Any]:
    return {"v": PAYLOAD_VERSION, "series": occurrence.series_id, "date": date_snapshot(occurrence)}


def digest_payload(
    *,
    center_id: int,
    week_start: date,
    open_requests: Sequence[Series],
    clashes: Sequence[Occurrence],
    clashes_from: date,
) -> dict[str, Any]:
    """The digest as ids: the dates that clashed when the job ran. What stands in their way is
    read again when the e-mail is written, in the reader's language."""
    return {
        "v": PAYLOAD_VERSION,
        "center": center_id,
        "week_start": week_start.isoformat(),
        "open_requests": [s.pk for s in open_requests],
        "clashes": [o.pk for o in clashes],
        "clashes_from": clashes_from.isoformat(),
    }


def message_payload(message: Message) -> dict[str, Any]:
    return {"v": PAYLOAD_VERSION, "message": message.pk}


# --- reading: the e-mail's context ------------------------------------------------------------


Builder = Callable[[dict[str, Any], User], tuple[dict, Center]]
_BUILDERS: dict[str, Builder] = {}


def builds(kind: str) -> Callable[[Builder], Builder]:
    """Register the context builder of an e-mail kind that another app writes (attendance
    reminders, planning); it is found by the dispatcher like the built-in kinds."""

    def register(builder: Builder) -> Builder:
        _BUILDERS[kind] = builder
        return builder

    return register


def context_for(kind: str, payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    """The template context of this e-mail and the center whose time zone it is shown in."""
    if kind in _BUILDERS:
        return _BUILDERS[kind](payload, recipient)
    if kind == Kind.MESSAGE:
        return _message_context(payload, recipient)
    if kind == Kind.REMINDER:
        return _reminder_context(payload, recipient)
    if kind == Kind.DIGEST:
        return _digest_context(payload, recipient)
    return _series_event_context(payload, recipient)


def _series(series_id: int) -> Series:
    series = Series.objects.select_related("group__center", "room").filter(pk=series_id).first()
    if series is None:
        raise Gone(f"booking series {series_id} no longer exists")
    return series


def _dates(series: Series, snapshots: Sequence[list[Any]]) -> list[Occurrence]:
    """Unsaved Occurrence objects exactly as the snapshots describe them (rows may be gone)."""
    rooms = Room.objects.in_bulk({snapshot[1] for snapshot in snapshots})
    rooms[series.room_id] = series.room
    dates = []
    for pk, room_id, starts_at, ends_at, original_start, state, reason in snapshots:
        dates.append(
            Occurrence(
                pk=pk,
                series=series,
                room=rooms.get(room_id, series.room),
                starts_at=datetime.fromisoformat(starts_at),
                ends_at=datetime.fromisoformat(ends_at),
                original_start=datetime.fromisoformat(original_start),
                state=state,
                reason=reason,
            )
        )
    return dates


def _series_event_context(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    series = _series(payload["series"])
    actor_id = payload.get("actor")
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    whole = payload.get("whole")
    context = emails.series_event_context(
        series=series,
        occurrences=_dates(series, payload["dates"]),
        whole=None if whole is None else _dates(series, whole),
        actor=actor,
        reason=payload.get("reason", ""),
        recipient=recipient,
    )
    return context, series.group.center


def _reminder_context(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    series = _series(payload["series"])
    (occurrence,) = _dates(series, [payload["date"]])
    return emails.reminder_context(occurrence=occurrence, recipient=recipient), series.group.center


def _digest_context(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    center = Center.objects.filter(pk=payload["center"]).first()
    if center is None:
        raise Gone(f"center {payload['center']} no longer exists")
    requests = Series.objects.select_related("group", "room").in_bulk(payload["open_requests"])
    wanted = set(payload["clashes"])
    # The same conflict core as the staff overview, asked now and in the reader's language;
    # a clash resolved since the job ran is left out, not reported stale.
    clashes = [
        (occurrence, reasons)
        for occurrence, reasons in selectors.digest_clashes(
            center=center, start=date.fromisoformat(payload["clashes_from"])
        )
        if occurrence.pk in wanted
    ]
    context = emails.digest_context(
        center=center,
        recipient=recipient,
        week_start=date.fromisoformat(payload["week_start"]),
        # What was decided or deleted since the job ran is left out, not reported stale.
        open_requests=[requests[pk] for pk in payload["open_requests"] if pk in requests],
        clashes=clashes,
    )
    return context, center


def _message_context(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:
    message = (
        Message.objects.select_related("sender", "series__group__center")
        .filter(pk=payload["message"])
        .first()
    )
    if message is None:
        raise Gone(f"message {payload['message']} no longer exists")
    return emails.message_context(message=message, recipient=recipient), message.series.group.center


def holidays_changed_payload(
    *,
    series_id: int,
    skipped: Iterable[Occurrence],
    back: Iterable[Occurrence],
    not_back: Iterable[Occurrence],
) -> dict[str, Any]:
    return {
        "v": PAYLOAD_VERSION,
        "series": series_id,
        "skipped": [date_snapshot(o) for o in skipped],
        "back": [date_snapshot(o) for o in back],
        "not_back": [date_snapshot(o) for o in not_back],
    }


@builds(Kind.HOLIDAYS_CHANGED)
def _holidays_changed_context(payload: dict[str, Any], recipient: User) -> tuple[dict, Center]:

    series = _series(payload["series"])
    return {
        "recipient": recipient,
        "series": series,
        "group": series.group,
        "center": series.group.center,
        "skipped": _dates(series, payload["skipped"]),
        "back": _dates(series, payload["back"]),
        "not_back": _dates(series, payload["not_back"]),
        "leader_url": f"{site_url()}/me/series/{series.pk}/",
    }, series.group.center
