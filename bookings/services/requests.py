"""Requests and their rules: create a request, change or end a series, extend the horizon."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from accounts.models import User
from centers.models import Center, Equipment, Room, Term
from config.forms import date_in_range, date_range_message
from groups.models import Group
from notifications.outbox import enqueue

from .. import alternatives as offers
from .. import recurrence
from ..errors import Messages
from ..locking import in_transaction, lock, rooms_of_series
from ..models import Frequency, OccurrenceState, Series, SeriesStatus
from ..permissions import can_book_for_group
from ..policy import REQUEST_ERRORS, HolidayPolicy, holiday_policy_for_kind
from ..recurrence import RecurrenceRule, Slot
from . import plans, transitions
from .plans import Alternatives
from .transitions import center_today, mark

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
CLOSED_STATES = (SeriesStatus.WITHDRAWN, SeriesStatus.DECLINED)
# History reasons the engine writes itself are stored as msgids and translated when shown.
REQUESTED_NOTE = N_("requested")


def set_rule(series: Series, rule: RecurrenceRule) -> None:
    for name in RULE_FIELDS:
        value = getattr(rule, name)
        if name == "weekdays":
            value = list(value)
        elif name == "extra_dates":
            value = [d.isoformat() for d in value]
        elif name == "monthly_mode":
            value = value or ""
        setattr(series, name, value)


def horizon_for(center: Center, start: date) -> date:
    """Last date materialised as rows for open-ended series: the center's booking horizon."""
    return start + relativedelta(months=center.booking_horizon_months)


def rule_errors(rule: RecurrenceRule) -> dict[str, str]:
    """The rule's own problems, and dates outside the range people can mean."""
    errors = dict(recurrence.validate(rule))
    if rule.frequency not in Frequency.values:
        errors.setdefault("frequency", _("Choose how often the booking repeats."))
    for name in ("start_date", "until"):
        value = getattr(rule, name)
        if value is not None and not date_in_range(value):
            errors[name] = date_range_message()
    if any(not date_in_range(d) for d in rule.extra_dates):
        errors.setdefault("extra_dates", date_range_message())
    return errors


def _slots(rule: RecurrenceRule, tz, *, through: date, after: date | None = None) -> list[Slot]:
    slots = recurrence.expand(rule, tz, through=through)
    if after is not None:
        slots = [s for s in slots if s.starts_at.astimezone(tz).date() > after]
    return slots


def _alternative_errors(
    alternatives: Alternatives | None,
    *,
    slots: list[Slot],
    room: Room,
    group: Group,
    expected: int,
    equipment: list[Equipment],
    policy: HolidayPolicy,
) -> dict[str, ValidationError]:
    """Every picked alternative must be one the engine offers for that date, and still free."""
    if not alternatives:
        return {}
    by_start = {s.original_start: s for s in slots}
    for original, choice in alternatives.items():
        slot = by_start.get(original)
        if slot is None or choice[0].center_id != group.center_id:
            verdict = offers.NOT_OFFERED
        else:
            verdict = offers.offered(
                room=room,
                slot=slot,
                choice=choice,
                expected_participants=expected,
                equipment=equipment,
                policy=policy,
            )
        if verdict == offers.NOT_OFFERED:
            message = ValidationError(
                str(Messages.ALTERNATIVE_NOT_OFFERED), code="alternative_not_offered"
            )
            return {"alternatives": message}
        if verdict == offers.TAKEN:
            when = date_format(original.astimezone(group.center.tz), "SHORT_DATETIME_FORMAT")
            message = ValidationError(
                str(Messages.ALTERNATIVE_TAKEN) % {"date": when}, code="alternative_taken"
            )
            return {"alternatives": message}
    return {}


def _refusals(planned: list[plans.PlannedDate]) -> dict[str, str]:
    """Refusals that belong to the whole request: the room, its size, a date in the past."""
    errors: dict[str, str] = {}
    for item in planned:
        if item.is_skipped:
            continue
        for issue in item.report.issues:
            if issue.kind in REQUEST_ERRORS:
                field = {
                    "capacity": "expected_participants",
                    "not_bookable": "room",
                    "past": "start_date",
                    "invalid": "end_time",
                }[issue.kind]
                errors.setdefault(field, issue.message)
    return errors


def _no_date_left(planned: list[plans.PlannedDate]) -> str:
    reasons: list[str] = []
    for item in planned:
        for issue in item.report.skipped:
            if issue.message not in reasons:
                reasons.append(issue.message)
    return str(Messages.NO_DATE_LEFT) % {"reasons": "; ".join(reasons[:5])}


def booking_request_create(
    *,
    user: User,
    group: Group,
    room: Room,
    rule: RecurrenceRule,
    expected_participants: int = 1,
    equipment: list[Equipment] | tuple = (),
    note: str = "",
    title: str = "",
    alternatives: Alternatives | None = None,
    meets_on_public_holidays: bool | None = None,
    pauses_in_school_holidays: bool | None = None,
    term: Term | None = None,
) -> Series:
    """Ask for a room for one date or a series. The policy decides each date: skipped dates are
    stored cancelled, free dates are confirmed at once where nothing needs a decision, the rest
    wait for staff. A request with no date that can take place is not created.

    The holiday policy defaults to the group's kind (`policy.HOLIDAY_DEFAULTS`). With a `term`
    the series runs for the term: its rule ends on the term's last day, and it ends with it."""
    equipment = list(equipment)
    errors: dict[str, object] = {}
    default = holiday_policy_for_kind(group.kind)
    policy = HolidayPolicy(
        meets_on_public_holidays=default.meets_on_public_holidays
        if meets_on_public_holidays is None
        else meets_on_public_holidays,
        pauses_in_school_holidays=default.pauses_in_school_holidays
        if pauses_in_school_holidays is None
        else pauses_in_school_holidays,
    )
    if term is not None:
        rule, term_errors = for_term(rule, term, group=group)
        errors.update(term_errors)
    if not can_book_for_group(user, group):
        errors["group"] = str(Messages.NOT_ALLOWED_FOR_GROUP)
    if room.center_id != group.center_id:
        errors["room"] = str(Messages.ROOM_OTHER_CENTER)
    elif not room.bookable:
        errors["room"] = str(Messages.ROOM_NOT_BOOKABLE)
    if expected_participants < 1:
        errors["expected_participants"] = str(Messages.PARTICIPANTS)
    elif expected_participants > room.capacity:
        errors["expected_participants"] = str(Messages.TOO_MANY_PEOPLE) % {
            "room": room.name,
            "capacity": room.capacity,
            "expected": expected_participants,
        }
    errors.update(rule_errors(rule))
    center = group.center
    tz = center.tz
    slots: list[Slot] = []
    through = None
    if not errors:
        # A request far ahead still gets its first year of dates, whatever today is.
        through = horizon_for(center, max(center_today(center), rule.start_date))
        slots = _slots(rule, tz, through=through)
        if not slots:
            errors["start_date"] = _("This rule produces no dates.")
        elif slots[0].starts_at < timezone.now():
            errors["start_date"] = str(Messages.FIRST_DATE_PAST)
        else:
            errors.update(
                _alternative_errors(
                    alternatives,
                    slots=slots,
                    room=room,
                    group=group,
                    expected=expected_participants,
                    equipment=equipment,
                    policy=policy,
                )
            )
    if errors:
        raise ValidationError(errors)
    series = _create(
        user=user,
        group=group,
        room=room,
        rule=rule,
        slots=slots,
        through=through,
        expected_participants=expected_participants,
        equipment=equipment,
        note=note,
        title=title,
        alternatives=alternatives,
        policy=policy,
        term=term,
    )
    series.refresh_from_db()  # after the commit: with its django-scheduler mirror
    return series


def for_term(rule: RecurrenceRule, term: Term, *, group: Group) -> tuple[RecurrenceRule, dict]:
    """The rule of a series that runs for `term` (it ends on the term's last day), and what
    keeps it from doing so."""
    errors: dict[str, str] = {}
    if term.center_id != group.center_id:
        errors["term"] = str(Messages.TERM_OTHER_CENTER)
    elif term.last_day < center_today(group.center):
        errors["term"] = str(Messages.TERM_OVER)
    elif rule.frequency == Frequency.ONCE:
        errors["frequency"] = str(Messages.TERM_REPEATS)
    elif not term.first_day <= rule.start_date <= term.last_day:
        errors["start_date"] = str(Messages.TERM_START_OUTSIDE) % {
            "first": date_format(term.first_day, "SHORT_DATE_FORMAT"),
            "last": date_format(term.last_day, "SHORT_DATE_FORMAT"),
        }
    return rule.with_changes(until=term.last_day, count=None), errors


@in_transaction
def _create(
    *,
    user: User,
    group: Group,
    room: Room,
    rule: RecurrenceRule,
    slots: list[Slot],
    through: date | None,
    expected_participants: int,
    equipment: list[Equipment],
    note: str,
    title: str,
    alternatives: Alternatives | None,
    policy: HolidayPolicy,
    term: Term | None,
) -> Series:
    alt_rooms = {choice[0].pk for choice in (alternatives or {}).values()}
    lock(rooms={room.pk, *alt_rooms})
    planned = plans.plan(
        room=room,
        slots=slots,
        expected_participants=expected_participants,
        equipment=equipment,
        alternatives=alternatives,
        now=timezone.now(),
        policy=policy,
    )
    refused = _refusals(planned)
    if refused:
        raise ValidationError(refused)
    if all(item.is_skipped for item in planned):
        raise ValidationError({"start_date": _no_date_left(planned)})
    reason = REQUESTED_NOTE
    series = Series(
        group=group,
        room=room,
        title=title,
        created_by=user,
        expected_participants=expected_participants,
        note=note,
        status=SeriesStatus.PENDING,
        materialised_until=through,
        meets_on_public_holidays=policy.meets_on_public_holidays,
        pauses_in_school_holidays=policy.pauses_in_school_holidays,
        term=term,
    )
    set_rule(series, rule)
    mark(series, user=user, reason=reason)
    series.save()
    if equipment:
        series.equipment_needed.set(equipment)
    rows, fine = plans.create_rows(user=user, series=series, planned=planned, reason=reason)
    result = transitions.confirm(
        user=user,
        rows=fine,
        reason=N_("confirmed automatically"),
        tz=group.center.tz,
        skip_clashing=True,
        reports={r.pk: p.report for r, p in zip(rows, planned, strict=True) if r in fine},
    )
    transitions.touch([series.pk], user=user, reason=reason)
    series.refresh_from_db()
    confirmed = {r.pk for r in result.confirmed}
    pending = [r.pk for r in rows if r.state == OccurrenceState.REQUESTED]
    if pending:
        enqueue(
            event="request_received", series_id=series.pk, occurrence_ids=pending, actor_id=user.pk
        )
    if confirmed:
        enqueue(
            event="request_confirmed" if not pending else "request_partly_confirmed",
            series_id=series.pk,
            occurrence_ids=sorted(confirmed),
            actor_id=user.pk,
        )
    return series


# --- the rolling horizon ------------------------------------------------------------------------


def _materialise(*, series: Series, through: date, user: User | None, reason: str) -> int:
    """Create the rows the rule has up to `through` that do not exist yet; returns how many.
    Staff approved the rule of a confirmed series: its later dates need no new decision."""
    center = series.group.center
    slots = _slots(series.rule, center.tz, through=through, after=series.materialised_until)
    existing = set(
        series.occurrences.filter(original_start__in=[s.original_start for s in slots]).values_list(
            "original_start", flat=True
        )
    )
    slots = [s for s in slots if s.original_start not in existing]
    if not slots:
        return 0
    planned = plans.plan(
        room=series.room,
        slots=slots,
        expected_participants=series.expected_participants,
        equipment=list(series.equipment_needed.all()),
        ignore_series_id=series.pk,
        now=timezone.now(),
        policy=series.holiday_policy,
    )
    # A date of a running series that now lies in the past is simply not created.
    planned = [p for p in planned if p.starts_at >= timezone.now()]
    approved = series.status in (SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED)
    rows, fine = plans.create_rows(
        user=user, series=series, planned=planned, reason=reason, approved=approved
    )
    transitions.confirm(
        user=user,
        rows=fine,
        reason=N_("confirmed automatically"),
        tz=center.tz,
        skip_clashing=True,
    )
    return len(rows)


def horizons_extend(*, today: date | None = None) -> int:
    """Materialise every running series up to its center's horizon; returns the new rows."""
    due = (
        Series.objects.exclude(frequency=Frequency.ONCE)
        .exclude(status__in=[*CLOSED_STATES, SeriesStatus.CANCELLED])
        .filter(
            Q(until__isnull=True)
            | Q(materialised_until__isnull=True)
            | Q(until__gt=F("materialised_until"))
        )
        .order_by("pk")
    )
    centers = {c.pk: c for c in Center.objects.all()}
    created = 0
    for series_id, center_id, done in due.values_list(
        "pk", "group__center_id", "materialised_until"
    ):
        center = centers[center_id]
        through = horizon_for(center, today or center_today(center))
        if done is None or done < through:
            created += _extend_one(series_id=series_id, through=through)
    return created


@in_transaction
def _extend_one(*, series_id: int, through: date) -> int:
    series = Series.objects.filter(pk=series_id).first()
    if series is None or (series.materialised_until and series.materialised_until >= through):
        return 0
    locked = lock(rooms=rooms_of_series([series_id]), series=[series_id])
    series = locked.series[0]
    if series.materialised_until and series.materialised_until >= through:
        return 0  # a parallel run did it while we waited for the lock
    reason = N_("dates added")
    created = _materialise(series=series, through=through, user=None, reason=reason)
    series.materialised_until = through
    series.save(update_fields=["materialised_until"])
    if created:
        transitions.touch([series.pk], user=None, reason=reason)
    return created
