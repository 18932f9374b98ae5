"""Requests and their rules: create a request, change or end a series, extend the horizon."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User
from centers.models import Equipment, Room
from groups.models import Group
from notifications.outbox import enqueue

from .. import recurrence, scheduler
from ..errors import Messages
from ..models import Frequency, Occurrence, OccurrenceState, Series, SeriesStatus
from ..permissions import can_book_for_group
from ..recurrence import RecurrenceRule, Slot
from ._core import (
    center_today,
    closed_reasons,
    horizon_for,
    lock_rooms,
    locked_occurrences,
    mark,
    place,
    refresh_status,
    remove_blocks,
)

Alternatives = Mapping[datetime, tuple[Room, datetime, datetime]]
RULE_FIELDS = (
    "start_date",
    "start_time",
    "end_time",
    "frequency",
    "interval",
    "weekdays",
    "monthly_mode",
    "monthly_position",
    "monthly_day",
    "until",
    "count",
    "extra_dates",
)


def _set_rule(series: Series, rule: RecurrenceRule) -> None:
    for name in RULE_FIELDS:
        value = getattr(rule, name)
        if name == "weekdays":
            value = list(value)
        elif name == "extra_dates":
            value = [d.isoformat() for d in value]
        elif name == "monthly_mode":
            value = value or ""
        setattr(series, name, value)


def _rule_errors(rule: RecurrenceRule) -> dict[str, str]:
    errors = dict(recurrence.validate(rule))
    if rule.frequency not in Frequency.values:
        errors.setdefault("frequency", _("Choose how often the booking repeats."))
    return errors


def _slots(rule: RecurrenceRule, tz, *, through: date, after: date | None = None) -> list[Slot]:
    slots = recurrence.expand(rule, tz, through=through)
    if after is not None:
        slots = [s for s in slots if s.starts_at.astimezone(tz).date() > after]
    return slots


def _new_rows(
    *,
    user: User | None,
    series: Series,
    slots: Sequence[Slot],
    alternatives: Alternatives | None = None,
    reason: str,
) -> list[Occurrence]:
    """Create one row per slot: cancelled on holidays and closures, requested otherwise."""
    center = series.group.center
    closed = closed_reasons(
        center=center, room=series.room, slots=slots, language=get_language() or "de"
    )
    rows = []
    for slot in slots:
        room, starts_at, ends_at = series.room, slot.starts_at, slot.ends_at
        if alternatives and slot.original_start in alternatives:
            room, starts_at, ends_at = alternatives[slot.original_start]
        row = Occurrence(
            series=series,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            original_start=slot.original_start,
            state=OccurrenceState.REQUESTED,
        )
        if slot.starts_at in closed and room.pk == series.room_id:
            row.state = OccurrenceState.CANCELLED
            row.reason = closed[slot.starts_at]
        mark(row, user=user, reason=row.reason or reason)
        rows.append(row)
    bulk_create_with_history(rows, Occurrence, default_user=user, default_change_reason=reason)
    # bulk_create sets pks on PostgreSQL and SQLite ≥ 3.35, which Django 5.2 requires.
    return rows


def _auto_confirm(
    *, user: User | None, series: Series, rows: Iterable[Occurrence], approved: bool = False
) -> list[Occurrence]:
    """Confirm free dates at once where the room needs no approval (or staff approved the rule)."""
    candidates = [
        r
        for r in rows
        if r.state == OccurrenceState.REQUESTED and (approved or not r.room.requires_approval)
    ]
    if not candidates:
        return []
    lock_rooms({r.room_id for r in candidates})
    locked = locked_occurrences([r.pk for r in candidates], states=[OccurrenceState.REQUESTED])
    result = place(
        user=user,
        occurrences=locked,
        skip_clashing=True,
        reason=_("confirmed automatically"),
        tz=series.group.center.tz,
    )
    return result.confirmed


def _validate_alternatives(
    alternatives: Alternatives | None, *, slots: Sequence[Slot], group: Group
) -> dict[str, str]:
    if not alternatives:
        return {}
    starts = {s.original_start for s in slots}
    for original, (room, starts_at, ends_at) in alternatives.items():
        if original not in starts:
            return {"alternatives": str(Messages.ALTERNATIVE_UNKNOWN)}
        if room.center_id != group.center_id:
            return {"alternatives": str(Messages.ROOM_OTHER_CENTER)}
        if not room.bookable:
            return {"alternatives": str(Messages.ROOM_NOT_BOOKABLE)}
        if ends_at <= starts_at:
            return {"alternatives": str(Messages.ALTERNATIVE_TIMES)}
    return {}


def booking_request_create(
    *,
    user: User,
    group: Group,
    room: Room,
    rule: RecurrenceRule,
    expected_participants: int = 1,
    equipment: Sequence[Equipment] = (),
    note: str = "",
    title: str = "",
    alternatives: Alternatives | None = None,
) -> Series:
    """Ask for a room for one date or a series; free dates are confirmed at once if allowed."""
    errors: dict[str, str] = {}
    if not can_book_for_group(user, group):
        errors["group"] = str(Messages.NOT_ALLOWED_FOR_GROUP)
    if room.center_id != group.center_id:
        errors["room"] = str(Messages.ROOM_OTHER_CENTER)
    elif not room.bookable:
        errors["room"] = str(Messages.ROOM_NOT_BOOKABLE)
    if expected_participants < 1:
        errors["expected_participants"] = str(Messages.PARTICIPANTS)
    errors.update(_rule_errors(rule))
    center = group.center
    tz = center.tz
    today = center_today(center)
    slots: list[Slot] = []
    if not errors:
        # A request far ahead still gets its first year of dates, whatever today is.
        through = horizon_for(max(today, rule.start_date))
        slots = _slots(rule, tz, through=through)
        if not slots:
            errors["start_date"] = _("This rule produces no dates.")
        elif slots[0].starts_at < timezone.now():
            errors["start_date"] = str(Messages.FIRST_DATE_PAST)
        errors.update(_validate_alternatives(alternatives, slots=slots, group=group))
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        series = Series(
            group=group,
            room=room,
            title=title,
            created_by=user,
            expected_participants=expected_participants,
            note=note,
            status=SeriesStatus.PENDING,
            materialised_until=through,
        )
        _set_rule(series, rule)
        mark(series, user=user, reason=_("requested"))
        series.save()
        if equipment:
            series.equipment_needed.set(equipment)
        rows = _new_rows(
            user=user, series=series, slots=slots, alternatives=alternatives, reason=_("requested")
        )
        confirmed = _auto_confirm(user=user, series=series, rows=rows)
        refresh_status([series.pk], user=user)
        series.refresh_from_db()
        scheduler.series_sync(series)
        pending = [
            r.pk for r in rows if r.state == OccurrenceState.REQUESTED and r not in confirmed
        ]
        if pending:
            enqueue(
                event="request_received",
                series_id=series.pk,
                occurrence_ids=pending,
                actor_id=user.pk,
            )
        if confirmed:
            enqueue(
                event="request_confirmed" if not pending else "request_partly_confirmed",
                series_id=series.pk,
                occurrence_ids=[r.pk for r in confirmed],
                actor_id=user.pk,
            )
    return series


def _materialise(*, series: Series, through: date, user: User | None, reason: str) -> int:
    """Create the rows the rule has up to `through` that do not exist yet; returns how many."""
    tz = series.group.center.tz
    rule = series.rule
    after = series.materialised_until
    slots = _slots(rule, tz, through=through, after=after)
    existing = set(
        series.occurrences.filter(original_start__in=[s.original_start for s in slots]).values_list(
            "original_start", flat=True
        )
    )
    slots = [s for s in slots if s.original_start not in existing]
    rows = _new_rows(user=user, series=series, slots=slots, reason=reason)
    approved = series.status in (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
    # Staff approved the rule itself: later dates of an approved series need no new decision.
    _auto_confirm(user=user, series=series, rows=rows, approved=approved)
    return len(rows)


def horizons_extend(*, today: date | None = None) -> int:
    """Materialise every running series up to the horizon; returns the number of new rows."""
    today = today or timezone.localdate()
    through = horizon_for(today)
    due = (
        Series.objects.exclude(frequency=Frequency.ONCE)
        .exclude(status__in=[SeriesStatus.WITHDRAWN, SeriesStatus.DECLINED])
        .filter(Q(materialised_until__isnull=True) | Q(materialised_until__lt=through))
        .select_related("group__center", "room")
    )
    created = 0
    for series_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked, then re-read: a second run (or a parallel one) finds nothing left to do.
            series = due.select_for_update(of=("self",)).filter(pk=series_id).first()
            if series is None:
                continue
            done = series.materialised_until
            if done is None or series.until is None or series.until > done:
                created += _materialise(
                    series=series, through=through, user=None, reason=_("dates added")
                )
            series.materialised_until = through
            series.save(update_fields=["materialised_until"])
            refresh_status([series.pk], user=None)
            scheduler.series_sync(series)
    return created


def series_update(
    *, user: User, series: Series, from_date: date, rule: RecurrenceRule, reason: str = ""
) -> Series:
    """Change the rule from `from_date` on, keeping each kept date's own exceptions.

    Dates before from_date are untouched. A date the new rule still has keeps its row: a
    cancelled date stays cancelled, a moved date stays moved; a plain date takes the new
    times. Dropped requested dates are removed, dropped confirmed dates cancelled. New dates
    go through the normal request path (confirmed at once only where no approval is needed).
    """
    if not can_book_for_group(user, series.group):
        raise PermissionDenied(Messages.NOT_ALLOWED_FOR_GROUP)
    center = series.group.center
    tz = center.tz
    today = center_today(center)
    errors = _rule_errors(rule)
    if from_date < today:
        errors["from_date"] = str(Messages.FROM_DATE_PAST)
    if series.status in (SeriesStatus.WITHDRAWN, SeriesStatus.DECLINED):
        errors["series"] = str(Messages.SERIES_CLOSED)
    if errors:
        raise ValidationError(errors)
    old_rule = series.rule
    through = max(horizon_for(max(today, from_date)), series.materialised_until or today)
    if rule.start_date < from_date:
        before = [d for d in recurrence.local_dates(rule, through=from_date) if d < from_date]
        old_before = [
            d for d in recurrence.local_dates(old_rule, through=from_date) if d < from_date
        ]
        if before != old_before:
            # The stored rule describes the dates from from_date on; earlier rows stay as they
            # are (and appear in the mirror as single dates).
            rule = rule.with_changes(start_date=from_date)
    reason = reason or _("series changed from %(date)s") % {"date": from_date.isoformat()}

    with transaction.atomic():
        series = (
            Series.objects.select_for_update()
            .select_related("group__center", "room")
            .get(pk=series.pk)
        )
        new_slots = {
            s.starts_at.astimezone(tz).date(): s
            for s in _slots(rule, tz, through=through)
            if s.starts_at.astimezone(tz).date() >= from_date
        }
        rows = locked_occurrences(
            series.occurrences.values_list("pk", flat=True), states=OccurrenceState.values
        )
        rows = [r for r in rows if r.original_start.astimezone(tz).date() >= from_date]
        lock_rooms({r.room_id for r in rows} | {series.room_id})
        kept_dates = set()
        retimed, dropped_confirmed, dropped_requested = [], [], []
        for row in rows:
            day = row.original_start.astimezone(tz).date()
            slot = new_slots.get(day)
            if slot is None:
                if row.state == OccurrenceState.CONFIRMED:
                    dropped_confirmed.append(row)
                elif row.state == OccurrenceState.REQUESTED:
                    dropped_requested.append(row)
                continue  # cancelled/declined rows outside the new rule stay as history
            kept_dates.add(day)
            dead = row.state in (OccurrenceState.CANCELLED, OccurrenceState.DECLINED)
            if dead or row.is_moved:
                if row.original_start != slot.original_start:
                    # Still the same date of the series: re-key it so feeds and mirror agree.
                    # A moved date keeps its own room and time; only its key follows the rule.
                    row.original_start = slot.original_start
                    if dead:
                        row.starts_at, row.ends_at = slot.starts_at, slot.ends_at
                    retimed.append(row)
                continue
            if (row.starts_at, row.ends_at) != (slot.starts_at, slot.ends_at):
                row.original_start, row.starts_at, row.ends_at = (
                    slot.original_start,
                    slot.starts_at,
                    slot.ends_at,
                )
                if row.state == OccurrenceState.CONFIRMED:
                    # New times need a new decision, like any new date.
                    row.state = OccurrenceState.REQUESTED
                retimed.append(row)
        remove_blocks([r for r in retimed if r.state == OccurrenceState.REQUESTED])
        now = timezone.now()
        for row in retimed:
            row.sequence += 1
            row.updated_at = now
            mark(row, user=user, reason=reason)
        bulk_update_with_history(
            retimed,
            Occurrence,
            ["original_start", "starts_at", "ends_at", "state", "sequence", "updated_at"],
        )
        for row in dropped_confirmed:
            row.state = OccurrenceState.CANCELLED
            row.reason = _("no longer part of the series")
            row.sequence += 1
            row.updated_at = now
            mark(row, user=user, reason=reason)
        remove_blocks(dropped_confirmed)
        bulk_update_with_history(
            dropped_confirmed, Occurrence, ["state", "reason", "sequence", "updated_at"]
        )
        for row in dropped_requested:
            mark(row, user=user, reason=reason)
            row.delete()  # one by one, so the history records who removed it and why

        _set_rule(series, rule)
        series.materialised_until = through
        series.sequence += 1
        mark(series, user=user, reason=reason)
        series.save(update_fields=[*RULE_FIELDS, "materialised_until", "sequence", "updated_at"])
        fresh = [s for day, s in sorted(new_slots.items()) if day not in kept_dates]
        new_rows = _new_rows(user=user, series=series, slots=fresh, reason=reason)
        to_place = new_rows + [r for r in retimed if r.state == OccurrenceState.REQUESTED]
        _auto_confirm(user=user, series=series, rows=to_place)
        refresh_status([series.pk], user=user, reason=reason)
        series.refresh_from_db()
        scheduler.series_sync(series)
        requested = list(
            series.occurrences.filter(
                pk__in=[r.pk for r in to_place], state=OccurrenceState.REQUESTED
            ).values_list("pk", flat=True)
        )
        if requested:
            enqueue(
                event="request_received",
                series_id=series.pk,
                occurrence_ids=requested,
                actor_id=user.pk,
            )
        if dropped_confirmed:
            enqueue(
                event="date_cancelled",
                series_id=series.pk,
                occurrence_ids=[r.pk for r in dropped_confirmed],
                actor_id=user.pk,
                reason=reason,
            )
    return series


def series_end(*, user: User, series: Series, last_date: date, reason: str = "") -> Series:
    """End a series after `last_date`: later dates are removed (requested) or cancelled."""
    if last_date < series.start_date:
        raise ValidationError({"last_date": str(Messages.LAST_DATE_BEFORE_START)})
    rule = series.rule.with_changes(until=last_date, count=None)
    if series.frequency == Frequency.ONCE:
        rule = rule.with_changes(until=None)
    today = center_today(series.group.center)
    return series_update(
        user=user,
        series=series,
        from_date=max(last_date + timedelta(days=1), today),
        rule=rule,
        reason=reason or _("series ends on %(date)s") % {"date": last_date.isoformat()},
    )
