"""Who may check in for a date: a leader or deputy of the booked group, from 30 minutes before
its start until its end. Staff manage the screens of their centers."""

from __future__ import annotations

from datetime import datetime

from django.utils.functional import Promise

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState
from centers.models import Center
from centers.permissions import can_manage_center
from groups.models import GroupLeader

from .errors import Messages
from .selectors import check_in_window


def leads_group(user: User, group_id: int) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return GroupLeader.objects.filter(group_id=group_id, user=user).exists()


def check_in_refusal(user: User, occurrence: Occurrence, at: datetime) -> Promise | None:
    """Why this user cannot check in for this date at `at`, or None if they can."""
    if not leads_group(user, occurrence.series.group_id):
        return Messages.NOT_A_LEADER
    if occurrence.state != OccurrenceState.CONFIRMED:
        return Messages.NOT_CONFIRMED
    opens, closes = check_in_window(occurrence)
    if at < opens:
        return Messages.TOO_EARLY
    if at >= closes:
        return Messages.OVER
    return None


def can_manage_screens(user: User, center: Center) -> bool:
    return can_manage_center(user, center)
