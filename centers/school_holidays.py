"""School holidays: reading the ministries' iCalendar files (pure) and the periods of a state.

The education ministries publish each state's school holidays as .ics files: one all-day VEVENT
per period ("Herbstferien NRW 2027"), DTSTART the first day and DTEND the day after the last
(RFC 5545: the end of an all-day event is exclusive). Some files leave DTEND out for one-day
periods (a movable day off), some give a DURATION instead, and a few write DATE-TIME values at
midnight. `parse_ics` reads all of these; anything else is refused with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
from django.utils.translation import gettext as _

from config.forms import date_in_range

# A school holiday period is weeks long at most; a longer one is a broken file, not a plan.
MAX_PERIOD_DAYS = 120
MAX_EVENTS = 500
MAX_BYTES = 1_000_000
# Files we ship as examples say so; the pages show them as sample data.
SAMPLE_PROPERTY = "X-TREFFPUNKT-SAMPLE"


class CalendarFileError(ValueError):
    """The file is not a school holiday calendar we can read; the message says why."""


@dataclass(frozen=True)
class Period:
    name: str
    first_day: date
    last_day: date
    uid: str = ""

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class ParsedCalendar:
    periods: list[Period]
    is_sample: bool = False


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _period(event: icalendar.Event) -> Period:
    name = " ".join(str(event.get("summary", "")).split())
    if not name:
        raise CalendarFileError(_("A holiday period in the file has no name (SUMMARY)."))
    if event.get("dtstart") is None:
        raise CalendarFileError(_("“%(name)s” has no first day (DTSTART).") % {"name": name})
    try:
        start = event.decoded("dtstart")
        end = event.decoded("dtend") if event.get("dtend") is not None else None
        duration = event.decoded("duration") if event.get("duration") is not None else None
    except (ValueError, TypeError) as broken:
        raise CalendarFileError(
            _("“%(name)s” has a date that cannot be read.") % {"name": name}
        ) from broken
    if not isinstance(start, date):
        raise CalendarFileError(_("“%(name)s” has a date that cannot be read.") % {"name": name})
    first = _day(start)
    if end is not None and isinstance(end, date):
        # DTEND is exclusive: all-day events end at the start of the day after the last one.
        # A DATE-TIME end later than midnight (rare) still covers its own day.
        ends_at_midnight = not isinstance(end, datetime) or end.time() == datetime.min.time()
        last = _day(end) - timedelta(days=1) if ends_at_midnight else _day(end)
    elif isinstance(duration, timedelta):
        last = first + timedelta(days=max(duration.days, 1) - 1)
    else:
        last = first  # no end: one day
    if last < first:
        # DTEND equal to DTSTART: some exporters write that for a single day.
        last = first
    if not (date_in_range(first) and date_in_range(last)):
        message = _("“%(name)s” lies outside the years we can plan.")
        raise CalendarFileError(message % {"name": name})
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise CalendarFileError(
            _("“%(name)s” would last more than %(days)s days; please check the file.")
            % {"name": name, "days": MAX_PERIOD_DAYS}
        )
    uid = str(event.get("uid", ""))[:255]
    return Period(name=name[:200], first_day=first, last_day=last, uid=uid)


def parse_ics(data: bytes | str) -> ParsedCalendar:
    """The holiday periods of an iCalendar file, by first day; raises CalendarFileError."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise CalendarFileError(_("The file is too large for a holiday calendar."))
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except (ValueError, IndexError, KeyError) as broken:
        raise CalendarFileError(_("This is not an iCalendar (.ics) file.")) from broken
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise CalendarFileError(_("This is not an iCalendar (.ics) file."))
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise CalendarFileError(_("The file contains no holiday periods."))
    if len(events) > MAX_EVENTS:
        raise CalendarFileError(_("The file contains too many events for a holiday calendar."))
    found: dict[tuple[str, date], Period] = {}
    for event in events:
        period = _period(event)
        found.setdefault((period.name, period.first_day), period)
    sample = str(calendar.get(SAMPLE_PROPERTY, "")).strip().upper() == "TRUE"
    periods = sorted(found.values(), key=lambda p: (p.first_day, p.name))
    return ParsedCalendar(periods=periods, is_sample=sample)


def days_of(periods: Iterable[Period], first: date, last: date) -> dict[date, str]:
    """Each day in [first, last] that lies in a period, with the period's name."""
    days: dict[date, str] = {}
    for period in periods:
        day = max(period.first_day, first)
        while day <= min(period.last_day, last):
            days.setdefault(day, period.name)
            day += timedelta(days=1)
    return dict(sorted(days.items()))


def school_holidays(state: str, first: date, last: date) -> dict[date, str]:
    """The school holiday days of a federal state in [first, last], by date (one query)."""
    from .models import SchoolHoliday

    rows = SchoolHoliday.objects.filter(
        state=state, first_day__lte=last, last_day__gte=first
    ).values_list("name", "first_day", "last_day")
    return days_of((Period(name, start, end) for name, start, end in rows), first, last)
