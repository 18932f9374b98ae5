"""The fetches are interchangeable: the same question gives the same report through each.

`fetch_sql` (PostgreSQL, one statement), `fetch_sqlite` (SQLite, hand-written) and `fetch_orm`
(any database) must load the same facts. A rich world — buffers, a divisible hall, closures
of the center, of the hall, of a half and of another room, public holidays, confirmed dates
and competing requests in every unit, equipment, dates across the spring-forward night and
with fractional seconds — is asked the same questions through each fetch and every report is
compared issue by issue.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bookings.conflicts import check
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series
from bookings.recurrence import RecurrenceRule, Slot, expand
from centers.models import Closure, Room

BERLIN = ZoneInfo("Europe/Berlin")
START = date(2031, 3, 4)  # a Tuesday; the clocks go forward on 30 March 2031
NOW = datetime(2031, 1, 2, 12, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).astimezone(UTC)


@pytest.fixture(autouse=True)
def _now(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def world(make_center, make_room, make_group, make_equipment) -> dict:
    """A center with a divisible hall, a kitchen and a seminar room, and a busy spring."""
    center = make_center(federal_state="NW", booking_horizon_months=3)
    piano, projector = make_equipment("piano", "Klavier"), make_equipment("projector", "Beamer")
    hall = make_room(center=center, name="Saal", capacity=120, setup_minutes=30, cleanup_minutes=15)
    hall.equipment.set([projector])
    rooms = {
        "hall": hall,
        "a": make_room(center=center, name="Saal A", parent=hall, cleanup_minutes=20),
        "b": make_room(center=center, name="Saal B", parent=hall, setup_minutes=10),
        "kitchen": make_room(center=center, name="Küche", capacity=12, requires_approval=True),
        "seminar": make_room(center=center, name="Seminarraum", setup_minutes=5),
    }
    groups = [make_group(center=center, name=f"Gruppe {n}") for n in range(6)]

    def book(
        room: str,
        day: date,
        start: tuple,
        end: tuple,
        state: str,
        group: int,
        shift: tuple[timedelta, timedelta] = (timedelta(0), timedelta(0)),
    ) -> None:
        where = rooms[room]
        starts_at, ends_at = at(day, *start) + shift[0], at(day, *end) + shift[1]
        series = Series.objects.create(
            group=groups[group],
            room=where,
            start_date=day,
            start_time=time(*start),
            end_time=time(*end),
        )
        occurrence = Occurrence.objects.create(
            series=series,
            room=where,
            starts_at=starts_at,
            ends_at=ends_at,
            original_start=starts_at,
            state=state,
        )
        if state == OccurrenceState.CONFIRMED:
            RoomBlock.objects.bulk_create(
                RoomBlock(
                    occurrence=occurrence,
                    room=unit,
                    starts_at=starts_at - timedelta(minutes=where.setup_minutes),
                    ends_at=ends_at + timedelta(minutes=where.cleanup_minutes),
                )
                for unit in [where, *where.parts.all()]
            )

    confirmed, requested = OccurrenceState.CONFIRMED, OccurrenceState.REQUESTED
    for week in range(12):
        day = START + timedelta(weeks=week)
        if week % 3 == 0:
            book("a", day, (16, 0), (17, 40), confirmed, 0)  # its cleanup reaches 18:00
        if week % 4 == 1:
            book("hall", day, (19, 45), (21, 0), confirmed, 1)  # setup from 19:15
        if week % 5 == 2:
            book("b", day, (18, 0), (19, 0), requested, 2)
        if week % 2 == 0:
            book("kitchen", day, (17, 0), (19, 0), requested, 3)
            book("seminar", day, (18, 0), (20, 0), confirmed, 4)
        book("b", day + timedelta(days=1), (18, 0), (20, 0), confirmed, 5)  # Wednesdays
        book("hall", day - timedelta(days=1), (23, 0), (23, 30), requested, 5)  # Mondays
        if week % 3 == 1:
            # Ends before a hall date's setup starts (16:30), but its own cleanup reaches in.
            book("a", day, (15, 0), (16, 20), requested, 2)
    # Stored with fractions of a second: inside, and half a second before the end of, the
    # range the hall holds for 17:00-19:00 (setup 30, cleanup 15: 16:30-19:15).
    half = timedelta(milliseconds=500)
    day = START + timedelta(weeks=4)
    book("b", day, (19, 25), (20, 0), confirmed, 3, shift=(-half, half))
    book("a", START + timedelta(days=7), (14, 0), (15, 0), confirmed, 0, shift=(half, -half))
    book("hall", START + timedelta(days=7), (12, 0), (13, 0), requested, 1, shift=(half, half))
    closures = [
        (None, START + timedelta(weeks=2), START + timedelta(weeks=2, days=1), "Betriebsausflug"),
        ("b", START + timedelta(weeks=5), START + timedelta(weeks=5, days=1), "Boden"),
        ("hall", START + timedelta(weeks=7), START + timedelta(weeks=8), "Renovierung"),
        ("seminar", START, START + timedelta(weeks=12), "Wasserschaden"),
    ]
    for room, first, last, reason in closures:
        Closure.objects.create(
            center=center,
            room=rooms[room] if room else None,
            starts_at=at(first, 0),
            ends_at=at(last, 0),
            reason=reason,
        )
    return {"rooms": rooms, "equipment": [piano, projector]}


def described(report) -> list:
    """Everything a report says, in a form that compares exactly."""
    return [
        (
            d.slot.starts_at,
            d.slot.ends_at,
            d.needs_approval,
            d.verdict,
            [
                (
                    i.kind,
                    i.message,
                    i.occurrence_id,
                    i.series_id,
                    i.group_name,
                    i.room_name,
                    i.closure_id,
                    i.detail,
                )
                for i in d.issues
            ],
        )
        for d in report.dates
    ]


def weekly(start: time, end: time, count: int = 12, day: date = START) -> list[Slot]:
    rule = RecurrenceRule(
        start_date=day, start_time=start, end_time=end, frequency="weekly", count=count
    )
    return expand(rule, BERLIN)


QUESTIONS: dict[str, Callable[[], list[Slot]]] = {
    "evening": lambda: weekly(time(17), time(19)),
    "late": lambda: weekly(time(19), time(21, 30)),
    "touching": lambda: weekly(time(18), time(19, 15)),  # ends where the hall's setup starts
    "wednesdays": lambda: weekly(time(17, 30), time(22, 30), day=START + timedelta(days=1)),
    "mondays at night": lambda: weekly(time(22), time(23, 59), day=START - timedelta(days=1)),
    "spring-forward night": lambda: weekly(time(2, 30), time(3, 30), 3, date(2031, 3, 23)),
    "fractional seconds": lambda: [
        Slot(at(START, 17, 40) + timedelta(microseconds=250), at(START, 18)),
        Slot(at(START, 15) - timedelta(microseconds=1), at(START, 16) + timedelta(seconds=1.5)),
        # Against the dates stored with fractions of a second: just touching, just not.
        Slot(
            at(START + timedelta(days=7), 15) - timedelta(microseconds=499_999),
            at(START + timedelta(days=7), 16),
        ),
        Slot(at(START + timedelta(days=7), 13), at(START + timedelta(days=7), 14, 30)),
        Slot(at(START + timedelta(days=7), 11), at(START + timedelta(days=7), 11, 30)),
    ],
}


def reports(world, *, fetch: str, room: str, slots: list[Slot], **options) -> list:
    return described(
        check(
            room=world["rooms"][room],
            slots=slots,
            expected_participants=options.get("expected", 10),
            equipment=options.get("equipment", world["equipment"]),
            ignore_series_id=options.get("ignore"),
            now=NOW,
            fetch=fetch,
        )
    )


def compare(world, native: str) -> None:
    asked = 0
    for name, question in QUESTIONS.items():
        slots = question()
        for room in world["rooms"]:
            for options in ({}, {"equipment": [], "expected": 200}, {"ignore": 1}):
                with translation.override("en"):
                    expected = reports(world, fetch="orm", room=room, slots=slots, **options)
                    got = reports(world, fetch=native, room=room, slots=slots, **options)
                assert got == expected, (name, room, options)
                asked += 1
    assert asked == len(QUESTIONS) * 5 * 3


def test_the_world_has_every_kind_of_issue(world) -> None:
    """The comparison would prove little if the world had nothing in the way."""
    seen: set[str] = set()
    for question in QUESTIONS.values():
        for room in world["rooms"].values():
            report = check(
                room=room, slots=question(), equipment=world["equipment"], now=NOW, fetch="orm"
            )
            seen |= {i.kind for d in report.dates for i in d.issues}
    assert seen >= {
        "booked",
        "pending",
        "closure",
        "holiday",
        "equipment",
        "horizon",
        "outside_hours",
    }


@pytest.mark.postgres
def test_sql_and_orm_fetches_give_identical_reports(world) -> None:
    compare(world, "sql")


@pytest.mark.sqlite
def test_sqlite_and_orm_fetches_give_identical_reports(world) -> None:
    compare(world, "sqlite")


@pytest.mark.sqlite
def test_sqlite_fetch_is_one_statement_whatever_the_number_of_dates(world) -> None:
    hall = world["rooms"]["hall"]

    def statements(slots: list[Slot]) -> int:
        with CaptureQueriesContext(connection) as captured:
            check(room=hall, slots=slots, equipment=world["equipment"], now=NOW)
        return len(captured)

    assert statements(weekly(time(17), time(19), 1)) == 1
    assert statements(weekly(time(17), time(19), 500)) == 1


@pytest.mark.postgres
def test_sql_fetch_is_one_statement(world) -> None:
    with CaptureQueriesContext(connection) as captured:
        check(room=world["rooms"]["a"], slots=weekly(time(17), time(19)), now=NOW)
    assert len(captured) == 1


@pytest.mark.postgres
def test_sql_fetch_is_planned_once_per_connection(world) -> None:
    """After a few checks (psycopg's `prepare_threshold`) the statement is prepared on the
    connection and reused, for any number of dates: PostgreSQL no longer plans each check."""

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "WITH rel AS" in row[0]]

    assert prepared() == []
    for count in (1, 2, 5, 20, 52, 3):
        check(room=world["rooms"]["a"], slots=weekly(time(17), time(19), count), now=NOW)
    assert len(prepared()) == 1


def test_room_without_parent_or_parts_and_no_equipment(world) -> None:
    """The plain case through the default fetch: a kitchen with a competing request."""
    kitchen: Room = world["rooms"]["kitchen"]
    report = check(room=kitchen, slots=weekly(time(18), time(20), 2), now=NOW)
    assert [[i.kind for i in d.issues] for d in report.dates] == [["pending"], []]
    assert all(d.needs_approval for d in report.dates)
