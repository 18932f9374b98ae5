"""Changing a running series: another rule from a date on, an earlier end, deletion."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import User
from centers.models import Closure
from config.forms import date_in_range, date_range_message
from notifications.outbox import enqueue

from .. import recurrence
from ..errors import Messages, StaleEdit
from ..locking import in_transaction, lock, rooms_of_series
from ..models import Cause, EarlierRule, Frequency, Occurrence, OccurrenceState, Series
from ..permissions import can_book_for_group
from ..recurrence import RecurrenceRule
from . import blocks, plans, transitions
from .requests import CLOSED_STATES, RULE_FIELDS, _slots, horizon_for, rule_errors, set_rule
from .transitions import center_today, mark


def _last_date(series: Series) -> date | None:
    """The last date the series has (rows or rule); None for an open-ended series."""
    if series.is_open_ended:
        return None
    last = series.occurrences.order_by("-original_start").values_list("original_start", flat=True)
    found = [d.astimezone(series.group.center.tz).date() for d in last[:1]]
    rule_end = series.until if series.frequency != Frequency.ONCE else series.start_date
    candidates = [d for d in (*found, rule_end) if d is not None]
    return max(candidates) if candidates else None


def series_update(
    *,
    user: User,
    series: Series,
    from_date: date,
    rule: RecurrenceRule,
    reason: str = "",
    expected_version: int | None = None,
) -> Series:
    """Change the rule from `from_date` on, keeping each date's own exceptions.

    Dates before from_date are untouched. A date staff or the group moved stays where it was
    put, even when the new rule no longer has its day; a cancelled or declined date stays so.
    A plain date the new rule still has takes the new times (a new decision where the policy
    needs one); a plain date it drops is removed (requested) or cancelled (confirmed). New
    dates go through the policy like any request.
    """
    if not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    center = series.group.center
    today = center_today(center)
    errors = rule_errors(rule)
    if not date_in_range(from_date):
        errors["from_date"] = date_range_message()
    elif from_date < today:
        errors["from_date"] = str(Messages.FROM_DATE_PAST)
    else:
        last = _last_date(series)
        if last is not None and from_date > last:
            errors["from_date"] = str(Messages.FROM_DATE_AFTER_END) % {"date": _short_date(last)}
    if series.status in CLOSED_STATES:
        errors["series"] = str(Messages.SERIES_CLOSED)
    if errors:
        raise ValidationError(errors)
    updated = _update(
        user=user,
        series_id=series.pk,
        from_date=from_date,
        rule=rule,
        reason=reason or _("series changed from %(date)s") % {"date": _short_date(from_date)},
        expected_version=expected_version,
    )
    updated.refresh_from_db()  # after the commit: with its django-scheduler mirror
    return updated


def _short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@in_transaction
def _update(
    *,
    user: User,
    series_id: int,
    from_date: date,
    rule: RecurrenceRule,
    reason: str,
    expected_version: int | None,
) -> Series:
    rooms = rooms_of_series([series_id])
    locked = lock(rooms=rooms, series=[series_id], all_rows_of_series=True)
    series = locked.series[0]
    if expected_version is not None and series.version != expected_version:
        raise StaleEdit(current=series.version)
    if series.status in CLOSED_STATES:
        raise ValidationError({"series": str(Messages.SERIES_CLOSED)})
    center = series.group.center
    tz = center.tz
    today = center_today(center)
    old_rule = series.rule
    through = max(horizon_for(center, max(today, from_date)), series.materialised_until or today)
    if rule.start_date < from_date:
        before = [d for d in recurrence.local_dates(rule, through=from_date) if d < from_date]
        old_before = [
            d for d in recurrence.local_dates(old_rule, through=from_date) if d < from_date
        ]
        same_times = (rule.start_time, rule.end_time) == (old_rule.start_time, old_rule.end_time)
        if before != old_before or not same_times:
            # The stored rule describes the dates from from_date on; earlier rows stay as they
            # are (and appear in the mirror as single dates). Its times apply to every date it
            # produces, so a change of time alone counts too (else the mirror shows the earlier
            # dates twice). It starts on its first date from then on, so that "every second
            # week" stays in step, and a number of dates counts the earlier ones already held.
            later = [d for d in recurrence.local_dates(rule, through=through) if d >= from_date]
            count = None if rule.count is None else max(rule.count - len(old_before), 1)
            rule = rule.with_changes(start_date=later[0] if later else from_date, count=count)
    _keep_earlier_rule(series, old_rule, rule, from_date)
    new_slots = {
        s.starts_at.astimezone(tz).date(): s
        for s in _slots(rule, tz, through=through)
        if s.starts_at.astimezone(tz).date() >= from_date
    }
    rows = [r for r in locked.rows if r.original_start.astimezone(tz).date() >= from_date]
    kept_days: set[date] = set()
    retimed: list[Occurrence] = []
    dropped_confirmed: list[Occurrence] = []
    dropped_requested: list[Occurrence] = []
    rekeyed: list[Occurrence] = []
    for row in rows:
        day = row.original_start.astimezone(tz).date()
        slot = new_slots.get(day)
        dead = row.state in transitions.DEAD_STATES
        if row.is_moved and not dead:
            # Moved on purpose: it stays where it was put, whatever the new rule says. If the
            # new rule still has its day, it stays that date of the series: re-key it (as the
            # cancelled ones below), else the mirror shows the rule's date beside it.
            kept_days.add(day)
            if slot is not None and row.original_start != slot.original_start:
                row.original_start = slot.original_start
                rekeyed.append(row)
            continue
        if slot is None:
            if row.state == OccurrenceState.CONFIRMED:
                dropped_confirmed.append(row)
            elif row.state == OccurrenceState.REQUESTED:
                dropped_requested.append(row)
            continue  # cancelled/declined rows outside the new rule stay as history
        kept_days.add(day)
        if dead:
            if row.original_start != slot.original_start:
                # Still the same date of the series: re-key it so feeds and mirror agree.
                row.original_start = slot.original_start
                row.starts_at, row.ends_at = slot.starts_at, slot.ends_at
                rekeyed.append(row)
            continue
        if (row.starts_at, row.ends_at) != (slot.starts_at, slot.ends_at):
            row.original_start, row.starts_at, row.ends_at = (
                slot.original_start,
                slot.starts_at,
                slot.ends_at,
            )
            retimed.append(row)
    transitions.save_rows(
        rekeyed, ["original_start", "starts_at", "ends_at"], user=user, reason=reason
    )
    transitions.cancel(user=user, rows=dropped_confirmed, reason=reason, cause=Cause.RULE)
    for row in dropped_requested:
        mark(row, user=user, reason=reason)
        row.delete()  # one by one, so the history records who removed it and why

    set_rule(series, rule)
    series.materialised_until = through
    series.sequence += 1
    mark(series, user=user, reason=reason)
    series.save(update_fields=[*RULE_FIELDS, "materialised_until", "sequence", "updated_at"])

    # Dates at new times, and new dates: through the policy, like any request.
    blocks.remove(retimed)
    planned = plans.plan(
        room=series.room,
        slots=[transitions.slot_of(r) for r in retimed],
        expected_participants=series.expected_participants,
        equipment=list(series.equipment_needed.all()),
        ignore_series_id=series.pk,
        now=timezone.now(),
        policy=series.holiday_policy,
    )
    for row, item in zip(retimed, planned, strict=True):
        row.room = item.room
        row.state = OccurrenceState.REQUESTED
    transitions.save_rows(
        retimed,
        ["original_start", "starts_at", "ends_at", "room", "state"],
        user=user,
        reason=reason,
    )
    skipped = [r for r, p in zip(retimed, planned, strict=True) if p.is_skipped]
    for row, item in zip(retimed, planned, strict=True):
        if item.is_skipped:
            cause, closure_id = plans.skip_cause(item.report)
            transitions.cancel(
                user=user,
                rows=[row],
                reason=plans.skip_reason(item.report),
                cause=cause,
                closure=None if closure_id is None else _closure(closure_id),
            )
    to_confirm = [
        r
        for r, p in zip(retimed, planned, strict=True)
        if not p.is_skipped and p.report.confirms_at_once()
    ]
    fresh_slots = [s for day, s in sorted(new_slots.items()) if day not in kept_days]
    fresh_plan = plans.plan(
        room=series.room,
        slots=fresh_slots,
        expected_participants=series.expected_participants,
        equipment=list(series.equipment_needed.all()),
        ignore_series_id=series.pk,
        now=timezone.now(),
        policy=series.holiday_policy,
    )
    fresh_plan = [p for p in fresh_plan if p.starts_at >= timezone.now()]
    new_rows, fine = plans.create_rows(user=user, series=series, planned=fresh_plan, reason=reason)
    transitions.confirm(
        user=user,
        rows=to_confirm + fine,
        reason=N_("confirmed automatically"),
        tz=tz,
        skip_clashing=True,
    )
    transitions.touch([series.pk], user=user, reason=reason)
    series.refresh_from_db()
    waiting = [
        r.pk
        for r in Occurrence.objects.filter(
            pk__in=[r.pk for r in (*retimed, *new_rows)], state=OccurrenceState.REQUESTED
        )
    ]
    if waiting:
        enqueue(
            event="request_received", series_id=series.pk, occurrence_ids=waiting, actor_id=user.pk
        )
    gone = [r.pk for r in dropped_confirmed] + [r.pk for r in skipped]
    if gone:
        enqueue(
            event="date_cancelled",
            series_id=series.pk,
            occurrence_ids=gone,
            actor_id=user.pk,
            reason=reason,
        )
    return series


def _keep_earlier_rule(
    series: Series, old_rule: RecurrenceRule, rule: RecurrenceRule, from_date: date
) -> None:
    """Record the rule that made the dates before `from_date`, when the stored rule no longer
    does (feeds show each rule as its own calendar object). Earlier records lose what now
    belongs to the new rule: cut at `from_date`, or dropped when they start on or after it."""
    for earlier in series.earlier_rules.filter(ends_before__gt=from_date):
        if earlier.as_rule.start_date < from_date:
            earlier.ends_before = from_date
            earlier.save(update_fields=["ends_before"])
        else:
            earlier.delete()
    if old_rule.start_date >= from_date:
        return
    old_before = [d for d in recurrence.local_dates(old_rule, through=from_date) if d < from_date]
    if not old_before:
        return
    new_before = (
        [d for d in recurrence.local_dates(rule, through=from_date) if d < from_date]
        if rule.start_date < from_date
        else []
    )
    same_times = (rule.start_time, rule.end_time) == (old_rule.start_time, old_rule.end_time)
    if new_before == old_before and same_times:
        return  # the new rule still says the same about the earlier dates
    EarlierRule.objects.get_or_create(
        series=series,
        ends_before=from_date,
        defaults={"rule": recurrence.rule_to_json(old_rule)},
    )


def _closure(pk: int) -> Closure | None:
    return Closure.objects.filter(pk=pk).first()


def series_end(
    *,
    user: User,
    series: Series,
    last_date: date,
    reason: str = "",
    expected_version: int | None = None,
    nothing_to_end_is_an_error: bool = False,
) -> Series:
    """End a series after `last_date`: later dates are removed (requested) or cancelled.

    When no date lies after `last_date` the series already ends there: jobs (terms, planning)
    take that as done, a person who asked for it is told (`nothing_to_end_is_an_error`)."""
    if not date_in_range(last_date):
        raise ValidationError({"last_date": date_range_message()})
    if last_date < series.start_date:
        raise ValidationError({"last_date": str(Messages.LAST_DATE_BEFORE_START)})
    rule = series.rule.with_changes(until=last_date, count=None)
    if series.frequency == Frequency.ONCE:
        rule = rule.with_changes(until=None)
    today = center_today(series.group.center)
    from_date = max(last_date + timedelta(days=1), today)
    last = _last_date(series)
    if last is not None and from_date > last:
        if nothing_to_end_is_an_error and last_date >= last:
            raise ValidationError(
                {
                    "last_date": _(
                        "The series already ends on %(date)s: no date after the one you gave."
                    )
                    % {"date": _short_date(last)}
                }
            )
        return series  # nothing after that date: the series already ends there
    return series_update(
        user=user,
        series=series,
        from_date=from_date,
        rule=rule,
        reason=reason or _("series ends on %(date)s") % {"date": _short_date(last_date)},
        expected_version=expected_version,
    )


def series_delete(*, user: User, series: Series) -> None:
    """Remove a series with its dates and its mirror (superusers in the admin only)."""
    if not (user.is_active and user.is_superuser):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    _delete(series_id=series.pk, user=user)


@in_transaction
def _delete(*, series_id: int, user: User) -> None:
    from ..stamps import plan_changed

    locked = lock(rooms=rooms_of_series([series_id]), series=[series_id], all_rows_of_series=True)
    if not locked.series:
        return
    series = locked.series[0]
    blocks.remove(locked.rows)
    event = series.event
    center_id = series.group.center_id
    mark(series, user=user, reason=N_("deleted"))
    series.delete()
    if event is not None:
        event.occurrence_set.all().delete()
        rule = event.rule
        event.delete()
        if rule is not None:
            rule.delete()
    plan_changed([center_id])
