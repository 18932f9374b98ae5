"""Database connections persist on PostgreSQL, checked before reuse (issue 12, item 3)."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def _settings_with(database_url: str) -> str:
    code = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.settings.base';"
        f"os.environ['DATABASE_URL']={database_url!r};"
        "from django.conf import settings;"
        "d=settings.DATABASES['default'];"
        "print(d.get('CONN_MAX_AGE', 0), d.get('CONN_HEALTH_CHECKS', False))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    return result.stdout.strip()


def test_postgres_connections_persist_with_health_checks() -> None:
    assert _settings_with("postgres://u@127.0.0.1:5432/x") == "60 True"
    assert _settings_with("sqlite:////tmp/x.sqlite3") == "0 False"
