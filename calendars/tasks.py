"""Celery adapters for the calendar feeds."""

from celery import shared_task
from django.db import DatabaseError


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def feeds_warm() -> int:
    """Render the public feeds whose data changed, before calendar apps ask for them."""
    from .cache import cache_is_shared, warm_public_feeds

    if not cache_is_shared():
        return 0  # a per-process cache would keep the bytes away from the web processes
    return warm_public_feeds()


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def feed_objects_prune() -> int:
    """Forget the SEQUENCE bookkeeping of series and feeds that are gone."""
    from .services import feed_objects_prune as prune

    return prune()
