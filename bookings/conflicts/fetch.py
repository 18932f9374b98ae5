"""Fetching what `classify` needs: a constant number of queries for any number of slots.

Three implementations of one question: `fetch_sql` (PostgreSQL, one statement), `fetch_sqlite`
(one hand-written statement) and `fetch_orm` (any database, a handful of small queries). They
return the same facts; tests compare their reports on each database. `load_context` turns the
rows into a `classify.Context`.

Blocks and requests come as `Busy`, sorted, one per date. The two SQL fetches ask one range per
slot, so they also say which of them overlap each slot (`block_hits`, `pending_hits`: indexes
per slot) and `classify` needs no sweep; `fetch_orm` asks a few merged windows and leaves the
sweep to `classify`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from operator import attrgetter

from django.db import connection
from django.db.models import Q

# Django's takes no lock (functools' does, on Python 3.11): a check reads three of them.
from django.utils.functional import cached_property

from centers.models import Center, Closure, Equipment, OpeningHours, Room
from groups.models import Group

from ..models import Occurrence, OccurrenceState, RoomBlock, Series
from ..recurrence import Slot
from .found import FOUND_BY_START, blocks_by_slot, blocks_of, requests_by_slot, requests_of
from .spans import Span

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
    def buffers(self) -> tuple[timedelta, timedelta]:
        """The room's setup and cleanup buffers."""
        return (
            timedelta(minutes=self.room.setup_minutes),
            timedelta(minutes=self.room.cleanup_minutes),
        )

    @cached_property
    def held(self) -> list[Span]:
        """The slots widened by the room's buffers."""
        setup, cleanup = self.buffers
        return [(s.starts_at - setup, s.ends_at + cleanup) for s in self.slots]

    def held_seconds(self) -> tuple[str, bool]:
        """The held ranges as a JSON array of [start, end] in whole Unix seconds, rounded
        outwards (plain arithmetic and one string: a hundred datetime subtractions or
        formattings cost more than SQLite's scans), and whether no rounding was needed."""
        setup, cleanup = 60 * self.room.setup_minutes, 60 * self.room.cleanup_minutes
        floor, ceil = math.floor, math.ceil
        parts: list[str] = []
        exact = True
        for slot in self.slots:
            start, end = slot.starts_at.timestamp(), slot.ends_at.timestamp()
            whole_start, whole_end = floor(start), ceil(end)
            if exact and (whole_start != start or whole_end != end):
                exact = False
            parts.append(f"[{whole_start - setup},{whole_end + cleanup}]")
        return "[" + ",".join(parts) + "]", exact

    @cached_property
    def first(self) -> datetime:
        return min(map(attrgetter("starts_at"), self.slots))

    @cached_property
    def last(self) -> datetime:
        return max(map(attrgetter("ends_at"), self.slots))


def bound_cursor():
    """A Django cursor (logged, wrapped like any other) whose parameters PostgreSQL binds
    itself, answering in binary.

    - Bound on the server, a statement run a few times on a connection is prepared by psycopg
      (the `prepare_threshold` in the settings), and PostgreSQL stops planning the check anew
      each time (planning was a fifth of it). Django's own cursors bind on the client:
      nothing of theirs is prepared.
    - In binary, psycopg reads times with its C loader: Django's text loader for timestamptz
      parses each with a regular expression in Python (a fifth of the check for 100 times).
      Arrays of times go in as binary too (`%(name)b`: no escaping).
    """
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


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
        SELECT s, e, k - 1 AS k
        FROM unnest(%(starts)b::timestamptz[], %(ends)b::timestamptz[])
             WITH ORDINALITY AS c(s, e, k)
    )
    SELECT 'block', x.starts_at, x.ends_at, x.occurrence_id, x.series_id, x.group_name,
           x.room_name, NULL::int, NULL::int, c.k
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
           x.setup_minutes, x.cleanup_minutes, c.k
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
    SELECT 'closure', starts_at, ends_at, id, NULL, reason, NULL, NULL, NULL, NULL
    FROM {Closure._meta.db_table}
    WHERE center_id = %(center)s AND (room_id IS NULL OR room_id IN (SELECT id FROM rel))
      AND starts_at < %(last)s AND ends_at > %(first)s
    UNION ALL
    SELECT 'hours', NULL, NULL, NULL, NULL, opens::text, closes::text, weekday, NULL, NULL
    FROM {OpeningHours._meta.db_table} WHERE center_id = %(center)s
    UNION ALL
    SELECT 'center', NULL, NULL, NULL, NULL, time_zone, federal_state,
           booking_horizon_months, NULL, NULL
    FROM {Center._meta.db_table} WHERE id = %(center)s
    UNION ALL
    SELECT 'equipment', NULL, NULL, NULL, NULL, name, name_en, NULL, NULL, NULL
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
    with bound_cursor() as cursor:
        cursor.execute(sql, params)
        found = _by_kind(cursor.fetchall())
    return _answer(found, q, exact=True, parse=False)  # the ranges went in as they are


def _by_kind(rows: list[tuple]) -> dict[str, list[tuple]]:
    """The rows of an SQL fetch (the shape `found` documents) by their kind, as they are."""
    found: dict[str, list[tuple]] = {
        "block": [],
        "pending": [],
        "closure": [],
        "hours": [],
        "center": [],
        "equipment": [],
    }
    add = {kind: kept.append for kind, kept in found.items()}
    for row in rows:
        add[row[0]](row)
    return found


def _answer(found: dict[str, list[tuple]], q: _Query, *, exact: bool, parse: bool) -> dict:
    """What `load_context` takes, from an SQL fetch's rows by kind; `parse`: times are
    SQLite's UTC text; `exact`: the ranges asked were the held ranges (not rounded)."""
    blocks, block_hits = blocks_by_slot(
        # Sorted here (by the text, which sorts as the time), not by the statement: SQLite's
        # sorter took a tenth of the check.
        sorted(found["block"], key=FOUND_BY_START),
        q.slots,
        q.buffers,
        exact=exact,
        parse=parse,
    )
    pending, pending_hits = requests_by_slot(found["pending"], q.slots, q.buffers, parse=parse)
    if parse:
        aware = datetime.fromisoformat
        closures = [(aware(r[1] + "Z"), aware(r[2] + "Z"), r[5], r[3]) for r in found["closure"]]
    else:
        closures = [(r[1], r[2], r[5], r[3]) for r in found["closure"]]
    return {
        "block": blocks,
        "block_hits": block_hits,
        "pending": pending,
        "pending_hits": pending_hits,
        "closure": closures,
        "hours": [(r[7], _time(r[5]), _time(r[6])) for r in found["hours"]],
        "center": [(r[5], r[6], r[7]) for r in found["center"]],
        "equipment": [(r[5], r[6]) for r in found["equipment"]],
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
        "block": blocks_of(
            blocks.order_by().values_list(
                "starts_at",
                "ends_at",
                "occurrence_id",
                "occurrence__series_id",
                "occurrence__series__group__name",
                "occurrence__room__name",
            )
        ),
        "pending": requests_of(
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
    if isinstance(value, time):
        return value
    parsed = _TIMES.get(value)
    if parsed is None:
        parsed = _TIMES[value] = time.fromisoformat(value)
    return parsed


# Opening hours as the SQL fetches read them ("08:00:00"): a center has a few distinct times.
_TIMES: dict[str, time] = {}


@functools.cache
def _sqlite_statement() -> str:
    """`fetch_sqlite`'s statement, written once (its text is the same for every check)."""
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
    units = f"SELECT id FROM {t['room']} WHERE id = %(room)s OR parent_id = %(room)s"
    related = f"{units} OR id = %(parent)s"
    return f"""
    WITH lim(reach, margin) AS (
        SELECT %(span)s + 60 * max(setup_minutes + cleanup_minutes),
               60 * max(max(setup_minutes, cleanup_minutes))
        FROM {t["room"]} WHERE id = %(room)s OR parent_id = %(room)s OR id = %(parent)s
    ),
    v(k, a, b) AS (
        SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]')
        FROM json_each(%(ranges)s)
    ),
    c(k, s, lo, e, ps, plo, pe) AS (
        SELECT k, datetime(a, 'unixepoch'), datetime(a - reach, 'unixepoch'),
               datetime(b, 'unixepoch'), datetime(a - margin, 'unixepoch'),
               datetime(a - margin - reach, 'unixepoch'), datetime(b + margin, 'unixepoch')
        FROM v CROSS JOIN lim
    )
    SELECT 'block', +b.starts_at, +b.ends_at, b.occurrence_id, o.series_id,
           g.name, r.name, NULL, NULL, c.k
    FROM c CROSS JOIN {t["block"]} b CROSS JOIN {t["occ"]} o CROSS JOIN {t["series"]} s
         CROSS JOIN {t["group"]} g CROSS JOIN {t["room"]} r
    WHERE b.room_id IN ({units}) AND b.starts_at < c.e AND b.starts_at > c.lo
      AND b.ends_at > c.s AND o.id = b.occurrence_id AND s.id = o.series_id
      AND g.id = s.group_id AND r.id = o.room_id
    UNION ALL
    SELECT 'pending', +o.starts_at, +o.ends_at, o.id, o.series_id, g.name,
           r.name, r.setup_minutes, r.cleanup_minutes, c.k
    FROM c CROSS JOIN {t["occ"]} o CROSS JOIN {t["series"]} s CROSS JOIN {t["group"]} g
         CROSS JOIN {t["room"]} r
    WHERE o.room_id IN ({related}) AND o.starts_at < c.pe AND o.starts_at > c.plo
      AND o.ends_at > c.ps AND +o.state = %(requested)s AND o.series_id <> %(ignore)s
      AND s.id = o.series_id AND g.id = s.group_id AND r.id = o.room_id
    UNION ALL
    SELECT 'closure', +starts_at, +ends_at, id, NULL, reason, NULL, NULL, NULL,
           NULL
    FROM {t["closure"]}
    WHERE center_id = %(center)s AND (room_id IS NULL OR room_id IN ({related}))
      AND starts_at < datetime(%(last)s, 'unixepoch')
      AND ends_at > datetime(%(first)s, 'unixepoch')
    UNION ALL
    SELECT 'hours', NULL, NULL, NULL, NULL, opens, closes, weekday, NULL, NULL
    FROM {t["hours"]} WHERE center_id = %(center)s
    UNION ALL
    SELECT 'center', NULL, NULL, NULL, NULL, time_zone, federal_state,
           booking_horizon_months, NULL, NULL
    FROM {t["center"]} WHERE id = %(center)s
    UNION ALL
    SELECT 'equipment', NULL, NULL, NULL, NULL, name, name_en, NULL, NULL, NULL
    FROM {t["equipment"]} e
    WHERE e.id IN (SELECT value FROM json_each(%(equipment)s)) AND NOT EXISTS (
        SELECT 1 FROM {t["room_equipment"]} re
        WHERE re.room_id = %(room)s AND re.equipment_id = e.id
    )
    """


def fetch_sqlite(q: _Query) -> dict[str, list[tuple]]:
    """The same rows as `fetch_sql`, in one statement written for SQLite.

    The ranges are a table joined against the (room, starts_at) indexes of blocks and dates:
    one short range scan per unit and date, as on PostgreSQL. (Built through the ORM, an OR of
    52 ranges cost ten times more than running it.) Each block and request comes back with the
    index of the range it was found for, so `classify` need not sweep.

    - Ranges go in as one JSON array of whole Unix seconds (start rounded down, end up), read
      by `json_each`; SQLite writes them as the UTC text Django stores: formatting hundreds of
      datetimes in Python cost more than the query, and one parameter keeps the statement's
      text the same for any number of dates (SQLite's statement cache then keeps it compiled).
      Rounding outwards only widens a range; `load_context` keeps exactly what overlaps. How
      far back a range reaches depends on the buffers of the room, its parent and parts
      (`lim`, one row, read once).
    - Named parameters: Django turns them into SQLite's by one `%` formatting; positional ones
      go through a regular expression over the whole statement (a tenth of the check).
    - The room's units and relatives are `IN (subquery)` lists and CROSS JOIN fixes the join
      order (ranges outside, index scans inside): joined against a CTE of rooms, SQLite's
      planner first built a Bloom filter over the whole table of dates. `+o.state` keeps the
      state index out of the choice.
    - Times come back as text (`+starts_at`: an expression column gets no Django converter),
      and `fromisoformat` of it with a "Z" makes an aware datetime in one call (the converter
      and a `replace(tzinfo=UTC)` cost a fifth of the check).
    """
    sql = _sqlite_statement()
    room = q.room
    ranges, exact = q.held_seconds()
    params = {
        "span": int(MAX_DATE_SPAN.total_seconds()),
        "room": room.pk,
        "parent": room.parent_id or -1,
        "ranges": ranges,
        "requested": OccurrenceState.REQUESTED.value,
        "ignore": -1 if q.ignore_series_id is None else q.ignore_series_id,
        "center": room.center_id,
        "last": math.ceil(q.last.timestamp()),
        "first": math.floor(q.first.timestamp()),
        "equipment": "[" + ",".join(map(str, q.equipment)) + "]",
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = _by_kind(cursor.fetchall())
    return _answer(found, q, exact=exact, parse=True)


FETCHES = {"sql": fetch_sql, "sqlite": fetch_sqlite, "orm": fetch_orm}
