"""The four-parser harness (../shared/tools/icalcheck) as a test helper."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings


def _harness() -> Path:
    """Where check_ics.sh lives: $ICALCHECK, or ../shared or ../../shared of the project."""
    base = Path(settings.BASE_DIR)
    candidates = [Path(os.environ["ICALCHECK"])] if os.environ.get("ICALCHECK") else []
    candidates += [p / "shared" / "tools" / "icalcheck" for p in (base.parent, base.parent.parent)]
    for candidate in candidates:
        if (candidate / "check_ics.sh").exists():
            return candidate
    return candidates[0]


ICALCHECK = _harness()


def icalcheck(
    body: bytes,
    tmp_path: Path,
    window: tuple[datetime, datetime],
    allow: tuple[str, ...] = (),
) -> tuple[str, list[dict[str, Any]]]:
    """Run check_ics.sh (all parsers must agree) and return its report and the expanded dates.

    `allow`: lint warnings (by a part of their text) that are right for this object, e.g. an
    iTIP CANCEL of one date, which is an override without its master (RFC 5546 3.2.5)."""
    if not (ICALCHECK / "check_ics.sh").exists():
        pytest.skip(f"icalcheck not found at {ICALCHECK}")
    if not (ICALCHECK / "venv" / "bin" / "python").exists():
        pytest.skip(f"icalcheck is not set up: run bash {ICALCHECK}/setup.sh")
    feed = tmp_path / "feed.ics"
    feed.write_bytes(body)
    start, end = (w.strftime("%Y-%m-%dT%H:%M:%SZ") for w in window)
    result = subprocess.run(
        [str(ICALCHECK / "check_ics.sh"), str(feed), start, end],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "RESULT: PASS" in report
    lint = report.split("--- lint")[1].split("=== VERDICT")[0]
    lint = "\n".join(line for line in lint.splitlines() if not any(a in line for a in allow))
    assert "error:" not in lint and "warning:" not in lint, lint  # the harness's own checks
    expanded = subprocess.run(
        [str(ICALCHECK / "venv" / "bin" / "python"), "py_icalendar.py", str(feed), start, end],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=ICALCHECK,
    )
    return report, json.loads(expanded.stdout.splitlines()[-1])["occurrences"]
