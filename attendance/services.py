"""Writes of the attendance app: record how many came to a date, check a group in at the door.

Both lock the date's row first, so a leader recording the count and the door check-in of the
same date queue up instead of overwriting each other. simple-history keeps every change with
who made it and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState

from .models import Attendance, BreakdownCategory
from .permissions import can_check_in, can_record, is_center_staff

MAX_PARTICIPANTS = 10_000
MAX_VOLUNTEER_HOURS = Decimal("1000")
# simple-history stores at most this many characters of a change reason.
REASON_MAX = 100


class Messages:
    NOT_ALLOWED = gettext_lazy(
        "You cannot record this date: leaders can do so from its start until 14 days after it, "
        "staff of the center at any time."
    )
    NOT_HELD = gettext_lazy("Only dates that took place can have a count.")
    NOT_STARTED = gettext_lazy("This date has not started yet.")
    PARTICIPANTS = gettext_lazy("Enter a whole number of people between 0 and 10,000.")
    BREAKDOWN_NUMBER = gettext_lazy("Enter a whole number of people, 0 or more.")
    BREAKDOWN_UNKNOWN = gettext_lazy("This category is not counted at this center.")
    BREAKDOWN_TOO_MANY = gettext_lazy(
        "“%(dimension)s” adds up to %(sum)s people, more than the %(participants)s who came."
    )
    VOLUNTEER_HOURS = gettext_lazy("Enter volunteer hours between 0 and 1,000, e.g. 2.5.")
    CHECK_IN_NOT_ALLOWED = gettext_lazy(
        "Only a leader of the group can check in, from 30 minutes before the start until the end."
    )
    CHECK_IN_TIME = gettext_lazy("Give the time of the check-in with its time zone.")


def _mark(obj: Any, *, user: User | None, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason[:REASON_MAX]


def _participants(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({"participants": str(Messages.PARTICIPANTS)})
    try:
        number = int(value)
    except ValueError as bad:
        raise ValidationError({"participants": str(Messages.PARTICIPANTS)}) from bad
    if not 0 <= number <= MAX_PARTICIPANTS:
        raise ValidationError({"participants": str(Messages.PARTICIPANTS)})
    return number


def _volunteer_hours(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or (isinstance(value, float) and value != value):
        raise ValidationError({"volunteer_hours": str(Messages.VOLUNTEER_HOURS)})
    try:
        hours = Decimal(str(value))
    except InvalidOperation as bad:
        raise ValidationError({"volunteer_hours": str(Messages.VOLUNTEER_HOURS)}) from bad
    if not hours.is_finite() or not Decimal(0) <= hours <= MAX_VOLUNTEER_HOURS:
        raise ValidationError({"volunteer_hours": str(Messages.VOLUNTEER_HOURS)})
    return hours.quantize(Decimal("0.01"))


def clean_breakdown(
    breakdown: Mapping[str, object] | None, *, occurrence: Occurrence, participants: int
) -> dict[str, int]:
    """Counts by category key ("c" + the category's pk), categories of the date's center only;
    zero counts are dropped; each dimension adds up to at most the participants."""
    if not breakdown:
        return {}
    if not isinstance(breakdown, Mapping):
        raise ValidationError({"breakdown": str(Messages.BREAKDOWN_NUMBER)})
    categories = {
        c.key: c
        for c in BreakdownCategory.objects.filter(center_id=occurrence.series.group.center_id)
    }
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key, raw in breakdown.items():
        key = str(key)
        if key not in categories:
            errors["breakdown"] = str(Messages.BREAKDOWN_UNKNOWN)
            continue
        if raw is None or raw == "":
            continue
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                raise ValueError(raw)
            number = int(raw)
        except ValueError:
            errors[f"breakdown_{key}"] = str(Messages.BREAKDOWN_NUMBER)
            continue
        if not 0 <= number <= MAX_PARTICIPANTS:
            errors[f"breakdown_{key}"] = str(Messages.BREAKDOWN_NUMBER)
        elif number:
            counts[key] = number
    if errors:
        raise ValidationError(errors)
    sums: dict[str, int] = defaultdict(int)
    for key, number in counts.items():
        sums[categories[key].dimension] += number
    for dimension, total in sums.items():
        if total > participants:
            label = next(c.dimension_label for c in categories.values() if c.dimension == dimension)
            raise ValidationError(
                {
                    "breakdown": str(Messages.BREAKDOWN_TOO_MANY)
                    % {"dimension": label, "sum": total, "participants": participants}
                }
            )
    return dict(sorted(counts.items(), key=lambda item: int(item[0][1:])))


def _locked(occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("series__group__center")
        .get(pk=occurrence.pk)
    )


def attendance_record(
    *,
    user: User,
    occurrence: Occurrence,
    participants: int,
    breakdown: Mapping[str, object] | None = None,
    volunteer_hours: Decimal | float | str | None = None,
) -> Attendance:
    """Record (or correct) how many came to a date that took place, with an optional breakdown
    by the center's categories and the volunteer hours given. Nothing changes on bad input."""
    now = timezone.now()
    if occurrence.state != OccurrenceState.CONFIRMED:
        raise ValidationError({"occurrence": str(Messages.NOT_HELD)})
    if occurrence.starts_at > now:
        raise ValidationError({"occurrence": str(Messages.NOT_STARTED)})
    if not can_record(user, occurrence, now=now):
        raise PermissionDenied(Messages.NOT_ALLOWED)
    count = _participants(participants)
    counts = clean_breakdown(breakdown, occurrence=occurrence, participants=count)
    hours = _volunteer_hours(volunteer_hours)

    with transaction.atomic():
        row = _locked(occurrence)
        if row.state != OccurrenceState.CONFIRMED:  # cancelled while the form was open
            raise ValidationError({"occurrence": str(Messages.NOT_HELD)})
        attendance = Attendance.objects.filter(occurrence=row).first()
        if attendance is None:
            attendance = Attendance(occurrence=row)
            reason = _("count recorded")
        elif attendance.participants is None:
            reason = _("count recorded")
        elif is_center_staff(user, row):
            reason = _("count corrected by staff")
        else:
            reason = _("count corrected by the group")
        unchanged = attendance.pk is not None and (
            attendance.participants == count
            and attendance.breakdown == counts
            and attendance.volunteer_hours == hours
        )
        if unchanged:
            return attendance
        attendance.participants = count
        attendance.breakdown = counts
        attendance.volunteer_hours = hours
        attendance.recorded_by = user
        _mark(attendance, user=user, reason=reason)
        if attendance.pk is None:
            attendance.save()
        else:
            attendance.save(
                update_fields=[
                    "participants",
                    "breakdown",
                    "volunteer_hours",
                    "recorded_by",
                    "updated_at",
                ]
            )
    return attendance


def attendance_check_in(*, user: User, occurrence: Occurrence, at: datetime) -> Attendance:
    """ "We are here": a leader checks the group in at the door. The first check-in counts;
    checking in again changes nothing. The count itself is recorded separately."""
    if not isinstance(at, datetime) or timezone.is_naive(at):
        raise ValidationError({"at": str(Messages.CHECK_IN_TIME)})
    if not can_check_in(user, occurrence, at=at):
        raise PermissionDenied(Messages.CHECK_IN_NOT_ALLOWED)
    with transaction.atomic():
        row = _locked(occurrence)
        if not can_check_in(user, row, at=at):
            raise PermissionDenied(Messages.CHECK_IN_NOT_ALLOWED)
        attendance = Attendance.objects.filter(occurrence=row).first()
        if attendance is None:
            attendance = Attendance(occurrence=row)
        elif attendance.checked_in_at is not None:
            return attendance
        attendance.checked_in_at = at
        attendance.checked_in_by = user
        _mark(attendance, user=user, reason=_("checked in at the door"))
        if attendance.pk is None:
            attendance.save()
        else:
            attendance.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return attendance
