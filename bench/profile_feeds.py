"""Profile the cold render of the 400-series center feed (bench/feeds.py's data and cold path).

.venv/bin/python bench/profile_feeds.py [N]   # prints the top N (default 25) by cumulative time
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import feeds
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import setup_test_environment


def main() -> int:
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with override_settings(ROOT_URLCONF="feeds", ALLOWED_HOSTS=["*"]):
            data = feeds.build()
            client = Client()
            url = f"/feeds/center/{data['center'].slug}.ics"
            cache.clear()
            assert client.get(url).status_code == 200  # warm-up (imports, translations)
            profiler = cProfile.Profile()
            for _ in range(3):
                cache.clear()
                profiler.enable()
                assert client.get(url).status_code == 200
                profiler.disable()
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
                print(out.getvalue())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
