"""Public pages under load: the program and a group page of a center with 400 groups.

Runs on a throwaway test database (like Django's test runner) on DATABASE_URL, or SQLite.
Prints server time (median, p95, via the test client) and SQL queries per page at 40 and 400
groups; the query count must not grow. Ratios are against baselines measured in the same run:
the same page at 40 groups, and a trivial page (/healthz). Ends with `BENCH {json}`.

    .venv/bin/python bench/pages.py [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time as clock
from datetime import time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

WEEKS = 10  # dates per group


def build_center(slug: str, groups: int) -> str:
    """A center with `groups` public groups (plus a few internal), one weekly series each."""
    from bookings.models import Occurrence, OccurrenceState, Series
    from bookings.recurrence import expand
    from centers.models import Center, OpeningHours, Room
    from groups.models import Group, Language

    center = Center.objects.create(
        name=f"Zentrum {slug}", slug=slug, street="Am Platz 1", postal_code="46282", city="Dorsten"
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    rooms = Room.objects.bulk_create(
        Room(center=center, name=f"Raum {n}", capacity=20) for n in range(12)
    )
    languages = [
        Language.objects.get_or_create(code=c, defaults={"name_de": c, "name_en": c})[0]
        for c in ("de", "tr", "ar", "uk", "ru")
    ]
    kinds = [k for k, _ in Group.Kind.choices]
    audiences = [a for a, _ in Group.Audience.choices]
    created = Group.objects.bulk_create(
        Group(
            center=center,
            name=f"Gruppe {slug} {n:04}",
            slug=f"{slug}-gruppe-{n}",
            description="Ein offenes Angebot für alle aus dem Viertel.",
            kind=kinds[n % len(kinds)],
            audience=audiences[n % len(audiences)],
            free_of_charge=n % 3 != 0,
            fee="" if n % 3 else "3 € pro Termin",
            is_public=n % 10 != 9,
        )
        for n in range(groups)
    )
    Group.languages.through.objects.bulk_create(
        Group.languages.through(group_id=g.pk, language_id=languages[n % 5].pk)
        for n, g in enumerate(created)
    )
    today = timezone.localdate()
    series = []
    for n, group in enumerate(created):
        hour = 9 + (n % 12)
        series.append(
            Series(
                group=group,
                room=rooms[n % len(rooms)],
                status="confirmed",
                frequency="weekly",
                weekdays=[n % 7],
                start_date=today,
                start_time=time(hour),
                end_time=time(hour + 1),
            )
        )
    Series.objects.bulk_create(series)
    occurrences = []
    for n, s in enumerate(series):
        slots = expand(s.rule, center.tz, through=today + timedelta(weeks=WEEKS))
        for k, slot in enumerate(slots):
            cancelled = k == 1 and n % 4 == 0
            occurrences.append(
                Occurrence(
                    series=s,
                    room=s.room,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    original_start=slot.original_start,
                    state=OccurrenceState.CANCELLED if cancelled else OccurrenceState.CONFIRMED,
                    reason="Krankheit" if cancelled else "",
                )
            )
    Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    return created[0].slug


def measure(client: Client, url: str, runs: int) -> dict[str, float]:
    client.get(url)  # warm caches and templates
    times = []
    for _ in range(runs):
        start = clock.perf_counter()
        response = client.get(url)
        times.append((clock.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
    }


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        small_group = build_center("klein", 40)
        big_group = build_center("gross", 400)
        if connection.vendor == "postgresql":
            # Fresh bulk-loaded tables have no statistics yet; autovacuum gives a live database
            # these within a minute. Without them the planner picks nested loops for the filters.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        pages = {
            "center": "/centers/{}/",
            "program": "/centers/{}/program/",
            "program_filtered": "/centers/{}/program/?free=on&language=tr&time=afternoon",
            "group": "/groups/{}/",
        }
        counts: dict[str, dict[str, int]] = {}
        for name, pattern in pages.items():
            small = pattern.format(small_group if name == "group" else "klein")
            big = pattern.format(big_group if name == "group" else "gross")
            counts[name] = {"40": queries(client, small), "400": queries(client, big)}

        trivial = measure(client, "/healthz", args.runs)
        program_40 = measure(client, pages["program"].format("klein"), args.runs)
        program_400 = measure(client, pages["program"].format("gross"), args.runs)
        filtered_400 = measure(client, pages["program_filtered"].format("gross"), args.runs)
        group_400 = measure(client, pages["group"].format(big_group), args.runs)
        center_400 = measure(client, pages["center"].format("gross"), args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    def ratio(a: dict[str, float], b: dict[str, float]) -> float:
        return round(a["median_ms"] / b["median_ms"], 2)

    print(f"database: {connection.vendor}, {args.runs} runs per page, {WEEKS} weeks of dates")
    print(f"{'page':<18}{'queries@40':>11}{'queries@400':>12}")
    for name, c in counts.items():
        print(f"{name:<18}{c['40']:>11}{c['400']:>12}")
    rows = {
        "healthz (baseline)": trivial,
        "program @40": program_40,
        "program @400": program_400,
        "program filtered @400": filtered_400,
        "group page @400": group_400,
        "center page @400": center_400,
    }
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>9}{'x healthz':>10}")
    for name, r in rows.items():
        print(f"{name:<24}{r['median_ms']:>10}{r['p95_ms']:>9}{ratio(r, trivial):>10}")
    print(f"program @400 / program @40: {ratio(program_400, program_40)}")
    grows = any(c["400"] != c["40"] for c in counts.values())
    result = {
        "bench": "pages",
        "database": connection.vendor,
        "runs": args.runs,
        "queries": counts,
        "queries_grow_with_groups": grows,
        "ms": rows,
        "ratio_program_400_vs_40": ratio(program_400, program_40),
        "ratio_program_400_vs_healthz": ratio(program_400, trivial),
        "ratio_group_400_vs_healthz": ratio(group_400, trivial),
    }
    print("BENCH " + json.dumps(result, sort_keys=True))
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main())
