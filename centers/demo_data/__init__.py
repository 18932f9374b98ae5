"""The demo: two real centers in North Rhine-Westphalia, as plain data (see base.py).

`manage.py load_demo` writes centers, rooms and groups from it; `bookings.demo` books each
group's meetings through the services.
"""

from __future__ import annotations

from .base import *  # noqa: F403 - the vocabulary is part of this package's interface
from .base import CenterData, GroupData, Meeting, PersonData
from .dorsten import DORSTEN
from .herten import HERTEN

CENTERS: tuple[CenterData, ...] = (DORSTEN, HERTEN)
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
