"""Fetching what `classify` needs: a constant number of queries for any number of slots.

Three implementations of one question: `fetch_sql` (PostgreSQL, one statement), `fetch_sqlite`
(two hand-written statements) and `fetch_orm` (any database, a handful of small queries). They
return the same rows; tests compare their reports on each database. `load_context` turns the
rows into a `classify.Context`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property
from operator import attrgetter

from django.db import connection
from django.db.models import Q

from centers.models import Center, Closure, Equipment, OpeningHours, Room
from groups.models import Group

from ..models import Occurrence, OccurrenceState, RoomBlock, Series
from ..recurrence import Slot
from .classify import Span

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
    equipment: Sequence[int]
    ignore_series_id: int | None

    @cached_property
    def held(self) -> list[Span]:
        """The slots widened by the room's buffers."""
        setup = timedelta(minutes=self.room.setup_minutes)
        cleanup = timedelta(minutes=self.room.cleanup_minutes)
        return [(s.starts_at - setup, s.ends_at + cleanup) for s in self.slots]

    def held_seconds(self) -> list[int]:
        """The held ranges as whole Unix seconds, rounded outwards, start and end by turns
        (plain arithmetic: a hundred datetime subtractions cost more than SQLite's scans)."""
        setup, cleanup = 60 * self.room.setup_minutes, 60 * self.room.cleanup_minutes
        floor, ceil = math.floor, math.ceil
        seconds: list[int] = []
        for slot in self.slots:
            seconds.append(floor(slot.starts_at.timestamp()) - setup)
            seconds.append(ceil(slot.ends_at.timestamp()) + cleanup)
        return seconds

    @cached_property
    def first(self) -> datetime:
        return min(map(attrgetter("starts_at"), self.slots))

    @cached_property
    def last(self) -> datetime:
        return max(map(attrgetter("ends_at"), self.slots))


def fetch_sql(q: _Query) -> dict[str, list[tuple]]:
    """Everything in one statement: one round trip, whatever the number of dates.

    Each (unit, date) pair is one short range scan of the (room, starts_at, ends_at) index in
    a LATERAL subquery (OFFSET 0: not flattened into a hash join over the whole table), which
    also joins the names, a few rows at a time (outside it, the planner hashed the whole series
    and group tables). Requests are read by (room, starts_at) and filtered by state after (else
    the planner ANDed the state index with the plain room index). The statement is the same
    for 1 or 1,000 dates (arrays, not OR-ed ranges, which took longer to plan than to run).
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
    SELECT 'block', x.starts_at, x.ends_at, x.occurrence_id, x.series_id, x.group_name,
           x.room_name, NULL::int, NULL::int
    FROM units u CROSS JOIN c CROSS JOIN lim CROSS JOIN LATERAL (
        SELECT b.occurrence_id, b.starts_at, b.ends_at, o.series_id, g.name AS group_name,
               r.name AS room_name
        FROM {RoomBlock._meta.db_table} b
        JOIN {Occurrence._meta.db_table} o ON o.id = b.occurrence_id
        JOIN {Series._meta.db_table} s ON s.id = o.series_id
        JOIN {Group._meta.db_table} g ON g.id = s.group_id
        JOIN {room} r ON r.id = o.room_id
        WHERE b.room_id = u.id AND b.starts_at < c.e AND b.starts_at > c.s - lim.reach
          AND b.ends_at > c.s
        OFFSET 0
    ) x
    UNION ALL
    SELECT 'pending', x.starts_at, x.ends_at, x.id, x.series_id, x.group_name, x.room_name,
           x.setup_minutes, x.cleanup_minutes
    FROM rel CROSS JOIN c CROSS JOIN lim CROSS JOIN LATERAL (
        SELECT o.id, o.starts_at, o.ends_at, o.series_id, g.name AS group_name,
               r.name AS room_name, r.setup_minutes, r.cleanup_minutes
        FROM (
            SELECT id, series_id, room_id, starts_at, ends_at, state
            FROM {Occurrence._meta.db_table}
            WHERE room_id = rel.id AND starts_at < c.e + lim.margin
              AND starts_at > c.s - lim.margin - lim.reach
            OFFSET 0
        ) o
        JOIN {Series._meta.db_table} s ON s.id = o.series_id
        JOIN {Group._meta.db_table} g ON g.id = s.group_id
        JOIN {room} r ON r.id = o.room_id
        WHERE o.state = %(requested)s AND o.ends_at > c.s - lim.margin
          AND o.series_id <> %(ignore)s
        OFFSET 0
    ) x
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


def _time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def fetch_sqlite(q: _Query) -> dict[str, list[tuple]]:
    """The same rows as `fetch_sql`, in one statement written for SQLite.

    The ranges are a VALUES table joined against the (room, starts_at) indexes of blocks and
    dates: one short range scan per unit and date, as on PostgreSQL. (Built through the ORM, an
    OR of 52 ranges cost ten times more than running it.)

    - Ranges go in as whole Unix seconds (start rounded down, end up); SQLite writes them as
      the UTC text Django stores: formatting hundreds of datetimes in Python cost more than the
      query. Rounding outwards only widens a range; `classify` keeps exactly what overlaps.
      How far back a range reaches depends on the buffers of the room, its parent and parts
      (`lim`, one row, read once).
    - The room's units and relatives are `IN (subquery)` lists and CROSS JOIN fixes the join
      order (ranges outside, index scans inside): joined against a CTE of rooms, SQLite's
      planner first built a Bloom filter over the whole table of dates. `+o.state` keeps the
      state index out of the choice.
    - Times come back as text with a "Z": an expression column gets no Django converter, and
      `fromisoformat` makes an aware datetime of it in one call (the converter and a
      `replace(tzinfo=UTC)` cost a fifth of the check).
    """
    room = q.room
    t = {
        "room": Room._meta.db_table,
        "center": Center._meta.db_table,
        "block": RoomBlock._meta.db_table,
        "occ": Occurrence._meta.db_table,
        "series": Series._meta.db_table,
        "group": Group._meta.db_table,
        "closure": Closure._meta.db_table,
        "hours": OpeningHours._meta.db_table,
        "equipment": Equipment._meta.db_table,
        "room_equipment": Room.equipment.through._meta.db_table,
    }
    ranges = q.held_seconds()
    equipment_marks = ", ".join(["%s"] * len(q.equipment)) or "NULL"
    units = f"SELECT id FROM {t['room']} WHERE id = %s OR parent_id = %s"
    related = f"SELECT id FROM {t['room']} WHERE id = %s OR parent_id = %s OR id = %s"
    sql = f"""
    WITH lim(reach, margin) AS (
        SELECT %s + 60 * max(setup_minutes + cleanup_minutes),
               60 * max(max(setup_minutes, cleanup_minutes))
        FROM {t["room"]} WHERE id = %s OR parent_id = %s OR id = %s
    ),
    v(a, b) AS (VALUES {", ".join(["(%s, %s)"] * len(q.slots))}),
    c(s, lo, e, ps, plo, pe) AS (
        SELECT datetime(a, 'unixepoch'), datetime(a - reach, 'unixepoch'),
               datetime(b, 'unixepoch'), datetime(a - margin, 'unixepoch'),
               datetime(a - margin - reach, 'unixepoch'), datetime(b + margin, 'unixepoch')
        FROM v CROSS JOIN lim
    )
    SELECT 'block', b.starts_at || 'Z', b.ends_at || 'Z', b.occurrence_id, o.series_id,
           g.name, r.name, NULL, NULL
    FROM c CROSS JOIN {t["block"]} b CROSS JOIN {t["occ"]} o CROSS JOIN {t["series"]} s
         CROSS JOIN {t["group"]} g CROSS JOIN {t["room"]} r
    WHERE b.room_id IN ({units}) AND b.starts_at < c.e AND b.starts_at > c.lo
      AND b.ends_at > c.s AND o.id = b.occurrence_id AND s.id = o.series_id
      AND g.id = s.group_id AND r.id = o.room_id
    UNION ALL
    SELECT 'pending', o.starts_at || 'Z', o.ends_at || 'Z', o.id, o.series_id, g.name,
           r.name, r.setup_minutes, r.cleanup_minutes
    FROM c CROSS JOIN {t["occ"]} o CROSS JOIN {t["series"]} s CROSS JOIN {t["group"]} g
         CROSS JOIN {t["room"]} r
    WHERE o.room_id IN ({related}) AND o.starts_at < c.pe AND o.starts_at > c.plo
      AND o.ends_at > c.ps AND +o.state = %s AND o.series_id <> %s
      AND s.id = o.series_id AND g.id = s.group_id AND r.id = o.room_id
    UNION ALL
    SELECT 'closure', starts_at || 'Z', ends_at || 'Z', id, NULL, reason, NULL, NULL, NULL
    FROM {t["closure"]}
    WHERE center_id = %s AND (room_id IS NULL OR room_id IN ({related}))
      AND starts_at < datetime(%s, 'unixepoch') AND ends_at > datetime(%s, 'unixepoch')
    UNION ALL
    SELECT 'hours', NULL, NULL, NULL, NULL, opens, closes, weekday, NULL
    FROM {t["hours"]} WHERE center_id = %s
    UNION ALL
    SELECT 'center', NULL, NULL, NULL, NULL, time_zone, federal_state,
           booking_horizon_months, NULL
    FROM {t["center"]} WHERE id = %s
    UNION ALL
    SELECT 'equipment', NULL, NULL, NULL, NULL, name, name_en, NULL, NULL
    FROM {t["equipment"]} e WHERE e.id IN ({equipment_marks}) AND NOT EXISTS (
        SELECT 1 FROM {t["room_equipment"]} re
        WHERE re.room_id = %s AND re.equipment_id = e.id
    )
    """
    pk, parent = room.pk, room.parent_id or -1
    params = [
        int(MAX_DATE_SPAN.total_seconds()),
        pk,
        pk,
        parent,
        *ranges,
        pk,
        pk,
        pk,
        pk,
        parent,
        OccurrenceState.REQUESTED.value,
        -1 if q.ignore_series_id is None else q.ignore_series_id,
        room.center_id,
        pk,
        pk,
        parent,
        math.ceil(q.last.timestamp()),
        math.floor(q.first.timestamp()),
        room.center_id,
        room.center_id,
        *q.equipment,
        pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows: dict[str, list[tuple]] = {
        "block": [],
        "pending": [],
        "closure": [],
        "hours": [],
        "center": [],
        "equipment": [],
    }
    aware = datetime.fromisoformat
    for kind, start, end, pk, series_id, name, other, n1, n2 in found:
        if kind == "block":
            rows[kind].append((aware(start), aware(end), pk, series_id, name, other))
        elif kind == "pending":
            rows[kind].append((aware(start), aware(end), pk, series_id, name, other, n1, n2))
        elif kind == "closure":
            rows[kind].append((aware(start), aware(end), name, pk))
        elif kind == "hours":
            rows[kind].append((n1, _time(name), _time(other)))
        elif kind == "center":
            rows[kind].append((name, other, n1))
        else:
            rows[kind].append((name, other))
    return rows


FETCHES = {"sql": fetch_sql, "sqlite": fetch_sqlite, "orm": fetch_orm}
