"""Helpers for benchmarks: Django set-up, a throwaway test database, timing."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Configure Django with the test settings on the database DATABASE_URL names."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


@contextmanager
def throwaway_database(prefix: str = "bench") -> Iterator[str]:
    """Create a fresh, migrated database next to the configured one and drop it afterwards."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        name = os.path.join(tempfile.gettempdir(), f"treffpunkt-{prefix}-{os.getpid()}.sqlite3")
    else:
        # Not test_<name>: pytest may be using that one at the same time.
        name = f"{prefix}_{db['NAME']}"
    db.setdefault("TEST", {})["NAME"] = name
    setup_test_environment()
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall time of `fn` in milliseconds over `runs` calls, after `warmup` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
