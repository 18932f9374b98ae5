"""Entry point for services that must tell people about a change.

CONTRACT: services call `enqueue(...)` inside their transaction; the notifications work turns
it into outbox rows (one per recipient) that commit together with the booking, and a
dispatcher sends them after commit. Events:
  request_received        (to the center's staff)
  request_confirmed, request_partly_confirmed, request_declined   (to the group's leaders)
  date_moved, date_cancelled, date_declined                       (to the group's leaders)

How it stays reliable: the rows are rendered and inserted in the caller's transaction, so the
booking and its pending e-mails commit (or roll back) together. After commit one Celery task per
row is queued; if the broker is down at that moment we only log it, because the every-minute
`outbox_dispatch_pending` job sends whatever is still pending once the worker runs again.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
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

    from . import emails

    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    if _suppressed.get():
        return
    series = Series.objects.select_related("group__center", "room").get(pk=series_id)
    occurrences = emails.occurrences_for(series, occurrence_ids)
    # A partial decision is shown against the whole request: what is confirmed, what is not.
    whole = emails.occurrences_for(series, ()) if event == "request_partly_confirmed" else None
    center = series.group.center
    if event == "request_received":
        recipients = center.staff.filter(is_active=True).exclude(email="")
    else:
        recipients = series.group.leaders.filter(is_active=True, email_notifications=True).exclude(
            email=""
        )
    if actor_id is not None and event in SELF_EXPLANATORY:
        # Nobody needs an e-mail about a change they just made themselves. Decisions are
        # different: a confirmation is a record worth keeping, even when it was automatic.
        recipients = recipients.exclude(pk=actor_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None

    messages_queue(
        kind=event,
        event_key=event_key(event, series_state(series, occurrences)),
        recipients=recipients.order_by("pk"),
        context=lambda recipient: emails.series_event_context(
            series=series,
            occurrences=occurrences,
            whole=whole,
            actor=actor,
            reason=reason,
            recipient=recipient,
        ),
        center=center,
        series=series,
    )


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
    context: Callable[[User], dict[str, Any]],
    center: Any = None,
    series: Any = None,
) -> int:
    """Render and insert one pending message per recipient who has none for this event yet.

    Returns how many rows were added (0 when the event was already recorded for everyone).
    Must run inside the caller's transaction; sending is scheduled for after the commit.
    """
    from . import emails
    from .models import OutboxMessage

    recipients = list(recipients)
    known = set(
        OutboxMessage.objects.filter(
            kind=kind, event_key=event_key, recipient__in=recipients
        ).values_list("recipient_id", flat=True)
    )
    rows = []
    for recipient in recipients:
        if recipient.pk in known:
            continue
        language = recipient_language(recipient)
        rendered = emails.render(
            kind, context(recipient), language=language, tz=center.tz if center else None
        )
        rows.append(
            OutboxMessage(
                kind=kind,
                event_key=event_key,
                recipient=recipient,
                recipient_email=recipient.email,
                language=language,
                center=center,
                series=series,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
            )
        )
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
    from .tasks import dispatch_message

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
