"""Report periods: a month, a quarter, a year or any custom range of days. Pure.

A period is a range of whole days [first, last] in the report's time zone; `bounds` turns it
into aware datetimes [start, end) for queries. The trend compares each month of the period
with the same month a year earlier.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from dateutil.relativedelta import relativedelta
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
# A custom period longer than this is refused (a report is about a funding period, not ever).
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, time.min, tzinfo=tz)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=tz)
        return start, end

    def previous_year(self) -> Period:
        first = self.first - relativedelta(years=1)
        last = self.last - relativedelta(years=1)
        return Period(self.kind, first, last)

    def months(self) -> list[date]:
        """First day of every month the period touches."""
        months = []
        current = self.first.replace(day=1)
        while current <= self.last:
            months.append(current)
            current += relativedelta(months=1)
        return months

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return date_format(self.first, "F Y")
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.first.month - 1) // 3 + 1,
                "year": self.first.year,
            }
        if self.kind == YEAR:
            return str(self.first.year)
        return f"{date_format(self.first, 'SHORT_DATE_FORMAT')}–" + date_format(
            self.last, "SHORT_DATE_FORMAT"
        )

    @property
    def slug(self) -> str:
        """For file names: 2025-05, 2025-Q2, 2025, 2025-01-01_2025-03-15."""
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return str(self.first.year)
        return f"{self.first.isoformat()}_{self.last.isoformat()}"


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(MONTH, date(year, number, 1), date(year, number, last))


def quarter(year: int, number: int) -> Period:
    first = date(year, 3 * (number - 1) + 1, 1)
    return Period(QUARTER, first, first + relativedelta(months=3) - timedelta(days=1))


def year(number: int) -> Period:
    return Period(YEAR, date(number, 1, 1), date(number, 12, 31))


def custom(first: date, last: date) -> Period:
    return Period(CUSTOM, first, last)
