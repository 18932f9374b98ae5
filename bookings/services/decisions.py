"""Staff decisions on requests: confirm (all, or all but the clashing dates) and decline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from notifications.outbox import enqueue

from .. import scheduler
from ..errors import DECIDED_MEANWHILE, BookingConflict, Messages
from ..models import Occurrence, OccurrenceState, Series
from ..permissions import can_decide
from ._core import (
    ConfirmResult,
    lock_rooms,
    locked_occurrences,
    mark,
    place,
    refresh_status,
)

_REQUESTED = [OccurrenceState.REQUESTED]


def _require_decider(user: User, series: Series) -> None:
    if not can_decide(user, series):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)


def _confirm_ids(
    *, user: User, occurrence_ids: Sequence[int], skip_clashing: bool, note: str, tz
) -> ConfirmResult:
    """Lock rooms, then rows, re-check and confirm (inside the caller's transaction)."""
    rooms = Occurrence.objects.filter(pk__in=occurrence_ids).values_list("room_id", flat=True)
    lock_rooms(set(rooms))
    rows = locked_occurrences(occurrence_ids, states=_REQUESTED)
    # A date declined while we waited for the lock lost to a booking confirmed just before.
    lost = Occurrence.objects.filter(
        pk__in=set(occurrence_ids) - {r.pk for r in rows}, state=OccurrenceState.DECLINED
    ).values_list("starts_at", flat=True)
    lost = list(lost)
    if lost and not skip_clashing:
        raise BookingConflict(lost, tz=tz)
    result = place(
        user=user,
        occurrences=rows,
        skip_clashing=skip_clashing,
        reason=note or _("confirmed"),
        tz=tz,
    )
    _after_decision(user=user, result=result, note=note)
    return result


def _after_decision(*, user: User, result: ConfirmResult, note: str) -> None:
    """Statuses, mirrors and notifications for the winners' and the losers' series."""
    touched = {o.series_id for o in result.confirmed} | {
        o.series_id for o in result.declined_competitors
    }
    refresh_status(touched, user=user)
    for series in Series.objects.filter(pk__in=touched).select_related("group__center", "room"):
        # A decision changes dates, not rules: only a series without its Event needs the rule.
        if series.event_id is None:
            scheduler.series_mirror(series)
        scheduler.occurrences_mirror(series)
    confirmed_by_series = defaultdict(list)
    for occ in result.confirmed:
        confirmed_by_series[occ.series_id].append(occ.pk)
    left = {o.series_id for o in result.left_requested}
    for series_id, ids in confirmed_by_series.items():
        event = "request_partly_confirmed" if series_id in left else "request_confirmed"
        enqueue(event=event, series_id=series_id, occurrence_ids=ids, actor_id=user.pk, reason=note)
    declined_by_series = defaultdict(list)
    for occ in result.declined_competitors:
        declined_by_series[occ.series_id].append(occ)
    for series_id, occs in declined_by_series.items():
        enqueue(
            event="date_declined",
            series_id=series_id,
            occurrence_ids=[o.pk for o in occs],
            actor_id=user.pk,
            reason=occs[0].reason,
        )


def series_confirm(
    *, user: User, series: Series, skip_clashing: bool = False, note: str = ""
) -> ConfirmResult:
    """Confirm every requested date; clashing dates raise, or stay requested with skip_clashing."""
    _require_decider(user, series)
    # The dates as staff saw them, read before the transaction: if one of them loses to a
    # confirmation that commits while we wait for the lock, that is a conflict, not a no-op.
    ids = list(
        series.occurrences.filter(state=OccurrenceState.REQUESTED).values_list("pk", flat=True)
    )
    if not ids:
        # A second member of staff acting on a page that is out of date: say so, not "done".
        raise ValidationError(
            {"series": ValidationError(str(Messages.NOTHING_TO_CONFIRM), code=DECIDED_MEANWHILE)}
        )
    with transaction.atomic():
        result = _confirm_ids(
            user=user,
            occurrence_ids=ids,
            skip_clashing=skip_clashing,
            note=note,
            tz=series.group.center.tz,
        )
        if note:
            series.decision_note = note
            mark(series, user=user, reason=note)
            series.save(update_fields=["decision_note", "updated_at"])
    return result


def occurrences_confirm(
    *, user: User, occurrences: Sequence[Occurrence], note: str = ""
) -> ConfirmResult:
    """Confirm these requested dates, all or none: a clash raises BookingConflict."""
    occurrences = list(occurrences)
    if not occurrences:
        return ConfirmResult()
    series_ids = {o.series_id for o in occurrences}
    all_series = list(Series.objects.filter(pk__in=series_ids).select_related("group__center"))
    for series in all_series:
        _require_decider(user, series)
    if any(o.state != OccurrenceState.REQUESTED for o in occurrences):
        raise ValidationError({"occurrences": str(Messages.NOT_REQUESTED)})
    with transaction.atomic():
        return _confirm_ids(
            user=user,
            occurrence_ids=[o.pk for o in occurrences],
            skip_clashing=False,
            note=note,
            tz=all_series[0].group.center.tz,
        )


def _decline(*, user: User, rows: Sequence[Occurrence], reason: str) -> None:
    now = timezone.now()
    for row in rows:
        row.state = OccurrenceState.DECLINED
        row.reason = reason
        row.sequence += 1
        row.updated_at = now
        mark(row, user=user, reason=reason)
    bulk_update_with_history(rows, Occurrence, ["state", "reason", "sequence", "updated_at"])


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": str(Messages.REASON_REQUIRED)})
    return reason[:300]  # the width of Occurrence.reason


def occurrence_decline(*, user: User, occurrence: Occurrence, reason: str) -> Occurrence:
    """Decline one requested date with a reason the group will read."""
    _require_decider(user, occurrence.series)
    reason = _require_reason(reason)
    with transaction.atomic():
        rows = locked_occurrences([occurrence.pk], states=_REQUESTED)
        if not rows:
            raise ValidationError({"occurrence": str(Messages.NOT_REQUESTED)})
        _decline(user=user, rows=rows, reason=reason)
        refresh_status([occurrence.series_id], user=user, reason=reason)
        scheduler.occurrences_mirror(rows[0].series)
        enqueue(
            event="date_declined",
            series_id=occurrence.series_id,
            occurrence_ids=[occurrence.pk],
            actor_id=user.pk,
            reason=reason,
        )
    return rows[0]


def series_decline(*, user: User, series: Series, reason: str) -> Series:
    """Decline every date of the series that is still requested."""
    _require_decider(user, series)
    reason = _require_reason(reason)
    with transaction.atomic():
        rows = locked_occurrences(
            series.occurrences.values_list("pk", flat=True), states=_REQUESTED
        )
        _decline(user=user, rows=rows, reason=reason)
        series = Series.objects.select_related("group__center", "room").get(pk=series.pk)
        series.decision_note = reason
        mark(series, user=user, reason=reason)
        series.save(update_fields=["decision_note", "updated_at"])
        refresh_status([series.pk], user=user, reason=reason)
        scheduler.occurrences_mirror(series)
        enqueue(
            event="request_declined",
            series_id=series.pk,
            occurrence_ids=[r.pk for r in rows],
            actor_id=user.pk,
            reason=reason,
        )
    series.refresh_from_db()
    return series
