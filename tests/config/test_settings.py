"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_time_and_language_defaults():
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "de"
    assert [code for code, _ in settings.LANGUAGES] == ["de", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.sqlite
@pytest.mark.django_db
def test_sqlite_serializes_writers_and_uses_wal():
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x7!k2-" + "a9Qz" * 14,
        ALLOWED_HOSTS="treffpunkt.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    environment = {"DJANGO_SETTINGS_MODULE": "config.settings.production"}
    result = _run_manage("check", **environment)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_redis_url_switches_cache_and_celery(monkeypatch):
    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.local", REDIS_URL="redis://127.0.0.1:6379/9"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.split() == [
        "config.cache.ResilientRedisCache",
        "False",
        "redis://127.0.0.1:6379/9",
    ], result.stderr
    environment.pop("REDIS_URL")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.split()[1] == "True"


def _production_setting(name: str, **env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(repr(getattr(s, {name!r}, None)))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("BEHIND_PROXY", None)
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 60, **env
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_proxy_header_is_trusted_only_behind_a_proxy():
    assert _production_setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert _production_setting("SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_production_deploy_checks_pass_behind_the_proxy_too():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x7!k2-" + "a9Qz" * 14,
        ALLOWED_HOSTS="treffpunkt.example.org",
        BEHIND_PROXY="true",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_docker_compose_publishes_only_caddy_and_trusts_it():
    """Services are read without a YAML library: two-space service names, `ports:` below."""
    compose = (ROOT / "docker-compose.yml").read_text()
    services = compose.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    published = {}
    name = ""
    for line in services.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.strip().endswith(":"):
            name = line.strip().rstrip(":")
        elif line.strip().startswith("ports:"):
            published[name] = line.strip()
    assert list(published) == ["caddy"], published
    assert 'BEHIND_PROXY: "true"' in compose
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    directives = [line for line in caddyfile.splitlines() if not line.lstrip().startswith("#")]
    # No trusted_proxies: clients' X-Forwarded-* are replaced by Caddy, never passed on.
    assert not any("trusted_proxies" in line for line in directives)
