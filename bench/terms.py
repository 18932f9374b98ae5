"""Planning the next term: proposals with their conflict reports for a center with 400 series.

Runs on a throwaway test database on DATABASE_URL (or SQLite). Builds two centers whose ending
term has 40 and 400 weekly series (some pause in the school holidays; open-ended series run on
into the next term and clash with a few proposals), opens a planning round for each, and times
`planning.selectors.wish_reports` — every proposal classified against the next term's public
and school holidays, closures, bookings and all the other proposals — and the whole planning
page. Baselines measured in the same run: the same work at 40 series, and the naive way (one
`bookings.conflicts.check` per proposal). Goal: 400 series in <= 2 s, and the number of SQL
queries the same at 40 and 400 series. Ends with `BENCH {json}`.

    .venv/bin/python bench/terms.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time as clock
from datetime import datetime, time, timedelta
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

GOAL_MS = 2000
ROOMS = 20
DAYS = 5  # Monday to Friday
SLOTS = (9, 11, 14, 16, 18)  # two-hour slots


def build(slug: str, series_count: int) -> tuple[object, object]:
    """A center whose ending term holds `series_count` weekly series; returns (round, staff)."""
    from accounts.models import User
    from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series
    from bookings.recurrence import RecurrenceRule, expand
    from centers.models import Center, Closure, OpeningHours, Room, Term
    from groups.models import Group
    from notifications.outbox import suppressed
    from planning import services

    today = timezone.localdate()
    ending = Term(
        name="Laufend", first_day=today - timedelta(days=90), last_day=today + timedelta(days=30)
    )
    coming = Term(
        name="Nächstes", first_day=today + timedelta(days=31), last_day=today + timedelta(days=200)
    )
    center = Center.objects.create(
        name=f"Zentrum {slug}", slug=slug, street="Am Platz 1", postal_code="46282", city="Dorsten"
    )
    for term in (ending, coming):
        term.center = center
        term.save()
    staff = User.objects.create_user(username=f"staff-{slug}", password="x")
    center.staff.add(staff)
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    rooms = Room.objects.bulk_create(
        Room(center=center, name=f"Raum {n}", capacity=30, requires_approval=False)
        for n in range(ROOMS)
    )
    kinds = ["meeting", "course", "cafe", "counselling"]
    groups = Group.objects.bulk_create(
        Group(
            center=center,
            name=f"Gruppe {slug} {n:04}",
            slug=f"{slug}-g{n}",
            kind=kinds[n % len(kinds)],
            free_of_charge=n % 3 != 0,
            fee="" if n % 3 else "3 €",
        )
        for n in range(series_count + series_count // 10)
    )
    tz = center.tz
    series, rules = [], []
    for n in range(series_count):
        room, rest = rooms[n % ROOMS], n // ROOMS
        day, hour = rest % DAYS, SLOTS[(rest // DAYS) % len(SLOTS)]
        rule = RecurrenceRule(
            start_date=ending.first_day,
            start_time=time(hour),
            end_time=time(hour + 2),
            frequency="weekly",
            weekdays=(day,),
            until=ending.last_day + timedelta(days=14),  # runs a little into the next term
        )
        rules.append(rule)
        series.append(
            Series(
                group=groups[n],
                room=room,
                status="confirmed",
                frequency="weekly",
                weekdays=[day],
                start_date=rule.start_date,
                start_time=rule.start_time,
                end_time=rule.end_time,
                until=rule.until,
                pauses_in_school_holidays=groups[n].kind == "course",
            )
        )
    # Open-ended series that run on into the next term: a tenth of them in a proposal's slot.
    for k in range(series_count // 10):
        room = rooms[(k * 7) % ROOMS]
        day, hour = k % DAYS, SLOTS[(k + k // ROOMS) % len(SLOTS)] + 1
        rule = RecurrenceRule(
            # After the ending series' last weeks: confirmed bookings never overlap.
            start_date=coming.first_day + timedelta(days=21),
            start_time=time(hour),
            end_time=time(hour + 1),
            frequency="weekly",
            weekdays=(day,),
        )
        rules.append(rule)
        series.append(
            Series(
                group=groups[series_count + k],
                room=room,
                status="confirmed",
                frequency="weekly",
                weekdays=[day],
                start_date=rule.start_date,
                start_time=rule.start_time,
                end_time=rule.end_time,
            )
        )
    Series.objects.bulk_create(series)
    rows = []
    for s, rule in zip(series, rules, strict=True):
        for slot in expand(rule, tz, through=coming.last_day):
            rows.append(
                Occurrence(
                    series=s,
                    room=s.room,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    original_start=slot.original_start,
                    state=OccurrenceState.CONFIRMED,
                )
            )
    Occurrence.objects.bulk_create(rows, batch_size=2000)
    RoomBlock.objects.bulk_create(
        (
            RoomBlock(occurrence=o, room_id=o.room_id, starts_at=o.starts_at, ends_at=o.ends_at)
            for o in rows
        ),
        batch_size=2000,
    )
    start = datetime.combine(coming.first_day + timedelta(days=20), time.min, tzinfo=tz)
    Closure.objects.create(
        center=center, starts_at=start, ends_at=start + timedelta(days=3), reason="Renovierung"
    )
    with suppressed():
        round = services.round_create(
            user=staff,
            center=center,
            term=coming,
            previous_term=ending,
            deadline=timezone.now() + timedelta(days=7),
        )
    return round, staff


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = clock.perf_counter()
        fn()
        times.append((clock.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = max(5, args.runs)

    from bookings import conflicts
    from bookings.policy import HolidayPolicy
    from bookings.recurrence import expand
    from bookings.services import school_holidays_import
    from centers import demo_data
    from centers.school_holidays import parse_ics
    from planning import selectors
    from planning.models import Round

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        periods = parse_ics(demo_data.SCHOOL_HOLIDAYS_FILE.read_bytes()).periods
        school_holidays_import(user=None, state="NW", periods=periods, sample=True)
        small, _ = build("klein", 40)
        big, staff = build("gross", 400)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        def load(round_pk: int) -> Round:
            return Round.objects.select_related("center", "term", "previous_term").get(pk=round_pk)

        small, big = load(small.pk), load(big.pk)
        counts = {}
        for name, planned in (("40", small), ("400", big)):
            selectors.wish_reports(planned)
            with CaptureQueriesContext(connection) as captured:
                reports = selectors.wish_reports(planned)
            counts[name] = len(captured)
            clashing = sum(1 for r in reports.values() if r.clashing)
            skipping = sum(1 for r in reports.values() if r.skipped)
            print(
                f"{name} series: {len(reports)} proposals, {clashing} with clashes, "
                f"{skipping} with skipped dates, {counts[name]} queries"
            )
        core_40 = median_ms(lambda: selectors.wish_reports(small), runs)
        core_400 = median_ms(lambda: selectors.wish_reports(big), runs)

        first, last = selectors.term_window(big)
        wishes = selectors.round_wishes(big)

        def naive() -> None:
            """One engine check per proposal (no competition between proposals even)."""
            for wish in wishes:
                conflicts.check(
                    room=wish.room,
                    slots=expand(wish.rule(first, last), big.center.tz),
                    expected_participants=wish.expected_participants,
                    policy=HolidayPolicy(
                        wish.meets_on_public_holidays, wish.pauses_in_school_holidays
                    ),
                    now=timezone.now(),
                )

        with CaptureQueriesContext(connection) as captured:
            naive()
        naive_queries = len(captured)
        naive_400 = median_ms(naive, runs)

        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        client.force_login(staff)
        url = f"/staff/{big.center.slug}/planning/{big.pk}/"
        assert client.get(url).status_code == 200
        page_400 = median_ms(lambda: client.get(url), runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    grows = counts["40"] != counts["400"]
    ok = core_400 <= GOAL_MS and not grows
    print(f"database: {connection.vendor}, {runs} runs after a warm-up")
    print(f"proposals with reports @40:   {core_40:>8} ms")
    print(f"proposals with reports @400:  {core_400:>8} ms  (goal <= {GOAL_MS} ms)")
    print(f"naive, one check each @400:   {naive_400:>8} ms  ({naive_queries} queries)")
    print(f"planning page @400 (GET):     {page_400:>8} ms")
    print(f"queries @40 / @400: {counts['40']} / {counts['400']}")
    result = {
        "bench": "terms",
        "database": connection.vendor,
        "runs": runs,
        "ms": {
            "reports_40": core_40,
            "reports_400": core_400,
            "naive_400": naive_400,
            "page_400": page_400,
        },
        "queries": {
            "reports_40": counts["40"],
            "reports_400": counts["400"],
            "naive_400": naive_queries,
        },
        "queries_grow_with_series": grows,
        "ratio_400_vs_40": round(core_400 / core_40, 2),
        "ratio_400_vs_naive": round(core_400 / naive_400, 2),
        "goal_ms": GOAL_MS,
        "ok": ok,
    }
    print("BENCH " + json.dumps(result, sort_keys=True))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
