"""The periodic "How many came?" e-mail: the morning after a date, its leaders get one link to
record the count (two taps on a phone). A plain function of `today`, idempotent: the outbox
keeps one e-mail per date and leader, so a second run, or a run after a missed day, adds
nothing twice. Dates with a count already are left alone.

The e-mail goes through the notifications outbox with the kind `attendance_reminder` and the
templates notifications/email/attendance_reminder.* (the outbox renders by kind).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings.models import Occurrence
from centers.models import Center
from config.site import site_url
from notifications import events
from notifications.models import Kind
from notifications.outbox import event_key, messages_queue

from .selectors import held_dates

KIND = Kind.ATTENDANCE_REMINDER
# A run catches up this many days back (a stopped worker, a holiday of the cron machine).
CATCH_UP_DAYS = 3


def reminder_context(*, occurrence: Occurrence, recipient: User) -> dict:
    series = occurrence.series
    return {
        "recipient": recipient,
        "occurrence": occurrence,
        "series": series,
        "center": series.group.center,
        "record_url": site_url() + reverse("attendance:record", args=[occurrence.pk]),
    }


@events.builds(KIND)
def _reminder_email(payload: dict, recipient: User) -> tuple[dict, Center]:
    """The reminder e-mail's context, built when it is sent (notifications.dispatch)."""
    occurrence = (
        Occurrence.objects.select_related("series__group__center", "room")
        .filter(pk=payload["date"])
        .first()
    )
    if occurrence is None:
        raise events.Gone(f"date {payload['date']} no longer exists")
    return reminder_context(
        occurrence=occurrence, recipient=recipient
    ), occurrence.series.group.center


def attendance_reminders_send(*, today: date | None = None) -> int:
    """Ask the leaders of dates held in the last days (before today) how many came."""
    today = today or timezone.localdate()
    tz = timezone.get_default_timezone()
    end = datetime.combine(today, time.min, tzinfo=tz)
    start = end - timedelta(days=CATCH_UP_DAYS)
    dates = (
        held_dates(now=end)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(attendance__participants__isnull=False)
        .select_related("series__group__center", "room")
        .order_by("starts_at", "pk")
    )
    added = 0
    for occurrence in dates:
        series = occurrence.series
        leaders = series.group.leaders.filter(is_active=True, email_notifications=True).exclude(
            email=""
        )
        with transaction.atomic():
            added += messages_queue(
                kind=KIND,
                event_key=event_key(KIND, occurrence.pk),
                recipients=leaders.order_by("pk"),
                payload={"v": 1, "date": occurrence.pk},
                center_id=series.group.center_id,
                series_id=series.pk,
            )
    return added
