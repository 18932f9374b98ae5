"""Sending outbox rows: claim, send outside any transaction, record; backoff and a final failure.

Three steps per message, and no database lock is held while the mail server is talked to:
  1. claim: one UPDATE gives this worker the row for `lease_seconds()` (a claim token and an
     expiry), counting the attempt; it only matches a pending, due row whose lease is free;
  2. render (if not done before) and send, in autocommit mode, with EMAIL_TIMEOUT on the socket;
  3. record: one UPDATE marks the row sent (or schedules the retry, or fails it for good), only
     while the row still carries this worker's claim token.

A mail server that never answers therefore holds up one worker, not the database. Exactly-once
towards an SMTP server is impossible; what we guarantee is that two workers never send the same
row at once (the lease), and that a row marked sent is never sent again. A worker that dies
between 2 and 3 leaves a lease that expires; then that one message may go out a second time,
with the same Message-ID, so mail clients can still tell it is the same e-mail.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from calendars import invitations, itip
from config.site import site_url

from . import emails, events
from .models import Kind, OutboxMessage, Status

logger = logging.getLogger(__name__)

# A leader's calendar invitation (calendars.invitations): sent with a confirmation, updated by
# every later e-mail about a change of that series (only if the leader was invited before).
INVITING = frozenset({Kind.REQUEST_CONFIRMED, Kind.REQUEST_PARTLY_CONFIRMED})
UPDATING = frozenset(
    {
        Kind.REQUEST_DECLINED,
        Kind.DATE_MOVED,
        Kind.DATE_CANCELLED,
        Kind.DATE_DECLINED,
        Kind.HOLIDAYS_CHANGED,
    }
)


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # the send failed; next_attempt_at says when to try again
    FAILED = "failed"  # the send failed for the last time
    DONE = "done"  # sent or failed before: nothing to do (idempotence)
    NOT_DUE = "not_due"  # waiting for its next attempt
    BUSY = "busy"  # another worker holds the row's lease right now
    MISSING = "missing"


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: base, 2×base, 4×base … capped at one hour."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(0, attempts - 1), 3600))


def lease_seconds() -> float:
    """How long a claim lasts: longer than the slowest send (each SMTP step may take
    EMAIL_TIMEOUT, and a send has about ten), so a live worker never loses its row."""
    default = max(300, 20 * (getattr(settings, "EMAIL_TIMEOUT", None) or 15))
    return getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", default)


def _claimable(now: datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def claim(message_id: int, *, now: datetime) -> tuple[OutboxMessage, uuid.UUID] | Outcome:
    """Take the row for this worker (one short write), or say why it cannot be taken."""
    token = uuid.uuid4()
    # A single UPDATE … WHERE: on PostgreSQL a concurrent claimer waits for the row and then
    # re-checks the condition, on SQLite writers are serialized; either way only one wins.
    claimed = (
        OutboxMessage.objects.filter(_claimable(now), pk=message_id).update(
            claim_token=token,
            claimed_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
        == 1
    )
    message = OutboxMessage.objects.select_related("recipient").filter(pk=message_id).first()
    if message is None:
        return Outcome.MISSING
    if claimed and message.claim_token == token:
        return message, token
    if message.status != Status.PENDING:
        return Outcome.DONE
    if message.next_attempt_at > now:
        return Outcome.NOT_DUE
    return Outcome.BUSY


def dispatch(message_id: int, *, now: datetime | None = None) -> Outcome:
    """Send one outbox message if it is pending and due; record the result on the row."""
    now = now or timezone.now()
    claimed = claim(message_id, now=now)
    if isinstance(claimed, Outcome):
        return claimed
    message, token = claimed
    try:
        if not message.subject:
            _render(message)
        _send(message)
    except events.Gone as gone:
        # Nothing left to tell: retrying cannot bring a deleted booking back.
        return _record_failure(message, token, now=now, error=gone, final=True)
    except Exception as error:  # whatever the backend raises: SMTP, DNS, TLS, timeouts
        return _record_failure(message, token, now=now, error=error, final=False)
    _record(
        message,
        token,
        status=Status.SENT,
        sent_at=timezone.now(),
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        calendar=message.calendar,
    )
    return Outcome.SENT


def _render(message: OutboxMessage, *, calendar: bool = True) -> None:
    """Subject and bodies from the stored event, in the recipient's language and center's zone."""
    if message.recipient is None:
        raise events.Gone("the recipient's account no longer exists")
    # Texts read while building the context (e.g. a clash's reason) are in the reader's language.
    with translation.override(message.language):
        context, center = events.context_for(message.kind, message.payload, message.recipient)
        # A preview (`rendered`) leaves the invitation out: building it counts a SEQUENCE.
        itip_part = _calendar(message) if calendar else ""
    rendered = emails.render(message.kind, context, language=message.language, tz=center.tz)
    message.subject = rendered.subject
    message.body_text = rendered.text
    message.body_html = rendered.html
    message.calendar = itip_part


def _calendar(message: OutboxMessage) -> str:
    """The iTIP invitation or update this e-mail carries ("" for none): built now, from the
    series as it is, and kept on the row so that every attempt sends the same one."""
    recipient = message.recipient
    kind = message.kind
    series_id = message.payload.get("series")
    if kind not in INVITING | UPDATING or series_id is None:
        return ""
    if recipient is None or not recipient.calendar_invitations:
        return ""
    cancelled = []
    if kind == Kind.DATE_CANCELLED:
        # [id, room, start, end, planned start, state, reason]: the planned start names the date.
        cancelled = [datetime.fromisoformat(date[4]) for date in message.payload.get("dates", [])]
    return invitations.series_invitation(
        series_id=series_id, recipient=recipient, update=kind in UPDATING, cancelled=cancelled
    )


def _record(message: OutboxMessage, token: uuid.UUID, **fields: object) -> bool:
    """Write the result if this worker still holds the claim; release the claim."""
    with transaction.atomic():
        kept = (
            OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
                claim_token=None, claimed_until=None, **fields
            )
            == 1
        )
    if not kept:
        logger.warning(
            "Outbox message %s: the claim expired before the result was recorded (%s)",
            message.pk,
            fields.get("status", "retry"),
        )
    return kept


def _record_failure(
    message: OutboxMessage, token: uuid.UUID, *, now: datetime, error: Exception, final: bool
) -> Outcome:
    last_error = f"{type(error).__name__}: {error}"[:4000]
    # The rendering is kept (if there is one), so every attempt sends the same e-mail.
    rendered = {
        "subject": message.subject,
        "body_text": message.body_text,
        "body_html": message.body_html,
        "calendar": message.calendar,
    }
    if final or message.attempts >= max_attempts():
        _record(message, token, status=Status.FAILED, last_error=last_error, **rendered)
        logger.error("Outbox message %s failed for good: %s", message.pk, error)
        return Outcome.FAILED
    _record(
        message,
        token,
        last_error=last_error,
        next_attempt_at=now + backoff(message.attempts),
        **rendered,
    )
    logger.warning("Outbox message %s: attempt %s failed: %s", message.pk, message.attempts, error)
    return Outcome.RETRY


def message_id_header(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt: a resent copy is recognisably the same e-mail."""
    domain = site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"<outbox-{message.pk}-{message.event_key[:16]}@{domain}>"


class _Email(EmailMultiAlternatives):
    """An e-mail whose text/calendar alternative names its iTIP method (RFC 6047 2.4)."""

    calendar_method = ""

    def message(self, *args: Any, **kwargs: Any) -> Any:  # Django's own (untyped) signature
        mime = super().message(*args, **kwargs)
        if self.calendar_method:
            for part in mime.walk():
                if part.get_content_type() == "text/calendar":
                    part.set_param("method", self.calendar_method)
        return mime


def _send(message: OutboxMessage) -> None:
    _build(message).send(fail_silently=False)


def _build(message: OutboxMessage) -> EmailMultiAlternatives:
    email = _Email(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_email],
        headers={
            # RFC 3834: no auto-replies to notifications; the id lets anyone spot a duplicate.
            "Auto-Submitted": "auto-generated",
            "X-Treffpunkt-Outbox": str(message.pk),
            "Message-ID": message_id_header(message),
        },
    )
    email.attach_alternative(message.body_html, "text/html")
    if message.calendar:
        # iMIP: the invitation as an alternative of the text (what Outlook, Gmail and Apple Mail
        # act on), and as invite.ics for clients that only offer attachments.
        email.calendar_method = itip.method_of(message.calendar)
        email.attach_alternative(message.calendar, "text/calendar")
        email.attach("invite.ics", message.calendar.encode(), "application/ics")
    return email


def outbox_dispatch_pending(*, now: datetime | None = None, limit: int = 200) -> int:
    """Periodic job: send pending messages that are due (missed by a dead broker, retries, or
    claimed by a worker that died). Returns how many were sent. Running it twice sends nothing
    new: sent rows are skipped, claimed rows belong to their worker."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(_claimable(now))
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
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_until=None,
            claim_token=None,
        )
        dispatch_on_commit(ids)
    return len(ids)


def rendered(message: OutboxMessage) -> emails.Rendered:
    """The e-mail of a row as it is or will be sent (renders a pending row without saving)."""
    if not message.subject:
        _render(message, calendar=False)
    return emails.Rendered(message.subject, message.body_text, message.body_html)
