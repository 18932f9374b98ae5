"""Celery adapter for the allocation: it takes primary keys and calls the service."""

from celery import shared_task


@shared_task(acks_late=False)
def allocate_round(round_id: int, user_id: int) -> int:
    """Book every wish of the round that fits (`services.round_allocate`); returns how many.

    Not retried automatically: a half-done run is safe to start again from the page (each wish
    is claimed and booked in its own transaction), and staff see what happened."""
    from accounts.models import User

    from .models import Round
    from .services import round_allocate

    round = Round.objects.select_related("center", "term", "previous_term").get(pk=round_id)
    user = User.objects.get(pk=user_id)
    return len(round_allocate(user=user, round=round).allocated)
