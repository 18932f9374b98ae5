"""School holidays and the holiday policy of a series, applied to the dates.

Importing a state's school holidays (or a corrected file) skips the coming dates of every
series that pauses in them, and brings back the dates a correction releases — the pattern of
`closures.py`, for every center of the state at once. Changing a series' holiday policy applies
the same rule to that series. Both go through the row transitions (history, room blocks, plan
version, mirror) and tell each series' leaders once.

What stands in a date's way is the conflict core's business: a date is skipped here exactly
when `conflicts.classify` reports a public or school holiday under the series' policy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from centers.holidays import public_holidays
from centers.models import Center, Closure, FederalState, SchoolHoliday
from centers.permissions import can_manage_center, managed_centers
from centers.school_holidays import Period, days_of
from notifications import events, outbox
from notifications.models import Kind
from notifications.outbox import event_key, messages_queue, series_state

from ..errors import Messages, StaleEdit
from ..locking import LockSetChanged, in_transaction, lock, rooms_of, rooms_of_series
from ..models import Cause, Occurrence, OccurrenceState, Series, SeriesStatus
from ..permissions import can_book_for_group
from ..policy import IssueKind
from ..stamps import plan_changed_later
from . import plans, transitions
from .transitions import ACTIVE_STATES, mark

HOLIDAY_KINDS = frozenset({IssueKind.HOLIDAY, IssueKind.SCHOOL_HOLIDAY})
HOLIDAY_CAUSES = frozenset({Cause.HOLIDAY, Cause.SCHOOL_HOLIDAY})


@dataclass
class HolidayChange:
    """What an import or a policy change did: periods written, dates skipped and back."""

    added: list[SchoolHoliday] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # names of the periods replaced
    kept: int = 0
    cancelled: list[Occurrence] = field(default_factory=list)
    reinstated: list[Occurrence] = field(default_factory=list)
    not_reinstated: dict[int, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def can_import_school_holidays(user: User | None, state: str) -> bool:
    """Superusers, and staff of a center in that state (the periods are facts of the state)."""
    if user is None:
        return True  # the management command
    return managed_centers(user).filter(federal_state=state).exists()


def school_holidays_import(
    *,
    user: User | None,
    state: str,
    periods: Sequence[Period],
    source: str = "",
    sample: bool = False,
) -> HolidayChange:
    """Make `periods` the state's school holidays from their first to their last day.

    Periods of the state within that span (or of the same name or UID: a corrected period)
    that the file does not have are removed, identical ones kept, new or corrected ones
    written. Coming dates of series that pause in school
    holidays are then skipped where a period now covers them, and brought back where a
    corrected or removed period released them (where they are still free).
    """
    if state not in FederalState.values:
        raise ValidationError({"state": _("Choose a federal state.")})
    if not can_import_school_holidays(user, state):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    if not periods:
        raise ValidationError({"file": _("The file contains no holiday periods.")})
    return _import(
        user=user, state=state, periods=list(periods), source=source[:500], sample=sample
    )


def _covered(rows: Iterable[tuple[str, date, date]]) -> dict[date, str]:
    periods = [Period(name, first, last) for name, first, last in rows]
    if not periods:
        return {}
    first = min(p.first_day for p in periods)
    last = max(p.last_day for p in periods)
    return days_of(periods, first, last)


def _replaced(state: str, periods: list[Period]):  # -> QuerySet[SchoolHoliday]
    """The state's periods the file stands for: those between its first and last day, and
    those of the same name or UID (a file correcting one period may move it anywhere)."""
    first = min(p.first_day for p in periods)
    last = max(p.last_day for p in periods)
    same = Q(name__in=[p.name for p in periods])
    uids = [p.uid for p in periods if p.uid]
    if uids:
        same |= Q(uid__in=uids)
    return SchoolHoliday.objects.filter(
        Q(first_day__lte=last, last_day__gte=first) | same, state=state
    ).order_by("pk")


def _plan_import(
    state: str, periods: list[Period]
) -> tuple[list[SchoolHoliday], dict[tuple, Period], set[date]]:
    """The state's periods the file replaces, the file's periods, and the days that change."""
    old = list(_replaced(state, periods))
    wanted = {(p.name, p.first_day, p.last_day): p for p in periods}
    before = _covered((h.name, h.first_day, h.last_day) for h in old)
    after = _covered(wanted)
    touched = {day for day in before.keys() | after.keys() if before.get(day) != after.get(day)}
    return old, wanted, touched


@in_transaction
def _import(
    *, user: User | None, state: str, periods: list[Period], source: str, sample: bool
) -> HolidayChange:
    old, wanted, touched = _plan_import(state, periods)
    ids = _dates_on(state=state, days=touched) if touched else []
    locked = lock(rooms=rooms_of(ids), series=_series_of(ids), rows=ids)
    # Under the locks: a parallel import may have changed the periods since we read them.
    current = list(_replaced(state, periods).select_for_update())
    if [h.pk for h in current] != [h.pk for h in old]:
        raise LockSetChanged
    present = {(h.name, h.first_day, h.last_day): h for h in current}
    change = HolidayChange(kept=len(set(wanted) & set(present)))
    gone = [h for key, h in present.items() if key not in wanted]
    SchoolHoliday.objects.filter(pk__in=[h.pk for h in gone]).delete()
    change.removed = [h.name for h in gone]
    change.added = SchoolHoliday.objects.bulk_create(
        SchoolHoliday(
            state=state,
            name=p.name,
            first_day=p.first_day,
            last_day=p.last_day,
            uid=p.uid,
            source=source,
            is_sample=sample,
        )
        for key, p in wanted.items()
        if key not in present
    )
    if change.changed and locked.rows:
        _apply_locked(
            user=user,
            rows=locked.rows,
            change=change,
            reason=_("school holidays changed"),
            causes={Cause.SCHOOL_HOLIDAY},
        )
    return change


def _dates_on(*, state: str, days: set[date]) -> list[int]:
    """Coming dates of pausing series in centers of the state on these local days: active
    ones (a period may now cover them) and those skipped for school holidays."""
    lo = datetime.combine(min(days) - timedelta(days=1), time.min, tzinfo=UTC)
    hi = datetime.combine(max(days) + timedelta(days=2), time.min, tzinfo=UTC)
    rows = (
        Occurrence.objects.filter(
            series__pauses_in_school_holidays=True,
            series__group__center__federal_state=state,
            starts_at__gte=max(lo, timezone.now()),
            starts_at__lt=hi,
        )
        .filter(
            Q(state__in=ACTIVE_STATES)
            | Q(state=OccurrenceState.CANCELLED, cause=Cause.SCHOOL_HOLIDAY)
        )
        .values_list("pk", "starts_at", "series__group__center__time_zone")
    )
    return [pk for pk, start, zone in rows if start.astimezone(ZoneInfo(zone)).date() in days]


def _series_of(ids: Sequence[int]) -> set[int]:
    return set(Occurrence.objects.filter(pk__in=list(ids)).values_list("series_id", flat=True))


def _apply_locked(
    *,
    user: User | None,
    rows: Sequence[Occurrence],
    change: HolidayChange,
    reason: str,
    causes: set[str],
) -> None:
    now = timezone.now()
    rows = [r for r in rows if r.starts_at >= now]
    if not rows:
        return
    reports = transitions.reports_for(rows, now=now)
    skip: list[Occurrence] = []
    back: list[Occurrence] = []
    renamed: list[Occurrence] = []
    for row in rows:
        report = reports[row.pk]
        on_holiday = any(i.kind in HOLIDAY_KINDS for i in report.skipped)
        if row.state in ACTIVE_STATES and on_holiday:
            skip.append(row)
        elif row.state == OccurrenceState.CANCELLED and row.cause in causes:
            if not on_holiday:
                back.append(row)
            elif plans.skip_reason(report) != row.reason:
                renamed.append(row)  # a corrected period's new name
    for row in skip:
        cause, closure_id = plans.skip_cause(reports[row.pk])
        transitions.cancel(
            user=user,
            rows=[row],
            reason=plans.skip_reason(reports[row.pk]),
            cause=cause,
            closure=Closure.objects.filter(pk=closure_id).first() if closure_id else None,
        )
    for row in renamed:
        row.reason = plans.skip_reason(reports[row.pk])
    transitions.save_rows(renamed, ["reason"], user=user, reason=reason)
    change.cancelled += skip
    _bring_back(user=user, rows=back, change=change, reason=reason)
    series_ids = {r.series_id for r in (*skip, *back, *renamed)}
    transitions.touch(series_ids, user=user, reason=reason)
    _tell(user=user, skipped=skip, back=back, refused=change.not_reinstated)


def _bring_back(
    *, user: User | None, rows: Sequence[Occurrence], change: HolidayChange, reason: str
) -> None:
    """Reinstate released dates; those something else refuses now stay cancelled, with that
    reason and cause (a closure takes them over, so that its end brings them back)."""
    if not rows:
        return
    approved = {
        r.series_id: r.series.status in (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
        for r in rows
    }
    tz = rows[0].series.group.center.tz
    result = transitions.reinstate(user=user, rows=rows, reason=reason, tz=tz, approved=approved)
    change.reinstated += result.reinstated
    change.not_reinstated.update(result.refused)
    refused = [r for r in rows if r.pk in result.refused]
    if not refused:
        return
    reports = transitions.reports_for(refused, now=timezone.now())
    for row in refused:
        report = reports[row.pk]
        if report.is_skipped:
            row.cause, closure_id = plans.skip_cause(report)
            row.closure_id = closure_id
        else:
            row.cause = Cause.CONFLICT
        row.reason = "; ".join(result.refused[row.pk])[:300]
    transitions.save_rows(refused, ["cause", "closure", "reason"], user=user, reason=reason)


def _tell(
    *,
    user: User | None,
    skipped: Sequence[Occurrence],
    back: Sequence[Occurrence],
    refused: dict[int, list[str]],
) -> None:
    """One e-mail per series to its leaders: the dates skipped, back, and not back."""
    if outbox.is_suppressed():  # demo data, bulk work: enqueue() checks it, messages_queue() not
        return
    by_series: dict[int, list[Occurrence]] = defaultdict(list)
    for row in (*skipped, *back):
        by_series[row.series_id].append(row)
    for rows in by_series.values():
        series = rows[0].series
        leaders = series.group.leaders.filter(is_active=True, email_notifications=True).exclude(
            email=""
        )
        if user is not None:
            leaders = leaders.exclude(pk=user.pk)
        skipped_here = [r for r in rows if r in skipped]
        back_here = [r for r in rows if r in back and r.pk not in refused]
        kept_off = [r for r in rows if r in back and r.pk in refused]
        messages_queue(
            kind=Kind.HOLIDAYS_CHANGED,
            event_key=event_key(Kind.HOLIDAYS_CHANGED, series_state(series, rows)),
            recipients=leaders.order_by("pk"),
            payload=events.holidays_changed_payload(
                series_id=series.pk, skipped=skipped_here, back=back_here, not_back=kept_off
            ),
            center_id=series.group.center_id,
            series_id=series.pk,
        )


# --- the policy of one series -------------------------------------------------------------------


def series_holiday_policy_update(
    *,
    user: User,
    series: Series,
    meets_on_public_holidays: bool,
    pauses_in_school_holidays: bool,
    expected_version: int | None = None,
) -> HolidayChange:
    """Change what a series does on holidays; its coming dates follow at once (skipped where a
    holiday now stands in their way, back where none does any more)."""
    if not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    return _policy_update(
        user=user,
        series_id=series.pk,
        meets=meets_on_public_holidays,
        pauses=pauses_in_school_holidays,
        expected_version=expected_version,
    )


@in_transaction
def _policy_update(
    *, user: User, series_id: int, meets: bool, pauses: bool, expected_version: int | None
) -> HolidayChange:
    locked = lock(
        rooms=rooms_of_series([series_id]),
        series=[series_id],
        all_rows_of_series=True,
        row_states=[*ACTIVE_STATES, OccurrenceState.CANCELLED],
    )
    series = locked.series[0]
    if expected_version is not None and series.version != expected_version:
        raise StaleEdit(current=series.version)
    change = HolidayChange()
    if (series.meets_on_public_holidays, series.pauses_in_school_holidays) == (meets, pauses):
        return change
    series.meets_on_public_holidays = meets
    series.pauses_in_school_holidays = pauses
    reason = _("holiday policy changed")
    mark(series, user=user, reason=reason)
    series.save(update_fields=["meets_on_public_holidays", "pauses_in_school_holidays"])
    for row in locked.rows:
        row.series = series  # the check reads the new policy from here
    rows = [
        r
        for r in locked.rows
        if r.state in ACTIVE_STATES
        or (r.state == OccurrenceState.CANCELLED and r.cause in HOLIDAY_CAUSES)
    ]
    _apply_locked(user=user, rows=rows, change=change, reason=reason, causes=set(HOLIDAY_CAUSES))
    transitions.touch([series.pk], user=user, reason=reason)
    return change


# --- whether a center is open on public holidays -------------------------------------------------


def center_holiday_opening_update(
    *, user: User, center: Center, open_on_public_holidays: bool
) -> HolidayChange:
    """Say whether the center is open on public holidays. Series that meet on them keep (or
    get back) their dates on public holidays only where it is; the others skip them anyway."""
    if not can_manage_center(user, center):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    return _opening_update(user=user, center_id=center.pk, is_open=open_on_public_holidays)


@in_transaction
def _opening_update(*, user: User, center_id: int, is_open: bool) -> HolidayChange:
    center = Center.objects.get(pk=center_id)
    change = HolidayChange()
    if center.open_on_public_holidays == is_open:
        return change
    tz = center.tz
    rows = list(
        Occurrence.objects.filter(
            series__group__center=center,
            series__meets_on_public_holidays=True,
            starts_at__gte=timezone.now(),
        )
        .filter(
            Q(state__in=ACTIVE_STATES) | Q(state=OccurrenceState.CANCELLED, cause=Cause.HOLIDAY)
        )
        .values_list("pk", "starts_at")
    )
    ids: list[int] = []
    if rows:
        days = [start.astimezone(tz).date() for _pk, start in rows]
        holidays = public_holidays(center.federal_state, min(days), max(days))
        ids = [pk for (pk, _start), day in zip(rows, days, strict=True) if day in holidays]
    locked = lock(rooms=rooms_of(ids), series=_series_of(ids), rows=ids)
    Center.objects.filter(pk=center_id).update(open_on_public_holidays=is_open)
    plan_changed_later([center_id])  # .update() sends no signal (calendars.versions)
    _apply_locked(
        user=user,
        rows=locked.rows,
        change=change,
        reason=_("opening on public holidays changed"),
        causes={Cause.HOLIDAY},
    )
    return change
