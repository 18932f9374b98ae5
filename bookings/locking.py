"""The one way the booking services lock: inside a transaction, rooms -> series -> rows
(a closure's own row before all of them, for closure changes).

Every writer locks what it is about to use once, late, and always in this order (rooms by id
with their parents and parts, then series by id, then occurrence rows by id), so two writers
can wait for each other but never deadlock. Only the rows meant are locked
(`FOR NO KEY UPDATE OF` the table itself, not the joined center or group). NO KEY: writers
still exclude each other, but a foreign-key check stays free to pass — PostgreSQL checks
Django's (deferred) foreign keys at COMMIT with FOR KEY SHARE, and a writer whose commit
waited for a room held FOR UPDATE by another writer, who in turn waited for the plan version
the first had raised, was a deadlock. On PostgreSQL a lock
timeout turns a long wait into a clear "try again" instead of a hanging request; on SQLite
BEGIN IMMEDIATE already serializes writers, and a busy database gives the same message.

A writer reads ids before locking (which rooms do these dates use?). If a row moved to another
room between that read and the lock, the locked set is incomplete: `LockSetChanged` is raised
and `retrying` runs the whole transaction again with fresh reads.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from centers.models import Room

from .models import Occurrence, Series
from .stamps import plan_changes_at_end

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 3


class BookingBusy(ValidationError):
    """Someone else holds the locks right now; nothing was changed, the user may try again."""

    def __init__(self) -> None:
        from .errors import BUSY, Messages

        super().__init__(str(Messages.BUSY), code=BUSY)


class LockSetChanged(Exception):
    """A row changed rooms between reading it and locking it: run the transaction again."""


@dataclass
class Locked:
    """What one `lock` call holds for the rest of the transaction."""

    rooms: set[int] = field(default_factory=set)
    series: list[Series] = field(default_factory=list)
    rows: list[Occurrence] = field(default_factory=list)


def _set_timeout() -> None:
    if connection.vendor == "postgresql":
        timeout_ms = int(getattr(settings, "BOOKING_LOCK_TIMEOUT_MS", 5000))
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {timeout_ms}")


def _room_closure(room_ids: Iterable[int]) -> set[int]:
    """These rooms with their parents and their parts: a date in a half also uses the whole."""
    ids = {pk for pk in room_ids if pk is not None}
    if not ids:
        return set()
    parents = set(
        Room.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    )
    ids |= parents
    ids |= set(Room.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def lock_closure(closure_id: int) -> object | None:
    """Lock a closure before anything else (closures -> rooms -> series -> rows): a change or
    removal of it reads the dates it holds only after that, so two of them cannot miss each
    other's dates. Returns the closure, or None when it is gone."""
    from centers.models import Closure

    if not connection.in_atomic_block:
        raise RuntimeError("bookings.locking.lock_closure() must run inside transaction.atomic()")
    _set_timeout()
    return (
        Closure.objects.select_for_update(of=("self",), no_key=True)
        .select_related("center", "room")
        .filter(pk=closure_id)
        .first()
    )


def lock(
    *,
    rooms: Iterable[int] = (),
    series: Iterable[int] = (),
    rows: Iterable[int] = (),
    all_rows_of_series: bool = False,
    row_states: Sequence[str] | None = None,
    series_joins: Sequence[str] = ("group__center", "room"),
    row_joins: Sequence[str] = ("series__group__center", "series__room", "room"),
) -> Locked:
    """Lock rooms (with parents and parts), then series, then rows, each by id.

    Must run inside a transaction. Returns the locked series and rows, re-read after locking
    (`row_states` filters the rows: a date decided meanwhile is simply not returned);
    `all_rows_of_series` locks every row of the locked series, read after the series lock, so
    dates another writer added meanwhile are included. Raises LockSetChanged if a locked row
    now uses a room that was not locked.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("bookings.locking.lock() must run inside transaction.atomic()")
    _set_timeout()
    room_ids = _room_closure(rooms)
    if room_ids:
        list(
            Room.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk__in=room_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    locked = Locked(rooms=room_ids)
    series_ids = sorted({pk for pk in series if pk is not None})
    if series_ids:
        locked.series = list(
            Series.objects.select_for_update(of=("self",), no_key=True)
            .select_related(*series_joins)
            .filter(pk__in=series_ids)
            .order_by("pk")
        )
    row_ids = {pk for pk in rows if pk is not None}
    if all_rows_of_series and series_ids:
        row_ids |= set(
            Occurrence.objects.filter(series_id__in=series_ids).values_list("pk", flat=True)
        )
    if row_ids:
        query = Occurrence.objects.select_for_update(of=("self",), no_key=True).filter(
            pk__in=sorted(row_ids)
        )
        if row_states is not None:
            query = query.filter(state__in=list(row_states))
        locked.rows = list(query.select_related(*row_joins).order_by("pk"))
        used = {r.room_id for r in locked.rows}
        if room_ids and not used <= room_ids:
            raise LockSetChanged
        locked.rows.sort(key=lambda r: (r.starts_at, r.pk))
    return locked


def rooms_of(occurrence_ids: Iterable[int]) -> set[int]:
    """The rooms these dates use now (read before locking them)."""
    ids = list(occurrence_ids)
    if not ids:
        return set()
    return set(Occurrence.objects.filter(pk__in=ids).values_list("room_id", flat=True))


def rooms_of_series(series_ids: Iterable[int]) -> set[int]:
    """The rooms the series and their dates use now (read before locking them)."""
    ids = list(series_ids)
    if not ids:
        return set()
    used = set(Series.objects.filter(pk__in=ids).values_list("room_id", flat=True))
    used |= set(
        Occurrence.objects.filter(series_id__in=ids).values_list("room_id", flat=True).distinct()
    )
    return used


def _is_lock_failure(error: OperationalError) -> bool:
    cause = getattr(error, "__cause__", None)
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in ("55P03", "40P01", "40001"):  # lock timeout, deadlock, serialization
        return True
    return "database is locked" in str(error).lower()


def retrying(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service's transaction again when its lock set changed; a lock timeout, a
    deadlock the database broke, or a busy SQLite database becomes BookingBusy (nothing was
    changed: the transaction rolled back)."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(ATTEMPTS):
            try:
                return service(*args, **kwargs)
            except LockSetChanged:
                logger.info("%s: lock set changed, attempt %s", service.__name__, attempt + 1)
                if connection.in_atomic_block:
                    # Inside a caller's transaction (the admin) our savepoint rolled back, but
                    # the caller's snapshot may be stale: let the user try again.
                    raise BookingBusy() from None
            except OperationalError as error:
                if not _is_lock_failure(error):
                    raise
                logger.warning("%s: %s", service.__name__, error)
                raise BookingBusy() from error
        raise BookingBusy()

    return run


def in_transaction(service: Callable[P, R]) -> Callable[P, R]:
    """`retrying` around a fresh `transaction.atomic()` (nested in a caller's, if any).

    Plan versions noted by model hooks during the service are raised at its end, inside the
    transaction and after all its locks (bookings.stamps)."""

    @functools.wraps(service)
    def atomic(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), plan_changes_at_end():
            return service(*args, **kwargs)

    return retrying(atomic)
