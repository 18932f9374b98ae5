"""Run the benchmarks (make bench). Each prints its figures and ends with one `BENCH {json}`.

    .venv/bin/python bench/run.py [name ...]      # e.g. `bench/run.py conflicts stress_mixed`

Benchmarks marked BOTH run on SQLite and, when DATABASE_URL names a PostgreSQL database, on
PostgreSQL as well (one BENCH line per database); the others run on whatever DATABASE_URL
names. A script in bench/ that is not listed here still runs, on DATABASE_URL. At the end the
BENCH lines are repeated together; the exit status is 1 if any benchmark failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOTH, GIVEN = "both", "given"
BENCHES = {
    "conflicts": BOTH,  # the conflict check vs. an equal-output SQL floor and naive expansion
    "stress_mixed": BOTH,  # 8 processes of mixed random operations, then an audit
    "stress_confirm": GIVEN,  # concurrent clashing confirmations (PostgreSQL only)
    "feeds": GIVEN,  # our feeds vs. django-scheduler's iCal view, and issue 12's figures
    "feeds_load": GIVEN,  # gunicorn + wrk: feed 304/200 against WhiteNoise (needs wrk)
    "pages": GIVEN,  # public pages of a center with 400 groups
}
SKIP = {"run", "common"}  # and every _module (helpers, settings)


def _scripts(wanted: list[str]) -> list[str]:
    found = sorted(
        p.stem for p in HERE.glob("*.py") if p.stem not in SKIP and not p.stem.startswith("_")
    )
    unknown = set(wanted) - set(found)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}")
    return [name for name in found if not wanted or name in wanted]


def _runs(name: str) -> list[tuple[str, dict[str, str]]]:
    """(label, environment) for each database this benchmark runs on."""
    given = dict(os.environ)
    url = given.get("DATABASE_URL", "")
    on_postgres = url.startswith(("postgres://", "postgresql://"))
    if BENCHES.get(name, GIVEN) == GIVEN:
        return [("postgresql" if on_postgres else "sqlite", given)]
    sqlite = {k: v for k, v in given.items() if k != "DATABASE_URL"}
    runs = [("sqlite", sqlite)]
    if on_postgres:
        runs.append(("postgresql", given))
    else:
        print(f"   ({name}: set DATABASE_URL=postgres://… to run it on PostgreSQL too)")
    return runs


def main() -> int:
    failed = []
    lines = []
    for name in _scripts(sys.argv[1:]):
        for label, env in _runs(name):
            print(f"== {name}.py on {label}", flush=True)
            process = subprocess.Popen(
                [sys.executable, str(HERE / f"{name}.py")],
                cwd=HERE.parent,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                if line.startswith("BENCH "):
                    lines.append(line.rstrip())
            if process.wait() != 0:
                failed.append(f"{name} ({label})")
    print("== summary")
    for line in lines:
        print(line)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
