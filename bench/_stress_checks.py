"""What `stress_mixed.py` checks once every worker has finished (nothing is repaired first)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.db import connection

from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series
from centers.models import Room


def overlapping_blocks() -> int:
    """Pairs of room blocks of one unit whose ranges overlap (the database layer's promise)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM bookings_roomblock a JOIN bookings_roomblock b
              ON a.room_id = b.room_id AND a.id < b.id AND a.occurrence_id <> b.occurrence_id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            """
        )
        return cursor.fetchone()[0]


def _units() -> tuple[dict[int, list[int]], dict[int, Room]]:
    rooms = {r.pk: r for r in Room.objects.all()}
    units = {pk: [pk] for pk in rooms}
    for room in rooms.values():
        if room.parent_id:
            units[room.parent_id].append(room.pk)
    return units, rooms


def overlapping_confirmed() -> int:
    """Pairs of confirmed dates that hold one room unit at overlapping times, computed from the
    dates themselves (a whole hall holds its halves; each room's buffers widen its dates)."""
    units, rooms = _units()
    held: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for pk, room_id, start, end in Occurrence.objects.filter(
        state=OccurrenceState.CONFIRMED
    ).values_list("pk", "room_id", "starts_at", "ends_at"):
        room = rooms[room_id]
        span = (
            start - timedelta(minutes=room.setup_minutes),
            end + timedelta(minutes=room.cleanup_minutes),
        )
        for unit in units[room_id]:
            held[unit].append((*span, pk))
    pairs = 0
    for spans in held.values():
        spans.sort()
        active: list[tuple[datetime, datetime, int]] = []
        for start, end, pk in spans:
            active = [a for a in active if a[1] > start]
            pairs += len(active)
            active.append((start, end, pk))
    return pairs


def block_mismatches() -> int:
    """Confirmed dates without exactly their blocks, and blocks of dates not confirmed."""
    units, rooms = _units()
    expected = set()
    for pk, room_id, start, end in Occurrence.objects.filter(
        state=OccurrenceState.CONFIRMED
    ).values_list("pk", "room_id", "starts_at", "ends_at"):
        room = rooms[room_id]
        for unit in units[room_id]:
            expected.add(
                (
                    pk,
                    unit,
                    start - timedelta(minutes=room.setup_minutes),
                    end + timedelta(minutes=room.cleanup_minutes),
                )
            )
    actual = set(RoomBlock.objects.values_list("occurrence_id", "room_id", "starts_at", "ends_at"))
    return len(expected ^ actual)


def lost_updates(edits: list[list]) -> dict[str, int]:
    """Edits sent with an expected version: at most one may be applied per version of an
    entity (every applied edit raises it), and none sent with a stale version on purpose."""
    applied = Counter(
        (entity, pk, version)
        for entity, pk, version, _stale, _op, outcome in edits
        if outcome == "applied"
    )
    twice = sum(n - 1 for n in applied.values() if n > 1)
    stale_applied = sum(
        1 for _e, _pk, _v, stale, _op, outcome in edits if stale and outcome == "applied"
    )
    sent = Counter((entity, pk, version) for entity, pk, version, stale, *_ in edits if not stale)
    contended = sum(1 for n in sent.values() if n > 1)
    stale_sent = sum(1 for edit in edits if edit[3])
    stale_refused = sum(1 for edit in edits if edit[3] and edit[5] == "stale")
    return {
        "lost_updates": twice + stale_applied,
        "applied_twice_from_one_version": twice,
        "stale_applied": stale_applied,
        "stale_sent": stale_sent,
        # (entity, version) pairs that two or more workers sent edits from: where a lost
        # update would have happened without the version check.
        "contended_versions": contended,
        "stale_refused": stale_refused,
        "versioned_edits": len(edits),
        "versioned_applied": sum(applied.values()),
    }


def mirror_drift(start: datetime, end: datetime) -> tuple[int, dict[int, list]]:
    """Dates on which a series' django-scheduler mirror and its rows differ, summed over every
    series (and which series drifted, with the dates), read through django-scheduler's API."""
    from bookings.scheduler import drift

    dates = 0
    drifted: dict[int, list] = {}
    for series in Series.objects.select_related("group__center", "room", "event__rule"):
        found = drift(series, start, end)
        if found:
            dates += len(found)
            drifted[series.pk] = sorted(found)
    return dates, drifted


def orphan_events() -> int:
    """django-scheduler events that no series points to (a mirror created twice)."""
    from schedule.models import Event

    return Event.objects.filter(treffpunkt_series__isnull=True).count()


def outbox(events: list[list]) -> dict[str, int]:
    """One outbox row per recorded event and recipient: compare the two multisets."""
    from notifications.models import OutboxMessage

    expected = Counter(
        (kind, series_id, recipient)
        for kind, series_id, recipients, _actor in events
        for recipient in recipients
    )
    actual = Counter(OutboxMessage.objects.values_list("kind", "series_id", "recipient_id"))
    return {
        "events": len(events),
        "outbox_expected": sum(expected.values()),
        "outbox_rows": sum(actual.values()),
        "outbox_missing": sum((expected - actual).values()),
        "outbox_extra": sum((actual - expected).values()),
    }


def status_mismatches() -> int:
    """Series whose status does not follow from their dates (the engine keeps it in step)."""
    from bookings.services.transitions import status_from

    counts: dict[int, Counter] = defaultdict(Counter)
    for series_id, state in Occurrence.objects.values_list("series_id", "state"):
        counts[series_id][state] += 1
    wrong = 0
    for series in Series.objects.all():
        c = counts[series.pk]
        want = status_from(
            series.status,
            c[OccurrenceState.REQUESTED],
            c[OccurrenceState.CONFIRMED],
            c[OccurrenceState.DECLINED],
            c[OccurrenceState.CANCELLED],
        )
        wrong += want != series.status
    return wrong


def deadlocks() -> int | None:
    """PostgreSQL's own count of deadlocks it broke in this database."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]
