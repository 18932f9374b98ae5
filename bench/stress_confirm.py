"""Stress the no-double-booking guarantee: many processes confirm clashing requests at once.

Each round, every worker process confirms its own pending request for the same room at
overlapping times, released together by a barrier. Exactly one per round may win. At the end a
SQL query looks for overlapping room blocks or confirmed dates: there must be none.

    DATABASE_URL=postgres://… python bench/stress_confirm.py [--workers 8] [--rounds 130]

Needs PostgreSQL (SQLite serializes every writer, which the concurrency tests cover). Runs in
a throwaway database. Ends with one line `BENCH {json}`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django, throwaway_database

NAME = "stress_confirm"


def _world(workers: int, rounds: int) -> tuple[int, list[list[int]]]:
    """A center, a room that needs approval, and per round one pending request per worker."""
    from accounts.models import User
    from bookings.models import Occurrence, Series
    from centers.holidays import public_holidays
    from centers.models import Center, Room
    from groups.models import Group

    center = Center.objects.create(
        name="Stresszentrum", slug="stress", street="x", postal_code="1", city="x"
    )
    staff = User.objects.create_user(username="stress-staff")
    center.staff.add(staff)
    room = Room.objects.create(center=center, name="Saal", capacity=50, requires_approval=True)
    groups = Group.objects.bulk_create(
        Group(center=center, name=f"Gruppe {w}", slug=f"stress-{w}") for w in range(workers)
    )
    tz = center.tz
    plan: list[list[int]] = []
    first = date(2031, 1, 6)
    # Public holidays would make every request of a round clash (hard): leave them out.
    holidays = public_holidays(center.federal_state, first, first + timedelta(days=2 * rounds))
    days = [first + timedelta(days=n) for n in range(2 * rounds)]
    for day in [d for d in days if d not in holidays][:rounds]:
        series = Series.objects.bulk_create(
            Series(
                group=g,
                room=room,
                created_by=staff,
                start_date=day,
                start_time=datetime.min.time().replace(hour=18, minute=w),
                end_time=datetime.min.time().replace(hour=20),
            )
            for w, g in enumerate(groups)
        )
        Occurrence.objects.bulk_create(
            Occurrence(
                series=s,
                room=room,
                starts_at=datetime(day.year, day.month, day.day, 18, w, tzinfo=tz),
                ends_at=datetime(day.year, day.month, day.day, 20, tzinfo=tz),
                original_start=datetime(day.year, day.month, day.day, 18, w, tzinfo=tz),
            )
            for w, s in enumerate(series)
        )
        plan.append([s.pk for s in series])
    return staff.pk, plan


def _worker(index: int, staff_id: int, plan: list[list[int]], barrier, results) -> None:
    """Confirm this worker's request of every round, at the same moment as the others."""
    from django.db import connections

    connections.close_all()  # never share the parent's connection across a fork
    from django.core.exceptions import ValidationError

    from accounts.models import User
    from bookings import services
    from bookings.errors import BookingConflict, is_decided_meanwhile
    from bookings.models import Series

    staff = User.objects.get(pk=staff_id)
    won = lost = failed = 0
    for round_ids in plan:
        series = Series.objects.select_related("group__center", "room").get(pk=round_ids[index])
        barrier.wait()
        try:
            services.series_confirm(user=staff, series=series)
            won += 1
        except BookingConflict:
            lost += 1
        except ValidationError as error:
            if not is_decided_meanwhile(error):  # else: lost the race before reading its dates
                failed += 1
                print(f"worker {index}: {error!r}", file=sys.stderr)
            else:
                lost += 1
        except Exception as error:
            failed += 1
            print(f"worker {index}: {error!r}", file=sys.stderr)
    connections.close_all()
    results.put((won, lost, failed))


def _overlaps() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM bookings_roomblock a JOIN bookings_roomblock b
              ON a.room_id = b.room_id AND a.id < b.id AND a.occurrence_id <> b.occurrence_id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            """
        )
        blocks = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM bookings_occurrence a JOIN bookings_occurrence b
              ON a.room_id = b.room_id AND a.id < b.id
             AND a.state = 'confirmed' AND b.state = 'confirmed'
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            """
        )
        return blocks + cursor.fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=130)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("stress_confirm needs PostgreSQL: set DATABASE_URL=postgres://…")
        print("BENCH " + json.dumps({"name": NAME, "skipped": "needs PostgreSQL"}))
        return 0
    with throwaway_database(NAME) as database:
        staff_id, plan = _world(args.workers, args.rounds)
        connection.close()
        ctx = mp.get_context("fork")
        barrier, results = ctx.Barrier(args.workers), ctx.Queue()
        started = time.perf_counter()
        processes = [
            ctx.Process(target=_worker, args=(i, staff_id, plan, barrier, results))
            for i in range(args.workers)
        ]
        for process in processes:
            process.start()
        totals = [results.get() for _ in processes]
        for process in processes:
            process.join()
        seconds = time.perf_counter() - started
        won, lost, failed = (sum(t[i] for t in totals) for i in range(3))
        overlaps = _overlaps()
        attempts = won + lost + failed
        print(f"database      {database}")
        print(f"workers       {args.workers} processes, {args.rounds} rounds")
        print(f"attempts      {attempts}")
        print(f"successes     {won} (expected {args.rounds}: one per round)")
        print(f"conflicts     {lost}")
        print(f"errors        {failed}")
        print(f"overlaps      {overlaps} (must be 0)")
        print(f"time          {seconds:.1f} s")
        connection.close()
    ok = overlaps == 0 and failed == 0 and won == args.rounds
    print(
        "BENCH "
        + json.dumps(
            {
                "name": NAME,
                "workers": args.workers,
                "attempts": attempts,
                "successes": won,
                "conflicts": lost,
                "errors": failed,
                "overlaps": overlaps,
                "seconds": round(seconds, 2),
                "ok": ok,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.exit(main())
