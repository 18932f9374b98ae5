"""Reads for notifications: what the digest and reminders report, what staff may see."""

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series, SeriesStatus
from centers.models import Center
from centers.permissions import managed_centers

from .models import Message, OutboxMessage


def local_midnight(day: date, center: Center) -> datetime:
    return datetime.combine(day, time.min, tzinfo=center.tz)


def digest_open_requests(*, center: Center) -> list[Series]:
    """Requests of this center waiting for a decision, oldest first."""
    return list(
        Series.objects.filter(group__center=center, status=SeriesStatus.PENDING)
        .select_related("group", "room")
        .order_by("created_at", "pk")
    )


def digest_clashes(
    *, center: Center, start: date, days: int = 28
) -> list[tuple[Occurrence, Occurrence]]:
    """(requested date, confirmed date it collides with) in the next `days` days, two queries.

    A requested date clashes with a confirmed one when a room block of its room, or of one of
    its parts, overlaps it: blocks of a confirmed whole hall cover every part, so this also
    finds "part requested while the whole is booked" and the reverse.
    """
    window_start = local_midnight(start, center)
    window_end = local_midnight(start + timedelta(days=days), center)
    requested = list(
        Occurrence.objects.filter(
            room__center=center,
            state=OccurrenceState.REQUESTED,
            starts_at__lt=window_end,
            ends_at__gt=window_start,
        )
        .select_related("series__group", "room")
        .prefetch_related("room__parts")
        .order_by("starts_at", "pk")
    )
    if not requested:
        return []
    blocks = list(
        RoomBlock.objects.filter(
            room__center=center, starts_at__lt=window_end, ends_at__gt=window_start
        )
        .select_related("occurrence__series__group", "occurrence__room")
        .order_by("starts_at", "pk")
    )
    clashes: list[tuple[Occurrence, Occurrence]] = []
    for occurrence in requested:
        units = {occurrence.room_id, *(part.pk for part in occurrence.room.parts.all())}
        seen: set[int] = set()
        for block in blocks:
            if (
                block.room_id in units
                and block.starts_at < occurrence.ends_at
                and block.ends_at > occurrence.starts_at
                and block.occurrence_id not in seen
                and block.occurrence.series_id != occurrence.series_id
            ):
                seen.add(block.occurrence_id)
                clashes.append((occurrence, block.occurrence))
    return clashes


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
