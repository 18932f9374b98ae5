"""Pure iCalendar building: feed data (plain dataclasses) -> icalendar.Calendar / bytes.

No ORM here; `calendars.selectors` turns rows into the dataclasses below. The rules, chosen
so that Google, Apple, Outlook, Thunderbird (ical.js) and libical expand a feed to exactly the
dates in our database:

- A series is one master VEVENT. Its RRULE comes from `recurrence.rrule_parts`, but DTSTART is
  the first *shown* date of the rule in the window and UNTIL (UTC) the last one, and COUNT is
  dropped: COUNT would count from the shifted DTSTART, and an open-ended rule would run past the
  materialised horizon. Rule dates in between that are not shown become EXDATEs.
- Shown rows the RRULE does not produce (extra dates, rows of an earlier rule) become RDATEs,
  one per line.
- A row that differs from what the master says (moved, other room, cancelled, other state) is a
  RECURRENCE-ID override; a cancelled one keeps STATUS:CANCELLED with a visible prefix and the
  reason, because clients silently drop the date otherwise and residents never learn why.
- Every stamp comes from the data (updated_at), never now(): two renders of unchanged data are
  byte-identical.
- VTIMEZONE is built by hand from RRULEs: icalendar's generated one lists several values in one
  RDATE, which ical.js 2.x reads as "no DST" (summer events an hour late in Thunderbird).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from django.utils.translation import gettext as _

from bookings.recurrence import (
    WEEKDAY_CODES,
    RecurrenceRule,
    local_dates,
    localize,
    rrule_parts,
)

PRODID = "-//Treffpunkt//Raum- und Gruppenplanung//DE"
REFRESH = "PT6H"

CONFIRMED = "confirmed"
REQUESTED = "requested"
CANCELLED = "cancelled"
_STATUS = {CONFIRMED: "CONFIRMED", REQUESTED: "TENTATIVE", CANCELLED: "CANCELLED"}


@dataclass(frozen=True)
class DateRow:
    """One occurrence row that the feed shows (its state decides how)."""

    id: int
    original_start: datetime  # aware; what the rule produced
    starts_at: datetime
    ends_at: datetime
    state: str  # confirmed | requested | cancelled
    room_id: int
    location: str
    reason: str = ""
    sequence: int = 0
    updated_at: datetime = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SeriesData:
    """A series with everything a VEVENT says; `rows` are the shown rows in the window."""

    uid: str
    summary: str
    description: str
    location: str
    url: str
    tz: ZoneInfo
    rule: RecurrenceRule
    room_id: int
    # Last date that exists as rows (materialised horizon); caps open-ended rules.
    through: date | None
    sequence: int
    updated_at: datetime
    rows: tuple[DateRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FeedMeta:
    name: str
    window: tuple[datetime, datetime]  # [start, end), aware
    description: str = ""


# --- text -------------------------------------------------------------------------------------


def _summary(title: str, state: str) -> str:
    if state == CANCELLED:
        return _("cancelled: %(title)s") % {"title": title}
    if state == REQUESTED:
        return _("requested: %(title)s") % {"title": title}
    return title


def _description(description: str, row: DateRow | None) -> str:
    # A cancelled date says only why: the group's details are on the master event, and
    # repeating them in every cancelled date would push a big center's feed past 1 MB.
    if row is not None and row.state == CANCELLED:
        return _("Reason: %(reason)s") % {"reason": row.reason} if row.reason else ""
    return description


# --- time zones -------------------------------------------------------------------------------


def _transitions(tz: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(UTC instant, offset before, offset after, name after) of each offset change in `year`."""
    found = []
    start = datetime(year, 1, 1, tzinfo=UTC)
    step = timedelta(hours=12)
    t = start
    while t.year == year:
        before, after = t.astimezone(tz), (t + step).astimezone(tz)
        if before.utcoffset() != after.utcoffset():
            lo, hi = t, t + step  # bisect to the second: the offset changes in (lo, hi]
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(tz).utcoffset() == before.utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append((hi, before.utcoffset(), after.utcoffset(), after.tzname() or ""))
        t += step
    return found


def _nth_weekday(day: date) -> int:
    """Position of the weekday in its month: -1 for the last one, else 1..4."""
    if day.day + 7 > _calendar.monthrange(day.year, day.month)[1]:
        return -1
    return (day.day - 1) // 7 + 1


@lru_cache(maxsize=64)
def _timezone_component(key: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """VTIMEZONE for `key`, valid for [first_year, last_year], with RRULE-based rules.

    Falls back to one component per transition (a single DTSTART each, never a multi-valued
    RDATE) when a zone's changes do not follow a yearly weekday rule.
    """
    tz = ZoneInfo(key)
    vtz = icalendar.Timezone()
    vtz.add("tzid", key)
    per_year = {year: _transitions(tz, year) for year in range(first_year, last_year + 1)}
    counts = {len(t) for t in per_year.values()}

    def component(kind: str, local_start: datetime, before, after, name) -> icalendar.Component:
        comp = icalendar.TimezoneDaylight() if kind == "DAYLIGHT" else icalendar.TimezoneStandard()
        comp.add("tzoffsetfrom", before)
        comp.add("tzoffsetto", after)
        if name:
            comp.add("tzname", name)
        comp.add("dtstart", local_start)
        return comp

    if counts == {0}:
        probe = datetime(first_year, 7, 1, tzinfo=UTC).astimezone(tz)
        comp = component(
            "STANDARD", datetime(1970, 1, 1), probe.utcoffset(), probe.utcoffset(), probe.tzname()
        )
        vtz.add_component(comp)
        return vtz

    def rule_of(instant: datetime, before: timedelta) -> tuple[int, int, int, time]:
        local = (instant + before).replace(tzinfo=None)  # wall clock of the old offset
        return (local.month, local.weekday(), _nth_weekday(local.date()), local.time())

    yearly = counts == {2}
    if yearly:
        first = per_year[first_year]
        rules = [rule_of(instant, before) for instant, before, _a, _n in first]
        for transitions in per_year.values():
            if [rule_of(i, b) for i, b, _a, _n in transitions] != rules:
                yearly = False
                break
            if [(b, a) for _i, b, a, _n in transitions] != [(b, a) for _i, b, a, _n in first]:
                yearly = False
                break
    if yearly:
        for (instant, before, after, name), (month, weekday, nth, _t) in zip(
            first, rules, strict=True
        ):
            kind = "DAYLIGHT" if after > before else "STANDARD"
            comp = component(kind, (instant + before).replace(tzinfo=None), before, after, name)
            comp.add(
                "rrule",
                {"FREQ": "YEARLY", "BYMONTH": [month], "BYDAY": [f"{nth}{WEEKDAY_CODES[weekday]}"]},
            )
            vtz.add_component(comp)
        return vtz

    # Irregular zone: list each transition as its own component, plus the offset in force
    # before the first one.
    all_transitions = [t for year in sorted(per_year) for t in per_year[year]]
    if all_transitions:
        _i, before0, _a, _n = all_transitions[0]
        first_local = datetime(first_year, 1, 1).astimezone(tz)
        vtz.add_component(
            component(
                "STANDARD", datetime(1970, 1, 1), before0, before0, first_local.tzname() or ""
            )
        )
    for instant, before, after, name in all_transitions:
        kind = "DAYLIGHT" if after > before else "STANDARD"
        vtz.add_component(
            component(kind, (instant + before).replace(tzinfo=None), before, after, name)
        )
    return vtz


# --- events -----------------------------------------------------------------------------------


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    """An aware instant as wall-clock time with the zone attached (written with TZID)."""
    return moment.astimezone(tz)


def _utc_stamp(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _base_event(
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
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc_stamp(modified))
    event.add("last-modified", _utc_stamp(modified))
    event.add("sequence", sequence)
    event.add("dtstart", _local(start, series.tz))
    event.add("dtend", _local(end, series.tz))
    event.add("summary", _summary(summary, state))
    event.add("status", _STATUS[state])
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    # A cancelled date needs no link (the master has it): kept small for big center feeds.
    if series.url and state != CANCELLED:
        event.add("url", series.url)
    return event


def _rule_end(original_start: datetime, rule: RecurrenceRule, tz: ZoneInfo) -> datetime:
    """The end the rule gives a date starting at `original_start` (wall-clock end time)."""
    local_day = original_start.astimezone(tz).date()
    return localize(datetime.combine(local_day, rule.end_time), tz).astimezone(UTC)


def occurrence_event(series: SeriesData, row: DateRow, uid: str) -> icalendar.Event:
    """One date as it really is: a date override, a one-off event, or the .ics of one date."""
    return _base_event(
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


def series_events(series: SeriesData, window: tuple[datetime, datetime]) -> list[icalendar.Event]:
    """The master VEVENT and its overrides for one series (empty when nothing is shown)."""
    rows = sorted(series.rows, key=lambda r: r.original_start)
    if not rows:
        return []
    tz, rule = series.tz, series.rule
    by_start = {r.original_start.astimezone(UTC): r for r in rows}
    start_w, end_w = window

    # What the bare RRULE produces in the window, up to the materialised horizon.
    rule_starts: list[datetime] = []
    if rule.frequency != "once":
        bare = replace(rule, extra_dates=())
        through = window_last = (end_w.astimezone(tz) - timedelta(microseconds=1)).date()
        if series.through is not None:
            through = min(series.through, window_last)
        if rule.until is not None:
            through = min(through, rule.until)
        # Dates first, then only the window's dates get a zone: ~4x cheaper than expand().
        first_day = start_w.astimezone(tz).date() - timedelta(days=1)
        starts = (
            localize(datetime.combine(day, rule.start_time), tz).astimezone(UTC)
            for day in local_dates(bare, through=through)
            if day >= first_day
        )
        rule_starts = [start for start in starts if start_w <= start < end_w]
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
        return (
            row.state != master_state
            or row.starts_at != row.original_start
            or row.ends_at != _rule_end(row.original_start, rule, tz)
            or row.room_id != series.room_id
        )

    single = not rule_starts and len(rows) == 1
    if single:
        # One date and no rule: a plain event with the real time, room and state.
        return [occurrence_event(series, rows[0], uid=series.uid)]

    dtstart = rule_starts[0] if rule_starts else extra[0]
    overrides = [r for r in rows if differs(r)]
    override_ids = {r.id for r in overrides}
    # The master changes when a plain date appears or disappears; override rows have their own.
    master_modified = max(
        [series.updated_at] + [r.updated_at for r in rows if r.id not in override_ids]
    )
    master = _base_event(
        series,
        uid=series.uid,
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
        master.add("rrule", parts)
        # One EXDATE per line: the simplest form every parser reads.
        for start in rule_starts:
            if start not in by_start:
                master.add("exdate", _local(start, tz))
    for start in extra:
        if start != dtstart:
            master.add("rdate", _local(start, tz))

    events = [master]
    for row in overrides:
        override = occurrence_event(series, row, uid=series.uid)
        override.add("recurrence-id", _local(row.original_start, tz))
        events.append(override)
    return events


def _calendar_shell(meta: FeedMeta, zones: Iterable[str]) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    # Explicit vText: icalendar 7 does not escape "," and ";" in NAME and X- properties.
    cal.add("name", icalendar.vText(meta.name))
    cal.add("x-wr-calname", icalendar.vText(meta.name))
    if meta.description:
        cal.add("description", icalendar.vText(meta.description))
        cal.add("x-wr-caldesc", icalendar.vText(meta.description))
    # icalendar writes REFRESH-INTERVAL without the VALUE parameter RFC 7986 requires.
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    start, end = meta.window
    # One year of margin on each side: overrides may move a date just outside the window.
    for key in sorted(set(zones)):
        cal.add_component(_timezone_component(key, start.year - 1, end.year + 1))
    return cal


def build_calendar(meta: FeedMeta, series: Sequence[SeriesData]) -> icalendar.Calendar:
    """A whole feed: one master VEVENT (+ overrides) per series, in a stable order."""
    events = []
    zones = []
    for item in series:
        found = series_events(item, meta.window)
        if found:
            events.extend(found)
            zones.append(item.tz.key)
    cal = _calendar_shell(meta, zones)
    for event in events:
        cal.add_component(event)
    return cal


def build_single(meta: FeedMeta, series: SeriesData, row: DateRow, uid: str) -> icalendar.Calendar:
    cal = _calendar_shell(meta, [series.tz.key])
    cal.add_component(occurrence_event(series, row, uid))
    return cal


def to_bytes(cal: icalendar.Calendar) -> bytes:
    """CRLF lines folded at 75 octets (icalendar does both)."""
    return cal.to_ical()
