"""Celery adapter for the no-show job (every five minutes from beat)."""

from celery import shared_task
from django.db import DatabaseError


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def no_shows_note() -> int:
    """Note dates without a check-in 30 minutes after their start; release rooms if wanted."""
    from display.services import no_shows_note as note

    return note()
