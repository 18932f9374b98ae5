"""A year's report for a center with 400 weekly series and their attendance.

Runs on a throwaway test database (like Django's test runner) on DATABASE_URL, or SQLite.
Each center has one weekly series per group over two years (the report year and the year
before, for the trend), every date held with a count and a breakdown. Measured through the
test client (server time: queries, figures, charts, template):
- the report page at 400 groups, warm (charts in the cache, as for anyone looking again or
  exporting after looking) and cold (every chart drawn anew);
- the figures alone (the queries and tables, no page);
- baselines from the same run: the same page at 40 groups, and /healthz.
SQL queries of the page at 40 and 400 groups must be equal. Goal: warm page ≤ 300 ms at 400.
Ends with `BENCH {json}`.

    .venv/bin/python bench/reports.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time as clock
from datetime import date, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

GOAL_MS = 300
YEAR = date.today().year - 1


def build_center(slug: str, groups: int, staff: object) -> None:
    """A center with `groups` groups, one weekly series each, two years of held dates."""
    from attendance.models import Attendance, BreakdownCategory
    from bookings.models import Occurrence, OccurrenceState, Series
    from bookings.recurrence import expand
    from centers.models import Center, OpeningHours, Room
    from groups.models import Group, Organisation

    center = Center.objects.create(
        name=f"Zentrum {slug}", slug=slug, street="Am Platz 1", postal_code="46282", city="Dorsten"
    )
    center.staff.add(staff)
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    rooms = Room.objects.bulk_create(
        Room(center=center, name=f"Raum {n}", capacity=30) for n in range(20)
    )
    keys = [
        BreakdownCategory.objects.create(center=center, dimension=d, name=n, position=i).key
        for i, (d, n) in enumerate(
            [("Alter", "unter 18"), ("Alter", "18–64"), ("Alter", "65+"), ("Neu", "neu")]
        )
    ]
    organisations = [Organisation.objects.get_or_create(name=f"Träger {n}")[0] for n in range(5)]
    kinds = [k for k, _ in Group.Kind.choices]
    created = Group.objects.bulk_create(
        Group(
            center=center,
            name=f"Gruppe {slug} {n:04}",
            slug=f"{slug}-gruppe-{n}",
            kind=kinds[n % len(kinds)],
            organisation=organisations[n % 5],
        )
        for n in range(groups)
    )
    series = Series.objects.bulk_create(
        Series(
            group=group,
            room=rooms[n % len(rooms)],
            status="confirmed",
            frequency="weekly",
            weekdays=[n % 7],
            start_date=date(YEAR - 1, 1, 1),
            start_time=time(8 + n % 13),
            end_time=time(9 + n % 13, 30),
        )
        for n, group in enumerate(created)
    )
    rows = []
    for s in series:
        for k, slot in enumerate(expand(s.rule, center.tz, through=date(YEAR, 12, 31))):
            state = OccurrenceState.CANCELLED if k % 17 == 3 else OccurrenceState.CONFIRMED
            rows.append(
                Occurrence(
                    series=s,
                    room=s.room,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    original_start=slot.original_start,
                    state=state,
                    cause="group" if state == OccurrenceState.CANCELLED else "",
                )
            )
    Occurrence.objects.bulk_create(rows, batch_size=2000)
    rng = random.Random(slug)
    Attendance.objects.bulk_create(
        (
            Attendance(
                occurrence=o,
                participants=(people := rng.randint(3, 25)),
                breakdown={keys[0]: people // 3, keys[1]: people // 2, keys[3]: 1},
                volunteer_hours=2,
            )
            for o in rows
            if o.state == OccurrenceState.CONFIRMED
        ),
        batch_size=2000,
    )
    return len(rows)


def measure(client: Client, url: str, runs: int, *, cold: bool = False) -> dict[str, float]:
    client.get(url)  # warm-up: imports, templates, and (for warm runs) the chart cache
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        start = clock.perf_counter()
        response = client.get(url)
        times.append((clock.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
    }


def measure_fn(fn, runs: int) -> dict[str, float]:
    fn()
    times = []
    for _ in range(runs):
        start = clock.perf_counter()
        fn()
        times.append((clock.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(times[-1], 1)}


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from accounts.models import User
        from centers.models import Center
        from reports import period
        from reports.scope import Scope
        from reports.selectors import report

        staff = User.objects.create_user("bench-staff", password="x", preferred_language="de")
        started = clock.perf_counter()
        dates_small = build_center("klein", 40, staff)
        dates_big = build_center("gross", 400, staff)
        built_s = round(clock.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(staff)
        url = "/staff/{}/reports/?period=year&year=" + str(YEAR)
        counts = {
            "40": queries(client, url.format("klein")),
            "400": queries(client, url.format("gross")),
        }
        trivial = measure(client, "/healthz", args.runs)
        page_40 = measure(client, url.format("klein"), args.runs)
        page_400 = measure(client, url.format("gross"), args.runs)
        cold_400 = measure(client, url.format("gross"), max(3, args.runs // 2), cold=True)
        big = Center.objects.get(slug="gross")
        figures_400 = measure_fn(lambda: report(Scope(center=big), period.year(YEAR)), args.runs)
        xlsx_url = url.format("gross").replace("reports/?", "reports/export.xlsx?")
        xlsx_400 = measure(client, xlsx_url, 3)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    def ratio(a: dict[str, float], b: dict[str, float]) -> float:
        return round(a["median_ms"] / b["median_ms"], 2)

    print(
        f"database: {connection.vendor}, report year {YEAR}, {args.runs} runs; "
        f"{dates_small} dates at 40 groups, {dates_big} at 400 (built in {built_s} s)"
    )
    print(f"queries per report page: {counts['40']} at 40 groups, {counts['400']} at 400")
    rows = {
        "healthz (baseline)": trivial,
        "report page @40": page_40,
        "report page @400 (warm)": page_400,
        "report page @400 (cold charts)": cold_400,
        "figures only @400": figures_400,
        "xlsx export @400": xlsx_400,
    }
    print(f"{'what':<32}{'median ms':>10}{'p95 ms':>9}{'x healthz':>10}")
    for name, r in rows.items():
        print(f"{name:<32}{r['median_ms']:>10}{r['p95_ms']:>9}{ratio(r, trivial):>10}")
    grows = counts["400"] != counts["40"]
    within = page_400["median_ms"] <= GOAL_MS
    print(f"report @400 / @40: {ratio(page_400, page_40)}; goal ≤ {GOAL_MS} ms (warm): {within}")
    # Wall times on a shared machine grow with its load; the load average says how busy it was.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(f"load average during the run: {load}, {os.cpu_count()} cores")
    result = {
        "bench": "reports",
        "database": connection.vendor,
        "runs": args.runs,
        "dates": {"40": dates_small, "400": dates_big},
        "queries": counts,
        "queries_grow_with_groups": grows,
        "ms": rows,
        "goal_ms": GOAL_MS,
        "within_goal": within,
        "ratio_page_400_vs_40": ratio(page_400, page_40),
        "ratio_page_400_vs_healthz": ratio(page_400, trivial),
        "load_average": load,
        "cores": os.cpu_count(),
    }
    print("BENCH " + json.dumps(result, sort_keys=True))
    return 1 if grows or not within else 0


if __name__ == "__main__":
    sys.exit(main())
