"""Staff decisions on requests: confirm (all, the ticked ones, or all that are free) and decline.

Each decision is one transaction: read what the staff member saw, lock rooms -> series -> rows
(the competing requests that a confirmation declines included), re-check, decide, and tell each
group once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from accounts.models import User
from notifications.outbox import enqueue

from ..errors import DECIDED_MEANWHILE, BookingConflict, Messages, StaleEdit
from ..locking import in_transaction, lock, rooms_of
from ..models import Cause, Occurrence, OccurrenceState, Series
from ..permissions import can_decide
from . import transitions
from .transitions import ConfirmResult, mark

_REQUESTED = [OccurrenceState.REQUESTED]


def _require_decider(user: User, series: Series) -> None:
    if not can_decide(user, series):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)


def _check_versions(locked: Sequence[Series], expected: dict[int, int] | None) -> None:
    for series in locked:
        wanted = (expected or {}).get(series.pk)
        if wanted is not None and wanted != series.version:
            raise StaleEdit(current=series.version)


def _decided_meanwhile() -> ValidationError:
    # A second member of staff acting on a page that is out of date: say so, not "done".
    return ValidationError(
        {"series": ValidationError(str(Messages.NOTHING_TO_CONFIRM), code=DECIDED_MEANWHILE)}
    )


@in_transaction
def _confirm(
    *,
    user: User,
    occurrence_ids: Sequence[int],
    skip_clashing: bool,
    note: str,
    expected: dict[int, int] | None,
) -> ConfirmResult:
    seen = list(
        Occurrence.objects.filter(pk__in=occurrence_ids)
        .select_related("series__group__center", "series__room", "room")
        .order_by("pk")
    )
    waiting = [o for o in seen if o.state == OccurrenceState.REQUESTED]
    # Competing requests this confirmation may decline: locked with everything else, in order.
    competitor_ids = transitions.competitors_in(
        transitions.reports_for(waiting, now=timezone.now()).values()
    )
    competitors_pre = Occurrence.objects.filter(pk__in=competitor_ids)
    series_ids = {o.series_id for o in seen} | set(
        competitors_pre.values_list("series_id", flat=True)
    )
    own_series = {o.series_id for o in seen}
    locked = lock(
        rooms=rooms_of([*occurrence_ids, *competitor_ids]),
        series=series_ids | set(expected or {}),
        rows=[*occurrence_ids, *competitor_ids],
    )
    _check_versions(locked.series, expected)
    mine = [
        r
        for r in locked.rows
        if r.pk in set(occurrence_ids) and r.state == OccurrenceState.REQUESTED
    ]
    # A date declined while we waited for the lock lost to a booking confirmed just before.
    lost = [
        r
        for r in locked.rows
        if r.pk in {o.pk for o in seen} and r.state == OccurrenceState.DECLINED
    ]
    if lost and not skip_clashing:
        raise BookingConflict([r.starts_at for r in lost], tz=lost[0].series.group.center.tz)
    if not mine:
        raise _decided_meanwhile()
    tz = mine[0].series.group.center.tz
    result = transitions.confirm(
        user=user,
        rows=mine,
        reason=note or N_("confirmed"),
        tz=tz,
        skip_clashing=skip_clashing,
        competitors=[r for r in locked.rows if r.pk in competitor_ids],
    )
    touched = own_series | {o.series_id for o in result.declined_competitors}
    if note:
        for series in locked.series:
            if series.pk in own_series:
                series.decision_note = note
                mark(series, user=user, reason=note)
                series.save(update_fields=["decision_note", "updated_at"])
    transitions.touch(touched, user=user, reason=note)
    _tell(user=user, result=result, note=note)
    return result


def _tell(*, user: User, result: ConfirmResult, note: str) -> None:
    """One e-mail per series: the confirmed dates, and the competitors that lost."""
    confirmed: dict[int, list[int]] = defaultdict(list)
    for occ in result.confirmed:
        confirmed[occ.series_id].append(occ.pk)
    left = {o.series_id for o in result.left_requested}
    for series_id, ids in confirmed.items():
        event = "request_partly_confirmed" if series_id in left else "request_confirmed"
        enqueue(event=event, series_id=series_id, occurrence_ids=ids, actor_id=user.pk, reason=note)
    declined: dict[int, list[Occurrence]] = defaultdict(list)
    for occ in result.declined_competitors:
        declined[occ.series_id].append(occ)
    for series_id, occs in declined.items():
        enqueue(
            event="date_declined",
            series_id=series_id,
            occurrence_ids=[o.pk for o in occs],
            actor_id=user.pk,
            reason=occs[0].reason,
        )


def series_confirm(
    *,
    user: User,
    series: Series,
    skip_clashing: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> ConfirmResult:
    """Confirm every requested date; clashing dates raise, or stay requested with skip_clashing."""
    _require_decider(user, series)
    # The dates as staff saw them, read before the transaction: if one of them loses to a
    # confirmation that commits while we wait for the lock, that is a conflict, not a no-op.
    ids = list(
        series.occurrences.filter(state=OccurrenceState.REQUESTED).values_list("pk", flat=True)
    )
    if not ids:
        raise _decided_meanwhile()
    return _confirm(
        user=user,
        occurrence_ids=ids,
        skip_clashing=skip_clashing,
        note=note,
        expected=None if expected_version is None else {series.pk: expected_version},
    )


def occurrences_confirm(
    *,
    user: User,
    occurrences: Sequence[Occurrence],
    note: str = "",
    expected_version: int | None = None,
) -> ConfirmResult:
    """Confirm these requested dates, all or none: a clash raises BookingConflict."""
    occurrences = list(occurrences)
    if not occurrences:
        return ConfirmResult()
    all_series = list(
        Series.objects.filter(pk__in={o.series_id for o in occurrences}).select_related(
            "group__center"
        )
    )
    for series in all_series:
        _require_decider(user, series)
    if any(o.state != OccurrenceState.REQUESTED for o in occurrences):
        raise ValidationError({"occurrences": str(Messages.NOT_REQUESTED)})
    expected = None
    if expected_version is not None and len(all_series) == 1:
        expected = {all_series[0].pk: expected_version}
    return _confirm(
        user=user,
        occurrence_ids=[o.pk for o in occurrences],
        skip_clashing=False,
        note=note,
        expected=expected,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": str(Messages.REASON_REQUIRED)})
    return reason[:300]  # the width of Occurrence.reason


def occurrences_decline(
    *,
    user: User,
    occurrences: Sequence[Occurrence],
    reason: str,
    expected_version: int | None = None,
) -> list[Occurrence]:
    """Decline these requested dates with one reason: one transaction, one e-mail per series."""
    occurrences = list(occurrences)
    for series in Series.objects.filter(pk__in={o.series_id for o in occurrences}).select_related(
        "group__center"
    ):
        _require_decider(user, series)
    reason = _require_reason(reason)
    if not occurrences:
        return []
    return _decline(
        user=user,
        occurrence_ids=[o.pk for o in occurrences],
        reason=reason,
        expected_version=expected_version,
        event="date_declined",
    )


@in_transaction
def _decline(
    *,
    user: User,
    occurrence_ids: Sequence[int],
    reason: str,
    expected_version: int | None,
    event: str,
    series_note: Series | None = None,
) -> list[Occurrence]:
    series_ids = set(
        Occurrence.objects.filter(pk__in=occurrence_ids).values_list("series_id", flat=True)
    )
    if series_note is not None:
        series_ids.add(series_note.pk)
    locked = lock(
        rooms=rooms_of(occurrence_ids),
        series=series_ids,
        rows=occurrence_ids,
        row_states=_REQUESTED,
    )
    if expected_version is not None and len(locked.series) == 1:
        _check_versions(locked.series, {locked.series[0].pk: expected_version})
    rows = locked.rows
    if not rows and series_note is None:
        raise ValidationError({"occurrence": str(Messages.NOT_REQUESTED)})
    transitions.decline(user=user, rows=rows, reason=reason, cause=Cause.STAFF)
    if series_note is not None:
        note_series = next(s for s in locked.series if s.pk == series_note.pk)
        note_series.decision_note = reason
        mark(note_series, user=user, reason=reason)
        note_series.save(update_fields=["decision_note", "updated_at"])
    transitions.touch(series_ids, user=user, reason=reason)
    by_series: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_series[row.series_id].append(row.pk)
    if series_note is not None:
        by_series.setdefault(series_note.pk, [])
    for series_id, ids in by_series.items():
        enqueue(
            event=event, series_id=series_id, occurrence_ids=ids, actor_id=user.pk, reason=reason
        )
    return rows


def occurrence_decline(
    *,
    user: User,
    occurrence: Occurrence,
    reason: str,
    expected_version: int | None = None,
) -> Occurrence:
    """Decline one requested date with a reason the group will read."""
    _require_decider(user, occurrence.series)
    reason = _require_reason(reason)
    rows = _decline_one(
        user=user, occurrence=occurrence, reason=reason, expected_version=expected_version
    )
    return rows[0]


@in_transaction
def _decline_one(
    *, user: User, occurrence: Occurrence, reason: str, expected_version: int | None
) -> list[Occurrence]:
    locked = lock(
        rooms=rooms_of([occurrence.pk]),
        series=[occurrence.series_id],
        rows=[occurrence.pk],
    )
    row = locked.rows[0] if locked.rows else None
    if row is not None and expected_version is not None and row.version != expected_version:
        raise StaleEdit(current=row.version)
    if row is None or row.state != OccurrenceState.REQUESTED:
        raise ValidationError({"occurrence": str(Messages.NOT_REQUESTED)})
    transitions.decline(user=user, rows=[row], reason=reason, cause=Cause.STAFF)
    transitions.touch([row.series_id], user=user, reason=reason)
    enqueue(
        event="date_declined",
        series_id=row.series_id,
        occurrence_ids=[row.pk],
        actor_id=user.pk,
        reason=reason,
    )
    return [row]


def series_decline(
    *, user: User, series: Series, reason: str, expected_version: int | None = None
) -> Series:
    """Decline every date of the series that is still requested."""
    _require_decider(user, series)
    reason = _require_reason(reason)
    ids = list(
        series.occurrences.filter(state=OccurrenceState.REQUESTED).values_list("pk", flat=True)
    )
    _decline(
        user=user,
        occurrence_ids=ids,
        reason=reason,
        expected_version=expected_version,
        event="request_declined",
        series_note=series,
    )
    series.refresh_from_db()
    return series
