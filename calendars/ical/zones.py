"""VTIMEZONE components built by hand from yearly RRULEs (see the package docstring)."""

from __future__ import annotations

import calendar as _calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

from bookings.recurrence import WEEKDAY_CODES


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
