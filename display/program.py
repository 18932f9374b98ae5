"""Pure: a day's dates in one place (the center or a room) arranged for a screen. No ORM.

A screen shows what runs now, what comes next and the rest of the day. What it shows changes
only at the start or end of a date, so those instants split the day into segments: a screen
whose plan did not change and whose segment is the same shows the same thing (see stamps).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

ACTIVE = "active"
CANCELLED = "cancelled"
RELEASED = "released"  # a no-show's room, free for walk-in use for the rest of the date
MOVED_AWAY = "moved_away"  # planned here today, now at another time or in another room

# One text per language, as in display.labels.Text.
Text = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Item:
    """One date on a screen, in the center's wall-clock time.

    For a date moved away, `starts_at`/`ends_at` are the times it was planned at here.
    `title` is empty for internal groups: screens show them as "booked", without a name.
    """

    occurrence_id: int
    starts_at: datetime
    ends_at: datetime
    room_id: int
    room: str
    title: str
    state: str = ACTIVE
    notes: tuple[Text, ...] = ()

    @property
    def takes_place(self) -> bool:
        return self.state == ACTIVE

    @property
    def is_moved(self) -> bool:
        """Moved away, or moved here (an active date carries notes only about its move)."""
        return self.state == MOVED_AWAY or (self.state == ACTIVE and bool(self.notes))

    def running_at(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass
class Sections:
    now: list[Item] = field(default_factory=list)
    next: list[Item] = field(default_factory=list)
    later: list[Item] = field(default_factory=list)

    @property
    def upcoming(self) -> list[Item]:
        return self.next + self.later

    @property
    def empty(self) -> bool:
        return not (self.now or self.next or self.later)


def order(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.starts_at, i.room, i.occurrence_id))


def arrange(items: Iterable[Item], now: datetime) -> Sections:
    """Running now, next (everything at the earliest start still ahead), later; dates that are
    over are left out."""
    sections = Sections()
    ahead: list[Item] = []
    for item in order(items):
        if item.ends_at <= now:
            continue
        if item.starts_at <= now:
            sections.now.append(item)
        else:
            ahead.append(item)
    if ahead:
        first_start = ahead[0].starts_at
        sections.next = [i for i in ahead if i.starts_at == first_start]
        sections.later = [i for i in ahead if i.starts_at != first_start]
    return sections


def current_and_next(items: Iterable[Item], now: datetime) -> tuple[Item | None, Item | None]:
    """For a door sign: the date taking place now and the next one that takes place."""
    taking_place = [i for i in order(items) if i.takes_place and i.ends_at > now]
    current = next((i for i in taking_place if i.starts_at <= now), None)
    upcoming = next((i for i in taking_place if i.starts_at > now), None)
    return current, upcoming


def boundaries(items: Iterable[Item]) -> tuple[float, ...]:
    """The instants (POSIX seconds) at which a screen of these items changes."""
    instants = set()
    for item in items:
        instants.add(item.starts_at.timestamp())
        instants.add(item.ends_at.timestamp())
    return tuple(sorted(instants))


def segment(instants: Sequence[float], now: datetime) -> int:
    """Which stretch between two boundaries `now` falls into (0 before the first)."""
    return bisect_right(instants, now.timestamp())
