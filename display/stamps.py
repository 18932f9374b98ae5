"""ETags of the screens: "has anything changed?" without rendering, in two small queries.

A screen shows the same thing as long as (1) the center's plan version is the same (raised by
every writer of the plan, closures included), (2) the screen settings' version is the same
(notice, language, a released room), (3) it is the same local day, (4) no date has started or
ended since (the day's segment, see display.program) and (5) the language and the part asked
for (whole page or the polled fragment) are the same. An idle screen's poll is then one read
of the center with its settings, one primary-key read of the plan version and a 304.

The boundaries of a day are kept per process, keyed by everything they depend on, so they are
computed once per plan change rather than per poll; a stale key is simply never asked again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bookings.stamps import plan_version
from centers.models import Center, Room

from . import program
from .selectors import day_range, items_between, related_rooms

# Raise when the screens' markup changes, so open screens fetch the new markup once.
MARKUP = 1
_CACHE_SIZE = 512
_cache: OrderedDict[tuple, tuple[float, ...]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Stamp:
    """What the ETag of one screen is made of, read in one query."""

    center_id: int
    time_zone: str
    settings_version: int
    language: str  # the center's configured screen language ("" = default)
    room_id: int | None = None
    room_parent_id: int | None = None


def for_center(slug: str) -> Stamp | None:
    row = (
        Center.objects.filter(slug=slug)
        .values_list("pk", "time_zone", "display_settings__version", "display_settings__language")
        .first()
    )
    if row is None:
        return None
    return Stamp(
        center_id=row[0], time_zone=row[1], settings_version=row[2] or 0, language=row[3] or ""
    )


def for_room(slug: str, room_id: int) -> Stamp | None:
    row = (
        Room.objects.filter(pk=room_id, center__slug=slug)
        .values_list(
            "center_id",
            "center__time_zone",
            "center__display_settings__version",
            "center__display_settings__language",
            "parent_id",
        )
        .first()
    )
    if row is None:
        return None
    return Stamp(
        center_id=row[0],
        time_zone=row[1],
        settings_version=row[2] or 0,
        language=row[3] or "",
        room_id=room_id,
        room_parent_id=row[4],
    )


def _boundaries(stamp: Stamp, plan: int, day: object) -> tuple[float, ...]:
    key = (stamp.center_id, stamp.room_id, plan, stamp.settings_version, day)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    tz = ZoneInfo(stamp.time_zone)
    start, end = day_range(tz, day)  # type: ignore[arg-type]
    center = Center(pk=stamp.center_id, time_zone=stamp.time_zone)
    room_ids = None
    if stamp.room_id is not None:
        room_ids = related_rooms(Room(pk=stamp.room_id, parent_id=stamp.room_parent_id))
    # Language does not move a boundary; German is as good as any for this.
    items = items_between(center=center, start=start, end=end, language="de", room_ids=room_ids)
    found = program.boundaries(items)
    with _lock:
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def etag(stamp: Stamp, *, now: datetime, language: str, part: str) -> str:
    """The strong ETag of a screen at `now` (`part`: "page" or "poll")."""
    plan = plan_version(stamp.center_id)
    local = now.astimezone(ZoneInfo(stamp.time_zone))
    day = local.date()
    segment = program.segment(_boundaries(stamp, plan, day), local)
    room = stamp.room_id or 0
    return (
        f'"tp{MARKUP}-{stamp.center_id}-{room}-{plan}-{stamp.settings_version}-'
        f'{day:%Y%m%d}-{segment}-{language}-{part}"'
    )


def forget() -> None:
    """Drop the kept boundaries (tests, where a rolled-back database reuses ids)."""
    with _lock:
        _cache.clear()
