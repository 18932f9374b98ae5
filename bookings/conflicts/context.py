"""Building the `classify.Context` for one room and a list of slots from the fetched rows."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from centers.holidays import public_holidays
from centers.models import Equipment, Room, equipment_label

from ..policy import HolidayPolicy
from ..recurrence import Slot, localize
from .classify import ClosureSpan, Context, RoomFacts
from .fetch import FETCHES, _Query
from .holidays import holiday_facts
from .spans import Hours


def _equipment_ids(items: Iterable[Equipment | int]) -> list[int]:
    return [item if isinstance(item, int) else item.pk for item in items]


@functools.lru_cache(maxsize=64)
def horizon_start(center_today: date, months: int, tz) -> datetime:
    """The first moment beyond the booking horizon: local midnight after today + months."""
    last = center_today + relativedelta(months=months)
    return localize(datetime.combine(last + timedelta(days=1), time.min), tz)


@functools.cache
def _default_fetch() -> str:
    """The fetch written for the database in use (its vendor does not change while we run)."""
    return {"postgresql": "sql", "sqlite": "sqlite"}.get(connection.vendor, "orm")


def load_context(
    *,
    room: Room,
    slots: Sequence[Slot],
    expected_participants: int = 1,
    equipment: Iterable[Equipment | int] = (),
    ignore_series_id: int | None = None,
    now: datetime | None = None,
    fetch: str | None = None,
    policy: HolidayPolicy | None = None,
) -> Context:
    """Fetch what `classify` needs: one query on PostgreSQL and on SQLite, five or six through
    the ORM (other databases).

    `now` decides what is past and where the booking horizon lies (default: the real now);
    `fetch` forces "sql" (PostgreSQL), "sqlite" or "orm" (tests compare them). `policy` is the
    series' holiday policy (default: skip public holidays only); a policy that pauses in school
    holidays or meets on public holidays costs one more small query each
    (`holidays.holiday_facts`).
    """
    policy = policy or HolidayPolicy()
    now = now or timezone.now()
    facts = RoomFacts(
        name=room.name,
        capacity=room.capacity,
        bookable=room.bookable,
        setup_minutes=room.setup_minutes,
        cleanup_minutes=room.cleanup_minutes,
        requires_approval=room.requires_approval,
    )
    if not slots:
        tz = ZoneInfo(room.center.time_zone)
        return Context(room=facts, tz=tz, now=now)
    query = _Query(room, slots, _equipment_ids(equipment), ignore_series_id)
    if fetch is None:
        fetch = _default_fetch()
    rows = FETCHES[fetch](query)

    language = get_language() or "de"
    ((time_zone, state, horizon_months),) = rows["center"]
    tz = ZoneInfo(time_zone)
    # Blocks and requests come as `Busy`; the SQL fetches say which slots they overlap.
    block_list, pending_list = rows["block"], rows["pending"]
    block_hits, pending_hits = rows.get("block_hits"), rows.get("pending_hits")
    hours: Hours = {}
    for weekday, opens, closes in rows["hours"]:
        hours.setdefault(weekday, []).append((opens, closes))
    first_day, last_day = query.first.astimezone(tz).date(), query.last.astimezone(tz).date()
    school, open_on_holidays = holiday_facts(
        center_id=room.center_id, state=state, first=first_day, last=last_day, policy=policy
    )
    return Context(
        room=facts,
        tz=tz,
        blocks=block_list,
        pending=pending_list,
        closures=sorted(
            (ClosureSpan(*row) for row in rows["closure"]),
            key=lambda c: (c.starts_at, c.closure_id or 0),
        ),
        holidays=public_holidays(state, first_day, last_day, language=language),
        school_holidays=school,
        policy=policy,
        open_on_holidays=open_on_holidays,
        hours=hours,
        missing_equipment=sorted(equipment_label(*row, language) for row in rows["equipment"]),
        expected_participants=expected_participants,
        now=now,
        horizon=horizon_start(now.astimezone(tz).date(), horizon_months, tz),
        horizon_months=horizon_months,
        language=language,
        hits_for=slots if block_hits is not None else None,
        block_hits=block_hits,
        pending_hits=pending_hits,
    )
