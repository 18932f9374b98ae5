"""Pure recurrence: a rule in a center's wall-clock time + a time zone -> aware UTC slots.

No ORM here. Wall-clock times stay fixed across DST: "Tuesdays 18:00" is 18:00 in Berlin in
January (17:00 UTC) and in July (16:00 UTC). Rules follow RFC 5545 semantics (dateutil), the same
ones calendar apps apply to our feeds: "monthly on the 31st" skips months without a 31st;
"weekly, every 2 weeks" counts weeks starting on Monday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil import rrule
from django.utils.translation import gettext as _

# Series may not run past this many dates: protects the database from runaway rules.
MAX_DATES = 1000
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DATEUTIL_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_FREQ = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}


@dataclass(frozen=True, order=True)
class Slot:
    """One date of a series: aware UTC start and end; `original_start` is what the rule made."""

    starts_at: datetime
    ends_at: datetime
    original_start: datetime = field(compare=False, default=None)  # type: ignore[assignment]
    # The stored date this slot describes, if any: a date never clashes with itself.
    occurrence_id: int | None = field(compare=False, default=None)
    # The wall-clock start and end in the zone `expand` worked in (aware, that zone), kept so
    # that the conflict check need not convert every date back (None: not known).
    local_start: datetime | None = field(compare=False, default=None, repr=False)
    local_end: datetime | None = field(compare=False, default=None, repr=False)

    def __post_init__(self) -> None:
        if self.original_start is None:
            object.__setattr__(self, "original_start", self.starts_at)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


@dataclass(frozen=True)
class RecurrenceRule:
    """What a leader asks for, in the center's local time. Mirrors the rule fields of Series."""

    start_date: date
    start_time: time
    end_time: time
    frequency: str = "once"  # bookings.models.Frequency
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    monthly_mode: str = ""  # "nth_weekday" | "day_of_month"
    monthly_position: int | None = None  # 1..4 or -1 (last)
    monthly_day: int | None = None  # 1..31
    until: date | None = None
    count: int | None = None
    extra_dates: tuple[date, ...] = ()

    @property
    def is_open_ended(self) -> bool:
        return self.frequency != "once" and self.until is None and self.count is None

    def with_changes(self, **changes: object) -> RecurrenceRule:
        return replace(self, **changes)

    def effective_weekdays(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.weekdays))) or (self.start_date.weekday(),)


class InvalidRule(ValueError):
    """The rule cannot be expanded; `errors` maps field names to translated messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def validate(rule: RecurrenceRule) -> dict[str, str]:
    """Translated problems with the rule, by field name; empty when the rule is fine."""
    errors: dict[str, str] = {}
    if rule.end_time <= rule.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    if rule.frequency not in ("once", *_FREQ):
        errors["frequency"] = _("Choose how often the booking repeats.")
    if rule.interval < 1 or rule.interval > 52:
        errors["interval"] = _("The interval must be between 1 and 52.")
    if any(day not in range(7) for day in rule.weekdays):
        errors["weekdays"] = _("Choose weekdays from Monday to Sunday.")
    if rule.until is not None and rule.count is not None:
        errors["until"] = _("Give either an end date or a number of dates, not both.")
    if rule.until is not None and rule.until < rule.start_date:
        errors["until"] = _("The series cannot end before its first date.")
    if rule.count is not None and not 1 <= rule.count <= MAX_DATES:
        errors["count"] = _("The number of dates must be between 1 and %(max)s.") % {
            "max": MAX_DATES
        }
    if rule.frequency == "daily" and rule.until is None and rule.count is None:
        # An open-ended daily booking would block a room for good; ask for an end.
        errors["until"] = _("A daily booking needs an end date or a number of dates.")
    if rule.frequency == "monthly":
        if rule.monthly_mode == "nth_weekday":
            if rule.monthly_position not in (1, 2, 3, 4, -1):
                errors["monthly_position"] = _("Choose the first to fourth or the last weekday.")
        elif rule.monthly_mode == "day_of_month":
            if rule.monthly_day is None or not 1 <= rule.monthly_day <= 31:
                errors["monthly_day"] = _("Choose a day of the month between 1 and 31.")
        else:
            errors["monthly_mode"] = _(
                "Choose whether the date is a weekday or a day of the month."
            )
    return errors


def rrule_parts(rule: RecurrenceRule) -> dict[str, object]:
    """The rule as RFC 5545 RRULE parts (without UNTIL), e.g. {"FREQ": "WEEKLY", "BYDAY": ...}.

    Used by the iCal export and the django-scheduler mirror so that both say the same thing.
    """
    if rule.frequency == "once":
        return {}
    parts: dict[str, object] = {"FREQ": rule.frequency.upper()}
    if rule.interval > 1:
        parts["INTERVAL"] = rule.interval
    if rule.frequency == "weekly":
        parts["BYDAY"] = [WEEKDAY_CODES[d] for d in rule.effective_weekdays()]
    elif rule.frequency == "monthly" and rule.monthly_mode == "nth_weekday":
        weekday = rule.effective_weekdays()[0]
        parts["BYDAY"] = [f"{rule.monthly_position}{WEEKDAY_CODES[weekday]}"]
    elif rule.frequency == "monthly":
        parts["BYMONTHDAY"] = [rule.monthly_day]
    if rule.count is not None:
        parts["COUNT"] = rule.count
    return parts


def _dateutil_rule(rule: RecurrenceRule, until_local: datetime | None) -> rrule.rrule:
    kwargs: dict[str, object] = {
        "dtstart": datetime.combine(rule.start_date, rule.start_time),
        "interval": rule.interval,
        "wkst": rrule.MO,
    }
    if rule.frequency == "weekly":
        kwargs["byweekday"] = [_DATEUTIL_WEEKDAYS[d] for d in rule.effective_weekdays()]
    elif rule.frequency == "monthly" and rule.monthly_mode == "nth_weekday":
        weekday = rule.effective_weekdays()[0]
        kwargs["byweekday"] = [_DATEUTIL_WEEKDAYS[weekday](rule.monthly_position)]
    elif rule.frequency == "monthly":
        kwargs["bymonthday"] = [rule.monthly_day]
    if rule.count is not None:
        kwargs["count"] = rule.count
    if until_local is not None and rule.count is None:
        # COUNT with UNTIL is not RFC 5545 (dateutil warns); callers cut COUNT rules afterwards.
        kwargs["until"] = until_local
    return rrule.rrule(_FREQ[rule.frequency], **kwargs)


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach a zone to a wall-clock time, resolving DST gaps and folds.

    A time that does not exist (02:30 on the spring-forward night) moves forward by the gap
    (03:30); an ambiguous one (02:30 on the fall-back night) takes the first, summer-time
    reading.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        # In a gap: the wall clock jumped over this time. fold=0 reads it with the offset from
        # before the jump, which lands the same length of time after the jump (PEP 495).
        return round_trip
    return aware


def _slot(day: date, rule: RecurrenceRule, tz: tzinfo) -> Slot:
    local_start = localize(datetime.combine(day, rule.start_time), tz)
    local_end = localize(datetime.combine(day, rule.end_time), tz)
    start = local_start.astimezone(UTC)
    return Slot(start, local_end.astimezone(UTC), start, None, local_start, local_end)


def local_dates(rule: RecurrenceRule, *, through: date | None = None) -> list[date]:
    """Every date the rule produces (with the extra dates), up to `through` for open rules."""
    errors = validate(rule)
    if errors:
        raise InvalidRule(errors)
    last = rule.until
    if through is not None:
        last = through if last is None else min(last, through)
    if rule.frequency == "once":
        dates = {rule.start_date}
    else:
        if last is None and rule.count is None:
            raise InvalidRule({"until": _("An open-ended rule needs a horizon to expand.")})
        until_local = datetime.combine(last, time.max) if last is not None else None
        dates = {dt.date() for dt in _dateutil_rule(rule, until_local)[:MAX_DATES]}
    dates.update(d for d in rule.extra_dates if d >= rule.start_date)
    if last is not None:
        dates = {d for d in dates if d <= last}
    return sorted(dates)


def expand(
    rule: RecurrenceRule,
    tz: tzinfo,
    *,
    through: date | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> list[Slot]:
    """Slots of the rule in `tz`, sorted; `through` caps open-ended rules (the horizon);
    `window` keeps only slots that overlap [start, end)."""
    slots = [_slot(day, rule, tz) for day in local_dates(rule, through=through)]
    if window is not None:
        start, end = window
        slots = [s for s in slots if s.starts_at < end and s.ends_at > start]
    return slots


def single_slot(day: date, start: time, end: time, tz: tzinfo) -> Slot:
    """One date at wall-clock times in `tz` (for moves and one-off checks)."""
    return _slot(day, RecurrenceRule(start_date=day, start_time=start, end_time=end), tz)


def weekday_codes(days: Iterable[int]) -> list[str]:
    return [WEEKDAY_CODES[d] for d in days]


def rule_to_json(rule: RecurrenceRule) -> dict[str, object]:
    """The rule as JSON-safe values (dates and times as ISO strings), for stored snapshots."""
    return {
        "start_date": rule.start_date.isoformat(),
        "start_time": rule.start_time.isoformat(),
        "end_time": rule.end_time.isoformat(),
        "frequency": rule.frequency,
        "interval": rule.interval,
        "weekdays": list(rule.weekdays),
        "monthly_mode": rule.monthly_mode,
        "monthly_position": rule.monthly_position,
        "monthly_day": rule.monthly_day,
        "until": rule.until.isoformat() if rule.until else None,
        "count": rule.count,
        "extra_dates": [day.isoformat() for day in rule.extra_dates],
    }


def rule_from_json(data: dict[str, object]) -> RecurrenceRule:
    """The inverse of `rule_to_json`."""
    until = data.get("until")
    return RecurrenceRule(
        start_date=date.fromisoformat(str(data["start_date"])),
        start_time=time.fromisoformat(str(data["start_time"])),
        end_time=time.fromisoformat(str(data["end_time"])),
        frequency=str(data.get("frequency") or "once"),
        interval=int(data.get("interval") or 1),  # type: ignore[call-overload]
        weekdays=tuple(data.get("weekdays") or ()),  # type: ignore[arg-type]
        monthly_mode=str(data.get("monthly_mode") or ""),
        monthly_position=data.get("monthly_position"),  # type: ignore[arg-type]
        monthly_day=data.get("monthly_day"),  # type: ignore[arg-type]
        until=date.fromisoformat(str(until)) if until else None,
        count=data.get("count"),  # type: ignore[arg-type]
        extra_dates=tuple(date.fromisoformat(str(d)) for d in data.get("extra_dates") or ()),  # type: ignore[union-attr]
    )
