"""Writes of the notifications app: staff notes, and the periodic digest and reminder jobs.

The periodic jobs are plain functions of `today` (tests call them under frozen time); each run
records its e-mails under an event key, so running a job twice adds nothing the second time.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bookings.models import Series
from centers.models import Center
from centers.permissions import can_manage_center

from . import events, selectors
from .models import Kind, Message
from .outbox import event_key, messages_queue

REMINDER_DAYS_BEFORE = 3


@transaction.atomic
def message_send(*, user: User, series: Series, body: str) -> Message:
    """Staff write a note to a series' leaders; it shows on dashboards and goes out by e-mail."""
    center = series.group.center
    if not can_manage_center(user, center):
        raise PermissionDenied(_("Only staff of this center can write to its groups."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Please write a message.")})
    message = Message.objects.create(sender=user, series=series, body=body)
    leaders = series.group.leaders.filter(is_active=True, email_notifications=True).exclude(
        email=""
    )
    messages_queue(
        kind=Kind.MESSAGE,
        event_key=event_key(Kind.MESSAGE, message.pk),
        recipients=leaders.order_by("pk"),
        payload=events.message_payload(message),
        center_id=center.pk,
        series_id=series.pk,
    )
    return message


def digests_send(*, today: date | None = None) -> int:
    """Weekly job: each center's staff get open requests and the clashes of the next 4 weeks.

    One digest per center, staff member and ISO week; returns how many were added.
    """
    today = today or timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    year, week, _weekday = today.isocalendar()
    added = 0
    centers = Center.objects.filter(staff__isnull=False).distinct().order_by("pk")
    for center in centers:
        staff = center.staff.filter(is_active=True).exclude(email="").order_by("pk")
        open_requests = selectors.digest_open_requests(center=center)
        clashes = selectors.digest_clashes(center=center, start=today)
        with transaction.atomic():
            added += messages_queue(
                kind=Kind.DIGEST,
                event_key=event_key(Kind.DIGEST, [center.pk, year, week]),
                recipients=staff,
                payload=events.digest_payload(
                    center_id=center.pk,
                    week_start=week_start,
                    open_requests=open_requests,
                    clashes=[occurrence for occurrence, _reasons in clashes],
                    clashes_from=today,
                ),
                center_id=center.pk,
            )
    return added


def reminders_send(*, today: date | None = None) -> int:
    """Daily job: leaders hear again about a changed date (moved, other room) shortly before.

    Covers dates up to REMINDER_DAYS_BEFORE days ahead, so a missed run catches up; the event
    key is the date as it now is, so each version of a date is reminded of once.
    """
    today = today or timezone.localdate()
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(
        timezone.datetime.combine(today + timedelta(days=1), timezone.datetime.min.time()), tz
    )
    end = start + timedelta(days=REMINDER_DAYS_BEFORE)
    added = 0
    for occurrence in selectors.reminder_occurrences(start=start, end=end):
        series = occurrence.series
        leaders = series.group.leaders.filter(is_active=True, email_notifications=True).exclude(
            email=""
        )
        identity = [occurrence.pk, occurrence.starts_at, occurrence.ends_at, occurrence.room_id]
        with transaction.atomic():
            added += messages_queue(
                kind=Kind.REMINDER,
                event_key=event_key(Kind.REMINDER, identity),
                recipients=leaders.order_by("pk"),
                payload=events.reminder_payload(occurrence),
                center_id=series.group.center_id,
                series_id=series.pk,
            )
    return added
