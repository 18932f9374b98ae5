"""Changes to single dates and to a request as a whole: move, cancel, reinstate, withdraw."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import User
from centers.models import Room
from config.forms import date_in_range, date_range_message
from notifications.outbox import enqueue

from ..errors import STALE, Messages, StaleEdit
from ..locking import in_transaction, lock, rooms_of, rooms_of_series
from ..models import Cause, Occurrence, OccurrenceState, Series, SeriesStatus
from ..permissions import can_book_for_group, can_decide
from . import transitions
from .transitions import ACTIVE_STATES, mark


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": str(Messages.REASON_REQUIRED)})
    return reason[:300]  # the width of Occurrence.reason


def _series_of(occurrence_id: int) -> int:
    """The series of a date, read before locking. A date removed meanwhile (a series change
    drops requested dates) is the page being out of date, not a crash."""
    found = Occurrence.objects.filter(pk=occurrence_id).values_list("series_id", flat=True)
    series_id = next(iter(found), None)
    if series_id is None:
        raise ValidationError({"occurrence": ValidationError(str(Messages.STALE), code=STALE)})
    return series_id


def _check_row(row: Occurrence | None, expected_version: int | None) -> Occurrence:
    if row is None:
        raise ValidationError({"occurrence": str(Messages.NOT_ACTIVE)})
    if expected_version is not None and row.version != expected_version:
        raise StaleEdit(current=row.version)
    return row


# --- move -----------------------------------------------------------------------------------


def occurrence_move(
    *,
    user: User,
    occurrence: Occurrence,
    room: Room | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Occurrence:
    """Move one date to another room and/or time, through the same checks as a request.

    Staff: a confirmed date stays confirmed if nothing refuses the new place. The group: the
    date is confirmed at the new place only where nothing needs a decision; otherwise it waits
    for staff (its old place is released).
    """
    series = occurrence.series
    is_staff = can_decide(user, series)
    if not is_staff and not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
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
    for name, value in (("starts_at", new_start), ("ends_at", new_end)):
        if not date_in_range(value.date()):
            errors[name] = date_range_message()
    if "starts_at" not in errors and "ends_at" not in errors:
        if new_end <= new_start:
            errors["ends_at"] = str(Messages.ENDS_BEFORE_START)
        elif new_start < timezone.now():
            errors["starts_at"] = str(Messages.DATE_PAST)
    if occurrence.state not in ACTIVE_STATES:
        errors["occurrence"] = str(Messages.NOT_ACTIVE)
    if errors:
        raise ValidationError(errors)
    return _move(
        user=user,
        occurrence_id=occurrence.pk,
        room=new_room,
        starts_at=new_start,
        ends_at=new_end,
        reason=_reason(reason, required=False),
        by_staff=is_staff,
        expected_version=expected_version,
    )


@in_transaction
def _move(
    *,
    user: User,
    occurrence_id: int,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    by_staff: bool,
    expected_version: int | None,
) -> Occurrence:
    series_id = _series_of(occurrence_id)
    locked = lock(
        rooms={*rooms_of([occurrence_id]), room.pk},
        series=[series_id],
        rows=[occurrence_id],
        row_states=ACTIVE_STATES,
    )
    row = _check_row(locked.rows[0] if locked.rows else None, expected_version)
    tz = row.series.group.center.tz
    was_confirmed = row.state == OccurrenceState.CONFIRMED
    # The group's or staff's words go into the e-mail; the history says "moved" without them.
    history = reason or N_("moved")
    report = transitions.move(
        user=user,
        row=row,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=history,
        keep_confirmed=was_confirmed and by_staff,
        tz=tz,
    )
    if not by_staff and report.confirms_at_once():
        # The group moved it where nothing needs a decision: confirmed, as a new request is.
        transitions.confirm(
            user=user,
            rows=[row],
            reason=N_("confirmed automatically"),
            tz=tz,
            skip_clashing=True,
            reports={row.pk: report},
        )
    transitions.touch([row.series_id], user=user, reason=history)
    enqueue(
        event="date_moved",
        series_id=row.series_id,
        occurrence_ids=[row.pk],
        actor_id=user.pk,
        reason=reason,
    )
    if row.state == OccurrenceState.REQUESTED and (was_confirmed or not by_staff):
        enqueue(
            event="request_received",
            series_id=row.series_id,
            occurrence_ids=[row.pk],
            actor_id=user.pk,
        )
    return row


def occurrences_move(
    *,
    user: User,
    series: Series,
    moves: Sequence[tuple[Occurrence, Room, datetime, datetime]],
    reason: str = "",
    expected_version: int | None = None,
) -> list[Occurrence]:
    """Staff move several requested dates of one request, each to its (room, start, end):
    one transaction (any date refused at its new place: nothing moves), one e-mail."""
    if not can_decide(user, series):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    if not moves:
        raise ValidationError({"occurrence": str(Messages.NOTHING_TO_MOVE)})
    for occurrence, room, starts_at, ends_at in moves:
        if occurrence.series_id != series.pk or room.center_id != series.group.center_id:
            raise ValidationError({"occurrence": str(Messages.NOT_ACTIVE)})
        if not room.bookable:
            raise ValidationError({"room": str(Messages.ROOM_NOT_BOOKABLE)})
        if ends_at <= starts_at or starts_at < timezone.now():
            raise ValidationError({"starts_at": str(Messages.DATE_PAST)})
    return _move_many(
        user=user,
        series_id=series.pk,
        moves={o.pk: (room, starts_at, ends_at) for o, room, starts_at, ends_at in moves},
        reason=_reason(reason, required=False),
        expected_version=expected_version,
    )


@in_transaction
def _move_many(
    *,
    user: User,
    series_id: int,
    moves: dict[int, tuple[Room, datetime, datetime]],
    reason: str,
    expected_version: int | None,
) -> list[Occurrence]:
    locked = lock(
        rooms={*rooms_of(list(moves)), *(room.pk for room, _s, _e in moves.values())},
        series=[series_id],
        rows=list(moves),
        row_states=[OccurrenceState.REQUESTED],
    )
    if expected_version is not None and locked.series[0].version != expected_version:
        raise StaleEdit(current=locked.series[0].version)
    if len(locked.rows) != len(moves):  # a date decided or removed meanwhile
        raise ValidationError({"occurrence": ValidationError(str(Messages.STALE), code=STALE)})
    history = reason or N_("moved")
    tz = locked.series[0].group.center.tz
    for row in sorted(locked.rows, key=lambda r: r.starts_at):
        room, starts_at, ends_at = moves[row.pk]
        transitions.move(
            user=user,
            row=row,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=history,
            keep_confirmed=False,
            tz=tz,
        )
    transitions.touch([series_id], user=user, reason=history)
    enqueue(
        event="date_moved",
        series_id=series_id,
        occurrence_ids=sorted(moves),
        actor_id=user.pk,
        reason=reason,
    )
    return locked.rows


# --- cancel and reinstate -------------------------------------------------------------------


def occurrence_cancel(
    *,
    user: User,
    occurrence: Occurrence,
    reason: str,
    expected_version: int | None = None,
) -> Occurrence:
    """Cancel one requested or confirmed date (leaders of the group or staff)."""
    if not can_book_for_group(user, occurrence.series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    reason = _reason(reason, required=True)
    if occurrence.starts_at < timezone.now():
        raise ValidationError({"occurrence": str(Messages.DATE_PAST)})
    cause = Cause.STAFF if can_decide(user, occurrence.series) else Cause.GROUP
    return _cancel(
        user=user,
        occurrence_id=occurrence.pk,
        reason=reason,
        cause=cause,
        expected_version=expected_version,
    )


@in_transaction
def _cancel(
    *, user: User, occurrence_id: int, reason: str, cause: str, expected_version: int | None
) -> Occurrence:
    series_id = _series_of(occurrence_id)
    locked = lock(
        rooms=rooms_of([occurrence_id]),
        series=[series_id],
        rows=[occurrence_id],
        row_states=ACTIVE_STATES,
    )
    row = _check_row(locked.rows[0] if locked.rows else None, expected_version)
    transitions.cancel(user=user, rows=[row], reason=reason, cause=cause)
    transitions.touch([row.series_id], user=user, reason=reason)
    enqueue(
        event="date_cancelled",
        series_id=row.series_id,
        occurrence_ids=[row.pk],
        actor_id=user.pk,
        reason=reason,
    )
    return row


def occurrence_reinstate(
    *,
    user: User,
    occurrence: Occurrence,
    reason: str = "",
    expected_version: int | None = None,
) -> Occurrence:
    """A cancelled date takes place again, if nothing stands in its way now.

    The group may take up again the dates it cancelled itself; staff any cancelled date. A date
    that was confirmed is confirmed again; a requested one waits for staff again.
    """
    series = occurrence.series
    is_staff = can_decide(user, series)
    if not is_staff and not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    if occurrence.state != OccurrenceState.CANCELLED:
        raise ValidationError({"occurrence": str(Messages.NOT_CANCELLED)})
    if not is_staff and occurrence.cause != Cause.GROUP:
        raise ValidationError({"occurrence": str(Messages.LEADER_REINSTATES_OWN_ONLY)})
    if occurrence.starts_at < timezone.now():
        raise ValidationError({"occurrence": str(Messages.DATE_PAST)})
    if series.status == SeriesStatus.WITHDRAWN:
        raise ValidationError({"series": str(Messages.SERIES_CLOSED)})
    return _reinstate(
        user=user,
        occurrence_id=occurrence.pk,
        reason=_reason(reason, required=False),
        expected_version=expected_version,
        by_staff=is_staff,
    )


@in_transaction
def _reinstate(
    *,
    user: User,
    occurrence_id: int,
    reason: str,
    expected_version: int | None,
    by_staff: bool,
) -> Occurrence:
    series_id = _series_of(occurrence_id)
    locked = lock(
        rooms=rooms_of([occurrence_id]),
        series=[series_id],
        rows=[occurrence_id],
        row_states=[OccurrenceState.CANCELLED],
    )
    row = _check_row(locked.rows[0] if locked.rows else None, expected_version)
    if not by_staff and row.cause != Cause.GROUP:
        raise ValidationError({"occurrence": str(Messages.LEADER_REINSTATES_OWN_ONLY)})
    series = locked.series[0]
    approved = series.status in (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
    history = reason or N_("takes place again")
    result = transitions.reinstate(
        user=user,
        rows=[row],
        reason=history,
        tz=series.group.center.tz,
        approved={series.pk: approved},
    )
    if result.refused:
        reasons = "; ".join(result.refused[row.pk])
        raise ValidationError({"occurrence": str(Messages.NOT_REINSTATABLE) % {"reasons": reasons}})
    transitions.touch([series.pk], user=user, reason=history)
    if row.state == OccurrenceState.CONFIRMED:
        enqueue(
            event="request_confirmed",
            series_id=series.pk,
            occurrence_ids=[row.pk],
            actor_id=user.pk,
            reason=reason,
        )
    else:
        enqueue(
            event="request_received",
            series_id=series.pk,
            occurrence_ids=[row.pk],
            actor_id=user.pk,
        )
    return row


# --- withdraw -------------------------------------------------------------------------------


def series_withdraw(
    *, user: User, series: Series, reason: str = "", expected_version: int | None = None
) -> Series:
    """The group takes its request back: every future date is cancelled."""
    if not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    reason = _reason(reason, required=False) or _("withdrawn by the group")
    return _withdraw(
        user=user, series_id=series.pk, reason=reason, expected_version=expected_version
    )


@in_transaction
def _withdraw(*, user: User, series_id: int, reason: str, expected_version: int | None) -> Series:
    locked = lock(
        rooms=rooms_of_series([series_id]),
        series=[series_id],
        all_rows_of_series=True,
        row_states=ACTIVE_STATES,
    )
    series = locked.series[0]
    if expected_version is not None and series.version != expected_version:
        raise StaleEdit(current=series.version)
    now = timezone.now()
    rows = [r for r in locked.rows if r.starts_at >= now]
    transitions.cancel(user=user, rows=rows, reason=reason, cause=Cause.WITHDRAWN)
    series.status = SeriesStatus.WITHDRAWN
    series.sequence += 1
    mark(series, user=user, reason=reason)
    series.save(update_fields=["status", "sequence", "updated_at"])
    transitions.touch([series.pk], user=user, reason=reason)
    if rows:
        enqueue(
            event="date_cancelled",
            series_id=series.pk,
            occurrence_ids=[r.pk for r in rows],
            actor_id=user.pk,
            reason=reason,
        )
    return series
