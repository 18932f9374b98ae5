"""Settings shared by every environment. Everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Treffpunkt <treffpunkt@localhost>"),
    # Empty: links take the request's address (config.site); set it for e-mails and feeds.
    SITE_URL=(str, ""),
    BOOKING_HORIZON_MONTHS=(int, 12),
    BOOKING_LOCK_TIMEOUT_MS=(int, 5000),
    API_RATE_IP=(str, "300/min"),
    API_RATE_TOKEN=(str, "600/min"),
    API_NUM_PROXIES=(int, 0),
    EMBED_FRAME_ANCESTORS=(str, "*"),
    BEHIND_PROXY=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "schedule",
    "config.apps.LoginProtectionConfig",  # django-axes
    "csp",
    "accounts",
    "centers",
    "groups",
    "bookings",
    "calendars",
    "console",
    "portal",
    "attendance",
    "display",
    "reports",
    "planning",
    "notifications",
    "api",
    "config.apps.ProjectConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Feeds need no session, user or CSRF: served here, before the rest of the stack.
    "calendars.middleware.FeedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.AdminParameterGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a refused login into accounts.views.login_locked_out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded SQLite by default. WAL lets readers run beside the one writer; IMMEDIATE makes every
# transaction take the write lock at BEGIN, so two bookings are serialized instead of both
# reading "free" and both writing (the SQLite half of the no-double-booking guarantee).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # Persistent connections: a feed's 304 costs less than opening a connection (issue 12);
    # health checks replace a connection the server dropped instead of failing the request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The conflict check binds its parameters on the server (bookings.conflicts.fetch
    # .bound_cursor), so psycopg prepares its statement after this many runs on a connection
    # and PostgreSQL stops planning every check anew. Django's own cursors bind on the client:
    # nothing else is prepared. Empty disables it (a pooler in transaction mode without
    # prepared-statement support).
    _prepare_after = env("PG_PREPARE_THRESHOLD", default="5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_prepare_after) if _prepare_after else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a lost Redis is a cache miss, not a 500 (config/cache.py).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "treffpunkt",
            # A Redis that hangs must not hold a page for long: one second, then a miss.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Room for a big center's feed blocks (one per series and language; Django's default 300
    # would evict them all the time).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    # No broker configured: run tasks inline so the embedded set-up needs nothing else.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Berlin"
# Periodic jobs (crontab times are CELERY_TIMEZONE, Europe/Berlin). Each job is idempotent, so a
# beat restart or a doubled run is harmless. Short-interval jobs expire so a stopped worker does
# not find a pile of identical sweeps when it comes back.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    "outbox-dispatch-pending": {
        "task": "notifications.tasks.outbox_dispatch_pending",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "reminders-send": {
        "task": "notifications.tasks.reminders_send",
        "schedule": crontab(minute=0, hour=8),
    },
    "attendance-reminders-send": {
        "task": "attendance.tasks.attendance_reminders_send",
        "schedule": crontab(minute=30, hour=8),
    },
    "digests-send": {
        "task": "notifications.tasks.digests_send",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "horizons-extend": {
        "task": "bookings.tasks.horizons_extend",
        "schedule": crontab(minute=30, hour=2),
    },
    "holidays-apply": {
        "task": "bookings.tasks.holidays_apply",
        "schedule": crontab(minute=45, hour=2),
    },
    # The mirror is synced after every commit; this catches what a crash in between left.
    "mirror-check": {
        "task": "bookings.tasks.mirror_check",
        "schedule": crontab(minute=0, hour=4),
    },
    "feed-tokens-purge": {
        "task": "bookings.tasks.feed_tokens_purge",
        "schedule": crontab(minute=15, hour=3),
    },
    # Dates nobody checked in for (centers whose groups check in at the door only).
    "no-shows-note": {
        "task": "display.tasks.no_shows_note",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # The feeds' SEQUENCE bookkeeping of deleted series and gone feeds.
    "feed-objects-prune": {
        "task": "calendars.tasks.feed_objects_prune",
        "schedule": crontab(minute=20, hour=3),
    },
    # Renders only feeds whose data changed; with the Redis cache the web processes share them.
    "feeds-warm": {
        "task": "calendars.tasks.feeds_warm",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
}

# --- E-mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL"))
# Seconds per step of the SMTP conversation: a mail server that accepts and then says nothing
# holds up one outbox worker for this long, never a request (see notifications.dispatch).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login of a paused account or address, before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Brute-force brakes (accounts.throttle) ----------------------------------------------------
# 5 wrong passwords for one account, or 20 from one address (a center's Wi-Fi is one address for
# many people), pause logging in there for 15 minutes, even with the right password. Staff lift
# the pause in the admin (user list: "Allow logging in again").
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the pause does not extend it: the waiting time shown stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failed attempts only (they expire with the pause); no log of every successful login.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
PASSWORD_RESET_ADDRESS_LIMIT = 3  # e-mails per address and hour
PASSWORD_RESET_IP_LIMIT = 10  # requests per client address and hour

# --- Internationalisation, time ---------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages show "29 Nov 2026, 18:00" (see config/formats/en), German ones Django's own.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Treffpunkt -------------------------------------------------------------------------------
# Open-ended series are materialised this many months ahead; a periodic job extends them.
BOOKING_HORIZON_MONTHS = env("BOOKING_HORIZON_MONTHS")
# PostgreSQL: a booking waits this long for another's room or row locks, then says "try again".
BOOKING_LOCK_TIMEOUT_MS = env("BOOKING_LOCK_TIMEOUT_MS")
SCHEDULER_PREVIOUS_OCCURRENCE = None
# Foyer screens and door signs ask "anything new?" this often (a 304 when nothing is), and turn
# to their next page this often when the day does not fit on one screen.
DISPLAY_POLL_SECONDS = env.int("DISPLAY_POLL_SECONDS", default=30)
DISPLAY_PAGE_SECONDS = env.int("DISPLAY_PAGE_SECONDS", default=12)

# --- REST API (api app) ------------------------------------------------------------------------
# Personal tokens only (no session): no cookies, so no CSRF, and CORS can allow every origin.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.IPThrottle", "api.throttling.TokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Behind N reverse proxies, the client is the N-th address from the right in X-Forwarded-For;
    # with 0 it is REMOTE_ADDR, which a client cannot forge.
    "NUM_PROXIES": env("API_NUM_PROXIES"),
}
# Requests per IP address (everyone) and per token; "N/sec|min|hour|day".
API_THROTTLE_RATES = {"ip": env("API_RATE_IP"), "token": env("API_RATE_TOKEN")}
SPECTACULAR_SETTINGS = {
    "TITLE": "Treffpunkt API",
    "DESCRIPTION": (
        "The public program of the centers (no login) and, with a personal token from the "
        "profile page, a leader's groups, requests and dates and the staff's queue and closures."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (a control inside a control,
    # which screen readers cannot reach); without them the path is plain text.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SeriesStatusEnum": "bookings.models.SeriesStatus",
        "DateStateEnum": "bookings.models.OccurrenceState",
        "PublicDateStatusEnum": ["scheduled", "rescheduled", "cancelled"],
    },
}
# Which sites may show the embedded program in an iframe (CSP frame-ancestors); "*" = any.
EMBED_FRAME_ANCESTORS = env("EMBED_FRAME_ANCESTORS")

# Behind our own reverse proxy (docker-compose: Caddy), which sets X-Forwarded-Proto and
# appends the client's address to X-Forwarded-For. Only then are those headers believed.
BEHIND_PROXY = env("BEHIND_PROXY")

# --- Content-Security-Policy (django-csp) ------------------------------------------------------
# Only this site's own files: no inline script or style (not even style attributes), no eval,
# no framing. Templates use static files and classes (static/js/site.js, static/css/grid.css);
# htmx is configured for it in templates/base.html. tests/browser/test_csp.py visits every page
# as every role, in German and English, and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Lockouts and repeated failures are warnings; every single failed login is not news.
        "axes": {"level": "WARNING"},
    },
}
