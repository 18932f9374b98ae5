"""The plain data a feed is built from (filled by `calendars.selectors`), and its texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from bookings.recurrence import RecurrenceRule

PRODID = "-//Treffpunkt//Raum- und Gruppenplanung//DE"
REFRESH = "PT6H"

CONFIRMED = "confirmed"
REQUESTED = "requested"
CANCELLED = "cancelled"
_STATUS = {CONFIRMED: "CONFIRMED", REQUESTED: "TENTATIVE", CANCELLED: "CANCELLED"}


class DateRow(NamedTuple):
    """One occurrence row that the feed shows (its state decides how). A tuple, not a frozen
    dataclass: a big center feed builds tens of thousands, at a third of the cost."""

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
class EarlierPart:
    """A rule the series had before it changed from `ends_before` on (bookings.EarlierRule)."""

    rule: RecurrenceRule
    ends_before: date


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
    # Earlier rules, oldest first: each is its own VEVENT (the first keeps `uid`).
    earlier: tuple[EarlierPart, ...] = ()


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
