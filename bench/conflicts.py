"""Conflict check of a new 52-week series against a busy center, with its baselines.

A center with 30 rooms (one hall divisible into two halves) and 400 weekly series, about 20,000
confirmed dates a year, each with its room blocks, plus the same rules as django-scheduler
events. Times `bookings.conflicts.check` for a new weekly series in the hall and compares it with
(a) the naive way: expand every django-scheduler event of the center over the year in Python and
compare each date with each candidate; (b) the floor: one hand-written SQL overlap query for the
same 52 ranges. Then the check again at about 2,000, 20,000 and 200,000 stored dates.

Run: DATABASE_URL=postgres://… .venv/bin/python bench/conflicts.py (SQLite when unset).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import median_ms, setup_django, throwaway_database

setup_django()

from django.db import connection  # noqa: E402
from schedule.models import Calendar, Event, Rule  # noqa: E402

from accounts.models import User  # noqa: E402
from bookings.conflicts import check  # noqa: E402
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series  # noqa: E402
from bookings.recurrence import RecurrenceRule, expand  # noqa: E402
from centers.models import Center, Equipment, OpeningHours, Room  # noqa: E402
from groups.models import Group  # noqa: E402

BASE = date(2027, 1, 4)  # a Monday: the year the new series asks for
WEEKS = 52
SESSION_STARTS = [time(8 + 2 * k, 15) for k in range(7)]  # 1.5 h sessions; ≤15 min buffers
SESSION = timedelta(minutes=90)
RUNS = 25
NAIVE_RUNS = 1  # seconds per run: the brief allows the baseline fewer repetitions


def build_center() -> tuple[Center, list[Room], dict[int, list[int]], Equipment]:
    """A center with 30 rooms: a hall with two halves and 27 plain rooms; units per room."""
    center = Center.objects.create(
        name="Bench Zentrum",
        slug="bench",
        street="Hauptstraße 1",
        postal_code="44135",
        city="Dortmund",
        federal_state="NW",
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    projector = Equipment.objects.create(code="projector", name="Beamer", name_en="Projector")
    hall = Room.objects.create(
        center=center, name="Saal", capacity=120, setup_minutes=15, cleanup_minutes=15
    )
    halves = [
        Room.objects.create(
            center=center, name=f"Saal {x}", capacity=60, parent=hall, cleanup_minutes=15
        )
        for x in "AB"
    ]
    plain = Room.objects.bulk_create(
        Room(
            center=center,
            name=f"Raum {n}",
            capacity=10 + n,
            setup_minutes=15 * (n % 2),
            cleanup_minutes=15 * (n % 3 == 0),
        )
        for n in range(1, 28)
    )
    hall.equipment.add(projector)
    rooms = [hall, *halves, *plain]
    units = {r.pk: [r.pk] for r in rooms}
    units[hall.pk] = [hall.pk] + [h.pk for h in halves]
    return center, rooms, units, projector


def allocate(rooms: list[Room], units: dict[int, list[int]], n: int) -> list[tuple]:
    """`n` weekly (room, weekday, session) triples whose room units never overlap."""
    combos = [(r, d, k) for r in rooms for d in range(7) for k in range(len(SESSION_STARTS))]
    random.Random(42).shuffle(combos)
    taken: set[tuple[int, int, int]] = set()
    chosen = []
    for room, day, k in combos:
        keys = {(u, day, k) for u in units[room.pk]}
        if keys & taken:
            continue
        taken |= keys
        chosen.append((room, day, k))
        if len(chosen) == n:
            break
    return chosen


def create_series(center: Center, triples: list[tuple], offset: int) -> list[Series]:
    user = User.objects.first() or User.objects.create_user(username="bench")
    groups = Group.objects.bulk_create(
        Group(center=center, name=f"Gruppe {offset + i}", slug=f"gruppe-{offset + i}")
        for i in range(len(triples))
    )
    return Series.objects.bulk_create(
        Series(
            group=group,
            room=room,
            created_by=user,
            status="confirmed",
            frequency="weekly",
            weekdays=[day],
            start_date=BASE + timedelta(days=day),
            start_time=SESSION_STARTS[k],
            end_time=(datetime.combine(BASE, SESSION_STARTS[k]) + SESSION).time(),
            until=BASE + timedelta(weeks=WEEKS),
        )
        for group, (room, day, k) in zip(groups, triples, strict=True)
    )


def create_dates(series: list[Series], rooms: dict[int, Room], units, weeks: range) -> int:
    """Confirmed occurrences of each series in `weeks` (relative to BASE) and their blocks."""
    tz = rooms[series[0].room_id].center.tz
    created = 0
    for chunk_start in range(0, len(series), 50):
        occurrences = []
        for s in series[chunk_start : chunk_start + 50]:
            for week in weeks:
                day = s.start_date + timedelta(weeks=week)
                start = datetime.combine(day, s.start_time, tzinfo=tz).astimezone(UTC)
                occurrences.append(
                    Occurrence(
                        series=s,
                        room_id=s.room_id,
                        starts_at=start,
                        ends_at=start + SESSION,
                        original_start=start,
                        state=OccurrenceState.CONFIRMED,
                    )
                )
        Occurrence.objects.bulk_create(occurrences, batch_size=5000)
        blocks = []
        for o in occurrences:
            room = rooms[o.room_id]
            begin = o.starts_at - timedelta(minutes=room.setup_minutes)
            end = o.ends_at + timedelta(minutes=room.cleanup_minutes)
            blocks.extend(
                RoomBlock(occurrence_id=o.pk, room_id=u, starts_at=begin, ends_at=end)
                for u in units[o.room_id]
            )
        RoomBlock.objects.bulk_create(blocks, batch_size=5000)
        created += len(occurrences)
    return created


def create_events(center: Center, series: list[Series]) -> Calendar:
    """The same weekly rules as django-scheduler events on one calendar of the center."""
    calendar = Calendar.objects.create(name=center.name, slug=f"{center.slug}-calendar")
    tz = center.tz
    rules = Rule.objects.bulk_create(
        Rule(name=f"weekly {s.pk}", description="weekly", frequency="WEEKLY") for s in series
    )
    events = []
    for s, rule in zip(series, rules, strict=True):
        start = datetime.combine(s.start_date, s.start_time, tzinfo=tz)
        events.append(
            Event(
                calendar=calendar,
                rule=rule,
                title=str(s.group_id),
                start=start,
                end=start + SESSION,
                end_recurring_period=datetime.combine(s.until, time(23, 59), tzinfo=tz),
            )
        )
    Event.objects.bulk_create(events)
    for s, event in zip(series, events, strict=True):
        s.event = event
    Series.objects.bulk_update(series, ["event"], batch_size=500)
    return calendar


def naive(calendar: Calendar, hall: Room, units, slots, year: tuple[datetime, datetime]) -> int:
    """What a Django user would write: expand every event of the center, compare with each date."""
    wanted = set(units[hall.pk])
    held = [(s.starts_at - timedelta(minutes=15), s.ends_at + timedelta(minutes=15)) for s in slots]
    clashes = 0
    for event in Event.objects.filter(calendar=calendar).select_related("treffpunkt_series__room"):
        room = event.treffpunkt_series.room
        for occ in event.get_occurrences(*year):
            begin = occ.start - timedelta(minutes=room.setup_minutes)
            end = occ.end + timedelta(minutes=room.cleanup_minutes)
            for start, stop in held:
                if room.pk in wanted and begin < stop and end > start:
                    clashes += 1
    return clashes


def floor_queries(units: list[int], ranges: list[tuple[datetime, datetime]]) -> dict:
    """Hand-written single overlap queries for these ranges; the fastest is the floor."""
    reach = timedelta(days=2, minutes=30)
    adapt = connection.ops.adapt_datetimefield_value
    marks = ",".join("%s" for _ in units)
    overlap = " OR ".join(
        f"(room_id IN ({marks}) AND starts_at < %s AND starts_at > %s AND ends_at > %s)"
        for _ in ranges
    )
    or_params: list = []
    for start, end in ranges:
        or_params += [*units, adapt(end), adapt(start - reach), adapt(start)]
    or_sql = f"SELECT id, starts_at, ends_at FROM bookings_roomblock WHERE {overlap}"
    variants = {"or_of_ranges": (or_sql, or_params)}
    if connection.vendor == "postgresql":
        pairs = [(u, s, e) for u in units for s, e in ranges]
        variants["unnest_lateral"] = (
            "SELECT b.id, b.starts_at, b.ends_at"
            " FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS c(u, s, e)"
            " CROSS JOIN LATERAL (SELECT id, starts_at, ends_at FROM bookings_roomblock"
            " WHERE room_id = c.u AND starts_at < c.e AND starts_at > c.s - %s"
            " AND ends_at > c.s OFFSET 0) b",
            [[p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs], reach],
        )

    def runner(sql: str, params: list):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run

    return {name: runner(*v) for name, v in variants.items()}


def interleaved(fns: dict, runs: int) -> dict[str, float]:
    """Median ms of each function, run in turns so that load from elsewhere hits all alike."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            started = clock.perf_counter()
            fn()
            times[name].append((clock.perf_counter() - started) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def clone_history(years: int) -> int:
    """Copy every stored date (with its blocks) 1…`years` × 52 weeks into the past, in SQL."""
    if connection.vendor == "postgresql":
        numbers = f"SELECT generate_series(1, {years}) AS n"
        shift = "{} - make_interval(weeks => 52 * y.n)"
    else:
        numbers = (
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t"
            f" WHERE n < {years}) SELECT n FROM t"
        )
        shift = "strftime('%Y-%m-%d %H:%M:%S', {}, '-' || (364 * y.n) || ' days')"
    occ = ", ".join(shift.format(c) for c in ("o.starts_at", "o.ends_at", "o.original_start"))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookings_occurrence (series_id, room_id, starts_at, ends_at,"
            " original_start, state, reason, sequence, created_at, updated_at)"
            f" SELECT o.series_id, o.room_id, {occ}, o.state, o.reason, o.sequence,"
            f" o.created_at, o.updated_at FROM bookings_occurrence o, ({numbers}) y"
        )
        added = cursor.rowcount
        cursor.execute(
            "INSERT INTO bookings_roomblock (occurrence_id, room_id, starts_at, ends_at)"
            f" SELECT n.id, b.room_id, {shift.format('b.starts_at')}, {shift.format('b.ends_at')}"
            " FROM bookings_roomblock b JOIN bookings_occurrence o ON o.id = b.occurrence_id"
            f" CROSS JOIN ({numbers}) y JOIN bookings_occurrence n ON n.series_id = o.series_id"
            f" AND n.original_start = {shift.format('o.original_start')}"
        )
    return added


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> int:
    started = clock.perf_counter()
    with throwaway_database("bench_conflicts"):
        center, rooms, units, projector = build_center()
        by_id = {r.pk: r for r in rooms}
        for r in rooms:
            r.center = center
        triples = allocate(rooms, units, 400)
        hall = Room.objects.select_related("center").get(pk=rooms[0].pk)
        tz = center.tz
        rule = RecurrenceRule(
            start_date=BASE + timedelta(days=1),
            start_time=time(17),
            end_time=time(19),
            frequency="weekly",
            weekdays=(1,),
            count=WEEKS,
        )
        slots = expand(rule, tz)

        def run_check():
            return check(room=hall, slots=slots, expected_participants=25, equipment=[projector])

        curve: dict[str, float] = {}
        stored = 0
        series = create_series(center, triples[:40], 0)
        stored += create_dates(series, by_id, units, range(WEEKS))
        analyse()
        curve["2000"] = median_ms(run_check, RUNS)
        print(f"{stored:>7} stored dates: check {curve['2000']:.2f} ms", flush=True)

        series += create_series(center, triples[40:], 40)
        stored += create_dates(series[40:], by_id, units, range(WEEKS))
        analyse()
        report = run_check()
        print(f"{stored:>7} stored dates", flush=True)
        clashing = len(report.clashing)
        print(f"   new series: {len(slots)} dates, {clashing} clash", flush=True)

        # Baselines on the same 20k data.
        held = [
            (s.starts_at - timedelta(minutes=15), s.ends_at + timedelta(minutes=15)) for s in slots
        ]
        hall_units = units[hall.pk]
        floors = floor_queries(hall_units, held)
        floor_rows = {name: len(fn()) for name, fn in floors.items()}
        timed = interleaved({"check": run_check, **floors}, RUNS)
        for name, ms in timed.items():
            rows = f" ({floor_rows[name]} blocks)" if name in floor_rows else ""
            print(f"   {name:>16}: {ms:.2f} ms{rows}", flush=True)
        floor_ms = min(ms for name, ms in timed.items() if name in floors)
        curve["20000"] = timed["check"]
        calendar = create_events(center, series)
        year = (
            datetime.combine(BASE, time(0), tzinfo=tz),
            datetime.combine(BASE + timedelta(weeks=WEEKS), time(0), tzinfo=tz),
        )
        naive_runs = []
        for _ in range(NAIVE_RUNS):
            started_naive = clock.perf_counter()
            naive_clashes = naive(calendar, hall, units, slots, year)
            naive_runs.append((clock.perf_counter() - started_naive) * 1000)
        naive_ms = statistics.median(naive_runs)
        median = curve["20000"]
        print(f"   naive django-scheduler: {naive_ms:.0f} ms ({naive_clashes} overlaps)")

        # Ten years of history for the same center: the check must not notice.
        stored += clone_history(9)
        analyse()
        curve["200000"] = median_ms(run_check, RUNS)
        print(f"{stored:>7} stored dates: check {curve['200000']:.2f} ms", flush=True)

        print(
            f"check is {naive_ms / median:.0f}x faster than naive, "
            f"{median / floor_ms:.2f}x the floor ({connection.vendor}); "
            f"bench took {clock.perf_counter() - started:.0f} s"
        )
    result = {
        "name": "conflicts",
        "median_ms": round(median, 3),
        "naive_ms": round(naive_ms, 1),
        "floor_ms": round(floor_ms, 3),
        "ratio_vs_naive": round(naive_ms / median, 1),
        "ratio_vs_floor": round(median / floor_ms, 2),
        "curve_ms": {k: round(v, 3) for k, v in curve.items()},
    }
    print("BENCH " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
