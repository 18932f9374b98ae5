"""End to end with a real Redis and a real Celery worker process.

The worker runs `celery -A config worker --pool=solo` with tests/notifications/worker_settings.py:
the same database as this pytest process (its test database, passed by name), non-inline Celery,
and a file e-mail backend both processes can read. Tests commit for real (transaction=True) so
the worker sees their rows.
"""

import email
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction

from bookings.models import OccurrenceState, SeriesStatus
from config.celery import app as celery_app
from notifications import tasks
from notifications.models import OutboxMessage, Status
from notifications.outbox import enqueue

from .backends import FAILING_DOMAIN
from .conftest import weekly

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
SETTINGS = "tests.notifications.worker_settings"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


@dataclass
class Worker:
    process: subprocess.Popen
    mail_dir: Path
    log: Path
    env: dict[str, str]

    def mails(self) -> list[email.message.Message]:
        found = []
        # In the order written: file names within one second sort by an object id, not by time.
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
            for chunk in path.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk))
        return found

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker died while waiting for {what}:\n{worker.log_text()[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}:\n{worker.log_text()[-3000:]}")


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Worker]:
    with django_db_blocker.unblock():
        db_name = str(connection.settings_dict["NAME"])
    base = tmp_path_factory.mktemp("worker")
    mail_dir = base / "mail"
    mail_dir.mkdir()
    log = base / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "TREFFPUNKT_TEST_DB_NAME": db_name,
        "TREFFPUNKT_EMAIL_DIR": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    # Leftovers of an earlier, killed run would only be no-ops, but a clean queue reads better.
    celery_app.control.purge()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(CELERY), "-A", "config", "worker", "--pool=solo", "-l", "info",
                "-n", f"treffpunkt-test-{os.getpid()}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = Worker(process, mail_dir, log, env)
    try:
        wait_for(lambda: " ready." in running.log_text(), timeout=60, what="start", worker=running)
        yield running
    finally:
        # Warm shutdown first (finishes the current task), then make sure it is gone.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def real_broker(monkeypatch) -> None:
    """This process publishes to Redis instead of running tasks inline."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


def _confirm_and_enqueue(series) -> None:
    with transaction.atomic():
        series.occurrences.update(state=OccurrenceState.CONFIRMED)
        series.status = SeriesStatus.CONFIRMED
        series.save(update_fields=["status"])
        enqueue(event="request_confirmed", series_id=series.pk)


def _sweep(worker: Worker) -> None:
    """What beat does every minute: queue the periodic dispatch; wait until the worker ran it."""
    before = worker.log_text().count("outbox_dispatch_pending[")
    tasks.outbox_dispatch_pending.delay()
    wait_for(
        lambda: worker.log_text().count("outbox_dispatch_pending[") >= before + 2,  # got + done
        timeout=30,
        what="the periodic dispatch",
        worker=worker,
    )


def test_confirming_a_request_sends_exactly_one_email_to_each_leader(
    worker, real_broker, scene, make_series
):
    start = len(worker.mails())
    series = make_series(days=weekly(date(2026, 3, 3), 3))
    _confirm_and_enqueue(series)
    wait_for(lambda: len(worker.mails()) >= start + 2, timeout=30, what="2 e-mails", worker=worker)

    # Everything that could send it again: the same event recorded again, the periodic sweep.
    enqueue(event="request_confirmed", series_id=series.pk)
    _sweep(worker)

    mails = worker.mails()[start:]
    assert sorted(m["To"] for m in mails) == ["amira@example.org", "hans@example.org"]
    assert len({m["X-Treffpunkt-Outbox"] for m in mails}) == 2
    assert all(m.is_multipart() for m in mails)  # text and HTML
    rows = OutboxMessage.objects.filter(series=series)
    assert sorted(rows.values_list("status", "attempts")) == [(Status.SENT, 1)] * 2


def test_with_the_broker_down_the_request_is_saved_and_mailed_once_it_is_back(
    worker, real_broker, scene, make_series
):
    start = len(worker.mails())
    series = make_series(days=[date(2026, 3, 10)])
    # The "web process" during the outage: its Redis is a closed port.
    script = (
        "import sys, django; django.setup();"
        "from bookings.models import Series;"
        "from tests.notifications.test_worker import _confirm_and_enqueue;"
        f"_confirm_and_enqueue(Series.objects.get(pk={series.pk})); print('saved')"
    )
    offline = {**worker.env, "REDIS_URL": "redis://127.0.0.1:9/0"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, env=offline, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "saved" in result.stdout
    assert "the periodic dispatch will send them" in result.stderr
    assert time.monotonic() - started < 20  # the request did not hang on the dead broker

    series.refresh_from_db()
    assert series.status == SeriesStatus.CONFIRMED
    rows = OutboxMessage.objects.filter(series=series)
    assert sorted(rows.values_list("status", flat=True)) == [Status.PENDING] * 2
    assert len(worker.mails()) == start

    # The broker is back (it never left for the worker); beat's next sweep sends them.
    _sweep(worker)
    wait_for(lambda: len(worker.mails()) >= start + 2, timeout=30, what="2 e-mails", worker=worker)
    _sweep(worker)
    assert sorted(m["To"] for m in worker.mails()[start:]) == [
        "amira@example.org",
        "hans@example.org",
    ]
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}


def test_a_failing_send_is_retried_and_then_marked_failed(worker, real_broker, scene, make_series):
    scene.leader_en.email = f"amira{FAILING_DOMAIN}"
    scene.leader_en.save(update_fields=["email"])
    start = len(worker.mails())
    series = make_series(days=[date(2026, 3, 17)])
    _confirm_and_enqueue(series)
    failing = OutboxMessage.objects.get(series=series, recipient=scene.leader_en)

    def failed() -> bool:
        failing.refresh_from_db()
        return failing.status == Status.FAILED

    # Worker settings: 3 attempts, 1 s then 2 s apart.
    wait_for(failed, timeout=45, what="the message to fail for good", worker=worker)
    assert failing.attempts == 3
    assert failing.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert worker.log_text().count(f"Outbox message {failing.pk}: attempt") == 2
    assert [m["To"] for m in worker.mails()[start:]] == ["hans@example.org"]
    # A failed message stays failed: the sweep does not pick it up again.
    _sweep(worker)
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (Status.FAILED, 3)
