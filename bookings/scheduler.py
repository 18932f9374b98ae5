"""The django-scheduler mirror: a calendar per group, an Event with a Rule per series.

Our rows (Occurrence) are the truth for conflicts and feeds; the mirror makes a group's schedule
a real django-scheduler calendar that says the same thing. Expanding the Event through
django-scheduler in the center's zone yields the same local dates and times as recurrence.py.
What a Rule cannot say is stored as persisted django-scheduler occurrences: cancelled and
declined dates (cancelled=True), moved dates, and dates the current rule does not produce
(extra dates, dates kept from before a series edit).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import OperationalError, connection, transaction
from schedule.models import Calendar, Event, Rule
from schedule.models import Occurrence as SchedulerOccurrence

from groups.models import Group

from . import recurrence
from .models import OccurrenceState, Series
from .recurrence import RecurrenceRule

logger = logging.getLogger(__name__)
_DEAD_STATES = (OccurrenceState.CANCELLED, OccurrenceState.DECLINED)


def group_calendar(group: Group) -> Calendar:
    """The group's calendar, created on first use (call inside a transaction)."""
    if group.calendar_id:
        return group.calendar
    # Lock the group so two first bookings do not both create a calendar.
    # NO KEY: the booking writers' foreign-key checks on the group must not wait for this.
    locked = Group.objects.select_for_update(no_key=True).get(pk=group.pk)
    if locked.calendar_id is None:
        locked.calendar = Calendar.objects.create(name=group.name[:200], slug=f"group-{group.pk}")
        locked.save(update_fields=["calendar"])
    group.calendar = locked.calendar
    return locked.calendar


def rule_params(rule: RecurrenceRule) -> tuple[str, str] | None:
    """The rule as django-scheduler (frequency, params); None for a single date.

    Weekdays are written as codes (MO, TH), never numbers: django-scheduler narrows a numeric
    byweekday list to the start date's weekday, which would turn "Tue and Thu" into "Tue".
    """
    parts = recurrence.rrule_parts(rule)
    if not parts:
        return None
    params = ["wkst:MO"]
    if rule.interval > 1:
        params.append(f"interval:{rule.interval}")
    if rule.frequency == "weekly":
        params.append("byweekday:" + ",".join(recurrence.weekday_codes(rule.effective_weekdays())))
    elif rule.frequency == "monthly" and rule.monthly_mode == "nth_weekday":
        weekday = recurrence.WEEKDAY_CODES[rule.effective_weekdays()[0]]
        params.append(f"byweekday:{weekday}")
        params.append(f"bysetpos:{rule.monthly_position}")
    elif rule.frequency == "monthly":
        params.append(f"bymonthday:{rule.monthly_day}")
    if rule.count is not None:
        params.append(f"count:{rule.count}")
    return str(parts["FREQ"]), ";".join(params)


def _event_times(rule: RecurrenceRule, tz) -> tuple[datetime, datetime, datetime | None]:
    """Event start/end (the rule's DTSTART in local time) and the end of the recurring period."""
    start = recurrence.localize(datetime.combine(rule.start_date, rule.start_time), tz)
    end = recurrence.localize(datetime.combine(rule.start_date, rule.end_time), tz)
    period_end = None
    if rule.until is not None and rule.frequency != "once":
        period_end = recurrence.localize(datetime.combine(rule.until, rule.end_time), tz)
    return start, end, period_end


def series_mirror(series: Series) -> Event:
    """Create or update the series' Event and Rule so they express the series' rule."""
    group = series.group
    calendar = group_calendar(group)
    rule = series.rule
    tz = group.center.tz
    start, end, period_end = _event_times(rule, tz)
    freq_params = rule_params(rule)
    event = series.event
    if event is None:
        event = Event(calendar=calendar, creator=series.created_by)
    scheduler_rule = event.rule
    if freq_params is None:
        if scheduler_rule is not None:
            event.rule = None
            scheduler_rule.delete()
    else:
        frequency, params = freq_params
        if scheduler_rule is None:
            scheduler_rule = Rule(name=f"series-{series.pk}"[:32])
        scheduler_rule.frequency = frequency
        scheduler_rule.params = params
        scheduler_rule.description = series.display_title
        scheduler_rule.save()
        event.rule = scheduler_rule
    event.calendar = calendar
    event.title = series.display_title[:255]
    event.start, event.end, event.end_recurring_period = start, end, period_end
    event.save()
    if series.event_id != event.pk:
        series.event = event
        series.save(update_fields=["event"])
    return event


def occurrences_mirror(series: Series) -> None:
    """Persist what the Rule cannot say (exceptions and extra dates) as scheduler occurrences.

    Rebuilt from our rows each time: a handful of queries per series, and never out of step.
    """
    event = series.event
    if event is None:
        return
    rows = list(series.occurrences.all())
    produced: set[datetime] = set()
    if rows:
        rule = series.rule.with_changes(extra_dates=())
        last = max(r.original_start for r in rows).astimezone(series.group.center.tz).date()
        produced = {
            s.original_start for s in recurrence.expand(rule, series.group.center.tz, through=last)
        }
    duration: timedelta = event.end - event.start
    persisted = []
    for row in rows:
        dead = row.state in _DEAD_STATES
        if not dead and row.original_start in produced and not row.is_moved:
            continue  # the Rule already says exactly this
        # A date the rule does not produce keys on its own start, so it is an "additional"
        # occurrence for django-scheduler rather than a replacement of a generated one.
        original_start = row.original_start
        persisted.append(
            SchedulerOccurrence(
                event=event,
                title=event.title,
                start=row.starts_at,
                end=row.ends_at,
                original_start=original_start,
                original_end=original_start + duration,
                cancelled=dead,
            )
        )
    SchedulerOccurrence.objects.filter(event=event).delete()
    SchedulerOccurrence.objects.bulk_create(persisted)


def series_sync(series: Series) -> None:
    """Bring the mirror of one series fully up to date (rule and per-date exceptions)."""
    series_mirror(series)
    occurrences_mirror(series)


SYNC_ATTEMPTS = 3


def _sync_one(series_id: int) -> None:
    with transaction.atomic():
        series = (
            Series.objects.select_related("group__center", "room", "event__rule")
            .filter(pk=series_id)
            .first()
        )
        if series is not None:
            series_sync(series)


def sync_now(series_ids: Iterable[int]) -> None:
    """Sync these series' mirrors, each in its own short transaction (idempotent). A busy
    database (SQLite's one writer, a lock timeout) is tried again a few times; what still
    fails is left to the periodic check, which repairs it."""
    for series_id in sorted(set(series_ids)):
        for attempt in range(1, SYNC_ATTEMPTS + 1):
            try:
                _sync_one(series_id)
                break
            except OperationalError:
                if attempt == SYNC_ATTEMPTS:
                    logger.exception("mirror sync of series %s failed: database busy", series_id)
                else:
                    time.sleep(0.2 * attempt)
            except Exception:
                logger.exception("django-scheduler mirror sync failed for series %s", series_id)
                break


@dataclass
class _Pending:
    """The series a transaction changed; synced once each when it commits."""

    ids: set[int] = field(default_factory=set)

    def flush(self) -> None:
        if getattr(connection, "_treffpunkt_mirror", None) is self:
            connection._treffpunkt_mirror = None  # type: ignore[attr-defined]
        sync_now(self.ids)


def sync_after_commit(series_ids: Iterable[int]) -> None:
    """Sync the mirror of these series once, after the current transaction commits.

    Every writer calls this (through `services.transitions.touch`); a series changed several
    times in one transaction is synced once. A rolled-back transaction syncs nothing.
    """
    ids = set(series_ids)
    if not ids:
        return
    if not connection.in_atomic_block:
        sync_now(ids)
        return
    pending = getattr(connection, "_treffpunkt_mirror", None)
    registered = pending is not None and any(
        entry[1] == pending.flush for entry in connection.run_on_commit
    )
    if not registered:
        pending = _Pending()
        connection._treffpunkt_mirror = pending  # type: ignore[attr-defined]
        transaction.on_commit(pending.flush)
    pending.ids |= ids


# --- drift check ------------------------------------------------------------------------------


def _checked_until(series: Series, end: datetime) -> datetime:
    """An open-ended rule goes on in the mirror; our rows only up to `materialised_until`."""
    if series.is_open_ended and series.materialised_until is not None:
        tz = series.group.center.tz
        limit = recurrence.localize(
            datetime.combine(series.materialised_until + timedelta(days=1), datetime.min.time()), tz
        )
        return min(end, limit)
    return end


def drift(series: Series, start: datetime, end: datetime) -> set[tuple]:
    """Dates on which the mirror (read through django-scheduler's own occurrence API) and the
    rows disagree: live dates must match exactly; a date the mirror shows as cancelled must
    be cancelled or declined here. (django-scheduler does not list cancelled dates its rule
    does not produce, so those cannot be compared.)"""
    end = _checked_until(series, end)
    if end <= start:
        return set()
    # django-scheduler expands a rule in the time zone of the window it is asked for: ask in
    # the center's zone, so that 18:00 stays 18:00 across DST (as recurrence.py expands it).
    tz = series.group.center.tz
    start, end = start.astimezone(tz), end.astimezone(tz)
    rows = list(series.occurrences.filter(starts_at__lt=end, ends_at__gt=start))
    live_rows = {(r.starts_at, r.ends_at) for r in rows if r.state not in _DEAD_STATES}
    dead_rows = {(r.starts_at, r.ends_at) for r in rows if r.state in _DEAD_STATES}
    mirrored = (
        [o for o in series.event.get_occurrences(start, end) if o.start < end and o.end > start]
        if series.event_id
        else []
    )
    live = {(o.start, o.end) for o in mirrored if not o.cancelled}
    dead = {(o.start, o.end) for o in mirrored if o.cancelled}
    return (live_rows ^ live) | (dead - dead_rows)


def mirror_check(*, start: datetime, end: datetime, repair: bool = True) -> dict[int, int]:
    """Compare every series' mirror with its rows in [start, end); repair and log drift.

    Returns {series id: number of differing dates} for the series that drifted.
    """
    drifted: dict[int, int] = {}
    for series in (
        Series.objects.select_related("group__center", "room", "event__rule")
        .filter(occurrences__starts_at__lt=end, occurrences__ends_at__gt=start)
        .distinct()
        .order_by("pk")
    ):
        difference = drift(series, start, end)
        if difference:
            drifted[series.pk] = len(difference)
            logger.warning(
                "django-scheduler mirror of series %s drifted on %s dates; %s",
                series.pk,
                len(difference),
                "repairing" if repair else "not repairing",
            )
            if repair:
                sync_now([series.pk])
    return drifted


def occurrences_for(series: Series, start: datetime, end: datetime) -> list[SchedulerOccurrence]:
    """django-scheduler's own expansion of the series between aware `start` and `end`."""
    return series.event.get_occurrences(start, end) if series.event_id else []
