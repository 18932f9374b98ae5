"""Periodic jobs of the engine that are not a user's action. Plain functions of `today`; the
Celery tasks in `bookings.tasks` only adapt them. Every change goes through the services.

- `holidays_apply`: dates on public holidays are cancelled (cause "holiday"), once: a date staff
  took up again after the job cancelled it is left alone. Series that meet on public holidays
  keep them where their center is open (the holiday policy, `policy.HolidayPolicy`).
- `mirror_check`: the django-scheduler mirror is compared with the rows and repaired.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import override

from centers.holidays import public_holidays
from centers.models import Center
from notifications.outbox import enqueue

from . import scheduler
from .locking import in_transaction, lock, rooms_of
from .models import Cause, Occurrence, OccurrenceState
from .policy import HolidayPolicy
from .services import transitions

logger = logging.getLogger(__name__)
ACTIVE_STATES = (OccurrenceState.CONFIRMED, OccurrenceState.REQUESTED)


def holidays_apply(*, today: date | None = None) -> int:
    """Cancel requested and confirmed dates on public holidays from today to the end of next
    year. Returns the number of dates cancelled; each group gets one e-mail per series."""
    today = today or timezone.localdate()
    end = date(today.year + 1, 12, 31)
    cancelled = 0
    for center in Center.objects.order_by("pk"):
        # Holiday names are stored as the reason in the site's language (like staff reasons).
        holidays = public_holidays(center.federal_state, today, end, settings.LANGUAGE_CODE)
        if not holidays:
            continue
        on_holiday = Q()
        for day in holidays:
            start = datetime.combine(day, time.min, tzinfo=center.tz)
            on_holiday |= Q(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        dates = Occurrence.objects.filter(on_holiday, room__center=center, state__in=ACTIVE_STATES)
        meeting = HolidayPolicy(meets_on_public_holidays=True)
        if not meeting.skips_public_holiday(center_open=center.open_on_public_holidays):
            dates = dates.exclude(series__meets_on_public_holidays=True)
        candidates = list(dates.order_by("series_id", "pk").values_list("pk", "series_id"))
        by_series: dict[int, list[int]] = defaultdict(list)
        for pk, series_id in candidates:
            by_series[series_id].append(pk)
        for series_id, ids in by_series.items():
            cancelled += _cancel_holidays(
                series_id=series_id, ids=ids, holidays=holidays, tz=center.tz
            )
    return cancelled


@in_transaction
def _cancel_holidays(*, series_id: int, ids: list[int], holidays: dict, tz) -> int:
    locked = lock(rooms=rooms_of(ids), series=[series_id], rows=ids, row_states=ACTIVE_STATES)
    already = _applied_before([r.pk for r in locked.rows])
    rows = []
    with override(settings.LANGUAGE_CODE):
        for row in locked.rows:
            name = holidays.get(row.starts_at.astimezone(tz).date())
            if name is None or row.pk in already:
                continue
            row.reason = name
            rows.append(row)
        for row in rows:
            transitions.cancel(
                user=None,
                rows=[row],
                reason=row.reason or _("public holiday"),
                cause=Cause.HOLIDAY,
            )
        if rows:
            transitions.touch([series_id], user=None, reason=N_("public holiday (automatic)"))
            enqueue(
                event="date_cancelled",
                series_id=series_id,
                occurrence_ids=[r.pk for r in rows],
                reason=rows[0].reason,
            )
    return len(rows)


def _applied_before(ids: list[int]) -> set[int]:
    """Dates this job has cancelled for a holiday before (staff may have taken them up again)."""
    if not ids:
        return set()
    return set(
        Occurrence.history.filter(
            id__in=ids, state=OccurrenceState.CANCELLED, cause=Cause.HOLIDAY
        ).values_list("id", flat=True)
    )


def mirror_check(*, today: date | None = None, days_back: int = 31) -> dict[int, int]:
    """Compare the django-scheduler mirror with the rows from a month ago to the horizon;
    repair and log what drifted. Returns {series id: differing dates}."""
    now = timezone.now()
    start = now - timedelta(days=days_back)
    end = now + timedelta(days=366 * 2)
    drifted = scheduler.mirror_check(start=start, end=end, repair=True)
    if drifted:
        logger.warning("mirror check repaired %s series: %s", len(drifted), drifted)
    return drifted
