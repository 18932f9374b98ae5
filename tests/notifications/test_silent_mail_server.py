"""A mail server that accepts connections and never answers holds up nobody but the mail sender.

The embedded set-up (no broker): e-mails go out from the background thread of the web process,
through Django's real SMTP backend, to a real socket on this machine. While that server is
silent, leaders log in and book and staff decide, each within a second; when it answers, every
e-mail goes out exactly once — and when it never answers, each e-mail fails after its retries
and is not sent later either.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from bookings.models import Series, SeriesStatus
from centers.models import Center, Room
from notifications import sender
from notifications.dispatch import outbox_dispatch_pending
from notifications.models import OutboxMessage, Status

from .smtp import SilentSMTPServer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
FAST = 1.0  # seconds a request may take while the mail server hangs


@dataclass
class Center3:
    center: Center
    hall: Room
    staff: User
    leaders: list[User]


@pytest.fixture
def world(make_user, make_center, make_room, make_group) -> Center3:
    center = make_center(name="Haus am Markt", slug="markt")
    staff = make_user(username="stefanie", password=PASSWORD)
    center.staff.add(staff)
    hall = make_room(center=center, name="Saal", capacity=80, requires_approval=True)
    leaders = []
    for n in range(3):
        leader = make_user(username=f"leader{n}", password=PASSWORD)
        make_group(center=center, name=f"Gruppe {n}", slug=f"gruppe-{n}", leaders=[leader])
        leaders.append(leader)
    return Center3(center, hall, staff, leaders)


@pytest.fixture
def background_sender() -> Iterator[sender.Sender]:
    yield sender.get()
    sender.get().stop()


@pytest.fixture
def silent_smtp() -> Iterator[SilentSMTPServer]:
    with SilentSMTPServer() as server:
        yield server


def smtp_settings(server: SilentSMTPServer, **extra: object) -> override_settings:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        NOTIFICATIONS_SEND_IN_BACKGROUND=True,
        **extra,
    )


def timed(action: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


def log_in(username: str) -> tuple[Client, float]:
    client = Client()
    response, seconds = timed(
        lambda: client.post(reverse("login"), {"username": username, "password": PASSWORD})
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client, seconds


def book(client: Client, world: Center3, leader: User, hour: int) -> tuple[Series, float]:
    group_id = leader.led_groups.get().pk
    data = {
        "group": group_id,
        "room": world.hall.pk,
        "start_date": "2030-02-05",
        "start_time": f"{hour:02d}:00",
        "end_time": f"{hour + 1:02d}:00",
        "frequency": "once",
        "ends": "until",
        "expected_participants": "10",
        "send": "1",
    }
    response, seconds = timed(lambda: client.post(reverse("leader:request"), data))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Series.objects.filter(group_id=group_id).latest("pk"), seconds


def confirm(client: Client, world: Center3, series: Series) -> float:
    url = reverse("staff:request_confirm", args=[world.center.slug, series.pk])
    series.refresh_from_db()
    data = {"mode": "all", "note": "", "version": series.version}  # as the page sends it
    response, seconds = timed(lambda: client.post(url, data))
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.status == SeriesStatus.CONFIRMED
    return seconds


def sweep_in_thread() -> threading.Thread:
    """What beat does every minute, in its own thread (and database connection)."""

    def run() -> None:
        try:
            outbox_dispatch_pending()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="sweep", daemon=True)
    thread.start()
    return thread


def test_while_the_mail_server_hangs_everyone_works_and_each_mail_goes_out_once(
    world, silent_smtp, background_sender
):
    durations: dict[str, float] = {}
    with smtp_settings(silent_smtp, EMAIL_TIMEOUT=30):
        requests = []
        for n, leader in enumerate(world.leaders):
            client, durations[f"login {leader.username}"] = log_in(leader.username)
            series, durations[f"request {leader.username}"] = book(client, world, leader, 10 + n)
            requests.append(series)
            if n == 0:
                # The mail thread now waits for the server's greeting, which does not come.
                wait_until(lambda: silent_smtp.connections >= 1, 5, "the first SMTP connection")
        staff, durations["login staff"] = log_in(world.staff.username)
        for series in requests:
            durations[f"confirm {series.pk}"] = confirm(staff, world, series)
        # A periodic sweep meanwhile claims what the thread has not reached: it hangs too.
        sweeper = sweep_in_thread()
        time.sleep(0.5)
        assert silent_smtp.messages == []
        assert background_sender.pending() > 0

        silent_smtp.answer()
        wait_until(lambda: background_sender.pending() == 0, 30, "the mail thread")
        sweeper.join(30)
        assert not sweeper.is_alive()

        assert outbox_dispatch_pending() == 0  # nothing left, nothing sent again

    slow = {what: round(seconds, 2) for what, seconds in durations.items() if seconds >= FAST}
    assert not slow, f"took a second or more while the mail server hung: {slow}"
    rows = OutboxMessage.objects.order_by("pk")
    assert len(rows) == 2 * len(world.leaders)  # a request to staff, a decision to the leader
    assert {(row.status, row.attempts) for row in rows} == {(Status.SENT, 1)}
    sent = silent_smtp.outbox_ids()
    assert sorted(sent, key=int) == [str(row.pk) for row in rows], "each e-mail exactly once"
    assert all(message["Message-ID"] for message in silent_smtp.messages)


def test_a_mail_server_that_never_answers_fails_each_mail_after_its_retries(
    world, silent_smtp, background_sender
):
    with smtp_settings(
        silent_smtp, EMAIL_TIMEOUT=1, NOTIFICATIONS_MAX_ATTEMPTS=3, NOTIFICATIONS_RETRY_SECONDS=0.2
    ):
        client, _seconds = log_in(world.leaders[0].username)
        _series, seconds = book(client, world, world.leaders[0], 10)
        assert seconds < FAST
        message = OutboxMessage.objects.get()

        def failed() -> bool:
            message.refresh_from_db()
            return message.status == Status.FAILED

        # Meanwhile the next leader books as if nothing were wrong.
        other, _seconds = log_in(world.leaders[1].username)
        _series, seconds = book(other, world, world.leaders[1], 12)
        assert seconds < FAST

        wait_until(failed, 20, "both e-mails to fail for good")
        wait_until(lambda: background_sender.pending() == 0, 20, "the mail thread")
        assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.FAILED, 3)}
        assert "timed out" in message.last_error
        assert silent_smtp.connections == 6  # three attempts each

        silent_smtp.answer()
        assert outbox_dispatch_pending() == 0
    assert silent_smtp.messages == []
