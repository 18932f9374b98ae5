"""Settings for bench/feeds_load.py: the test settings with production's cache (Redis, when
REDIS_URL is set) and a STATIC_ROOT holding copies of the feeds for WhiteNoise to serve."""

import os

from config.settings import base
from config.settings.test import *  # noqa: F403

CACHES = base.CACHES
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
