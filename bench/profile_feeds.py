"""Profile the cold render of the 400-series center feed (bench/feeds.py's data and cold path).

    .venv/bin/python bench/profile_feeds.py [N]   # the top N (default 25) by own and total time

Findings (PostgreSQL, 3 cold renders under cProfile, issue 12 item 4), before the text writer:
14.2 s profiled (~1 s each unprofiled):
- building icalendar objects, series_events: 6.7 s (47 %), of which icalendar `add()` with
  its parameter and TZID machinery 1.8 s, and the rule dates (dateutil rrule 1.5 s, localize
  1.2 s) 2.7 s;
- writing them, to_bytes: 4.0 s (28 %): content_lines 2.7 s, folding (_foldline walks and
  encodes every character) 1.1 s;
- reading rows, feed_series: 1.8 s (13 %), then fingerprints/set_sequences walking the
  objects again, the SEQUENCE record and the stamps.
After (calendars.ical.fast, rule dates by date arithmetic, one zone conversion per date,
DateRow a tuple): 4.4 s profiled with the text writer alone; what is left per cold render
(unprofiled, same data) is reading rows (feed_series ~45 %), the VEVENT specs (~30 %, now
mostly the per-row override checks), writing text (~10 %), the SEQUENCE record and series
heads.
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
