"""Entry point for services that must tell people about a change.

CONTRACT: services call `enqueue(...)` inside their transaction; the notifications work turns
it into outbox rows (one per recipient) that commit together with the booking, and a
dispatcher sends them after commit. Events:
  request_received        (to the center's staff)
  request_confirmed, request_partly_confirmed, request_declined   (to the group's leaders)
  date_moved, date_cancelled, date_declined                       (to the group's leaders)

How it stays reliable: the rows are inserted in the caller's transaction, so the booking and its
pending e-mails commit (or roll back) together. They hold the event (the dates as they are now,
who acted, why), not the rendered e-mail: `enqueue` runs while the booking holds its room locks
and must stay cheap (a few small queries, no templates). After commit one Celery task per row is
queued; if the broker is down at that moment we only log it, because the every-minute
`outbox_dispatch_pending` job sends whatever is still pending once the worker runs again.
Without a broker (the embedded set-up) a background thread of this process sends them
(`notifications.sender`), so a slow mail server never holds up the request that saved them.
"""

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import User

logger = logging.getLogger(__name__)

LEADER_EVENTS = frozenset(
    {
        "request_confirmed",
        "request_partly_confirmed",
        "request_declined",
        "date_moved",
        "date_cancelled",
        "date_declined",
    }
)
EVENTS = LEADER_EVENTS | {"request_received"}
SELF_EXPLANATORY = frozenset({"request_received", "date_moved", "date_cancelled"})


_suppressed: ContextVar[bool] = ContextVar("notifications_suppressed", default=False)


def is_suppressed() -> bool:
    """Whether the caller runs inside `suppressed()` (demo data, bulk work)."""
    return _suppressed.get()


@contextmanager
def suppressed() -> Iterator[None]:
    """Record no notifications inside this block (loading demo data is not news to anyone)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def enqueue(
    *,
    event: str,
    series_id: int,
    occurrence_ids: Sequence[int] = (),
    actor_id: int | None = None,
    reason: str = "",
) -> None:
    """Record that `event` happened to a series (and some of its dates)."""
    from bookings.models import Series

    from . import events

    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    if _suppressed.get():
        return
    series = Series.objects.select_related("group").get(pk=series_id)
    occurrences = event_dates(series, occurrence_ids)
    # A partial decision is shown against the whole request: what is confirmed, what is not.
    whole = event_dates(series, ()) if event == "request_partly_confirmed" else None
    if event == "request_received":
        recipients = User.objects.filter(staffed_centers=series.group.center_id)
        recipients = recipients.filter(is_active=True).exclude(email="")
    else:
        recipients = series.group.leaders.filter(is_active=True, email_notifications=True).exclude(
            email=""
        )
    if actor_id is not None and event in SELF_EXPLANATORY:
        # Nobody needs an e-mail about a change they just made themselves. Decisions are
        # different: a confirmation is a record worth keeping, even when it was automatic.
        recipients = recipients.exclude(pk=actor_id)

    messages_queue(
        kind=event,
        event_key=event_key(event, series_state(series, occurrences)),
        recipients=recipients.order_by("pk"),
        payload=events.series_event_payload(
            series_id=series.pk, dates=occurrences, whole=whole, actor_id=actor_id, reason=reason
        ),
        center_id=series.group.center_id,
        series_id=series.pk,
    )


def event_dates(series: Any, occurrence_ids: Sequence[int]) -> list[Any]:
    """The dates an event is about: those named, or (for decisions on a request) all of them."""
    queryset = series.occurrences.order_by("starts_at", "pk")
    if occurrence_ids:
        queryset = queryset.filter(pk__in=occurrence_ids)
    return list(queryset)


def series_state(series: Any, occurrences: Iterable[Any]) -> list[Any]:
    """What identifies "the same event": the series and its dates as they are now.

    A date moved twice is two events (its time or room differ), the same decision recorded twice
    is one (nothing differs) — so a retried request cannot send the same e-mail again.
    """
    return [
        series.pk,
        series.sequence,
        series.status,
        [
            [o.pk, o.sequence, o.state, o.starts_at.isoformat(), o.ends_at.isoformat(), o.room_id]
            for o in sorted(occurrences, key=lambda o: o.pk)
        ],
    ]


def event_key(kind: str, identity: Any) -> str:
    """A fixed-length key for an event; stable across processes and databases."""
    raw = json.dumps([kind, identity], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def messages_queue(
    *,
    kind: str,
    event_key: str,
    recipients: Iterable[User],
    payload: dict[str, Any],
    center_id: int | None = None,
    series_id: int | None = None,
) -> int:
    """Insert one pending message per recipient who has none for this event yet.

    Returns how many rows were added (0 when the event was already recorded for everyone).
    Must run inside the caller's transaction; sending is scheduled for after the commit.
    """
    from .models import OutboxMessage

    recipients = list(recipients)
    known = set(
        OutboxMessage.objects.filter(
            kind=kind, event_key=event_key, recipient__in=recipients
        ).values_list("recipient_id", flat=True)
    )
    rows = [
        OutboxMessage(
            kind=kind,
            event_key=event_key,
            recipient=recipient,
            recipient_email=recipient.email,
            language=recipient_language(recipient),
            center_id=center_id,
            series_id=series_id,
            payload=payload,
        )
        for recipient in recipients
        if recipient.pk not in known
    ]
    if not rows:
        return 0
    # ignore_conflicts: a concurrent transaction may have recorded the same event meanwhile;
    # the unique constraint keeps one row and this insert quietly adds none.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    pending = list(
        OutboxMessage.objects.filter(
            kind=kind, event_key=event_key, status="pending", recipient__in=recipients
        ).values_list("pk", flat=True)
    )
    dispatch_on_commit(pending)
    return len(rows)


def recipient_language(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def dispatch_on_commit(message_ids: Sequence[int]) -> None:
    """After the surrounding transaction commits, queue one send task per message."""
    if not message_ids:
        return
    ids = list(message_ids)
    transaction.on_commit(lambda: _queue_dispatch(ids))


def _queue_dispatch(message_ids: list[int]) -> None:
    from . import sender
    from .tasks import dispatch_message

    if dispatch_message.app.conf.task_always_eager and sender.enabled():
        # No broker: an inline send would keep this request waiting on the mail server.
        sender.submit(message_ids)
        return
    for pk in message_ids:
        try:
            # A short publish retry: the caller is usually a web request, which must not hang
            # on a dead broker. What is not queued now is sent by outbox_dispatch_pending.
            dispatch_message.apply_async(
                (pk,),
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5},
            )
        except Exception:
            logger.warning(
                "Could not queue outbox messages %s; the periodic dispatch will send them.",
                message_ids,
                exc_info=True,
            )
            return
