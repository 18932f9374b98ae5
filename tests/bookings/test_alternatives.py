"""Alternatives for clashing dates: other rooms at the same time, then nearby times."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bookings.alternatives import alternatives_for, alternatives_for_report
from bookings.conflicts import check
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series
from bookings.recurrence import RecurrenceRule, Slot, expand
from centers.models import Closure, Room

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2031, 3, 11)  # a Tuesday, no holiday in NW


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).astimezone(UTC)


def local(moment: datetime) -> tuple[date, time]:
    moment = moment.astimezone(BERLIN)
    return moment.date(), moment.time()


@pytest.fixture
def book(make_group: Callable) -> Callable[..., Occurrence]:
    """A confirmed date holding one block per room unit, as the booking service stores it."""

    def make(room: Room, starts_at: datetime, ends_at: datetime) -> Occurrence:
        group = make_group(center=room.center)
        series = Series.objects.create(
            group=group,
            room=room,
            start_date=local(starts_at)[0],
            start_time=local(starts_at)[1],
            end_time=local(ends_at)[1],
        )
        occurrence = Occurrence.objects.create(
            series=series,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            original_start=starts_at,
            state=OccurrenceState.CONFIRMED,
        )
        RoomBlock.objects.bulk_create(
            RoomBlock(occurrence=occurrence, room=unit, starts_at=starts_at, ends_at=ends_at)
            for unit in [room, *room.parts.all()]
        )
        return occurrence

    return make


def test_other_rooms_first_closest_capacity_first(make_center, make_room, make_equipment, book):
    piano = make_equipment("piano", "Klavier")
    center = make_center()
    asked = make_room(center=center, name="Musikraum", capacity=20, equipment=[piano])
    roomy = make_room(center=center, name="Seminarraum 1", capacity=40, equipment=[piano])
    snug = make_room(center=center, name="Seminarraum 2", capacity=14, equipment=[piano])
    make_room(center=center, name="Kammer", capacity=8, equipment=[piano])  # too small
    make_room(center=center, name="Werkraum", capacity=30)  # no piano
    make_room(center=center, name="Büro", capacity=30, equipment=[piano], bookable=False)
    taken = make_room(center=center, name="Saal", capacity=60, equipment=[piano])
    book(asked, at(10), at(12))
    book(taken, at(11), at(13))

    with translation.override("en"):
        found = alternatives_for(
            room=asked,
            slot=Slot(at(10), at(12)),
            expected_participants=12,
            equipment=[piano],
            limit=3,
        )
    assert [(a.room, a.kind) for a in found] == [(snug, "room"), (roomy, "room"), (asked, "time")]
    assert found[0].label == "Seminarraum 2, same time"
    assert (found[0].starts_at, found[0].ends_at) == (at(10), at(12))


def test_time_shifts_in_the_same_room_smallest_first(make_room, book):
    room = make_room(name="Küche")
    book(room, at(10), at(12))
    book(room, at(13), at(15))

    with translation.override("en"):
        found = alternatives_for(room=room, slot=Slot(at(11), at(13)), limit=4)
    # Every shift up to 2.5 h overlaps a booking; 08:00 touches the first one (fine), 07:30
    # would start before opening; later, 15:00 is the first free start.
    assert [(a.kind, local(a.starts_at)[1], local(a.ends_at)[1]) for a in found] == [
        ("time", time(8), time(10)),
        ("time", time(15), time(17)),
        ("time", time(15, 30), time(17, 30)),
        ("time", time(16), time(18)),
    ]
    assert found[0].label == "Küche, 08:00–10:00"


def test_time_shifts_stay_within_opening_hours_and_the_day(make_room, book):
    room = make_room()  # open 08:00–22:00
    book(room, at(9), at(21))
    found = alternatives_for(room=room, slot=Slot(at(10), at(12)), limit=10)
    starts = [local(a.starts_at) for a in found]
    assert (DAY, time(21)) not in starts  # 21:00–23:00 would end after closing
    assert [s for s in starts if s[0] == DAY] == []
    assert starts == [(DAY - timedelta(days=1), time(10)), (DAY + timedelta(days=1), time(10))]


def test_neighbouring_days_are_labelled_with_their_date(make_room, book):
    room = make_room(name="Atelier")
    book(room, at(8), at(22))
    with translation.override("en"):
        found = alternatives_for(room=room, slot=Slot(at(10), at(12)))
    assert [a.kind for a in found] == ["time", "time"]
    assert "10:00–12:00" in found[0].label and found[0].label.startswith("Atelier, ")
    assert found[0].label != found[1].label


def test_holiday_offers_other_days_only(make_center, make_room):
    center = make_center()
    room = make_room(center=center)
    make_room(center=center)
    unity_day = date(2031, 10, 3)
    found = alternatives_for(room=room, slot=Slot(at(10, day=unity_day), at(12, day=unity_day)))
    assert [local(a.starts_at)[0] for a in found] == [
        unity_day - timedelta(days=1),
        unity_day + timedelta(days=1),
    ]


def test_closed_rooms_and_divisible_rooms_are_not_offered(make_center, make_room, book):
    center = make_center()
    asked = make_room(center=center, name="Raum 1")
    closed = make_room(center=center, name="Raum 2")
    hall = make_room(center=center, name="Saal", capacity=100)
    half_a = make_room(center=center, name="Saal A", parent=hall)
    half_b = make_room(center=center, name="Saal B", parent=hall)
    Closure.objects.create(center=center, room=closed, starts_at=at(0), ends_at=at(23), reason="x")
    book(asked, at(10), at(12))
    book(half_a, at(9), at(11))

    found = alternatives_for(room=asked, slot=Slot(at(10), at(12)), limit=10)
    rooms = [a.room for a in found if a.kind == "room"]
    assert rooms == [half_b]  # the whole hall is partly taken, its other half is free


def test_batch_for_a_report_uses_a_constant_number_of_queries(make_center, make_room, book):
    center = make_center()
    room = make_room(center=center, name="Raum 1")
    other = make_room(center=center, name="Raum 2")
    rule = RecurrenceRule(
        start_date=DAY, start_time=time(18), end_time=time(20), frequency="weekly", count=30
    )
    slots = expand(rule, BERLIN)
    for s in slots:
        book(room, s.starts_at, s.ends_at)
    book(other, slots[3].starts_at, slots[3].ends_at)

    def run(report):
        with CaptureQueriesContext(connection) as captured:
            found = alternatives_for_report(room=room, report=report, expected_participants=5)
        return found, len(captured)

    _, queries_one = run(check(room=room, slots=slots[:1]))
    many, queries_many = run(check(room=room, slots=slots))
    # Constant in the number of dates: the rooms, then one conflict check per candidate room
    # (the same check a request gets: one statement on PostgreSQL, up to six on SQLite).
    assert queries_one == queries_many <= 1 + 6 * 2
    assert list(many) == [s.original_start for s in slots]
    assert all(len(found) == 3 for found in many.values())
    assert [a.room for a in many[slots[0].original_start]][:1] == [other]
    assert many[slots[3].original_start][0].kind == "time"  # the other room is taken then


def test_free_dates_get_no_entry_in_a_report(make_room):
    room = make_room()
    report = check(room=room, slots=[Slot(at(10), at(12))])
    assert alternatives_for_report(room=room, report=report) == {}
