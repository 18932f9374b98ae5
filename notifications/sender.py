"""The embedded set-up's mail worker: one background thread per process, when there is no broker.

Without Redis, Celery runs tasks inline, and an inline send would keep the request that saved a
booking (or asked for a password reset) waiting for the mail server, up to EMAIL_TIMEOUT per
step. Instead such work is handed to this thread: committed outbox ids, which it sends one
after the other through `dispatch` (claim, send, record), sending failed ones again when their
retry is due; and other mail jobs (`call`). Nothing of the outbox is lost when the process
stops: the rows stay pending (or their lease expires) and `run_periodic_jobs` sends them.

`NOTIFICATIONS_SEND_IN_BACKGROUND = False` (the test settings) sends inline instead.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

# Retries of one message are at most an hour apart (see dispatch.backoff); wake up at least
# that often anyway, so a wrong clock cannot park a message for good.
MAX_SLEEP = 3600.0

# A job does its work and returns the seconds after which it wants to run again, or None.
Job = Callable[[], float | None]


def enabled() -> bool:
    return getattr(settings, "NOTIFICATIONS_SEND_IN_BACKGROUND", True)


def _outbox_job(message_id: int) -> Job:
    def send() -> float | None:
        from .dispatch import Outcome, dispatch
        from .models import OutboxMessage

        if dispatch(message_id) not in (Outcome.RETRY, Outcome.NOT_DUE):
            return None
        due = (
            OutboxMessage.objects.filter(pk=message_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        return None if due is None else max(0.0, (due - timezone.now()).total_seconds())

    return send


class Sender:
    """A due-time queue of jobs and the thread that works it, one job at a time."""

    def __init__(self) -> None:
        self._queue: list[tuple[float, int, Job]] = []
        self._order = itertools.count()  # ties in due time run first come, first served
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._busy = 0

    def schedule(self, job: Job, *, delay: float = 0.0) -> None:
        with self._condition:
            heapq.heappush(self._queue, (time.time() + delay, next(self._order), job))
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(
                    target=self._run, name="treffpunkt-mail", daemon=True
                )
                self._thread.start()
            self._condition.notify()

    def _next(self) -> Job | None:
        with self._condition:
            while not self._stopping:
                now = time.time()
                if self._queue and self._queue[0][0] <= now:
                    self._busy += 1
                    return heapq.heappop(self._queue)[2]
                wait = self._queue[0][0] - now if self._queue else MAX_SLEEP
                self._condition.wait(timeout=min(wait, MAX_SLEEP))
            return None

    def _run(self) -> None:
        try:
            while (job := self._next()) is not None:
                try:
                    close_old_connections()
                    again = job()
                    if again is not None:
                        self.schedule(job, delay=again)
                except Exception:
                    # An outbox row stays pending; the periodic dispatch sends it later.
                    logger.exception("A background mail job failed")
                finally:
                    with self._condition:
                        self._busy -= 1
                        self._condition.notify_all()
        finally:
            connection.close()

    def pending(self) -> int:
        """Jobs queued (due or not) or running."""
        with self._condition:
            return len(self._queue) + self._busy

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or running (tests); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pending() == 0:
                return True
            time.sleep(0.05)
        return False

    def stop(self, timeout: float = 10) -> None:
        """Forget what is queued and end the thread (outbox rows stay pending in the database)."""
        with self._condition:
            self._stopping = True
            self._queue.clear()
            self._condition.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None


_sender = Sender()


def submit(message_ids: Iterable[int]) -> None:
    """Send these committed outbox rows from the background thread."""
    for pk in message_ids:
        _sender.schedule(_outbox_job(pk))


def call(job: Callable[[], object]) -> None:
    """Run `job` once in the background thread (e.g. a password reset e-mail)."""

    def once() -> None:
        job()

    _sender.schedule(once)


def get() -> Sender:
    return _sender
