"""Benchmark: what 200 foyer screens and door signs polling every 30 s cost the server.

    .venv/bin/python bench/display.py [--requests 400] [--samples 5]

Creates a throwaway test database on DATABASE_URL (SQLite by default) with a center of 12
rooms and 60 dates today, starts gunicorn (one sync worker, the test settings) on a free
port, and sends bursts of requests from this process. Counts the CPU time (user + system) of
the server processes only, from /proc, per request:

- `poll_304`: a screen's poll with the ETag it already has (the idle path, no rendering);
- `poll_200`: the same poll without it (the screen's fragment rendered);
- `healthz`: the trivial page, the baseline.

Scaled: 200 screens / 30 s = 6.67 polls per second; the 304 path must cost ≤ 5 % of one
core. Median of the samples after a warm-up burst. Ends with `BENCH {json}`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from bench.common import setup_django, throwaway_database  # noqa: E402

setup_django()

SCREENS = 200
POLL_SECONDS = 30
BUDGET = 0.05  # of one core
ROOMS = 12
DATES = 60
CLK_TCK = os.sysconf("SC_CLK_TCK")


def build() -> tuple[str, int]:
    """A center with rooms and today's dates around now: no date starts or ends for a while,
    so every idle poll of the run is the same segment of the day."""
    from django.utils import timezone

    from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
    from centers.models import Center, Room
    from groups.models import Group

    center = Center.objects.create(
        name="Zentrum Bench", slug="bench", street="Am Platz 1", postal_code="46282", city="Dorsten"
    )
    rooms = Room.objects.bulk_create(
        Room(center=center, name=f"Raum {n}", capacity=20) for n in range(ROOMS)
    )
    groups = Group.objects.bulk_create(
        Group(center=center, name=f"Gruppe {n}", slug=f"bench-{n}", is_public=n % 5 != 0)
        for n in range(DATES)
    )
    now = timezone.now().replace(second=0, microsecond=0)
    for n, group in enumerate(groups):
        # One running now, the others start 20 minutes or more from now.
        start = now - timedelta(hours=1) if n == 0 else now + timedelta(minutes=20 + 5 * n)
        start_local = start.astimezone(center.tz)
        series = Series.objects.create(
            group=group,
            room=rooms[n % ROOMS],
            status=SeriesStatus.CONFIRMED,
            start_date=start_local.date(),
            start_time=start_local.time(),
            end_time=(start_local + timedelta(minutes=50)).time()
            if start_local.hour < 23
            else start_local.time().replace(minute=59),
        )
        Occurrence.objects.create(
            series=series,
            room=series.room,
            starts_at=start,
            ends_at=start + timedelta(hours=2) if n == 0 else start + timedelta(minutes=50),
            original_start=start,
            state=OccurrenceState.CANCELLED if n % 7 == 3 else OccurrenceState.CONFIRMED,
        )
    return center.slug, rooms[0].pk


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children that are still alive."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
    return total


def request(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, response.getheader("ETag") or ""


def burst(
    pid: int, port: int, path: str, headers: dict[str, str], count: int, expect: int
) -> float:
    """Server CPU seconds per request over `count` requests."""
    before = cpu_seconds(pid)
    for _ in range(count):
        status, _etag = request(port, path, headers)
        if status != expect:
            raise SystemExit(f"{path}: expected {expect}, got {status}")
    return (cpu_seconds(pid) - before) / count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    from django.db import connection

    with throwaway_database("bench_display"):
        slug, room_id = build()
        connection.close()  # the server process opens its own
        port = free_port()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
        env["DATABASE_URL"] = database_url()
        env.pop("REDIS_URL", None)
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            for _ in range(100):
                try:
                    if request(port, "/healthz", {})[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            poll = {"HX-Request": "true"}
            foyer = f"/display/{slug}/"
            door = f"/display/{slug}/room/{room_id}/"
            _status, foyer_etag = request(port, foyer, poll)
            _status, door_etag = request(port, door, poll)
            cases = {
                "healthz": ("/healthz", {}, 200),
                "poll_304": (foyer, {**poll, "If-None-Match": foyer_etag}, 304),
                "door_304": (door, {**poll, "If-None-Match": door_etag}, 304),
                "poll_200": (foyer, poll, 200),
            }
            for path, headers, expect in cases.values():  # warm-up
                burst(server.pid, port, path, headers, args.requests // 4, expect)
            results: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(args.samples):
                for name, (path, headers, expect) in cases.items():
                    results[name].append(
                        burst(server.pid, port, path, headers, args.requests, expect)
                    )
        finally:
            server.send_signal(signal.SIGTERM)  # the master stops its worker gracefully
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)

    ms = {name: round(statistics.median(values) * 1000, 3) for name, values in results.items()}
    rate = SCREENS / POLL_SECONDS
    share_304 = ms["poll_304"] / 1000 * rate
    share_200 = ms["poll_200"] / 1000 * rate
    print(f"database: {connection.vendor}; {args.samples} samples × {args.requests} requests")
    print(f"{'request':<12}{'server CPU ms':>15}{'x healthz':>11}")
    for name, value in ms.items():
        print(f"{name:<12}{value:>15}{round(value / ms['healthz'], 2):>11}")
    print(
        f"{SCREENS} screens every {POLL_SECONDS} s = {rate:.2f} polls/s: "
        f"{share_304:.2%} of one core on the 304 path "
        f"(budget {BUDGET:.0%}), {share_200:.2%} if every poll rendered"
    )
    ok = share_304 <= BUDGET
    result = {
        "bench": "display",
        "database": connection.vendor,
        "requests_per_sample": args.requests,
        "samples": args.samples,
        "server_cpu_ms_per_request": ms,
        "screens": SCREENS,
        "poll_seconds": POLL_SECONDS,
        "core_share_304": round(share_304, 4),
        "core_share_200": round(share_200, 4),
        "budget": BUDGET,
        "within_budget": ok,
        "ratio_304_vs_healthz": round(ms["poll_304"] / ms["healthz"], 2),
        "ratio_304_vs_200": round(ms["poll_304"] / ms["poll_200"], 2),
    }
    print("BENCH " + json.dumps(result, sort_keys=True))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
