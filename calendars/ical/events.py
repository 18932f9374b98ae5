"""VEVENTs of one series: a master per rule part, overrides, and single dates."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bookings.recurrence import MAX_DATES, RecurrenceRule, local_dates, rrule_parts, validate

from .data import (
    _STATUS,
    CANCELLED,
    CONFIRMED,
    REQUESTED,
    DateRow,
    SeriesData,
    _description,
    _summary,
)


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    """An aware instant as wall-clock time with the zone attached (written with TZID)."""
    return moment.astimezone(tz)


def _utc_stamp(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


@dataclass
class EventSpec:
    """What one VEVENT says, before it is written: by icalendar (`to_event`, the reference) or
    by the plain text writer (`calendars.ical.fast`), which give the same bytes."""

    tz: ZoneInfo
    uid: str
    summary: str  # with its state's prefix
    start: datetime
    end: datetime
    status: str  # the STATUS value
    location: str
    description: str
    url: str
    sequence: int
    modified: datetime
    rrule: dict | None = None
    exdates: list[datetime] = field(default_factory=list)
    rdates: list[datetime] = field(default_factory=list)
    recurrence_id: datetime | None = None


def _base_spec(
    series: SeriesData,
    *,
    uid: str,
    summary: str,
    start: datetime,
    end: datetime,
    state: str,
    location: str,
    description: str,
    sequence: int,
    modified: datetime,
) -> EventSpec:
    return EventSpec(
        tz=series.tz,
        uid=uid,
        summary=_summary(summary, state),
        start=start,
        end=end,
        status=_STATUS[state],
        location=location,
        description=description,
        # A cancelled date needs no link (the master has it): kept small for big center feeds.
        url=series.url if state != CANCELLED else "",
        sequence=sequence,
        modified=modified,
    )


def to_event(spec: EventSpec) -> icalendar.Event:
    """The icalendar object of a VEVENT (the reference writer)."""
    tz = spec.tz
    event = icalendar.Event()
    event.add("uid", spec.uid)
    event.add("dtstamp", _utc_stamp(spec.modified))
    event.add("last-modified", _utc_stamp(spec.modified))
    event.add("sequence", spec.sequence)
    event.add("dtstart", _local(spec.start, tz))
    event.add("dtend", _local(spec.end, tz))
    event.add("summary", spec.summary)
    event.add("status", spec.status)
    if spec.location:
        event.add("location", spec.location)
    if spec.description:
        event.add("description", spec.description)
    if spec.url:
        event.add("url", spec.url)
    if spec.rrule is not None:
        event.add("rrule", spec.rrule)
    # One EXDATE and one RDATE per line: the simplest form every parser reads.
    for start in spec.exdates:
        event.add("exdate", _local(start, tz))
    for start in spec.rdates:
        event.add("rdate", _local(start, tz))
    if spec.recurrence_id is not None:
        event.add("recurrence-id", _local(spec.recurrence_id, tz))
    return event


def _utc_of(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """`localize(combine(day, clock), tz).astimezone(UTC)` with one conversion: in a DST gap
    `localize` returns the fold=0 reading converted to the zone, the same instant."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def _rule_end(original_start: datetime, rule: RecurrenceRule, tz: ZoneInfo) -> datetime:
    """The end the rule gives a date starting at `original_start` (wall-clock end time)."""
    return _utc_of(original_start.astimezone(tz).date(), rule.end_time, tz)


def occurrence_event(series: SeriesData, row: DateRow, uid: str) -> icalendar.Event:
    """One date as it really is: a date override, a one-off event, or the .ics of one date."""
    return to_event(occurrence_spec(series, row, uid))


def occurrence_spec(series: SeriesData, row: DateRow, uid: str) -> EventSpec:
    return _base_spec(
        series,
        uid=uid,
        summary=series.summary,
        start=row.starts_at,
        end=row.ends_at,
        state=row.state,
        location=row.location,
        description=_description(series.description, row),
        # Raised by the date's own changes only, so that other dates stay untouched.
        sequence=series.sequence + row.sequence,
        modified=max(series.updated_at, row.updated_at),
    )


@dataclass(frozen=True)
class _Part:
    """One calendar object of a series: `rule` for the local dates in [begins, ends_before)."""

    uid: str
    rule: RecurrenceRule
    begins: date | None
    ends_before: date | None


def part_uid(series_uid: str, changed_from: date) -> str:
    """The stable UID of the part of a series that starts with a change from `changed_from`."""
    local, _at, host = series_uid.partition("@")
    return f"{local}-from-{changed_from:%Y%m%d}@{host}"


def date_uid(series_uid: str, original_start: datetime) -> str:
    """The UID of a date that no rule of its series produces (a standalone VEVENT)."""
    local, _at, host = series_uid.partition("@")
    return f"{local}-{original_start.astimezone(UTC):%Y%m%dT%H%M%SZ}@{host}"


def rule_dates(rule: RecurrenceRule, through: date | None) -> list[date]:
    """`bookings.recurrence.local_dates` of a stored rule, by plain date arithmetic for daily
    and weekly rules without COUNT (most series; dateutil was the biggest cost of a cold
    feed): every `interval`-th day, or the weekdays of every `interval`-th week counted from
    the Monday of the start (dateutil's WKST=MO), at most MAX_DATES, plus the extra dates.
    Other rules go to the engine. Tested against `local_dates` (tests/calendars/test_fast.py).
    """
    last = rule.until if through is None else min(rule.until or through, through)
    if (
        rule.count is not None
        or last is None
        or rule.frequency not in ("daily", "weekly")
        or validate(rule)  # the engine raises InvalidRule
    ):
        return local_dates(rule, through=through)
    start = rule.start_date
    dates: list[date] = []
    if rule.frequency == "daily":
        step, day = timedelta(days=rule.interval), start
        while day <= last and len(dates) < MAX_DATES:
            dates.append(day)
            day += step
    else:
        # Each weekday is its own progression from the Monday of the start's week.
        step, monday = timedelta(weeks=rule.interval), start - timedelta(days=start.weekday())
        for weekday in sorted(set(rule.effective_weekdays())):
            day = monday + timedelta(days=weekday)
            if day < start:
                day += step
            # At most MAX_DATES of each weekday: the first MAX_DATES of all are among them.
            for _ in range(MAX_DATES):
                if day > last:
                    break
                dates.append(day)
                day += step
        dates.sort()
        del dates[MAX_DATES:]
    found = set(dates)
    found.update(day for day in rule.extra_dates if start <= day <= last)
    return sorted(found)


def _parts(series: SeriesData) -> list[_Part]:
    """The series' rules in order: each earlier one up to its change, then the stored rule."""
    parts = []
    uid, begins = series.uid, None
    for earlier in sorted(series.earlier, key=lambda e: e.ends_before):
        parts.append(_Part(uid, earlier.rule, begins, earlier.ends_before))
        uid, begins = part_uid(series.uid, earlier.ends_before), earlier.ends_before
    parts.append(_Part(uid, series.rule, begins, None))
    return parts


def _rule_starts(
    series: SeriesData, part: _Part, window: tuple[datetime, datetime]
) -> dict[datetime, datetime]:
    """What the bare RRULE of `part` produces in the window, up to the materialised horizon:
    each start (UTC, in order) with the end the rule gives it, made from the same local day
    (a row's end is compared with it: one zone conversion less per row)."""
    tz, rule = series.tz, part.rule
    if rule.frequency == "once":
        return {}
    start_w, end_w = window
    bare = replace(rule, extra_dates=())
    through = window_last = (end_w.astimezone(tz) - timedelta(microseconds=1)).date()
    if series.through is not None:
        through = min(series.through, window_last)
    if rule.until is not None:
        through = min(through, rule.until)
    if part.ends_before is not None:
        through = min(through, part.ends_before - timedelta(days=1))
    if through < rule.start_date:
        return {}
    # Dates first, then only the window's dates get a zone: ~4x cheaper than expand().
    first_day = start_w.astimezone(tz).date() - timedelta(days=1)
    if part.begins is not None:
        first_day = max(first_day, part.begins)
    clock, end_clock = rule.start_time, rule.end_time
    found: dict[datetime, datetime] = {}
    for day in rule_dates(bare, through):
        if day >= first_day:
            start = _utc_of(day, clock, tz)
            if start_w <= start < end_w:
                found[start] = _utc_of(day, end_clock, tz)
    return found


def _extra_part(parts: list[_Part], row: DateRow, tz: ZoneInfo) -> int | None:
    """The part whose single date or extra dates (RDATE) include the row's date, if any."""
    day = row.original_start.astimezone(tz).date()
    for index, part in enumerate(parts):
        inside = (part.begins is None or day >= part.begins) and (
            part.ends_before is None or day < part.ends_before
        )
        single = part.rule.frequency == "once" and day == part.rule.start_date
        if inside and (single or (day in part.rule.extra_dates and day >= part.rule.start_date)):
            return index
    return None


def series_events(series: SeriesData, window: tuple[datetime, datetime]) -> list[icalendar.Event]:
    """The VEVENTs of one series as icalendar objects (see `series_specs`)."""
    return [to_event(spec) for spec in series_specs(series, window)]


def series_specs(series: SeriesData, window: tuple[datetime, datetime]) -> list[EventSpec]:
    """The VEVENTs of one series (empty when nothing is shown).

    Each rule of the series is its own master with its own UID, ending with UNTIL before the
    change that replaced it: RDATEs would give earlier dates the new rule's length, and
    Outlook ignores them altogether. A row that no rule produces (a date moved on purpose that
    a later rule no longer has, a date a change dropped) is a VEVENT of its own.
    """
    rows = sorted(series.rows, key=lambda r: r.original_start)
    if not rows:
        return []
    parts = _parts(series)
    starts = [_rule_starts(series, part, window) for part in parts]
    owner: dict[datetime, int] = {}
    for index, found in enumerate(starts):
        for start in found:
            owner.setdefault(start, index)
    assigned: list[list[DateRow]] = [[] for _ in parts]
    loose: list[DateRow] = []
    for row in rows:
        # Rows hold UTC datetimes; an aware datetime hashes by its instant in any case.
        index = owner.get(row.original_start)
        if index is None:
            index = _extra_part(parts, row, series.tz)
        if index is None:
            loose.append(row)
        else:
            assigned[index].append(row)
    events: list[EventSpec] = []
    for part, found, part_rows in zip(parts, starts, assigned, strict=True):
        if part_rows:
            events.extend(_part_specs(series, part, found, part_rows))
    for row in loose:
        events.append(occurrence_spec(series, row, uid=date_uid(series.uid, row.original_start)))
    return events


def _part_specs(
    series: SeriesData, part: _Part, rule_ends: dict[datetime, datetime], rows: list[DateRow]
) -> list[EventSpec]:
    """The master VEVENT of one rule and its overrides."""
    tz, rule = series.tz, part.rule
    by_start = {r.original_start: r for r in rows}
    rule_starts = list(rule_ends)
    shown_rule = [s for s in rule_starts if s in by_start]
    if shown_rule:
        first, last = shown_rule[0], shown_rule[-1]
        rule_starts = [s for s in rule_starts if first <= s <= last]
    else:
        rule_starts = []
    rule_set = set(rule_starts)
    extra = [s for s in by_start if s not in rule_set]

    # The master's state: what most non-cancelled rows are; the others become overrides.
    states = [r.state for r in rows if r.state != CANCELLED]
    master_state = REQUESTED if states and states.count(REQUESTED) > len(states) / 2 else CONFIRMED

    def differs(row: DateRow) -> bool:
        rule_end = rule_ends.get(row.original_start)
        return (
            row.state != master_state
            or row.starts_at != row.original_start
            or row.ends_at != (rule_end or _rule_end(row.original_start, rule, tz))
            or row.room_id != series.room_id
        )

    if not rule_starts and len(rows) == 1:
        # One date and no rule: a plain event with the real time, room and state.
        return [occurrence_spec(series, rows[0], uid=part.uid)]

    dtstart = rule_starts[0] if rule_starts else extra[0]
    overrides = [r for r in rows if differs(r)]
    override_ids = {r.id for r in overrides}
    # The master changes when a plain date appears or disappears; override rows have their own.
    master_modified = max(
        [series.updated_at] + [r.updated_at for r in rows if r.id not in override_ids]
    )
    master = _base_spec(
        series,
        uid=part.uid,
        summary=series.summary,
        start=dtstart,
        end=_rule_end(dtstart, rule, tz),
        state=master_state,
        location=series.location,
        description=series.description,
        sequence=series.sequence,
        modified=master_modified,
    )
    if rule_starts:
        parts = {k: v for k, v in rrule_parts(rule).items() if k != "COUNT"}
        parts["UNTIL"] = rule_starts[-1].astimezone(UTC)
        master.rrule = parts
        master.exdates = [start for start in rule_starts if start not in by_start]
    # The rule's own extra dates only.
    master.rdates = [start for start in extra if start != dtstart]

    events = [master]
    for row in overrides:
        override = occurrence_spec(series, row, uid=part.uid)
        override.recurrence_id = row.original_start
        events.append(override)
    return events
