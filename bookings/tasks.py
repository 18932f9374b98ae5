"""Celery adapters for booking upkeep. The work lives in services; imports are lazy so this
module loads (and the beat schedule resolves) even before every service exists."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def horizons_extend() -> int:
    """Materialise open-ended series up to the rolling horizon."""
    from bookings.services import horizons_extend as extend

    return extend(today=timezone.localdate())


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def holidays_apply() -> int:
    """Cancel materialised dates that fall on public holidays."""
    from bookings.jobs import holidays_apply as apply

    return apply(today=timezone.localdate())


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def feed_tokens_purge() -> int:
    """Delete expired calendar feed tokens."""
    from accounts.tokens import feed_token_purge_expired

    return feed_token_purge_expired()


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def mirror_check() -> int:
    """Compare the django-scheduler mirror with the rows; repair and log drift."""
    from bookings.jobs import mirror_check as check

    return len(check())
