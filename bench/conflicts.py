"""Conflict check of a new 52-week series in a divisible hall, against equal-work baselines.

The question: a new weekly series in the hall (Tuesdays 17:00–19:00, 52 dates, 25 people, a
projector and a piano), asked of a busy center (see `_conflicts_world.py`). Three answers, each
timed on its own (warm-up, then the median of several runs, taken in turns so that load from
elsewhere on the machine hits all of them alike):

- check: `bookings.conflicts.check`, the engine's one definition of a clash (fetch + classify).
- floor: one hand-written SQL statement, written for this very question (the hall's unit ids
  known beforehand), returning the facts the check needs — the overlapping blocks with the
  clashing group's and room's names, the competing requests with theirs, the closures, the
  opening hours, the center's zone/state/horizon and the missing equipment — and nothing
  else: no Python at all after `fetchall()`. What the check costs above it is its own work.
- naive: what a Django user would honestly write: the django-scheduler events of the hall and
  its halves, expanded with django-scheduler over the checked year and compared with each
  date, plus the closures, holidays, opening hours and equipment the ORM way.

All three must report the same clashes (checked before timing). The growth curve measures the
check (and the floor) at about 2,000, 20,000 and 200,000 stored dates: the clashes stay the
same, and every extra date lies inside the checked year (the hall's own units included).
The ratios are taken at 20,000 dates.

Run: DATABASE_URL=postgres://… .venv/bin/python bench/conflicts.py (SQLite when unset).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time as clock
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django, throwaway_database

setup_django()

import _conflicts_world as world_mod  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from schedule.models import Event  # noqa: E402

from bookings.conflicts import IssueKind, check  # noqa: E402
from bookings.conflicts.fetch import bound_cursor  # noqa: E402
from bookings.models import SeriesStatus  # noqa: E402
from bookings.recurrence import Slot, expand  # noqa: E402
from centers.holidays import public_holidays  # noqa: E402
from centers.models import Closure, Equipment, OpeningHours, Room  # noqa: E402

NAME = "conflicts"
RUNS = 112  # the check and the floor take a millisecond: many samples steady their medians
NAIVE_RUNS = 7  # at least: one naive sample every RUNS // NAIVE_RUNS rounds
WARMUP = 20  # rounds before the samples (SQLite's statement cache, the allocator, the CPU)
PARTICIPANTS = 25
CURVE = (2_000, 20_000, 200_000)
RATIO_POINT = 20_000
GOAL_VS_FLOOR = 1.5
GOAL_VS_NAIVE = 60


# --- the three answers ------------------------------------------------------------------------


def make_check(w: world_mod.World, slots: list[Slot]) -> Callable:
    hall = Room.objects.select_related("center").get(pk=w.hall.pk)

    def run():
        return check(
            room=hall, slots=slots, expected_participants=PARTICIPANTS, equipment=w.equipment
        )

    return run


_TAIL = """
    UNION ALL
    SELECT 'closure', starts_at, ends_at, id, NULL, reason, NULL, NULL, NULL
    FROM centers_closure
    WHERE center_id = {center} AND (room_id IS NULL OR room_id IN ({related}))
      AND starts_at < {last} AND ends_at > {first}
    UNION ALL
    SELECT 'hours', NULL, NULL, NULL, NULL, {opens}, {closes}, weekday, NULL
    FROM centers_openinghours WHERE center_id = {center}
    UNION ALL
    SELECT 'center', NULL, NULL, NULL, NULL, time_zone, federal_state,
           booking_horizon_months, NULL
    FROM centers_center WHERE id = {center}
    UNION ALL
    SELECT 'equipment', NULL, NULL, NULL, NULL, name, name_en, NULL, NULL
    FROM centers_equipment e WHERE e.id IN ({equipment}) AND NOT EXISTS (
        SELECT 1 FROM centers_room_equipment re
        WHERE re.room_id = {room} AND re.equipment_id = e.id)
"""

_PG = """
    WITH c AS (SELECT * FROM unnest(%(s)b::timestamptz[], %(e)b::timestamptz[]) c(s, e))
    SELECT 'block', x.starts_at, x.ends_at, x.occurrence_id, x.series_id, x.group_name,
           x.room_name, NULL::int, NULL::int
    FROM unnest(%(units)s::bigint[]) u(id) CROSS JOIN c CROSS JOIN LATERAL (
        SELECT b.occurrence_id, b.starts_at, b.ends_at, o.series_id, g.name AS group_name,
               r.name AS room_name
        FROM bookings_roomblock b JOIN bookings_occurrence o ON o.id = b.occurrence_id
        JOIN bookings_series s ON s.id = o.series_id JOIN groups_group g ON g.id = s.group_id
        JOIN centers_room r ON r.id = o.room_id
        WHERE b.room_id = u.id AND b.starts_at < c.e AND b.starts_at > c.s - %(reach)s
          AND b.ends_at > c.s
        OFFSET 0) x
    UNION ALL
    SELECT 'pending', x.starts_at, x.ends_at, x.id, x.series_id, x.group_name, x.room_name,
           x.setup_minutes, x.cleanup_minutes
    FROM unnest(%(related)s::bigint[]) u(id) CROSS JOIN c CROSS JOIN LATERAL (
        SELECT o.id, o.starts_at, o.ends_at, o.series_id, g.name AS group_name,
               r.name AS room_name, r.setup_minutes, r.cleanup_minutes
        FROM (SELECT id, series_id, room_id, starts_at, ends_at, state FROM bookings_occurrence
              WHERE room_id = u.id AND starts_at < c.e + %(margin)s
                AND starts_at > c.s - %(margin)s - %(reach)s OFFSET 0) o
        JOIN bookings_series s ON s.id = o.series_id JOIN groups_group g ON g.id = s.group_id
        JOIN centers_room r ON r.id = o.room_id
        WHERE o.state = 'requested' AND o.ends_at > c.s - %(margin)s
        OFFSET 0) x
""" + _TAIL.format(
    center="%(center)s",
    related="SELECT unnest(%(related)s::bigint[])",
    first="%(first)s",
    last="%(last)s",
    equipment="SELECT unnest(%(equipment)s::bigint[])",
    room="%(room)s",
    opens="opens::text",
    closes="closes::text",
)

# SQLite: the ranges as one JSON array of Unix seconds (outwards-rounded: the start down, the
# end up) that SQLite turns into the UTC text it stores, joined against the indexes in a fixed
# order (CROSS JOIN), with the room ids written into the statement. Named parameters, as the
# check passes them: Django turns positional ones into SQLite's with a regular expression over
# the whole statement, named ones with one `%` formatting.
_SQLITE = """
    WITH v(a, b) AS (
        SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
        FROM json_each(%(ranges)s)),
    c(s, lo, e, ps, plo, pe) AS (
        SELECT datetime(a, 'unixepoch'), datetime(a - {reach}, 'unixepoch'),
               datetime(b, 'unixepoch'), datetime(a - {margin}, 'unixepoch'),
               datetime(a - {margin} - {reach}, 'unixepoch'), datetime(b + {margin}, 'unixepoch')
        FROM v)
    SELECT 'block', b.starts_at, b.ends_at, b.occurrence_id, o.series_id, g.name, r.name,
           NULL, NULL
    FROM c CROSS JOIN bookings_roomblock b CROSS JOIN bookings_occurrence o
         CROSS JOIN bookings_series s CROSS JOIN groups_group g CROSS JOIN centers_room r
    WHERE b.room_id IN ({units}) AND b.starts_at < c.e AND b.starts_at > c.lo
      AND b.ends_at > c.s AND o.id = b.occurrence_id AND s.id = o.series_id
      AND g.id = s.group_id AND r.id = o.room_id
    UNION ALL
    SELECT 'pending', o.starts_at, o.ends_at, o.id, o.series_id, g.name, r.name,
           r.setup_minutes, r.cleanup_minutes
    FROM c CROSS JOIN bookings_occurrence o CROSS JOIN bookings_series s
         CROSS JOIN groups_group g CROSS JOIN centers_room r
    WHERE o.room_id IN ({related}) AND +o.state = 'requested' AND o.starts_at < c.pe
      AND o.starts_at > c.plo AND o.ends_at > c.ps
      AND s.id = o.series_id AND g.id = s.group_id AND r.id = o.room_id
"""


def make_floor(w: world_mod.World, slots: list[Slot]) -> Callable:
    """One statement written for this question: the hall's unit and room ids, its buffers and
    the widest buffer of a related room are known beforehand. Each run takes the slots as the
    check does (the ranges are computed and passed each time) and ends at `fetchall()`."""
    hall = w.hall
    units = w.units[hall.pk]
    related = units  # the hall has no parent: the rooms related to it are its units
    setup = timedelta(minutes=hall.setup_minutes)
    cleanup = timedelta(minutes=hall.cleanup_minutes)
    reach = timedelta(days=2, minutes=30)  # the longest a date can be, with its buffers
    margin = timedelta(minutes=15)  # the widest single buffer of a related room
    equipment = [e.pk for e in w.equipment]
    ids = ", ".join  # the floor may write the known ids into the statement

    if connection.vendor == "postgresql":
        fixed = {
            "units": units,
            "related": related,
            "reach": reach,
            "margin": margin,
            "center": w.center.pk,
            "equipment": equipment,
            "room": hall.pk,
        }

        def run():
            params = {
                **fixed,
                "s": [s.starts_at - setup for s in slots],
                "e": [s.ends_at + cleanup for s in slots],
                "first": slots[0].starts_at,
                "last": slots[-1].ends_at,
            }
            # On the check's kind of cursor (bound on the server, answered in binary): both
            # statements are prepared after a few runs (settings: prepare_threshold), and their
            # times are read by psycopg's C loader.
            with bound_cursor() as cursor:
                cursor.execute(_PG, params)
                return cursor.fetchall()

        return run

    sql = _SQLITE.format(
        reach=int(reach.total_seconds()),
        margin=int(margin.total_seconds()),
        units=ids(map(str, units)),
        related=ids(map(str, related)),
    ) + _TAIL.format(
        center=w.center.pk,
        related=ids(map(str, related)),
        first="datetime(%(first)s, 'unixepoch')",
        last="datetime(%(last)s, 'unixepoch')",
        equipment=ids(map(str, equipment)),
        room=hall.pk,
        opens="opens",
        closes="closes",
    )

    def run():
        ranges = ",".join(
            f"[{math.floor((s.starts_at - setup).timestamp())},"
            f"{math.ceil((s.ends_at + cleanup).timestamp())}]"
            for s in slots
        )
        params = {
            "ranges": f"[{ranges}]",
            "last": math.ceil(slots[-1].ends_at.timestamp()),
            "first": math.floor(slots[0].starts_at.timestamp()),
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def naive(w: world_mod.World, slots: list[Slot]) -> dict:
    """The honest Django way: the hall's events first, expanded by django-scheduler."""
    hall = Room.objects.select_related("center").get(pk=w.hall.pk)
    related = list(
        Room.objects.filter(Q(pk=hall.pk) | Q(parent_id=hall.pk) | Q(pk=hall.parent_id or -1))
    )
    held = [
        (
            s.starts_at - timedelta(minutes=hall.setup_minutes),
            s.ends_at + timedelta(minutes=hall.cleanup_minutes),
        )
        for s in slots
    ]
    # django-scheduler expands a rule in the zone of the window it is given: the center's.
    tz = hall.center.tz
    start = (min(h[0] for h in held) - timedelta(days=1)).astimezone(tz)
    end = (max(h[1] for h in held) + timedelta(days=1)).astimezone(tz)
    events = (
        Event.objects.filter(treffpunkt_series__room__in=related)
        .exclude(
            treffpunkt_series__status__in=[
                SeriesStatus.WITHDRAWN,
                SeriesStatus.DECLINED,
                SeriesStatus.CANCELLED,
            ]
        )
        .select_related("rule", "treffpunkt_series__group", "treffpunkt_series__room")
    )
    busy = []
    for event in events:
        series = event.treffpunkt_series
        room = series.room
        kind = IssueKind.BOOKED if series.status == SeriesStatus.CONFIRMED else IssueKind.PENDING
        for occ in event.get_occurrences(start, end):
            if occ.cancelled:
                continue
            busy.append(
                (
                    occ.start - timedelta(minutes=room.setup_minutes),
                    occ.end + timedelta(minutes=room.cleanup_minutes),
                    kind,
                    series.pk,
                    series.group.name,
                    room.name,
                )
            )
    facts: set[tuple] = set()
    for i, (h_start, h_end) in enumerate(held):
        for b_start, b_end, kind, series_id, group_name, room_name in busy:
            if b_start < h_end and b_end > h_start:
                facts.add((i, kind, series_id, group_name, room_name))
    closures = list(
        Closure.objects.filter(
            Q(room__isnull=True) | Q(room__in=related),
            center=hall.center,
            starts_at__lt=max(s.ends_at for s in slots),
            ends_at__gt=min(s.starts_at for s in slots),
        )
    )
    for i, s in enumerate(slots):
        for closure in closures:
            if closure.starts_at < s.ends_at and closure.ends_at > s.starts_at:
                facts.add((i, IssueKind.CLOSURE, closure.pk))
    holidays = public_holidays(
        hall.center.federal_state,
        slots[0].starts_at.astimezone(tz).date(),
        slots[-1].starts_at.astimezone(tz).date(),
        language=get_language() or "de",
    )
    for i, s in enumerate(slots):
        if s.starts_at.astimezone(tz).date() in holidays:
            facts.add((i, IssueKind.HOLIDAY))
    list(OpeningHours.objects.filter(center=hall.center))
    missing = Equipment.objects.filter(pk__in=[e.pk for e in w.equipment]).exclude(rooms=hall)
    facts |= {("equipment", e.name) for e in missing}
    return {"facts": facts, "expanded": len(busy)}


# --- equal output -----------------------------------------------------------------------------


def check_facts(report) -> set[tuple]:
    facts: set[tuple] = set()
    for i, d in enumerate(report.dates):
        for issue in d.issues:
            if issue.kind in (IssueKind.BOOKED, IssueKind.PENDING):
                facts.add((i, issue.kind, issue.series_id, issue.group_name, issue.room_name))
            elif issue.kind == IssueKind.CLOSURE:
                facts.add((i, issue.kind, issue.closure_id))
            elif issue.kind == IssueKind.HOLIDAY:
                facts.add((i, issue.kind))
    return facts


def same_answers(report, floor_rows: list[tuple], naive_facts: set[tuple], piano: str) -> None:
    """The three answers agree on every clash, competitor, closure and missing item."""
    facts = check_facts(report)
    naive_facts = set(naive_facts)
    missing = {f for f in naive_facts if f[0] == "equipment"}
    assert missing == {("equipment", piano)}, missing
    assert any(piano in i.message for d in report.dates for i in d.issues)
    assert facts == naive_facts - missing, (
        sorted(facts - naive_facts)[:5],
        sorted(naive_facts - missing - facts)[:5],
    )
    booked = {i.occurrence_id for d in report.dates for i in d.issues if i.kind == "booked"}
    pending = {i.occurrence_id for d in report.dates for i in d.issues if i.kind == "pending"}
    closures = {i.closure_id for d in report.dates for i in d.issues if i.kind == "closure"}
    assert {r[3] for r in floor_rows if r[0] == "block"} == booked
    assert {r[3] for r in floor_rows if r[0] == "pending"} >= pending
    assert {r[3] for r in floor_rows if r[0] == "closure"} >= closures
    assert [r[5] for r in floor_rows if r[0] == "equipment"] == [piano]


def summary(report) -> dict[str, int]:
    return {
        "booked": sum(1 for d in report.dates if IssueKind.BOOKED in d.kinds),
        "pending": sum(1 for d in report.dates if IssueKind.PENDING in d.kinds),
        "skipped": len(report.skipped),
    }


# --- timing -----------------------------------------------------------------------------------


def interleaved(
    fns: dict[str, Callable],
    runs: int,
    warmup: int = WARMUP,
    every: dict[str, int] | None = None,
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU ms of each function, run in turns after a warm-up.

    `every` runs a slow function only every n-th round, so that its fewer samples still spread
    over the same stretch of time as the others'. On a busy machine a longer function is more
    often interrupted by other processes, which the wall-clock median shows; this process's
    CPU time does not (on SQLite it is all the work; on PostgreSQL the server's share is
    missing from it)."""
    every = every or {}
    for round_ in range(warmup):
        for name, fn in fns.items():
            if round_ == 0 or every.get(name, 1) == 1:  # a slow one warms up once
                fn()
    wall: dict[str, list[float]] = {name: [] for name in fns}
    cpu: dict[str, list[float]] = {name: [] for name in fns}
    for round_ in range(runs):
        for name, fn in fns.items():
            if round_ % every.get(name, 1):
                continue
            started, started_cpu = clock.perf_counter(), clock.process_time()
            fn()
            cpu[name].append((clock.process_time() - started_cpu) * 1000)
            wall[name].append((clock.perf_counter() - started) * 1000)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in fns}


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--naive-runs", type=int, default=NAIVE_RUNS)
    parser.add_argument("--curve", default=",".join(str(n) for n in CURVE))
    args = parser.parse_args()
    curve_points = [int(n) for n in args.curve.split(",")]
    ratio_point = RATIO_POINT if RATIO_POINT in curve_points else curve_points[0]
    started = clock.perf_counter()
    db = connection.vendor
    curve: dict[str, float] = {}
    curve_floor: dict[str, float] = {}
    clashes: dict[str, dict[str, int]] = {}
    at: dict[str, float] = {}
    with throwaway_database("bench_conflicts"):
        w = world_mod.build()
        slots = expand(w.candidate_rule(), w.center.tz)
        assert len(slots) == world_mod.WEEKS
        for target in curve_points:
            stored = world_mod.grow(w, target)
            assert world_mod.outside_window(w) == 0
            analyse()
            run_check, run_floor = make_check(w, slots), make_floor(w, slots)
            report = run_check()
            floor_rows = run_floor()
            clashes[str(target)] = summary(report)
            if target == ratio_point:
                answer = naive(w, slots)
                same_answers(report, floor_rows, answer["facts"], "Klavier")
            else:
                booked = {
                    i.occurrence_id for d in report.dates for i in d.issues if i.kind == "booked"
                }
                assert {r[3] for r in floor_rows if r[0] == "block"} == booked
            fns = {"check": run_check, "floor": run_floor}
            every: dict[str, int] = {}
            if target == ratio_point:
                # The naive loop takes seconds: a sample every few rounds, spread over the
                # same stretch of time as the check's and the floor's (load from elsewhere
                # on the machine then hits all three alike).
                fns["naive"] = lambda: naive(w, slots)
                every["naive"] = max(1, args.runs // args.naive_runs)
            timed = interleaved(fns, args.runs, every=every)
            (check_ms, check_cpu), (floor_ms, floor_cpu) = timed["check"], timed["floor"]
            curve[str(target)] = check_ms
            curve_floor[str(target)] = floor_ms
            print(
                f"{stored:>7} stored dates: check {check_ms:.2f} ms, floor {floor_ms:.2f} ms "
                f"({check_ms / floor_ms:.2f}x; CPU {check_cpu:.2f} / {floor_cpu:.2f} ms), "
                f"clashes {clashes[str(target)]}",
                flush=True,
            )
            if target == ratio_point:
                naive_ms = timed["naive"][0]
                at = {
                    "check": check_ms,
                    "floor": floor_ms,
                    "naive": naive_ms,
                    "check_cpu": check_cpu,
                    "floor_cpu": floor_cpu,
                    "stored": stored,
                }
                print(
                    f"   naive django-scheduler: {naive_ms:.1f} ms "
                    f"({answer['expanded']} dates of the hall expanded)",
                    flush=True,
                )
    assert len({json.dumps(c, sort_keys=True) for c in clashes.values()}) == 1, clashes
    median, floor_ms, naive_ms = at["check"], at["floor"], at["naive"]
    vs_floor, vs_naive = median / floor_ms, naive_ms / median
    print(
        f"at {at['stored']} stored dates the check is {vs_naive:.0f}x faster than naive "
        f"(goal >= {GOAL_VS_NAIVE}x) and {vs_floor:.2f}x the floor (goal <= {GOAL_VS_FLOOR}x; "
        f"CPU {at['check_cpu'] / at['floor_cpu']:.2f}x) on {db}; "
        f"bench took {clock.perf_counter() - started:.0f} s"
    )
    result = {
        "name": NAME,
        "db": db,
        "median_ms": round(median, 3),
        "naive_ms": round(naive_ms, 1),
        "floor_ms": round(floor_ms, 3),
        "ratio_vs_naive": round(vs_naive, 1),
        "ratio_vs_floor": round(vs_floor, 2),
        "curve_ms": {k: round(v, 3) for k, v in curve.items()},
        "curve_floor_ms": {k: round(v, 3) for k, v in curve_floor.items()},
        "cpu_ratio_vs_floor": round(at["check_cpu"] / at["floor_cpu"], 2),
        "stored_at_ratio": at["stored"],
        "clashes": next(iter(clashes.values())),
        "goal_vs_floor": vs_floor <= GOAL_VS_FLOOR,
        "goal_vs_naive": vs_naive >= GOAL_VS_NAIVE,
    }
    print("BENCH " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
