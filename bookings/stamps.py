"""The plan version of a center: one counter that every writer raises in its transaction.

Readers that only need to know "did anything change?" (calendar feeds, the foyer screen, API
list endpoints) read it by primary key instead of aggregating over the center's dates.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import PlanVersion


def plan_changed(center_ids: Iterable[int]) -> None:
    """Raise the plan version of these centers (call inside the writer's transaction, last)."""
    for center_id in sorted({pk for pk in center_ids if pk is not None}):
        updated = PlanVersion.objects.filter(center_id=center_id).update(version=F("version") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    PlanVersion.objects.create(center_id=center_id, version=2)
            except IntegrityError:  # created by a parallel writer just now
                PlanVersion.objects.filter(center_id=center_id).update(version=F("version") + 1)


def plan_version(center_id: int) -> int:
    """The current plan version of a center (1 before its first change)."""
    found = PlanVersion.objects.filter(center_id=center_id).values_list("version", flat=True)
    return next(iter(found), 1)
