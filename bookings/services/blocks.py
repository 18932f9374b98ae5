"""Room blocks: what a confirmed date holds in the database (the layer that refuses overlaps).

A confirmed date holds one block per room unit it occupies (its room and, for a divisible
room, each part) over its time widened by the room's buffers. On PostgreSQL an exclusion
constraint refuses two overlapping blocks of one unit; a refused insert becomes a
BookingConflict naming the dates. Callers hold the room locks (bookings.locking).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo

from django.db import IntegrityError, transaction

from centers.models import Room

from ..errors import BookingConflict
from ..models import Occurrence, RoomBlock

Claim = tuple[int, datetime, datetime]  # (room unit, start, end)


def units_of(room_ids: Iterable[int]) -> dict[int, list[int]]:
    """For each room: the room units it occupies (itself and, if divisible, its parts)."""
    ids = set(room_ids)
    units: dict[int, list[int]] = {pk: [pk] for pk in ids}
    for pk, parent_id in Room.objects.filter(parent_id__in=ids).values_list("pk", "parent_id"):
        units[parent_id].append(pk)
    return units


def claims(occurrences: Sequence[Occurrence]) -> dict[int, list[Claim]]:
    """For each date (by id): the units it holds and the buffered range it holds them for."""
    units = units_of({o.room_id for o in occurrences})
    found: dict[int, list[Claim]] = {}
    for occ in occurrences:
        room = occ.room
        start = occ.starts_at - timedelta(minutes=room.setup_minutes)
        end = occ.ends_at + timedelta(minutes=room.cleanup_minutes)
        found[occ.pk] = [(unit, start, end) for unit in units[occ.room_id]]
    return found


def write(occurrences: Sequence[Occurrence], *, tz: tzinfo) -> None:
    """Replace the blocks of these (now confirmed) dates; a refused write is a conflict."""
    if not occurrences:
        return
    blocks = [
        RoomBlock(occurrence_id=occ_id, room_id=unit, starts_at=start, ends_at=end)
        for occ_id, claim in claims(occurrences).items()
        for unit, start, end in claim
    ]
    remove(occurrences)
    try:
        with transaction.atomic():
            RoomBlock.objects.bulk_create(blocks)
    except IntegrityError as refused:
        # The exclusion constraint saw a booking the checks did not: name what clashes now.
        raise BookingConflict(_refused_dates(occurrences), tz=tz) from refused


def _refused_dates(occurrences: Sequence[Occurrence]) -> list[datetime]:
    mine = claims(occurrences)
    clashing = []
    for occ in occurrences:
        for unit, start, end in mine[occ.pk]:
            if (
                RoomBlock.objects.filter(room_id=unit, starts_at__lt=end, ends_at__gt=start)
                .exclude(occurrence_id=occ.pk)
                .exists()
            ):
                clashing.append(occ.starts_at)
                break
    return clashing or [o.starts_at for o in occurrences]


def remove(occurrences: Iterable[Occurrence]) -> None:
    ids = [o.pk for o in occurrences]
    if ids:
        RoomBlock.objects.filter(occurrence_id__in=ids).delete()
