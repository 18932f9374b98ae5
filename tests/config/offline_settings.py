"""Settings for the process that tests/config/test_cache_resilience.py starts: the test
settings on the pytest process's test database, with REDIS_URL (a Redis that is gone) as cache
and broker, as in production."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["TREFFPUNKT_TEST_DB_NAME"]
CACHES = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = ["testserver"]  # the test client of the script
