"""Who may record how many came, and who may check a group in at the door.

- Leaders (and deputies) of the group record a count from the start of a date until
  LEADER_EDIT_DAYS days after its day; later corrections are for staff.
- Staff of the group's center (and superusers) record and correct at any time.
- Only a leader of the group checks it in, from CHECK_IN_EARLY before the start until the end.
Nobody records a date that has not started yet, or one that did not take place.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState
from bookings.permissions import visible_occurrences
from centers.permissions import can_manage_center

LEADER_EDIT_DAYS = 14
CHECK_IN_EARLY = timedelta(minutes=30)


def _active(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_leader(user: User, occurrence: Occurrence) -> bool:
    """Leader or deputy of the date's group (staff status does not count here)."""
    if not _active(user):
        return False
    group = occurrence.series.group
    return group.leaderships.filter(user=user).exists()


def is_center_staff(user: User, occurrence: Occurrence) -> bool:
    return _active(user) and can_manage_center(user, occurrence.series.group.center)


def local_day(occurrence: Occurrence) -> date:
    return occurrence.starts_at.astimezone(occurrence.series.group.center.tz).date()


def leader_deadline(occurrence: Occurrence) -> date:
    """The last day (center's time) on which a leader may still record or change the count."""
    return local_day(occurrence) + timedelta(days=LEADER_EDIT_DAYS)


def leader_window_open(occurrence: Occurrence, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    today = now.astimezone(occurrence.series.group.center.tz).date()
    return occurrence.starts_at <= now and today <= leader_deadline(occurrence)


def can_record(user: User, occurrence: Occurrence, *, now: datetime | None = None) -> bool:
    """May record or change the count of this date now."""
    now = now or timezone.now()
    if occurrence.state != OccurrenceState.CONFIRMED or occurrence.starts_at > now:
        return False
    if is_center_staff(user, occurrence):
        return True
    return is_leader(user, occurrence) and leader_window_open(occurrence, now=now)


def can_check_in(user: User, occurrence: Occurrence, *, at: datetime) -> bool:
    """A leader of the group, from half an hour before the start until the end."""
    if occurrence.state != OccurrenceState.CONFIRMED:
        return False
    if not occurrence.starts_at - CHECK_IN_EARLY <= at <= occurrence.ends_at:
        return False
    return is_leader(user, occurrence)


def access_occurrence(user: User, pk: object) -> Occurrence:
    """A date the user may see the attendance of (leaders of its group, staff of its center);
    everything else is 404, as if it did not exist."""
    if not _active(user):
        raise Http404
    try:
        return (
            visible_occurrences(user)
            .select_related("series__group__center", "series__room", "room")
            .get(pk=pk)
        )
    except (Occurrence.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404 from missing
