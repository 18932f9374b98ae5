"""Closures of a center or a room: creating one cancels the dates in it (and tells their groups);
shortening, moving or deleting one brings back the dates it cancelled where they are still free,
and reports the rest. The staff pages and the Django admin both come through here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from centers.models import Center, Closure, Room
from centers.permissions import can_manage_center
from config.forms import date_in_range, date_range_message
from notifications.outbox import enqueue

from ..errors import Messages, StaleEdit
from ..locking import in_transaction, lock, lock_closure, rooms_of
from ..models import Cause, Occurrence, OccurrenceState, SeriesStatus
from ..policy import IssueKind
from ..selectors import closure_affected_occurrences as affected
from ..stamps import plan_changed
from . import plans, transitions
from .transitions import ACTIVE_STATES

REASON_WIDTH = 200  # Closure.reason


@dataclass
class ClosureChange:
    """What a closure change did to the dates: cancelled, back again, and still cancelled."""

    closure: Closure | None
    cancelled: list[Occurrence] = field(default_factory=list)
    reinstated: list[Occurrence] = field(default_factory=list)
    not_reinstated: dict[int, list[str]] = field(default_factory=dict)
    rows: dict[int, Occurrence] = field(default_factory=dict)


def _validate(
    *,
    user: User,
    center: Center,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
) -> str:
    if not can_manage_center(user, center):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    errors: dict[str, str] = {}
    if room is not None and room.center_id != center.pk:
        errors["room"] = str(Messages.ROOM_OTHER_CENTER)
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not date_in_range(value.date()):
            errors[name] = date_range_message()
    if not errors and ends_at <= starts_at:
        errors["ends_at"] = str(Messages.ENDS_BEFORE_START)
    reason = (reason or "").strip()[:REASON_WIDTH]
    if not reason:
        errors["reason"] = str(Messages.REASON_REQUIRED)
    if errors:
        raise ValidationError(errors)
    return reason


def _series_of(ids: Iterable[int]) -> set[int]:
    return set(Occurrence.objects.filter(pk__in=list(ids)).values_list("series_id", flat=True))


def _tell_cancelled(*, user: User, rows: Sequence[Occurrence], reason: str) -> None:
    by_series: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_series[row.series_id].append(row.pk)
    for series_id, ids in by_series.items():
        enqueue(
            event="date_cancelled",
            series_id=series_id,
            occurrence_ids=ids,
            actor_id=user.pk,
            reason=reason,
        )


def _tell_back(*, user: User, rows: Sequence[Occurrence], reason: str) -> None:
    by_series: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.state == OccurrenceState.CONFIRMED:
            by_series[row.series_id].append(row.pk)
    for series_id, ids in by_series.items():
        enqueue(
            event="request_confirmed",
            series_id=series_id,
            occurrence_ids=ids,
            actor_id=user.pk,
            reason=reason,
        )


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
    reason = _validate(
        user=user, center=center, room=room, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    change = _create(
        user=user, center=center, room=room, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    return change.closure, change.cancelled


@in_transaction
def _create(
    *,
    user: User,
    center: Center,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
) -> ClosureChange:
    ids = [o.pk for o in affected(center=center, room=room, starts_at=starts_at, ends_at=ends_at)]
    locked = lock(
        rooms={*rooms_of(ids), *([room.pk] if room else [])},
        series=_series_of(ids),
        rows=ids,
        row_states=ACTIVE_STATES,
    )
    closure = Closure.objects.create(
        center=center, room=room, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    # Only what still lies in the closure after the lock (a date may have moved meanwhile).
    rows = [
        r
        for r in locked.rows
        if r.pk
        in {o.pk for o in affected(center=center, room=room, starts_at=starts_at, ends_at=ends_at)}
    ]
    transitions.cancel(user=user, rows=rows, reason=reason, cause=Cause.CLOSURE, closure=closure)
    transitions.touch({r.series_id for r in rows}, user=user, reason=reason)
    plan_changed([center.pk])
    _tell_cancelled(user=user, rows=rows, reason=reason)
    return ClosureChange(closure=closure, cancelled=rows)


def closure_update(
    *,
    user: User,
    closure: Closure,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    expected_version: int | None = None,
) -> ClosureChange:
    """Change a closure: dates it now covers are cancelled; dates it cancelled that it no longer
    covers take place again where they are still free (the rest are reported)."""
    center = closure.center
    reason = _validate(
        user=user, center=center, room=room, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    return _update(
        user=user,
        closure_id=closure.pk,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        expected_version=expected_version,
    )


@in_transaction
def _update(
    *,
    user: User,
    closure_id: int,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    expected_version: int | None,
) -> ClosureChange:
    closure = lock_closure(closure_id)
    if closure is None:  # removed by someone else while this edit was being made
        raise StaleEdit(current=0)
    if expected_version is not None and closure.version != expected_version:
        raise StaleEdit(current=closure.version)
    center = closure.center
    newly = [o.pk for o in affected(center=center, room=room, starts_at=starts_at, ends_at=ends_at)]
    mine = list(
        Occurrence.objects.filter(closure=closure, state=OccurrenceState.CANCELLED).values_list(
            "pk", flat=True
        )
    )
    ids = [*newly, *mine]
    locked = lock(
        rooms={
            *rooms_of(ids),
            *([room.pk] if room else []),
            *([closure.room_id] if closure.room_id else []),
        },
        series=_series_of(ids),
        rows=ids,
    )
    closure.room, closure.starts_at, closure.ends_at, closure.reason = (
        room,
        starts_at,
        ends_at,
        reason,
    )
    closure.version += 1
    closure.save(update_fields=["room", "starts_at", "ends_at", "reason", "version"])
    covered = {
        o.pk for o in affected(center=center, room=room, starts_at=starts_at, ends_at=ends_at)
    }
    to_cancel = [r for r in locked.rows if r.pk in covered and r.state in ACTIVE_STATES]
    released = [
        r
        for r in locked.rows
        if r.closure_id == closure.pk
        and r.state == OccurrenceState.CANCELLED
        and not _still_covered(r, room=room, starts_at=starts_at, ends_at=ends_at)
    ]
    still_mine = [r for r in locked.rows if r.closure_id == closure.pk and r not in released]
    transitions.cancel(
        user=user, rows=to_cancel, reason=reason, cause=Cause.CLOSURE, closure=closure
    )
    if still_mine:
        for row in still_mine:
            row.reason = reason
        transitions.save_rows(still_mine, ["reason"], user=user, reason=reason)
    back = _("the closure “%(reason)s” was changed") % {"reason": reason}
    change = _bring_back(user=user, rows=released, closure=closure, reason=back)
    change.cancelled = to_cancel
    transitions.touch(
        {r.series_id for r in (*to_cancel, *released, *still_mine)}, user=user, reason=reason
    )
    plan_changed([center.pk])
    _tell_cancelled(user=user, rows=to_cancel, reason=reason)
    _tell_back(user=user, rows=change.reinstated, reason=reason)
    return change


def _still_covered(
    row: Occurrence, *, room: Room | None, starts_at: datetime, ends_at: datetime
) -> bool:
    in_time = row.starts_at < ends_at and row.ends_at > starts_at
    if room is None:
        return in_time
    related = {room.pk, *([room.parent_id] if room.parent_id else [])}
    return in_time and (row.room_id in related or row.room.parent_id == room.pk)


def _bring_back(
    *, user: User, rows: Sequence[Occurrence], closure: Closure, reason: str
) -> ClosureChange:
    """Reinstate dates a closure released; those that cannot come back are reported (and, if
    another closure holds them, handed over to it, so that its end brings them back)."""
    change = ClosureChange(closure=closure, rows={r.pk: r for r in rows})
    if not rows:
        return change
    approved = {
        r.series_id: r.series.status in (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
        for r in rows
    }
    result = transitions.reinstate(
        user=user,
        rows=rows,
        reason=reason,
        tz=closure.center.tz,
        approved=approved,
    )
    change.reinstated = result.reinstated
    change.not_reinstated = result.refused
    if result.refused:
        reports = transitions.reports_for(
            [r for r in rows if r.pk in result.refused], now=timezone.now()
        )
        handed: list[Occurrence] = []
        for row in rows:
            if row.pk not in result.refused:
                continue
            other = next(
                (
                    i.closure_id
                    for i in reports[row.pk].issues
                    if i.kind == IssueKind.CLOSURE and i.closure_id != closure.pk
                ),
                None,
            )
            row.closure_id = other
            if other is None and reports[row.pk].is_skipped:
                # Still skipped without a closure (a holiday under the series' policy): the
                # holiday's cause, so that a corrected holiday period brings it back.
                row.cause = plans.skip_cause(reports[row.pk])[0]
            row.reason = "; ".join(result.refused[row.pk])[:300]
            handed.append(row)
        transitions.save_rows(
            handed, ["closure", "cause", "reason"], user=user, reason=closure.reason
        )
    return change


def closure_delete(
    *, user: User, closure: Closure, expected_version: int | None = None
) -> ClosureChange:
    """Remove a closure: the dates it cancelled take place again where they are still free."""
    if not can_manage_center(user, closure.center):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    return _delete(user=user, closure_id=closure.pk, expected_version=expected_version)


@in_transaction
def _delete(*, user: User, closure_id: int, expected_version: int | None) -> ClosureChange:
    closure = lock_closure(closure_id)
    if closure is None:
        return ClosureChange(closure=None)
    if expected_version is not None and closure.version != expected_version:
        raise StaleEdit(current=closure.version)
    mine = list(
        Occurrence.objects.filter(closure=closure, state=OccurrenceState.CANCELLED).values_list(
            "pk", flat=True
        )
    )
    locked = lock(
        rooms={*rooms_of(mine), *([closure.room_id] if closure.room_id else [])},
        series=_series_of(mine),
        rows=mine,
        row_states=[OccurrenceState.CANCELLED],
    )
    rows = [r for r in locked.rows if r.closure_id == closure.pk]
    # The closure goes first, so that the dates' check no longer sees it.
    center_id = closure.center_id
    for row in rows:
        row.closure = None
    closure_copy = Closure(
        pk=None,
        center=closure.center,
        room=closure.room,
        starts_at=closure.starts_at,
        ends_at=closure.ends_at,
        reason=closure.reason,
    )
    closure.delete()
    back = _("the closure “%(reason)s” was removed") % {"reason": closure_copy.reason}
    change = _bring_back(user=user, rows=rows, closure=closure_copy, reason=back)
    change.closure = None
    transitions.touch({r.series_id for r in rows}, user=user, reason=closure_copy.reason)
    plan_changed([center_id])
    _tell_back(user=user, rows=change.reinstated, reason=closure_copy.reason)
    return change
