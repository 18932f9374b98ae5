"""The demo: two real centers in North Rhine-Westphalia, as plain data (see base.py).

`manage.py load_demo` writes centers, rooms and groups from it; `bookings.demo` books each
group's meetings through the services.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .base import *  # noqa: F403 - the vocabulary is part of this package's interface
from .base import CenterData, GroupData, Meeting, PersonData
from .dorsten import DORSTEN
from .herten import HERTEN

CENTERS: tuple[CenterData, ...] = (DORSTEN, HERTEN)
# School holidays for the demo: a sample file in the ministries' format, marked as sample data.
SCHOOL_HOLIDAYS_FILE = Path(__file__).with_name("schulferien-nrw-sample.ics")
SCHOOL_HOLIDAYS_STATE = "NW"


def demo_terms(today: date) -> list[tuple[str, date, date]]:
    """The current and the next half-year as terms: Sommerhalbjahr (1 Feb – 15 Jul) and
    Winterhalbjahr (16 Aug – 31 Jan), as many NRW centers plan their courses."""
    year = today.year
    halves = [
        (f"Winterhalbjahr {year - 1}/{year % 100:02d}", date(year - 1, 8, 16), date(year, 1, 31)),
        (f"Sommerhalbjahr {year}", date(year, 2, 1), date(year, 7, 15)),
        (f"Winterhalbjahr {year}/{(year + 1) % 100:02d}", date(year, 8, 16), date(year + 1, 1, 31)),
        (f"Sommerhalbjahr {year + 1}", date(year + 1, 2, 1), date(year + 1, 7, 15)),
    ]
    # The current term is the last one that has begun (in the summer break: the one just over).
    current = max(i for i, (_name, first, _last) in enumerate(halves) if first <= today)
    return halves[current : current + 2]


SUPERUSER = PersonData("Admin", "Treffpunkt")
SUPERUSER_USERNAME = "admin"


def iter_meetings() -> list[tuple[CenterData, GroupData, Meeting]]:
    """Every regular meeting with its center and group: what `bookings.demo` books."""
    return [
        (center, group, meeting)
        for center in CENTERS
        for group in center.groups
        for meeting in group.meetings
    ]
