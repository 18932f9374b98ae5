"""The public dates endpoint of the API under load: a center with 400 weekly series (one group
each), a one-month window, its full answer and its 304.

Runs on a throwaway test database on DATABASE_URL, or SQLite. Prints server time (median, p95,
through the test client, after a warm-up) and SQL queries per request at 40 and 400 series;
the query count must not grow with the number of groups. Ratios are against baselines measured
in the same run: the same request at 40 series, and a trivial endpoint (/healthz).
Ends with `BENCH {json}`.

    .venv/bin/python bench/api.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

FIRST = date(2030, 3, 1)
WINDOW = f"?from={FIRST.isoformat()}&to={(FIRST + timedelta(days=30)).isoformat()}"
WEEKS = 8


def build_center(slug: str, groups: int) -> None:
    """`groups` public groups, each with one confirmed weekly series from February 2030."""
    from bookings.models import Occurrence, OccurrenceState, Series
    from bookings.recurrence import expand
    from centers.models import Center, OpeningHours, Room
    from groups.models import Group

    center = Center.objects.create(
        name=f"Zentrum {slug}", slug=slug, street="Am Platz 1", postal_code="46282", city="Dorsten"
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    rooms = Room.objects.bulk_create(
        Room(center=center, name=f"Raum {n}", capacity=20) for n in range(20)
    )
    created = Group.objects.bulk_create(
        Group(center=center, name=f"Gruppe {slug} {n:04}", slug=f"{slug}-{n}")
        for n in range(groups)
    )
    series = Series.objects.bulk_create(
        Series(
            group=group,
            room=rooms[n % len(rooms)],
            status="confirmed",
            frequency="weekly",
            weekdays=[n % 7],
            start_date=date(2030, 2, 1),
            start_time=time(8 + n % 13),
            end_time=time(9 + n % 13),
        )
        for n, group in enumerate(created)
    )
    rows = []
    for n, s in enumerate(series):
        for k, slot in enumerate(
            expand(s.rule, center.tz, through=date(2030, 2, 1) + timedelta(weeks=WEEKS))
        ):
            cancelled = k == 5 and n % 5 == 0
            rows.append(
                Occurrence(
                    series=s,
                    room=s.room,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    original_start=slot.original_start,
                    state=OccurrenceState.CANCELLED if cancelled else OccurrenceState.CONFIRMED,
                    reason="Ferien" if cancelled else "",
                )
            )
    Occurrence.objects.bulk_create(rows, batch_size=2000)


def measure(client: Client, url: str, runs: int, expect: int, **headers: str) -> dict[str, float]:
    for _ in range(2):  # warm-up
        client.get(url, **headers)
    times = []
    for _ in range(runs):
        start = clock.perf_counter()
        response = client.get(url, **headers)
        times.append((clock.perf_counter() - start) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
    }


def queries(client: Client, url: str, expect: int, **headers: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == expect
    return len(captured)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    settings.API_THROTTLE_RATES = {"ip": "1000000/min", "token": "1000000/min"}

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        build_center("klein", 40)
        build_center("gross", 400)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        full = "/api/v1/centers/{}/dates/" + WINDOW + "&page_size=1000"
        first_page = "/api/v1/centers/{}/dates/" + WINDOW
        etag = {s: client.get(full.format(s))["ETag"] for s in ("klein", "gross")}
        counts = {
            "dates_page": {
                "40": queries(client, first_page.format("klein"), 200),
                "400": queries(client, first_page.format("gross"), 200),
            },
            "dates_full": {
                "40": queries(client, full.format("klein"), 200),
                "400": queries(client, full.format("gross"), 200),
            },
            "dates_304": {
                "40": queries(client, full.format("klein"), 304, HTTP_IF_NONE_MATCH=etag["klein"]),
                "400": queries(client, full.format("gross"), 304, HTTP_IF_NONE_MATCH=etag["gross"]),
            },
        }
        rows_400 = client.get(full.format("gross")).json()["count"]
        trivial = measure(client, "/healthz", args.runs, 200)
        full_40 = measure(client, full.format("klein"), args.runs, 200)
        full_400 = measure(client, full.format("gross"), args.runs, 200)
        page_400 = measure(client, first_page.format("gross"), args.runs, 200)
        not_modified_400 = measure(
            client, full.format("gross"), args.runs, 304, HTTP_IF_NONE_MATCH=etag["gross"]
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    def ratio(a: dict[str, float], b: dict[str, float]) -> float:
        return round(a["median_ms"] / b["median_ms"], 2)

    print(f"database: {connection.vendor}, {args.runs} runs, one month: {rows_400} dates @400")
    print(f"{'request':<14}{'queries@40':>11}{'queries@400':>12}")
    for name, c in counts.items():
        print(f"{name:<14}{c['40']:>11}{c['400']:>12}")
    rows = {
        "healthz (baseline)": trivial,
        "month @40 (all)": full_40,
        "month @400 (all)": full_400,
        "month @400 page 1": page_400,
        "month @400 304": not_modified_400,
    }
    print(f"{'request':<22}{'median ms':>10}{'p95 ms':>9}{'x healthz':>10}")
    for name, r in rows.items():
        print(f"{name:<22}{r['median_ms']:>10}{r['p95_ms']:>9}{ratio(r, trivial):>10}")
    grows = any(c["400"] != c["40"] for c in counts.values())
    result = {
        "bench": "api",
        "database": connection.vendor,
        "runs": args.runs,
        "dates_in_month_400": rows_400,
        "queries": counts,
        "queries_grow_with_groups": grows,
        "ms": rows,
        "ratio_month_400_vs_40": ratio(full_400, full_40),
        "ratio_month_400_vs_healthz": ratio(full_400, trivial),
        "ratio_304_vs_full_400": ratio(not_modified_400, full_400),
        "ratio_304_vs_healthz": ratio(not_modified_400, trivial),
    }
    print("BENCH " + json.dumps(result, sort_keys=True))
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main())
