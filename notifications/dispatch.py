"""Sending outbox rows: one at a time, under a row lock, with backoff and a final failure.

Exactly-once towards an SMTP server is impossible; what we guarantee is that two workers never
send the same row at once (row lock: SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, the single
writer lock on SQLite, where transactions BEGIN IMMEDIATE) and that a row marked sent is never
sent again. The lock is held while talking to the mail server on purpose: releasing it earlier
would need a lease and a second write, and a crash in between would resend just the same.
"""

import enum
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, Status

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # the send failed; next_attempt_at says when to try again
    FAILED = "failed"  # the send failed for the last time
    DONE = "done"  # sent or failed before: nothing to do (idempotence)
    NOT_DUE = "not_due"  # waiting for its next attempt
    BUSY = "busy"  # another worker holds the row right now
    MISSING = "missing"


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: base, 2×base, 4×base … capped at one hour."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 3600))


def dispatch(message_id: int, *, now: datetime | None = None) -> Outcome:
    """Send one outbox message if it is pending and due; record the result on the row."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        )
        if message is None:
            exists = OutboxMessage.objects.filter(pk=message_id).exists()
            return Outcome.BUSY if exists else Outcome.MISSING
        if message.status != Status.PENDING:
            return Outcome.DONE
        if message.next_attempt_at > now:
            return Outcome.NOT_DUE
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:  # whatever the backend raises: SMTP, DNS, TLS, timeouts
            message.last_error = f"{type(error).__name__}: {error}"[:4000]
            if message.attempts >= max_attempts():
                message.status = Status.FAILED
                outcome = Outcome.FAILED
                logger.error("Outbox message %s failed for good: %s", message.pk, error)
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                outcome = Outcome.RETRY
                logger.warning(
                    "Outbox message %s: attempt %s failed: %s", message.pk, message.attempts, error
                )
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return outcome
        message.status = Status.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "status", "sent_at"])
        return Outcome.SENT


def _send(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_email],
        headers={
            # RFC 3834: no auto-replies to notifications; the id lets anyone spot a duplicate.
            "Auto-Submitted": "auto-generated",
            "X-Treffpunkt-Outbox": str(message.pk),
        },
    )
    email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)


def outbox_dispatch_pending(*, now: datetime | None = None, limit: int = 200) -> int:
    """Periodic job: send pending messages that are due (missed by a dead broker, or retries).

    Returns how many were sent. Running it twice sends nothing new: sent rows are skipped.
    """
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(dispatch(pk, now=now) == Outcome.SENT for pk in due)


def outbox_resend(*, message_ids: Iterable[int]) -> int:
    """Put failed messages back in the queue (admin "send again"); returns how many."""
    from .outbox import dispatch_on_commit

    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=list(message_ids), status=Status.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        dispatch_on_commit(ids)
    return len(ids)
