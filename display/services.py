"""Writes of the screens app: check-in at the door, the screen settings, no-shows.

`occurrence_check_in` writes `attendance.Attendance` through the ORM with history (who, why);
when the attendance services land it becomes a call of `attendance_check_in`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accounts.models import User
from attendance.models import Attendance
from bookings.models import Occurrence, OccurrenceState
from centers.models import Center

from .errors import Messages
from .models import DisplaySettings, NoShow
from .permissions import can_manage_screens, check_in_refusal
from .selectors import NO_SHOW_AFTER

MAX_PARTICIPANTS = 9999
# How far back the no-show job looks: a date it missed for longer (a stopped worker) is left.
NO_SHOW_LOOKBACK = timedelta(days=1)
CHECK_IN_REASON = "checked in at the door"


def _mark(obj: object, *, user: User | None, reason: str) -> None:
    """Tell simple-history who made the next change of `obj`, and why."""
    obj._history_user = user  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


def _screens_changed(center_ids: list[int]) -> None:
    """Raise the screen version of these centers: their screens render anew on the next poll."""
    DisplaySettings.objects.filter(center_id__in=center_ids).update(version=F("version") + 1)


def occurrence_check_in(
    *,
    user: User,
    occurrence: Occurrence,
    participants: int | None = None,
    at: datetime | None = None,
) -> Attendance:
    """ "We are here": a leader of the booked group checks in, optionally with the count.

    Allowed from 30 minutes before the start until the end. Checking in again keeps the first
    check-in time and updates the count. A late check-in resolves a no-show noted meanwhile.
    """
    at = at or timezone.now()
    refusal = check_in_refusal(user, occurrence, at)
    if refusal == Messages.NOT_A_LEADER:
        raise PermissionDenied(refusal)
    if refusal is not None:
        raise ValidationError(str(refusal))
    if participants is not None and not 0 <= participants <= MAX_PARTICIPANTS:
        raise ValidationError(str(Messages.PARTICIPANTS) % {"max": MAX_PARTICIPANTS})
    try:
        return _check_in(user=user, occurrence=occurrence, participants=participants, at=at)
    except IntegrityError:
        # Two taps at once created the row in parallel: the second one updates it.
        return _check_in(user=user, occurrence=occurrence, participants=participants, at=at)


def _check_in(
    *, user: User, occurrence: Occurrence, participants: int | None, at: datetime
) -> Attendance:
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(occurrence=occurrence).first()
        fields: list[str] = []
        if attendance is None:
            attendance = Attendance(occurrence=occurrence)
        if attendance.checked_in_at is None:
            attendance.checked_in_at, attendance.checked_in_by = at, user
            fields += ["checked_in_at", "checked_in_by"]
        if participants is not None:
            attendance.participants, attendance.recorded_by = participants, user
            fields += ["participants", "recorded_by"]
        if attendance.pk is None:
            _mark(attendance, user=user, reason=CHECK_IN_REASON)
            attendance.save()
        elif fields:
            _mark(attendance, user=user, reason=CHECK_IN_REASON)
            attendance.save(update_fields=[*fields, "updated_at"])
        no_show = NoShow.objects.select_for_update().filter(occurrence=occurrence).first()
        if no_show is not None and no_show.arrived_at is None:
            was_released = no_show.is_released
            no_show.arrived_at = at
            _mark(no_show, user=user, reason=CHECK_IN_REASON)
            no_show.save(update_fields=["arrived_at"])
            if was_released:
                _screens_changed([occurrence.room.center_id])
    return attendance


def display_settings_update(
    *,
    user: User,
    center: Center,
    notice: str,
    language: str,
    check_in: bool,
    release_no_shows: bool,
) -> DisplaySettings:
    """Staff set the notice, the language and the check-in rules of their center's screens."""
    if not can_manage_screens(user, center):
        raise PermissionDenied(Messages.NOT_STAFF)
    if release_no_shows and not check_in:
        raise ValidationError({"release_no_shows": str(Messages.RELEASE_NEEDS_CHECK_IN)})
    with transaction.atomic():
        DisplaySettings.objects.get_or_create(center=center)
        settings = DisplaySettings.objects.select_for_update().get(center=center)
        if check_in and not settings.check_in:
            settings.check_in_since = timezone.now()
        settings.notice = notice.strip()
        settings.language = language
        settings.check_in = check_in
        settings.release_no_shows = release_no_shows
        settings.version += 1
        _mark(settings, user=user, reason="screen settings")
        settings.save()
    return settings


def no_shows_note(*, now: datetime | None = None) -> int:
    """Note the dates nobody checked in for 30 minutes after their start (centers whose groups
    check in only); where the center wants it, release their rooms for walk-in use until the
    date's end. The date itself stays as it is. Idempotent; returns how many were noted."""
    now = now or timezone.now()
    checked_in = Attendance.objects.filter(occurrence=OuterRef("pk"), checked_in_at__isnull=False)
    noted = NoShow.objects.filter(occurrence=OuterRef("pk"))
    candidates = (
        Occurrence.objects.filter(
            state=OccurrenceState.CONFIRMED,
            room__center__display_settings__check_in=True,
            starts_at__lte=now - NO_SHOW_AFTER,
            starts_at__gte=now - NO_SHOW_LOOKBACK,
        )
        .filter(starts_at__gte=F("room__center__display_settings__check_in_since"))
        .exclude(Exists(checked_in))
        .exclude(Exists(noted))
        .values_list(
            "pk", "ends_at", "room__center_id", "room__center__display_settings__release_no_shows"
        )
    )
    released_centers: set[int] = set()
    count = 0
    for occurrence_id, ends_at, center_id, release in candidates:
        release_now = release and ends_at > now
        no_show = NoShow(
            occurrence_id=occurrence_id, noted_at=now, released_at=now if release_now else None
        )
        _mark(no_show, user=None, reason="no check-in 30 minutes after the start")
        try:
            with transaction.atomic():
                no_show.save()
        except IntegrityError:  # noted by a parallel run just now
            continue
        count += 1
        if release_now:
            released_centers.add(center_id)
    if released_centers:
        _screens_changed(sorted(released_centers))
    return count
