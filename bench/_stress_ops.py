"""One worker process of `stress_mixed.py`: random operations through `bookings.services` only.

Each operation reads what a page would show (a date, a series and its version), then calls one
service as the leader or staff member on that page would. What happens is recorded:

- the outcome: applied, refused (ValidationError incl. stale edits and BookingBusy, a
  BookingConflict, PermissionDenied) or an error (anything else, and a BookingBusy caused by a
  deadlock PostgreSQL broke — a lock timeout is a clean refusal);
- every edit sent with an `expected_version`: the entity, that version, whether it was made
  stale on purpose (an older version than the page read), and whether it was applied;
- every event the services enqueue for e-mail, with its expected recipients, once the
  service's transaction has committed (`notifications.outbox.enqueue` is wrapped where the
  services imported it; the outbox itself stays untouched);
- errors logged by the engine's after-commit work (the django-scheduler mirror sync).

A share of the targets comes from a small "hot" set (the lowest ids) so that the workers meet
on the same series and dates, which is where lost updates and deadlocks would show.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time as clock
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable

from _stress_actions import Actions
from _stress_world import StressWorld

WEIGHTS = {
    "request": 22,
    "series_confirm": 8,
    "occurrences_confirm": 6,
    "occurrence_decline": 4,
    "occurrences_decline": 4,
    "occurrence_move": 12,
    "occurrence_cancel": 9,
    "occurrence_reinstate": 8,
    "series_update": 8,
    "series_end": 3,
    "series_withdraw": 2,
    "closure_create": 4,
    "closure_update": 2,
    "closure_delete": 3,
}


class _LogCounter(logging.Handler):
    """Errors the engine logs instead of raising (a failed mirror sync)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


class Worker(Actions):
    def __init__(self, index: int, world: StressWorld, operations: int, seed: int) -> None:
        self.index = index
        self.world = world
        self.operations = operations
        self.rng = random.Random(seed * 1000 + index)
        self.outcomes: Counter[str] = Counter()
        self.errors: list[dict] = []
        self.edits: list[list] = []
        self.events: list[list] = []
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.logged = _LogCounter()

    # --- set-up -------------------------------------------------------------------------------

    def start(self) -> None:
        from django.db import connections

        connections.close_all()  # never share the parent's connection across a fork
        from accounts.models import User
        from centers.models import Center, Equipment, Room
        from groups.models import Group

        self.center = Center.objects.get(pk=self.world.center_id)
        self.rooms = {r.pk: r for r in Room.objects.filter(center=self.center)}
        self.staff = list(User.objects.filter(pk__in=self.world.staff_ids))
        self.groups = {g.pk: g for g in Group.objects.filter(center=self.center)}
        self.leaders = {gid: User.objects.get(pk=uid) for gid, uid in self.world.leader_of.items()}
        self.equipment = list(Equipment.objects.filter(pk__in=self.world.equipment_ids))
        self._record_events()
        logging.getLogger("bookings").addHandler(self.logged)

    def _record_events(self) -> None:
        """Wrap `enqueue` where each service module imported it: record on commit."""
        _SINK[:] = [self.events]
        import bookings.services  # noqa: F401 - imports every service module
        import notifications.outbox as outbox

        for name, module in list(sys.modules.items()):
            if name.startswith("bookings.services") and getattr(module, "enqueue", None) in (
                outbox.enqueue,
                _recording,
            ):
                module.enqueue = _recording

    # --- the loop -----------------------------------------------------------------------------

    def run(self) -> dict:
        self.start()
        names = list(WEIGHTS)
        weights = [WEIGHTS[n] for n in names]
        done = 0
        while done < self.operations:
            name = self.rng.choices(names, weights)[0]
            prepared = getattr(self, f"op_{name}")()
            if prepared is None:
                continue  # nothing to do this on right now: pick another operation
            call, edit = prepared
            done += 1
            self._attempt(name, call, edit)
        from django.db import connections

        connections.close_all()
        return {
            "outcomes": dict(self.outcomes),
            "errors": self.errors,
            "edits": self.edits,
            "events": self.events,
            "latency": dict(self.latency),
            "logged": self.logged.records,
        }

    def _attempt(self, name: str, call: Callable[[], object], edit: list | None) -> None:
        from django.core.exceptions import PermissionDenied, ValidationError

        from bookings.errors import BookingConflict, is_stale
        from bookings.locking import BookingBusy

        started = clock.perf_counter()
        outcome = "applied"
        try:
            result = call()
            if getattr(result, "_stress_noop", False):
                outcome = "noop"
        except BookingBusy as busy:
            outcome = "deadlock" if _sqlstate(busy) == "40P01" else "busy"
            if outcome == "deadlock":
                self._error(name, busy)
        except (ValidationError, BookingConflict, PermissionDenied) as refused:
            outcome = (
                "stale"
                if isinstance(refused, ValidationError) and is_stale(refused)
                else ("refused")
            )
        except Exception as error:  # anything else is what a user would see as a 500
            outcome = "error"
            self._error(name, error)
        self.latency[name].append((clock.perf_counter() - started) * 1000)
        self.outcomes[f"{name}:{outcome}"] += 1
        if edit is not None:
            self.edits.append([*edit[:5], outcome])

    def _error(self, name: str, error: BaseException) -> None:
        self.errors.append(
            {
                "op": name,
                "type": type(error).__name__,
                "message": str(error)[:300],
                "where": traceback.format_exception(error)[-3:-1],
            }
        )


_SINK: list[list] = []  # the recording worker's event list (one worker per process)


def _recipients(event: str, series_id: int) -> list[int]:
    """Who must get an e-mail about this event: the center's staff for a new request, the
    group's leaders who want e-mails for everything else (actors never receive any here)."""
    from accounts.models import User
    from bookings.models import Series

    series = Series.objects.select_related("group__center").get(pk=series_id)
    if event == "request_received":
        people = series.group.center.staff.filter(is_active=True)
    else:
        people = User.objects.filter(
            leaderships__group=series.group, is_active=True, email_notifications=True
        )
    return sorted(people.exclude(email="").values_list("pk", flat=True))


def _recording(**kwargs) -> None:
    """`notifications.outbox.enqueue`, recording the event once its transaction commits."""
    from django.db import transaction

    import notifications.outbox as outbox

    outbox.enqueue(**kwargs)
    events = _SINK[0]
    entry = [
        kwargs["event"],
        kwargs["series_id"],
        _recipients(kwargs["event"], kwargs["series_id"]),
        kwargs.get("actor_id"),
    ]
    transaction.on_commit(lambda: events.append(entry))


def _sqlstate(error: BaseException) -> str | None:
    seen = error
    while seen is not None:
        state = getattr(seen, "sqlstate", None) or getattr(seen, "pgcode", None)
        if state:
            return state
        seen = seen.__cause__ or seen.__context__
    return None


def work(index: int, world: StressWorld, operations: int, seed: int, out: str) -> None:
    """Process entry point: run, then leave the records in `out` (JSON)."""
    result = Worker(index, world, operations, seed).run()
    with open(out, "w") as handle:
        json.dump(result, handle)
