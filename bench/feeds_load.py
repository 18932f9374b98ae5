"""Load benchmark of the feeds under a real HTTP load tool, as in production.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/feeds_load.py

gunicorn with 3 workers on a throwaway copy of the database (PostgreSQL when DATABASE_URL
names one) and the Redis cache, the 400-series center of bench/feeds.py. `wrk` (2 threads, 16
connections) hits each target for 10 s: the group feed 304 and 200, the center feed 304 and
200 (gzip), and WhiteNoise serving the same bytes as static files through the same server in
the same run. Prints rps, p50 and p99 per target and each target's rate against its static
file; ends with `BENCH {json}` ("name": "feeds_load"). Goal: the 304 paths ≥ 30 % of the
static rate.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django, throwaway_database

setup_django()

import feeds as feeds_bench  # noqa: E402  (the 400-series center)

SECONDS = 10
GOAL_304 = 0.30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wrk(port: int, path: str, headers: dict[str, str], expect: int) -> dict[str, float]:
    status, _h, _b = fetch(port, path, headers)
    assert status == expect, (path, status, expect)
    command = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS + 30,
    ).stdout
    if "Non-2xx or 3xx" in output:
        raise SystemExit(f"{path}: errors under load\n{output}")

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return {
        "rps": round(rps, 1),
        "p50_ms": round(latency("50"), 2),
        "p99_ms": round(latency("99"), 2),
    }


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk (apt-get install wrk)")
    from django.db import connection
    from django.test import Client, override_settings

    static_root = Path(tempfile.mkdtemp(prefix="bench-feeds-load-"))
    results: dict[str, dict[str, float]] = {}
    with throwaway_database("bench_feeds_load"):
        with override_settings(ALLOWED_HOSTS=["*"]):
            data = feeds_bench.build()
            client = Client()
            group_url = f"/feeds/group/{data['group'].slug}.ics"
            center_url = f"/feeds/center/{data['center'].slug}.ics"
            (static_root / "group.ics").write_bytes(client.get(group_url).content)
            center = client.get(center_url).content
            (static_root / "center.ics").write_bytes(center)
            (static_root / "center.ics.gz").write_bytes(gzip.compress(center, 6, mtime=0))
        connection.close()  # the server opens its own
        port = free_port()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="_feeds_load_settings")
        env["DATABASE_URL"] = database_url()
        env["BENCH_STATIC_ROOT"] = str(static_root)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), str(ROOT)])
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
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
                    if fetch(port, "/healthz", {})[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            gz = {"Accept-Encoding": "gzip"}
            group_etag = fetch(port, group_url, {})[1]["ETag"]
            center_etag = fetch(port, center_url, gz)[1]["ETag"]
            targets = {
                "group_304": (group_url, {"If-None-Match": group_etag}, 304, "static_group"),
                "group_200": (group_url, {}, 200, "static_group"),
                "center_304": (
                    center_url,
                    {**gz, "If-None-Match": center_etag},
                    304,
                    "static_center",
                ),
                "center_200_gzip": (center_url, gz, 200, "static_center"),
                "static_group": ("/static/group.ics", {}, 200, ""),
                "static_center": ("/static/center.ics", gz, 200, ""),
            }
            for name, (path, headers, expect, _static) in targets.items():
                results[name] = wrk(port, path, headers, expect)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    shutil.rmtree(static_root, ignore_errors=True)
    for name, (_p, _h, _e, static) in targets.items():
        if static:
            results[name]["ratio_vs_static"] = round(
                results[name]["rps"] / results[static]["rps"], 3
            )
    print(
        f"database: {connection.vendor}; gunicorn 3 workers; "
        f"wrk 2 threads, 16 connections, {SECONDS} s each"
    )
    for name, figures in results.items():
        print(f"{name:<16} {figures}")
    ok = all(results[name]["ratio_vs_static"] >= GOAL_304 for name in ("group_304", "center_304"))
    print(f"goal: the 304 paths ≥ {GOAL_304:.0%} of the static rate: {'met' if ok else 'NOT met'}")
    summary = {
        "name": "feeds_load",
        "db": connection.vendor,
        **{
            f"{name}_{key}": value
            for name, figures in results.items()
            for key, value in figures.items()
        },
    }
    print("BENCH " + json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
