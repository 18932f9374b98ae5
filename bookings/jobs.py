"""Periodic upkeep of materialised dates that is not a user's action: public holidays.

`holidays_apply` is a plain function of `today` (the beat task passes the local date). It is
idempotent, and it applies each holiday to a date only once: a date that was already cancelled
for that holiday and that staff then confirmed again (history shows it) is left alone.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from centers.holidays import public_holidays
from centers.models import Center

from .models import Occurrence, OccurrenceState, RoomBlock

ACTIVE_STATES = (OccurrenceState.CONFIRMED, OccurrenceState.REQUESTED)


def holidays_apply(*, today: date | None = None) -> int:
    """Cancel confirmed/requested dates on public holidays from today to the end of next year.

    Returns the number of dates cancelled; the group's leaders get a date_cancelled e-mail.
    """
    from django.utils import timezone

    from notifications.outbox import enqueue

    today = today or timezone.localdate()
    end = date(today.year + 1, 12, 31)
    cancelled = 0
    for center in Center.objects.order_by("pk"):
        # Holiday names are stored as the reason, in the site's language (like staff reasons).
        holidays = public_holidays(center.federal_state, today, end, settings.LANGUAGE_CODE)
        if not holidays:
            continue
        on_holiday = Q()
        for day in holidays:
            start = datetime.combine(day, time.min, tzinfo=center.tz)
            on_holiday |= Q(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        with transaction.atomic():
            candidates = list(
                Occurrence.objects.select_for_update()
                .filter(on_holiday, room__center=center, state__in=ACTIVE_STATES)
                .order_by("pk")
            )
            already = _applied_before(candidates)
            by_series: dict[int, list[int]] = defaultdict(list)
            for occurrence in candidates:
                name = holidays.get(occurrence.starts_at.astimezone(center.tz).date())
                if name is None or (occurrence.pk, name) in already:
                    continue
                occurrence.state = OccurrenceState.CANCELLED
                occurrence.reason = name
                # The row is locked: a plain increment is safe, and history records a real value.
                occurrence.sequence += 1
                occurrence.save(update_fields=["state", "reason", "sequence", "updated_at"])
                by_series[occurrence.series_id].append(occurrence.pk)
            ids = [pk for pks in by_series.values() for pk in pks]
            RoomBlock.objects.filter(occurrence_id__in=ids).delete()
            for series_id, occurrence_ids in by_series.items():
                enqueue(event="date_cancelled", series_id=series_id, occurrence_ids=occurrence_ids)
            cancelled += len(ids)
    return cancelled


def _applied_before(candidates: list[Occurrence]) -> set[tuple[int, str]]:
    """(occurrence, holiday name) pairs this job has cancelled before, from the history."""
    if not candidates:
        return set()
    return set(
        Occurrence.history.filter(
            id__in=[o.pk for o in candidates], state=OccurrenceState.CANCELLED
        ).values_list("id", "reason")
    )
