"""Changes to single dates and running series: move, cancel, withdraw, closures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from centers.models import Center, Closure, Room
from centers.permissions import can_manage_center
from notifications.outbox import enqueue

from .. import scheduler
from ..errors import Messages
from ..models import Occurrence, OccurrenceState, Series, SeriesStatus
from ..permissions import can_book_for_group, can_decide
from ..selectors import closure_affected_occurrences
from ._core import (
    ACTIVE_STATES,
    lock_rooms,
    locked_occurrences,
    mark,
    place,
    refresh_status,
    remove_blocks,
)


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": str(Messages.REASON_REQUIRED)})
    return reason[:300]  # the width of Occurrence.reason


def _cancel_rows(*, user: User | None, rows: Sequence[Occurrence], reason: str) -> None:
    """Cancel these locked rows: state, reason, history, and their room blocks are released."""
    now = timezone.now()
    for row in rows:
        row.state = OccurrenceState.CANCELLED
        row.reason = reason
        row.sequence += 1
        row.updated_at = now
        mark(row, user=user, reason=reason)
    remove_blocks(rows)
    bulk_update_with_history(rows, Occurrence, ["state", "reason", "sequence", "updated_at"])


def _sync(series_ids: set[int], *, user: User | None, reason: str) -> None:
    refresh_status(series_ids, user=user, reason=reason)
    for series in Series.objects.filter(pk__in=series_ids).select_related("group__center", "room"):
        scheduler.occurrences_mirror(series)


def occurrence_move(
    *,
    user: User,
    occurrence: Occurrence,
    room: Room | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    reason: str = "",
) -> Occurrence:
    """Move one date to another room and/or time; a confirmed date stays confirmed if free."""
    series = occurrence.series
    is_staff = can_decide(user, series)
    if not is_staff:
        if not can_book_for_group(user, series.group):
            raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
        if occurrence.state != OccurrenceState.REQUESTED:
            raise ValidationError({"occurrence": str(Messages.LEADER_MOVES_REQUESTED_ONLY)})
    if room is None and starts_at is None and ends_at is None:
        raise ValidationError({"starts_at": str(Messages.NOTHING_TO_MOVE)})
    new_room = room or occurrence.room
    new_start = starts_at or occurrence.starts_at
    # Moving only the start keeps the length of the date.
    new_end = ends_at or (new_start + (occurrence.ends_at - occurrence.starts_at))
    errors: dict[str, str] = {}
    if new_room.center_id != series.group.center_id:
        errors["room"] = str(Messages.ROOM_OTHER_CENTER)
    elif not new_room.bookable:
        errors["room"] = str(Messages.ROOM_NOT_BOOKABLE)
    if new_end <= new_start:
        errors["ends_at"] = str(Messages.ENDS_BEFORE_START)
    if new_start < timezone.now():
        errors["starts_at"] = str(Messages.DATE_PAST)
    if occurrence.state not in ACTIVE_STATES:
        errors["occurrence"] = str(Messages.NOT_ACTIVE)
    if errors:
        raise ValidationError(errors)
    reason = _reason(reason, required=False) or _("moved")
    tz = series.group.center.tz

    with transaction.atomic():
        lock_rooms({occurrence.room_id, new_room.pk})
        rows = locked_occurrences([occurrence.pk])
        if not rows:
            raise ValidationError({"occurrence": str(Messages.NOT_ACTIVE)})
        row = rows[0]
        was_confirmed = row.state == OccurrenceState.CONFIRMED
        row.room, row.starts_at, row.ends_at = new_room, new_start, new_end
        if was_confirmed:
            # Free the old place first so the date does not clash with itself, then hold the
            # new one; a clash rolls the whole move back.
            remove_blocks([row])
            row.state = OccurrenceState.REQUESTED
            place(
                user=user,
                occurrences=[row],
                skip_clashing=False,
                reason=reason,
                tz=tz,
                extra_fields=["room", "starts_at", "ends_at"],
            )
        else:
            row.sequence += 1
            mark(row, user=user, reason=reason)
            row.save(update_fields=["room", "starts_at", "ends_at", "sequence", "updated_at"])
        _sync({row.series_id}, user=user, reason=reason)
        enqueue(
            event="date_moved",
            series_id=row.series_id,
            occurrence_ids=[row.pk],
            actor_id=user.pk,
            reason=reason,
        )
    return row


def occurrence_cancel(*, user: User, occurrence: Occurrence, reason: str) -> Occurrence:
    """Cancel one requested or confirmed date (leaders of the group or staff)."""
    if not can_book_for_group(user, occurrence.series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    reason = _reason(reason, required=True)
    if occurrence.starts_at < timezone.now():
        raise ValidationError({"occurrence": str(Messages.DATE_PAST)})
    with transaction.atomic():
        rows = locked_occurrences([occurrence.pk])
        if not rows:
            raise ValidationError({"occurrence": str(Messages.NOT_ACTIVE)})
        _cancel_rows(user=user, rows=rows, reason=reason)
        _sync({occurrence.series_id}, user=user, reason=reason)
        enqueue(
            event="date_cancelled",
            series_id=occurrence.series_id,
            occurrence_ids=[occurrence.pk],
            actor_id=user.pk,
            reason=reason,
        )
    return rows[0]


def series_withdraw(*, user: User, series: Series, reason: str = "") -> Series:
    """The group takes its request back: every future date is cancelled."""
    if not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    reason = _reason(reason, required=False) or _("withdrawn by the group")
    with transaction.atomic():
        series = (
            Series.objects.select_for_update()
            .select_related("group__center", "room")
            .get(pk=series.pk)
        )
        future = series.occurrences.filter(starts_at__gte=timezone.now())
        rows = locked_occurrences(future.values_list("pk", flat=True))
        _cancel_rows(user=user, rows=rows, reason=reason)
        series.status = SeriesStatus.WITHDRAWN
        series.sequence += 1
        mark(series, user=user, reason=reason)
        series.save(update_fields=["status", "sequence", "updated_at"])
        scheduler.occurrences_mirror(series)
        enqueue(
            event="date_cancelled",
            series_id=series.pk,
            occurrence_ids=[r.pk for r in rows],
            actor_id=user.pk,
            reason=reason,
        )
    return series


def closure_create(
    *,
    user: User,
    center: Center,
    room: Room | None = None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
) -> tuple[Closure, list[Occurrence]]:
    """Close the center or one room; requested and confirmed dates in it are cancelled."""
    if not can_manage_center(user, center):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    errors: dict[str, str] = {}
    if room is not None and room.center_id != center.pk:
        errors["room"] = str(Messages.ROOM_OTHER_CENTER)
    if ends_at <= starts_at:
        errors["ends_at"] = str(Messages.ENDS_BEFORE_START)
    reason = (reason or "").strip()[:200]  # the width of Closure.reason
    if not reason:
        errors["reason"] = str(Messages.REASON_REQUIRED)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        closure = Closure.objects.create(
            center=center, room=room, starts_at=starts_at, ends_at=ends_at, reason=reason
        )
        affected = closure_affected_occurrences(
            center=center, room=room, starts_at=starts_at, ends_at=ends_at
        )
        rows = locked_occurrences([o.pk for o in affected])
        _cancel_rows(user=user, rows=rows, reason=reason)
        by_series = defaultdict(list)
        for row in rows:
            by_series[row.series_id].append(row.pk)
        _sync(set(by_series), user=user, reason=reason)
        for series_id, ids in by_series.items():
            enqueue(
                event="date_cancelled",
                series_id=series_id,
                occurrence_ids=ids,
                actor_id=user.pk,
                reason=reason,
            )
    return closure, rows
