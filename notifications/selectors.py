"""Reads for notifications: what the digest and reminders report, what staff may see."""

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet

from accounts.models import User
from bookings import conflicts
from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from centers.models import Center
from centers.permissions import managed_centers

from .models import Message, OutboxMessage


def local_midnight(day: date, center: Center) -> datetime:
    return datetime.combine(day, time.min, tzinfo=center.tz)


def digest_open_requests(*, center: Center) -> list[Series]:
    """Requests of this center with dates waiting for a decision, oldest first."""
    return list(
        Series.objects.filter(
            group__center=center,
            status__in=[SeriesStatus.PENDING, SeriesStatus.PARTLY_CONFIRMED],
            occurrences__state=OccurrenceState.REQUESTED,
        )
        .distinct()
        .select_related("group", "room")
        .order_by("created_at", "pk")
    )


def digest_clashes(
    *, center: Center, start: date, days: int = 28
) -> list[tuple[Occurrence, list[str]]]:
    """(date, what stands in its way) for the requested and confirmed dates of the next `days`
    days that cannot stay as they are — the staff overview's list, from the same conflict core
    (buffers, divisible rooms, closures and holidays included)."""
    window_start = local_midnight(start, center)
    window_end = local_midnight(start + timedelta(days=days), center)
    checks = conflicts.clashing(
        conflicts.center_window(center=center, start=window_start, end=window_end)
    )
    return [(c.occurrence, [issue.message for issue in c.report.hard]) for c in checks]


def reminder_occurrences(*, start: datetime, end: datetime) -> QuerySet[Occurrence]:
    """Confirmed dates starting in [start, end) whose time or room differ from the rule."""
    return (
        Occurrence.objects.filter(
            state=OccurrenceState.CONFIRMED, starts_at__gte=start, starts_at__lt=end
        )
        .filter(~Q(starts_at=F("original_start")) | ~Q(room=F("series__room")))
        .select_related("series__group__center", "series__room", "room")
        .order_by("starts_at", "pk")
    )


def messages_for_series(*, series: Series) -> QuerySet[Message]:
    """Staff notes about a series, newest first (for the series page of staff and leaders)."""
    return Message.objects.filter(series=series).select_related("sender")


def messages_for_leader(*, user: User, limit: int = 20) -> QuerySet[Message]:
    """Recent staff notes about the series of groups this person leads (leader dashboard)."""
    return (
        Message.objects.filter(series__group__leaderships__user=user)
        .select_related("sender", "series__group")
        .distinct()[:limit]
    )


def outbox_visible_to(user: User) -> QuerySet[OutboxMessage]:
    """Outbox rows about the centers this user manages (all of them for superusers)."""
    queryset = OutboxMessage.objects.select_related("recipient", "center")
    if user.is_superuser:
        return queryset
    return queryset.filter(center__in=managed_centers(user))
