"""Settings for the Celery worker process that tests/notifications/test_worker.py starts.

The test settings, pointed at the test database the pytest process created, with real (not
inline) Celery, mail written to files both processes can read, and quick retries.
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["TREFFPUNKT_TEST_DB_NAME"]
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.notifications.backends.FileOrFailBackend"
EMAIL_FILE_PATH = os.environ["TREFFPUNKT_EMAIL_DIR"]
NOTIFICATIONS_RETRY_SECONDS = 1
NOTIFICATIONS_MAX_ATTEMPTS = 3
