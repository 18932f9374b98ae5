"""From fetched rows to `Busy` and the slots they overlap (pure, no database)."""

from datetime import UTC, datetime, timedelta

from bookings.conflicts.found import blocks_by_slot, requests_by_slot
from bookings.recurrence import Slot

NO_BUFFERS = (timedelta(0), timedelta(0))


def at(hour: int, minute: int = 0, second: float = 0) -> datetime:
    return datetime(2031, 3, 4, hour, minute, tzinfo=UTC) + timedelta(seconds=second)


def text(moment: datetime) -> str:
    """As SQLite stores it (UTC, no zone)."""
    return moment.replace(tzinfo=None).isoformat(sep=" ")


SLOTS = [Slot(at(9), at(10)), Slot(at(11), at(12)), Slot(at(13), at(14))]


def block(start, end, pk, group, room, k) -> tuple:
    """A block row as the SQL fetches read it (the shape `found` documents)."""
    return ("block", start, end, pk, pk, group, room, None, None, k)


def request(start, end, pk, group, room, setup, cleanup, k) -> tuple:
    return ("pending", start, end, pk, pk, group, room, setup, cleanup, k)


def test_a_whole_rooms_booking_is_one_date_for_each_slot_it_was_found_for():
    # Whole hall 9:30–11:30, blocks in the hall and both halves, found for slots 0 and 1.
    rows = [
        block(text(at(9, 30)), text(at(11, 30)), 7, "Chor", "Saal", k)
        for k in (0, 1)
        for _unit in range(3)
    ]
    rows.sort(key=lambda r: (r[1], r[3]))
    blocks, hits = blocks_by_slot(rows, SLOTS, NO_BUFFERS, exact=True, parse=True)
    assert [(b.occurrence_id, b.starts_at, b.ends_at) for b in blocks] == [
        (7, at(9, 30), at(11, 30))
    ]
    assert [list(h) for h in hits] == [[0], [0], []]


def test_a_block_found_for_a_rounded_range_counts_only_where_it_overlaps():
    # The slot starts at 10:00:00.5; asked from 10:00:00, the database also finds a block
    # that ends at 10:00:00.2: it does not overlap the slot.
    slots = [Slot(at(10, second=0.5), at(11))]
    rows = [
        block(text(at(9)), text(at(10, second=0.2)), 1, "Chor", "Saal", 0),
        block(text(at(10, 30)), text(at(12)), 2, "Tanz", "Saal", 0),
    ]
    blocks, hits = blocks_by_slot(rows, slots, NO_BUFFERS, exact=False, parse=True)
    assert [b.occurrence_id for b in blocks] == [1, 2]
    assert [list(h) for h in hits] == [[1]]


def test_a_request_holds_its_own_rooms_buffers():
    # Asked with the widest buffer of the related rooms (30 min), the database finds two
    # requests ending 20 minutes before the slot: one in a room with a 30-minute cleanup
    # (it clashes), one without buffers (it does not).
    rows = [
        request(at(8), at(10, 40), 3, "Café", "Saal A", 0, 30, 1),
        request(at(8), at(10, 40), 4, "Kurs", "Saal B", 0, 0, 1),
    ]
    pending, hits = requests_by_slot(rows, SLOTS, NO_BUFFERS, parse=False)
    assert [(p.occurrence_id, p.ends_at) for p in pending] == [(3, at(11, 10)), (4, at(10, 40))]
    assert [list(h) for h in hits] == [[], [0], []]
