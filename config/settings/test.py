"""Test settings: fast hashing, in-memory mail, inline tasks unless a test starts a worker."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Room for a big center's feed blocks (one per series and language; Django's default 300
# would evict them all the time).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
LANGUAGE_CODE = "de"
# Inline instead of the background mail thread, so a test sees its e-mails when its request
# returns; tests of the thread itself switch it on.
NOTIFICATIONS_SEND_IN_BACKGROUND = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that concurrency tests see real SQLite locking between threads.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"treffpunkt-test-{os.getpid()}.sqlite3")
    }
