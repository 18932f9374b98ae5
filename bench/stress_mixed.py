"""Stress the whole engine: 8 processes, random mixed operations on one center, then audit.

Every worker process runs random operations through `bookings.services` only — requests,
confirmations, declines, moves, cancellations, reinstatements, series changes and ends,
withdrawals, closures added, changed and removed — on one center with a divisible hall (see
`_stress_world.py`, `_stress_ops.py`). Afterwards, with nothing repaired first:

- overlaps: room blocks of one unit that overlap, and confirmed dates that hold one unit at
  overlapping times (the whole hall holds its halves; buffers included) — must be 0;
- errors: anything but a clean refusal, incl. a deadlock PostgreSQL broke — must be 0;
- lost_updates: two edits applied from the same version of a series or date, or an edit
  sent with an older version than the page had read applied — must be 0;
- mirror_drift: dates on which the django-scheduler mirror (read through its own API) and
  the rows differ, over every series — must be 0;
- outbox: one row per recorded event and recipient, no more, no less — must match;
- and, as further evidence, blocks that do not match the confirmed dates and series whose
  status does not follow from their dates.

    [DATABASE_URL=postgres://…] python bench/stress_mixed.py [--workers 8] [--operations 2080]

Runs in a throwaway database (SQLite: a file with WAL, the project's settings). Ends with
one line `BENCH {json}`; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django, throwaway_database

NAME = "stress_mixed"
SEED_REQUESTS = 40


def _seed(world) -> None:
    """A first plan to work on: requests from every group (through the service)."""
    from _stress_ops import Worker

    worker = Worker(99, world, 0, seed=7)
    worker.start()
    made = attempts = 0
    while made < SEED_REQUESTS and attempts < 10 * SEED_REQUESTS:
        attempts += 1
        call, _edit = worker.op_request()
        try:
            call()
            made += 1
        except Exception:  # a refused seed request is simply not part of the plan
            continue
    # The seed's own events are recorded too: they must have their outbox rows as well.
    world.extra["seed_events"] = worker.events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--operations", type=int, default=2080, help="in total")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="show the rows of drifted series")
    args = parser.parse_args()
    setup_django()
    import logging

    import _stress_checks as checks
    import _stress_world
    from _stress_ops import work
    from django.db import connection

    for name in ("celery", "celery.app.trace"):  # no line per e-mail sent
        logging.getLogger(name).setLevel(logging.WARNING)
    per_worker = -(-args.operations // args.workers)
    db = connection.vendor
    with throwaway_database(NAME) as database, tempfile.TemporaryDirectory() as tmp:
        world = _stress_world.build()
        journal = None
        if db == "sqlite":  # the project's settings: a file in WAL mode, BEGIN IMMEDIATE
            with connection.cursor() as cursor:
                journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        _seed(world)
        deadlocks_before = checks.deadlocks()
        connection.close()
        ctx = mp.get_context("fork")
        outputs = [os.path.join(tmp, f"worker-{i}.json") for i in range(args.workers)]
        started = time.perf_counter()
        processes = [
            ctx.Process(target=work, args=(i, world, per_worker, args.seed, outputs[i]))
            for i in range(args.workers)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        seconds = time.perf_counter() - started
        crashed = [p.exitcode for p in processes if p.exitcode != 0]
        results = [json.loads(Path(p).read_text()) for p in outputs if os.path.exists(p)]

        outcomes: Counter[str] = Counter()
        errors, edits, latency = [], [], {}
        events = list(world.extra["seed_events"])
        logged = []
        for result in results:
            outcomes.update(result["outcomes"])
            errors += result["errors"]
            edits += result["edits"]
            events += result["events"]
            logged += result["logged"]
            for op, times in result["latency"].items():
                latency.setdefault(op, []).extend(times)
        operations = sum(outcomes.values())
        by_outcome: Counter[str] = Counter()
        for key, n in outcomes.items():
            by_outcome[key.split(":")[1]] += n

        center_tz = _tz(world.center_id)
        start, end = _stress_world.window_bounds(center_tz)
        blocks = checks.overlapping_blocks()
        confirmed = checks.overlapping_confirmed()
        mismatched = checks.block_mismatches()
        versions = checks.lost_updates(edits)
        drift_dates, drifted_series = checks.mirror_drift(start, end)
        mail = checks.outbox(events)
        deadlocks_after = checks.deadlocks()
        pg_deadlocks = None if deadlocks_before is None else deadlocks_after - deadlocks_before
        status_wrong = checks.status_mismatches()
        orphans = checks.orphan_events()
        # A failed mirror sync is logged, not raised (the periodic check repairs it): counted
        # apart, and its effect shows in the mirror drift.
        error_count = len(errors) + len(crashed) + (pg_deadlocks or 0)
        from bookings.models import Occurrence, Series

        states = Counter(Occurrence.objects.values_list("state", flat=True))
        totals = {"series": Series.objects.count(), "dates": sum(states.values())}

        print(f"database        {database} ({db}{', journal ' + journal if journal else ''})")
        print(f"workers         {args.workers} processes, {operations} operations, {seconds:.0f} s")
        for op in sorted({k.split(":")[0] for k in outcomes}):
            parts = ", ".join(
                f"{k.split(':')[1]} {n}"
                for k, n in sorted(outcomes.items())
                if k.startswith(op + ":")
            )
            median = statistics.median(latency[op]) if latency.get(op) else 0
            print(f"  {op:<22} {parts}  (median {median:.0f} ms)")
        print(f"outcomes        {dict(by_outcome)}")
        print(f"stored          {totals['series']} series, {totals['dates']} dates {dict(states)}")
        print(f"overlaps        blocks {blocks}, confirmed dates per unit {confirmed} (must be 0)")
        print(f"blocks          {mismatched} not matching the confirmed dates (must be 0)")
        print(f"errors          {error_count} (must be 0)")
        for error in errors[:20]:
            print(f"   {error['op']}: {error['type']}: {error['message']}")
            for line in error["where"]:
                print("      " + line.strip().replace("\n", " | ")[:300])
        print(f"sync failures   {len(logged)} (logged by the engine, left to the periodic check)")
        for line in logged[:10]:
            print(f"   logged: {line[:300]}")
        if crashed:
            print(f"   worker processes that died: {crashed}")
        if pg_deadlocks is not None:
            print(f"deadlocks       {pg_deadlocks} broken by PostgreSQL (must be 0)")
        print(f"lost updates    {versions} (lost_updates must be 0)")
        print(f"mirror drift    {drift_dates} dates in {len(drifted_series)} series (must be 0)")
        for series_id, found in list(drifted_series.items())[:10]:
            print(f"   series {series_id}: {[tuple(str(v) for v in d) for d in found[:4]]}")
            if args.explain:
                _explain_drift(series_id, found)
        print(f"outbox          {mail} (missing and extra must be 0)")
        print(f"status          {status_wrong} series whose status does not follow its dates")
        print(f"orphan events   {orphans} django-scheduler events without a series")
        connection.close()

    ok = (
        blocks == 0
        and confirmed == 0
        and mismatched == 0
        and error_count == 0
        and versions["lost_updates"] == 0
        and drift_dates == 0
        and mail["outbox_missing"] == 0
        and mail["outbox_extra"] == 0
        and operations >= 2000
    )
    result = {
        "name": NAME,
        "db": db,
        "workers": args.workers,
        "journal": journal,
        "operations": operations,
        "applied": by_outcome["applied"],
        "refused": by_outcome["refused"] + by_outcome["stale"] + by_outcome["noop"],
        "busy": by_outcome["busy"],
        "overlaps": blocks + confirmed,
        "block_mismatches": mismatched,
        "errors": error_count,
        "deadlocks": pg_deadlocks,
        "lost_updates": versions["lost_updates"],
        "stale_refused": versions["stale_refused"],
        "stale_sent": versions["stale_sent"],
        "contended_versions": versions["contended_versions"],
        "mirror_drift": drift_dates,
        "sync_failures": len(logged),
        "events": mail["events"],
        "outbox_rows": mail["outbox_rows"],
        "outbox_missing": mail["outbox_missing"],
        "outbox_extra": mail["outbox_extra"],
        "status_mismatches": status_wrong,
        "orphan_events": orphans,
        "seconds": round(seconds, 1),
        "ok": ok,
    }
    print("BENCH " + json.dumps(result))
    return 0 if ok else 1


def _explain_drift(series_id: int, found: list) -> None:
    """The rows and the mirror of a drifted series around the differing dates, with history."""
    from bookings.models import Series

    series = Series.objects.select_related("group__center", "event__rule").get(pk=series_id)
    tz = series.group.center.tz
    rule = series.rule
    print(f"      rule {rule}, materialised until {series.materialised_until}")
    print(f"      event {series.event.start} rule {series.event.rule and series.event.rule.params}")
    for row in series.occurrences.order_by("original_start"):
        print(
            f"      row {row.pk} {row.state:<9} {row.starts_at.astimezone(tz)} orig "
            f"{row.original_start.astimezone(tz)} room {row.room_id} v{row.version}"
        )
    for occ in series.event.occurrence_set.order_by("original_start"):
        print(
            f"      mirror {occ.start.astimezone(tz)} orig {occ.original_start.astimezone(tz)}"
            f" cancelled={occ.cancelled}"
        )
    for h in series.history.order_by("history_date")[:30]:
        print(
            f"      history {h.history_date:%H:%M:%S.%f} {h.history_type} {h.status} "
            f"{h.start_time}-{h.end_time} {h.weekdays} {h.history_change_reason}"
        )


def _tz(center_id: int):
    from centers.models import Center

    return Center.objects.get(pk=center_id).tz


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.exit(main())
