"""Celery adapters: take primary keys or nothing, call dispatch/services, retry what can fail."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import dispatch as outbox_dispatch
from . import services

# A locked or unreachable database is worth retrying; a bug is not.
RETRY_ON = (DatabaseError,)


@shared_task(
    bind=True,
    autoretry_for=RETRY_ON,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def dispatch_message(self, message_id: int) -> str:  # type: ignore[no-untyped-def]
    """Send one outbox message; a sent one is never sent again."""
    outcome = outbox_dispatch.dispatch(message_id)
    if outcome in (outbox_dispatch.Outcome.RETRY, outbox_dispatch.Outcome.NOT_DUE):
        if self.request.is_eager:
            # Inline mode (no broker): retrying here would block the request for minutes;
            # the row keeps its next_attempt_at for the periodic dispatch.
            return str(outcome)
        from .models import OutboxMessage

        due = OutboxMessage.objects.filter(pk=message_id).values_list("next_attempt_at", flat=True)
        delay = max(1.0, (due[0] - timezone.now()).total_seconds()) if due else 60.0
        # The row is the schedule: wake up when it is due. If this retry is lost, the periodic
        # dispatch still sends it.
        raise self.retry(countdown=delay, max_retries=None)
    return str(outcome)


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=3)
def outbox_dispatch_pending() -> int:
    return outbox_dispatch.outbox_dispatch_pending()


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=3)
def digests_send() -> int:
    return services.digests_send(today=timezone.localdate())


@shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=3)
def reminders_send() -> int:
    return services.reminders_send(today=timezone.localdate())
