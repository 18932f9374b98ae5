"""Fetching what `classify` needs: a constant number of queries for any number of slots.

Two implementations of one question: `fetch_sql` (PostgreSQL, one statement) and `fetch_orm`
(any database, a handful of small queries). They return the same rows; a PostgreSQL test
compares their reports. `load_context` turns the rows into a `classify.Context`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from centers.holidays import public_holidays
from centers.models import Center, Closure, Equipment, OpeningHours, Room
from groups.models import Group

from ..models import Occurrence, OccurrenceState, RoomBlock, Series
from ..policy import HolidayPolicy
from ..recurrence import Slot, localize
from .classify import Busy, ClosureSpan, Context, Hours, RoomFacts, Span, buffered
from .holidays import holiday_facts

# --- fetching: a constant number of queries for any number of slots ---------------------------

# A confirmed date lies within one local day (a series has start_time < end_time; moves keep a
# date's day), so a block spans at most 25 hours (a DST night) plus its room's buffers. This
# lower bound lets the (room, starts_at, ends_at) index answer "what overlaps [s, e)" with a
# short range scan per date, however long the booking history grows.
MAX_DATE_SPAN = timedelta(days=2)


@dataclass(frozen=True)
class _Query:
    """The question `check` asks the database, in plain values."""

    room: Room
    slots: Sequence[Slot]
    held: Sequence[Span]  # the slots widened by the room's buffers
    equipment: Sequence[int]
    ignore_series_id: int | None

    @property
    def first(self) -> datetime:
        return min(s.starts_at for s in self.slots)

    @property
    def last(self) -> datetime:
        return max(s.ends_at for s in self.slots)


def _equipment_name(name: str, name_en: str) -> str:
    return str(Equipment(name=name, name_en=name_en))


def fetch_sql(q: _Query) -> dict[str, list[tuple]]:
    """Everything in one statement: one round trip, whatever the number of dates.

    Each (unit, date) pair is one short range scan of the (room, starts_at, ends_at) index, run
    from a LATERAL subquery; OFFSET 0 stops the planner from flattening it into a hash join
    over the whole table. The statement is the same for 1 or 1,000 dates (arrays, not OR-ed
    ranges, which took longer to plan than to run).
    """
    room = Room._meta.db_table
    sql = f"""
    WITH rel AS (
        SELECT id, parent_id, setup_minutes, cleanup_minutes FROM {room}
        WHERE id = %(room)s OR parent_id = %(room)s OR id = %(parent)s
    ), units AS (
        SELECT id FROM rel WHERE id = %(room)s OR parent_id = %(room)s
    ), lim AS (
        SELECT %(span)s + make_interval(mins => max(setup_minutes + cleanup_minutes)) AS reach,
               make_interval(mins => max(greatest(setup_minutes, cleanup_minutes))) AS margin
        FROM rel
    ), c AS (
        SELECT * FROM unnest(%(starts)s::timestamptz[], %(ends)s::timestamptz[]) AS c(s, e)
    )
    SELECT 'block', b.starts_at, b.ends_at, b.occurrence_id, o.series_id, g.name, r.name,
           NULL::int, NULL::int
    FROM units u CROSS JOIN c CROSS JOIN lim CROSS JOIN LATERAL (
        SELECT occurrence_id, starts_at, ends_at FROM {RoomBlock._meta.db_table}
        WHERE room_id = u.id AND starts_at < c.e AND starts_at > c.s - lim.reach
          AND ends_at > c.s
        OFFSET 0
    ) b
    JOIN {Occurrence._meta.db_table} o ON o.id = b.occurrence_id
    JOIN {Series._meta.db_table} s ON s.id = o.series_id
    JOIN {Group._meta.db_table} g ON g.id = s.group_id
    JOIN {room} r ON r.id = o.room_id
    UNION ALL
    SELECT 'pending', o.starts_at, o.ends_at, o.id, o.series_id, g.name, r.name,
           r.setup_minutes, r.cleanup_minutes
    FROM rel CROSS JOIN c CROSS JOIN lim CROSS JOIN LATERAL (
        SELECT id, series_id, room_id, starts_at, ends_at FROM {Occurrence._meta.db_table}
        WHERE room_id = rel.id AND state = %(requested)s
          AND starts_at < c.e + lim.margin AND starts_at > c.s - lim.margin - lim.reach
          AND ends_at > c.s - lim.margin AND series_id <> %(ignore)s
        OFFSET 0
    ) o
    JOIN {Series._meta.db_table} s ON s.id = o.series_id
    JOIN {Group._meta.db_table} g ON g.id = s.group_id
    JOIN {room} r ON r.id = o.room_id
    UNION ALL
    SELECT 'closure', starts_at, ends_at, id, NULL, reason, NULL, NULL, NULL
    FROM {Closure._meta.db_table}
    WHERE center_id = %(center)s AND (room_id IS NULL OR room_id IN (SELECT id FROM rel))
      AND starts_at < %(last)s AND ends_at > %(first)s
    UNION ALL
    SELECT 'hours', NULL, NULL, NULL, NULL, opens::text, closes::text, weekday, NULL
    FROM {OpeningHours._meta.db_table} WHERE center_id = %(center)s
    UNION ALL
    SELECT 'center', NULL, NULL, NULL, NULL, time_zone, federal_state,
           booking_horizon_months, NULL
    FROM {Center._meta.db_table} WHERE id = %(center)s
    UNION ALL
    SELECT 'equipment', NULL, NULL, NULL, NULL, name, name_en, NULL, NULL
    FROM {Equipment._meta.db_table} e
    WHERE e.id = ANY(%(equipment)s::bigint[]) AND NOT EXISTS (
        SELECT 1 FROM {Room.equipment.through._meta.db_table} re
        WHERE re.room_id = %(room)s AND re.equipment_id = e.id
    )
    """
    params = {
        "room": q.room.pk,
        "parent": q.room.parent_id or -1,
        "center": q.room.center_id,
        "span": MAX_DATE_SPAN,
        "starts": [h[0] for h in q.held],
        "ends": [h[1] for h in q.held],
        "first": q.first,
        "last": q.last,
        "ignore": -1 if q.ignore_series_id is None else q.ignore_series_id,
        "requested": OccurrenceState.REQUESTED.value,
        "equipment": list(q.equipment),
    }
    rows: dict[str, list[tuple]] = {
        "block": [],
        "pending": [],
        "closure": [],
        "hours": [],
        "center": [],
        "equipment": [],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, *values in cursor.fetchall():
            rows[kind].append(tuple(values))
    return {
        "block": [r[:6] for r in rows["block"]],
        "pending": rows["pending"],
        "closure": [(r[0], r[1], r[4], r[2]) for r in rows["closure"]],
        "hours": [
            (r[6], time.fromisoformat(r[4]), time.fromisoformat(r[5])) for r in rows["hours"]
        ],
        "center": [(r[4], r[5], r[6]) for r in rows["center"]],
        "equipment": [(r[4], r[5]) for r in rows["equipment"]],
    }


# SQLite refuses expressions nested deeper than 1,000; an OR of ranges nests one level each.
MAX_WINDOWS = 200


def _windows(ranges: Sequence[Span]) -> list[Span]:
    """The ranges sorted, with neighbours merged until there are at most MAX_WINDOWS."""
    ordered = sorted(ranges)
    size = -(-len(ordered) // MAX_WINDOWS)  # ranges per window, rounded up
    return [
        (ordered[i][0], max(r[1] for r in ordered[i : i + size]))
        for i in range(0, len(ordered), size)
    ]


def fetch_orm(q: _Query) -> dict[str, list[tuple]]:
    """The same rows as `fetch_sql` through the ORM: five or six small queries (SQLite
    runs in process, so a query costs no round trip there)."""
    room = q.room
    related = list(
        Room.objects.filter(Q(pk=room.pk) | Q(parent_id=room.pk) | Q(pk=room.parent_id))
        .order_by()
        .values_list(
            "pk",
            "parent_id",
            "setup_minutes",
            "cleanup_minutes",
            "center__time_zone",
            "center__federal_state",
            "center__booking_horizon_months",
        )
    )
    units = [r[0] for r in related if r[0] == room.pk or r[1] == room.pk]
    reach = MAX_DATE_SPAN + timedelta(minutes=max(r[2] + r[3] for r in related))
    margin = timedelta(minutes=max(max(r[2], r[3]) for r in related))
    first = min(h[0] for h in q.held)
    last = max(h[1] for h in q.held)
    # One short index range per window of dates; the sweep in `classify` keeps what overlaps.
    # The room goes into every branch so that SQLite answers each from the
    # (room, starts_at, ends_at) index instead of reading all of the room's blocks.
    overlap = Q()
    for start, end in _windows(q.held):
        overlap |= Q(
            room_id__in=units, starts_at__lt=end, starts_at__gt=start - reach, ends_at__gt=start
        )
    blocks = RoomBlock.objects.filter(overlap)
    pending = Occurrence.objects.filter(
        room_id__in=[r[0] for r in related],
        state=OccurrenceState.REQUESTED,
        starts_at__lt=last + margin,
        starts_at__gt=first - margin - reach,
        ends_at__gt=first - margin,
    ).exclude(series_id=q.ignore_series_id or -1)
    closures = Closure.objects.filter(
        Q(room__isnull=True) | Q(room_id__in=[r[0] for r in related]),
        center_id=room.center_id,
        starts_at__lt=q.last,
        ends_at__gt=q.first,
    )
    equipment = (
        Equipment.objects.filter(pk__in=q.equipment).exclude(rooms=room.pk) if q.equipment else []
    )
    return {
        "block": list(
            blocks.order_by().values_list(
                "starts_at",
                "ends_at",
                "occurrence_id",
                "occurrence__series_id",
                "occurrence__series__group__name",
                "occurrence__room__name",
            )
        ),
        "pending": list(
            pending.order_by().values_list(
                "starts_at",
                "ends_at",
                "pk",
                "series_id",
                "series__group__name",
                "room__name",
                "room__setup_minutes",
                "room__cleanup_minutes",
            )
        ),
        "closure": list(closures.order_by().values_list("starts_at", "ends_at", "reason", "pk")),
        "hours": list(
            OpeningHours.objects.filter(center_id=room.center_id)
            .order_by()
            .values_list("weekday", "opens", "closes")
        ),
        "center": [r[4:] for r in related if r[0] == room.pk],
        "equipment": [(e.name, e.name_en) for e in equipment],
    }


def _equipment_ids(items: Iterable[Equipment | int]) -> list[int]:
    return [item if isinstance(item, int) else item.pk for item in items]


def horizon_start(center_today: date, months: int, tz) -> datetime:
    """The first moment beyond the booking horizon: local midnight after today + months."""
    last = center_today + relativedelta(months=months)
    return localize(datetime.combine(last + timedelta(days=1), time.min), tz)


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
    """Fetch what `classify` needs: one query on PostgreSQL, five (six with equipment) else.

    `now` decides what is past and where the booking horizon lies (default: the real now);
    `fetch` forces "sql" or "orm" (tests compare both). `policy` is the series' holiday policy
    (default: skip public holidays only); a policy that pauses in school holidays or meets on
    public holidays costs one more small query each (`holidays.holiday_facts`).
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
    held = [
        buffered((s.starts_at, s.ends_at), facts.setup_minutes, facts.cleanup_minutes)
        for s in slots
    ]
    query = _Query(room, slots, held, _equipment_ids(equipment), ignore_series_id)
    if fetch is None:
        fetch = "sql" if connection.vendor == "postgresql" else "orm"
    rows = fetch_sql(query) if fetch == "sql" else fetch_orm(query)

    ((time_zone, state, horizon_months),) = rows["center"]
    tz = ZoneInfo(time_zone)
    # A pending date holds its own room's buffers; blocks were stored with them already.
    pending = {
        row[2]: Busy(
            row[0] - timedelta(minutes=row[6]), row[1] + timedelta(minutes=row[7]), *row[2:6]
        )
        for row in rows["pending"]
    }
    blocks = {(row[2], row[0]): Busy(*row) for row in rows["block"]}
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
        blocks=sorted(blocks.values(), key=lambda b: (b.starts_at, b.occurrence_id)),
        pending=sorted(pending.values(), key=lambda b: (b.starts_at, b.occurrence_id)),
        closures=sorted(
            (ClosureSpan(*row) for row in rows["closure"]),
            key=lambda c: (c.starts_at, c.closure_id or 0),
        ),
        holidays=public_holidays(state, first_day, last_day, language=get_language() or "de"),
        school_holidays=school,
        policy=policy,
        open_on_holidays=open_on_holidays,
        hours=hours,
        missing_equipment=sorted(_equipment_name(*row) for row in rows["equipment"]),
        expected_participants=expected_participants,
        now=now,
        horizon=horizon_start(now.astimezone(tz).date(), horizon_months, tz),
        horizon_months=horizon_months,
    )
