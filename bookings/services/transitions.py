"""The row transitions of a date — confirm, decline, cancel, move, reinstate — one function each.

Every service and job that changes a date's state goes through these, inside its transaction and
after `bookings.locking.lock` (rooms -> series -> rows). Each records history (who, why), raises
the row's version (and SEQUENCE where calendar apps see a change), keeps the room blocks in step,
and ends with `touch`, which refreshes the series' status and version, raises the center's plan
version and schedules the django-scheduler mirror sync for after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from centers.models import Center, Closure, Room

from .. import conflicts, scheduler
from ..errors import BookingConflict
from ..models import Cause, Occurrence, OccurrenceState, Series, SeriesStatus
from ..recurrence import Slot
from ..stamps import plan_changed
from . import blocks

# simple-history stores at most this many characters of a change reason.
REASON_MAX = 100
ACTIVE_STATES = (OccurrenceState.REQUESTED, OccurrenceState.CONFIRMED)
DEAD_STATES = (OccurrenceState.CANCELLED, OccurrenceState.DECLINED)


@dataclass
class ConfirmResult:
    """What a confirmation did: confirmed dates, dates left requested, competitors declined."""

    confirmed: list[Occurrence] = field(default_factory=list)
    left_requested: list[Occurrence] = field(default_factory=list)
    declined_competitors: list[Occurrence] = field(default_factory=list)


@dataclass
class ReinstateResult:
    """Dates that take place again, and those that cannot (with the reasons, by date id)."""

    reinstated: list[Occurrence] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)
    rows: dict[int, Occurrence] = field(default_factory=dict)


def short_reason(text: str) -> str:
    return (text or "")[:REASON_MAX]


def mark(obj: object, *, user: User | None, reason: str) -> None:
    """Tell simple-history who made the next change of `obj`, and why."""
    obj._history_user = user  # type: ignore[attr-defined]
    obj._change_reason = short_reason(reason)  # type: ignore[attr-defined]


def center_today(center: Center) -> date:
    return timezone.now().astimezone(center.tz).date()


def slot_of(occurrence: Occurrence) -> Slot:
    return Slot(occurrence.starts_at, occurrence.ends_at, occurrence.original_start, occurrence.pk)


def save_rows(
    rows: Sequence[Occurrence],
    fields: Iterable[str],
    *,
    user: User | None,
    reason: str,
    visible: bool = True,
) -> None:
    """Write these rows with history; `visible` changes raise SEQUENCE for calendar apps."""
    if not rows:
        return
    now = timezone.now()
    for row in rows:
        row.version += 1
        if visible:
            row.sequence += 1
        row.updated_at = now
        mark(row, user=user, reason=reason)
    names = {*fields, "version", "updated_at", *(["sequence"] if visible else [])}
    bulk_update_with_history(list(rows), Occurrence, sorted(names))


# --- checks -----------------------------------------------------------------------------------


def reports_for(
    rows: Sequence[Occurrence], *, now: datetime | None = None
) -> dict[int, conflicts.DateReport]:
    """The conflict report of each date where it is now: one check per (room, series)."""
    grouped: dict[tuple[int, int], list[Occurrence]] = defaultdict(list)
    for row in rows:
        grouped[(row.room_id, row.series_id)].append(row)
    equipment: dict[int, list[int]] = defaultdict(list)
    for series_id, item in Series.equipment_needed.through.objects.filter(
        series_id__in={r.series_id for r in rows}
    ).values_list("series_id", "equipment_id"):
        equipment[series_id].append(item)
    found: dict[int, conflicts.DateReport] = {}
    for (_room_id, series_id), group in grouped.items():
        series = group[0].series
        report = conflicts.check(
            room=group[0].room,
            slots=[slot_of(r) for r in group],
            expected_participants=series.expected_participants,
            equipment=equipment[series_id],
            ignore_series_id=series_id,
            now=now,
            policy=series.holiday_policy,
        )
        for row, date_report in zip(group, report.dates, strict=True):
            found[row.pk] = date_report
    return found


def competitors_in(reports: Iterable[conflicts.DateReport]) -> set[int]:
    """Ids of other series' requested dates that compete with these dates."""
    return {
        issue.occurrence_id
        for report in reports
        for issue in report.issues
        if issue.kind == conflicts.IssueKind.PENDING and issue.occurrence_id
    }


def _batch_clashes(rows: Sequence[Occurrence], skip: set[int]) -> set[int]:
    """Dates of this very batch that want a unit another date of the batch already took."""
    claims = blocks.claims(rows)
    taken: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    clashing: set[int] = set()
    for row in sorted(rows, key=lambda r: (r.starts_at, r.pk)):
        if row.pk in skip:
            continue
        mine = claims[row.pk]
        if any(
            conflicts.overlapping([(s, e)], taken[unit])[0] for unit, s, e in mine if taken[unit]
        ):
            clashing.add(row.pk)
            continue
        for unit, s, e in mine:
            taken[unit].append((s, e))
    return clashing


# --- transitions ------------------------------------------------------------------------------


def confirm(
    *,
    user: User | None,
    rows: Sequence[Occurrence],
    reason: str,
    tz: tzinfo,
    skip_clashing: bool,
    competitors: Sequence[Occurrence] = (),
    extra_fields: Sequence[str] = (),
    reports: dict[int, conflicts.DateReport] | None = None,
) -> ConfirmResult:
    """Confirm these dates (rows and rooms locked) and hold their rooms.

    A date that something refuses (a booking, a closure, a holiday, the past, the room's size)
    or that another date of this batch takes first either raises BookingConflict or, with
    skip_clashing, stays requested. Locked `competitors` (other series' requested dates) that
    compete with a winner are declined with a reason naming it.
    """
    result = ConfirmResult()
    if not rows:
        return result
    if reports is None:
        reports = reports_for(rows, now=timezone.now())
    refused = {pk for pk, report in reports.items() if report.hard}
    refused |= _batch_clashes(rows, refused)
    losers = [r for r in rows if r.pk in refused]
    winners = [r for r in rows if r.pk not in refused]
    if losers and not skip_clashing:
        raise BookingConflict([r.starts_at for r in losers], tz=tz)
    for row in winners:
        row.state = OccurrenceState.CONFIRMED
        row.reason = ""
        row.cause = ""
        row.closure = None
        row.prior_state = ""
    save_rows(
        winners,
        ["state", "reason", "cause", "closure", "prior_state", *extra_fields],
        user=user,
        reason=reason or N_("confirmed"),
    )
    blocks.write(winners, tz=tz)
    result.confirmed = winners
    result.left_requested = losers
    result.declined_competitors = _decline_competitors(
        user=user, winners=winners, reports=reports, competitors=competitors
    )
    return result


def _decline_competitors(
    *,
    user: User | None,
    winners: Sequence[Occurrence],
    reports: dict[int, conflicts.DateReport],
    competitors: Sequence[Occurrence],
) -> list[Occurrence]:
    """Decline the locked competitors that collide with a winner, naming the winner."""
    locked = {c.pk: c for c in competitors if c.state == OccurrenceState.REQUESTED}
    winner_ids = {w.pk for w in winners}
    by_loser: dict[int, Occurrence] = {}
    for winner in winners:
        for issue in reports[winner.pk].issues:
            loser = issue.occurrence_id
            pending = issue.kind == conflicts.IssueKind.PENDING
            if pending and loser in locked and loser not in winner_ids:
                by_loser.setdefault(loser, winner)
    losers = [locked[pk] for pk in sorted(by_loser)]
    for loser in losers:
        winner = by_loser[loser.pk]
        reason = _("overlaps with %(group)s, confirmed for %(room)s") % {
            "group": winner.series.display_title,
            "room": winner.room.name,
        }
        decline(user=user, rows=[loser], reason=reason, cause=Cause.CONFLICT)
    return losers


def decline(
    *, user: User | None, rows: Sequence[Occurrence], reason: str, cause: str = Cause.STAFF
) -> None:
    """Requested dates that will not take place: declined with a reason the group reads."""
    for row in rows:
        row.state = OccurrenceState.DECLINED
        row.reason = reason[:300]
        row.cause = cause
    save_rows(rows, ["state", "reason", "cause"], user=user, reason=reason)


def cancel(
    *,
    user: User | None,
    rows: Sequence[Occurrence],
    reason: str,
    cause: str,
    closure: Closure | None = None,
) -> None:
    """Requested or confirmed dates that will not take place; their rooms are released.

    The state before is kept, so that a date can be reinstated as it was.
    """
    for row in rows:
        if row.state in ACTIVE_STATES:
            row.prior_state = row.state
        row.state = OccurrenceState.CANCELLED
        row.reason = reason[:300]
        row.cause = cause
        row.closure = closure
    blocks.remove(rows)
    save_rows(
        rows, ["state", "reason", "cause", "closure", "prior_state"], user=user, reason=reason
    )


def move(
    *,
    user: User | None,
    row: Occurrence,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    keep_confirmed: bool,
    tz: tzinfo,
) -> conflicts.DateReport:
    """Put one date (locked, in locked rooms) at another room and/or time.

    Refused or skipped at the new place: BookingConflict, nothing changes. A confirmed date
    stays confirmed when `keep_confirmed` (staff decided, or nothing needs a decision);
    otherwise it becomes a request again and its old place is released.
    """
    target = Occurrence(
        pk=row.pk,
        series=row.series,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        original_start=row.original_start,
        state=row.state,
    )
    report = reports_for([target], now=timezone.now())[row.pk]
    if any(i.kind == conflicts.IssueKind.BOOKED for i in report.hard):
        raise BookingConflict([starts_at], tz=tz, reasons=[i.message for i in report.hard])
    if report.hard:
        raise ValidationError({"starts_at": [i.message for i in report.hard]})
    was_confirmed = row.state == OccurrenceState.CONFIRMED
    row.room, row.starts_at, row.ends_at = room, starts_at, ends_at
    blocks.remove([row])
    if was_confirmed and keep_confirmed:
        row.state = OccurrenceState.REQUESTED  # confirm() writes it back with the new blocks
        confirm(
            user=user,
            rows=[row],
            reason=reason,
            tz=tz,
            skip_clashing=False,
            extra_fields=["room", "starts_at", "ends_at"],
            reports={row.pk: report},
        )
    else:
        row.state = OccurrenceState.REQUESTED
        save_rows([row], ["room", "starts_at", "ends_at", "state"], user=user, reason=reason)
    return report


def reinstate(
    *,
    user: User | None,
    rows: Sequence[Occurrence],
    reason: str,
    tz: tzinfo,
    approved: dict[int, bool] | None = None,
) -> ReinstateResult:
    """Cancelled dates take place again where nothing stands in their way now.

    A date that was confirmed is confirmed again; one that was requested is requested again
    (and confirmed at once if the policy allows). Dates refused by the policy stay cancelled and
    are reported with the reasons.
    """
    result = ReinstateResult(rows={r.pk: r for r in rows})
    if not rows:
        return result
    reports = reports_for(rows, now=timezone.now())
    back: list[Occurrence] = []
    for row in rows:
        report = reports[row.pk]
        if report.hard:
            result.refused[row.pk] = [i.message for i in report.hard]
        else:
            back.append(row)
    to_confirm, to_request = [], []
    for row in back:
        was_confirmed = row.prior_state == OccurrenceState.CONFIRMED
        approved_series = (approved or {}).get(row.series_id, False)
        if was_confirmed or reports[row.pk].confirms_at_once(approved_series=approved_series):
            to_confirm.append(row)
        else:
            to_request.append(row)
    for row in back:
        row.state = OccurrenceState.REQUESTED
        row.reason = ""
        row.cause = ""
        row.closure = None
        row.prior_state = ""
    save_rows(
        to_request, ["state", "reason", "cause", "closure", "prior_state"], user=user, reason=reason
    )
    confirmed = confirm(
        user=user,
        rows=to_confirm,
        reason=reason,
        tz=tz,
        skip_clashing=True,
        reports={r.pk: reports[r.pk] for r in to_confirm},
    )
    for row in confirmed.left_requested:  # taken by another date of this batch
        save_rows(
            [row], ["state", "reason", "cause", "closure", "prior_state"], user=user, reason=reason
        )
    result.reinstated = back
    return result


# --- after every change -----------------------------------------------------------------------


def touch(series_ids: Iterable[int], *, user: User | None, reason: str = "") -> None:
    """After changing dates of these series (still in the transaction, series locked): their
    status and version, the centers' plan version, and the mirror sync after the commit."""
    ids = sorted(set(series_ids))
    if not ids:
        return
    refresh_status(ids, user=user, reason=reason)
    Series.objects.filter(pk__in=ids).update(version=F("version") + 1)
    plan_changed(Series.objects.filter(pk__in=ids).values_list("group__center_id", flat=True))
    scheduler.sync_after_commit(ids)


def refresh_status(series_ids: Iterable[int], *, user: User | None, reason: str = "") -> None:
    """Recompute the status of these series from their dates (one query for all of them)."""
    ids = set(series_ids)
    if not ids:
        return
    counts = {
        row["pk"]: row
        for row in Series.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(
            requested=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.REQUESTED)),
            confirmed=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.CONFIRMED)),
            declined=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.DECLINED)),
            cancelled=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.CANCELLED)),
        )
    }
    for series in Series.objects.filter(pk__in=ids):
        row = counts[series.pk]
        status = status_from(
            series.status, row["requested"], row["confirmed"], row["declined"], row["cancelled"]
        )
        if status != series.status:
            series.status = status
            mark(series, user=user, reason=reason)
            series.save(update_fields=["status", "updated_at"])


def status_from(current: str, requested: int, confirmed: int, declined: int, cancelled: int) -> str:
    """A series' status from how many of its dates are in each state."""
    if current == SeriesStatus.WITHDRAWN:
        return current
    if confirmed and (requested or declined):
        return SeriesStatus.PARTLY_CONFIRMED
    if confirmed:
        return SeriesStatus.CONFIRMED
    if requested:
        return SeriesStatus.PENDING
    if declined:
        return SeriesStatus.DECLINED
    if cancelled:
        return SeriesStatus.CANCELLED
    return current


def buffer_margin(rooms: Iterable[Room]) -> timedelta:
    return timedelta(minutes=max((r.setup_minutes + r.cleanup_minutes for r in rooms), default=0))
