"""The conflict report: what clashes with a candidate date or series, and why."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bookings.conflicts import IssueKind, Verdict, check, overlapping, within_hours
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series
from bookings.recurrence import RecurrenceRule, Slot, expand
from centers.models import Closure, OpeningHours, Room

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2031, 3, 11)  # a Tuesday, no holiday in NW


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN).astimezone(UTC)


def slot(start: tuple[int, int], end: tuple[int, int], day: date = DAY) -> Slot:
    return Slot(starts_at=at(*start, day=day), ends_at=at(*end, day=day))


@pytest.fixture
def book(make_group: Callable) -> Callable[..., Occurrence]:
    """A date in `room`: confirmed ones hold one block per unit, like the booking service."""

    def make(
        room: Room,
        starts_at: datetime,
        ends_at: datetime,
        *,
        state: str = OccurrenceState.CONFIRMED,
        group_name: str | None = None,
        series: Series | None = None,
    ) -> Occurrence:
        if series is None:
            group = make_group(center=room.center, **({"name": group_name} if group_name else {}))
            local_start, local_end = starts_at.astimezone(BERLIN), ends_at.astimezone(BERLIN)
            series = Series.objects.create(
                group=group,
                room=room,
                start_date=local_start.date(),
                start_time=local_start.time(),
                end_time=local_end.time(),
            )
        occurrence = Occurrence.objects.create(
            series=series,
            room=room,
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
                    starts_at=starts_at - timedelta(minutes=room.setup_minutes),
                    ends_at=ends_at + timedelta(minutes=room.cleanup_minutes),
                )
                for unit in [room, *room.parts.all()]
            )
        return occurrence

    return make


@pytest.fixture
def hall(make_room: Callable) -> dict[str, Room]:
    """A divisible hall: the whole and its two halves."""
    whole = make_room(name="Saal", capacity=120)
    return {
        "whole": whole,
        "a": make_room(name="Saal A", capacity=60, center=whole.center, parent=whole),
        "b": make_room(name="Saal B", capacity=60, center=whole.center, parent=whole),
    }


@pytest.fixture(autouse=True)
def _now(time_machine) -> None:
    """The checked dates lie in 2031: "now" is just before, so none is past or too far ahead."""
    time_machine.move_to(datetime(2031, 1, 2, 12, tzinfo=UTC), tick=False)


def kinds(report_date) -> set[str]:
    return {issue.kind for issue in report_date.issues}


# --- pure core ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (((16, 0), (18, 0)), False),  # ends when the booking starts
        (((20, 0), (22, 0)), False),  # starts when the booking ends
        (((17, 0), (19, 0)), True),
        (((19, 0), (21, 0)), True),
        (((18, 30), (19, 30)), True),  # inside
        (((17, 0), (21, 0)), True),  # around
        (((18, 0), (20, 0)), True),  # the same
    ],
)
def test_overlapping_is_half_open(candidate: tuple, expected: bool) -> None:
    existing = [(at(18), at(20))]
    ranges = [(at(*candidate[0]), at(*candidate[1]))]
    assert overlapping(ranges, existing) == [[0] if expected else []]


def test_overlapping_finds_every_match_for_unsorted_nested_ranges() -> None:
    spans = [(at(10), at(11)), (at(8), at(22)), (at(12), at(13)), (at(15), at(16))]
    ranges = [(at(12, 30), at(15, 30)), (at(9), at(21)), (at(22), at(23))]
    assert overlapping(ranges, spans) == [[1, 2, 3], [0, 1, 2, 3], []]


@pytest.mark.parametrize(
    ("start", "end", "inside"),
    [
        ((8, 0), (12, 0), True),
        ((7, 59), (9, 0), False),
        ((13, 0), (14, 0), False),  # the lunch break
        ((14, 0), (22, 0), True),
        ((11, 0), (15, 0), False),  # spans two periods
        ((21, 0), (22, 1), False),
    ],
)
def test_within_hours_needs_one_period_of_the_weekday(start, end, inside) -> None:
    hours = {DAY.weekday(): [(time(8), time(12)), (time(14), time(22))]}
    assert within_hours((at(*start), at(*end)), BERLIN, hours) is inside


def test_within_hours_without_hours_is_always_open_and_a_missing_weekday_is_closed() -> None:
    assert within_hours((at(3), at(4)), BERLIN, {})
    assert not within_hours((at(10), at(11)), BERLIN, {DAY.weekday() + 1: [(time(8), time(22))]})


# --- with the database: SQLite and PostgreSQL -----------------------------------------------


@pytest.mark.parametrize(
    ("setup", "cleanup", "candidate", "day_shift", "clash"),
    [
        (0, 0, ((16, 0), (18, 0)), 0, False),  # touching before
        (0, 0, ((20, 0), (22, 0)), 0, False),  # touching after
        (0, 0, ((17, 0), (19, 0)), 0, True),
        (0, 0, ((19, 59), (21, 0)), 0, True),
        (0, 0, ((18, 30), (19, 0)), 0, True),
        (0, 0, ((17, 0), (21, 0)), 0, True),
        (0, 0, ((18, 0), (20, 0)), 1, False),  # same time, next day
        (0, 30, ((20, 0), (22, 0)), 0, True),  # cleanup turns touching into a clash
        (30, 0, ((16, 0), (18, 0)), 0, True),  # setup does too
        (30, 30, ((21, 0), (22, 0)), 0, False),  # buffers that only touch
        (30, 30, ((15, 0), (17, 0)), 0, False),
    ],
)
def test_overlap_matrix(make_room, book, setup, cleanup, candidate, day_shift, clash) -> None:
    room = make_room(setup_minutes=setup, cleanup_minutes=cleanup)
    book(room, at(18), at(20))
    day = DAY + timedelta(days=day_shift)
    report = check(room=room, slots=[slot(*candidate, day=day)])
    assert (IssueKind.BOOKED in kinds(report.dates[0])) is clash
    assert report.has_hard_issues is clash


def test_clash_names_the_other_group_and_room(make_room, book) -> None:
    kitchen = make_room(name="Küche")
    booked = book(kitchen, at(16), at(18), group_name="Kochgruppe Zukunft")
    with translation.override("en"):
        report = check(room=kitchen, slots=[slot((17, 0), (19, 0))])
    (issue,) = report.dates[0].issues
    assert issue.kind == IssueKind.BOOKED
    assert issue.verdict == Verdict.REFUSED
    assert issue.message == "clashes with Kochgruppe Zukunft in Küche"
    assert (issue.occurrence_id, issue.series_id) == (booked.pk, booked.series_id)
    assert (issue.group_name, issue.room_name) == ("Kochgruppe Zukunft", "Küche")


@pytest.mark.parametrize(
    ("booked", "candidate", "clash"),
    [
        ("whole", "a", True),
        ("whole", "b", True),
        ("a", "whole", True),
        ("b", "whole", True),
        ("a", "a", True),
        ("a", "b", False),
        ("b", "a", False),
    ],
)
def test_divisible_rooms(hall, book, booked, candidate, clash) -> None:
    book(hall[booked], at(10), at(12), group_name="Tanzkreis")
    report = check(room=hall[candidate], slots=[slot((11, 0), (13, 0))])
    booked_issues = [i for i in report.dates[0].issues if i.kind == IssueKind.BOOKED]
    # The whole holds one block per part; the report still names the booking once.
    assert len(booked_issues) == (1 if clash else 0)
    if clash:
        assert booked_issues[0].room_name == hall[booked].name


@pytest.mark.parametrize(
    ("requested", "candidate", "competes"),
    [("whole", "a", True), ("a", "whole", True), ("a", "b", False), ("a", "a", True)],
)
def test_pending_requests_are_for_staff_to_decide(
    hall, book, requested, candidate, competes
) -> None:
    book(hall[requested], at(10), at(12), state=OccurrenceState.REQUESTED, group_name="Chor")
    report = check(room=hall[candidate], slots=[slot((11, 0), (13, 0))])
    issues = report.dates[0].issues
    assert [i.kind for i in issues] == ([IssueKind.PENDING] if competes else [])
    assert report.dates[0].is_free
    if competes:
        assert issues[0].verdict == Verdict.STAFF
        assert issues[0].group_name == "Chor"


def test_pending_request_buffers_count(make_room, book) -> None:
    room = make_room(cleanup_minutes=30)
    book(room, at(10), at(12), state=OccurrenceState.REQUESTED)
    assert kinds(check(room=room, slots=[slot((12, 0), (13, 0))]).dates[0]) == {"pending"}
    assert kinds(check(room=room, slots=[slot((12, 30), (13, 0))]).dates[0]) == set()


def test_cancelled_and_declined_dates_do_not_count(make_room, book) -> None:
    room = make_room()
    book(room, at(10), at(12), state=OccurrenceState.CANCELLED)
    book(room, at(10), at(12), state=OccurrenceState.DECLINED)
    assert check(room=room, slots=[slot((10, 0), (12, 0))]).dates[0].issues == []


def test_closures_of_center_room_parent_and_parts_skip_the_date(hall, make_room) -> None:
    center = hall["whole"].center
    other = make_room(center=center, name="Werkraum")
    Closure.objects.create(center=center, room=other, starts_at=at(0), ends_at=at(23), reason="x")
    Closure.objects.create(
        center=center, room=hall["b"], starts_at=at(9), ends_at=at(10), reason="Boden wird geölt"
    )
    day2 = DAY + timedelta(days=1)
    Closure.objects.create(
        center=center, starts_at=at(0, day=day2), ends_at=at(23, day=day2), reason="Betriebsausflug"
    )
    slots = [slot((9, 0), (11, 0)), slot((9, 0), (11, 0), day=day2), slot((11, 0), (12, 0))]

    with translation.override("en"):
        whole = check(room=hall["whole"], slots=slots)
    assert [[i.message for i in d.hard] for d in whole.dates] == [
        ["closed: Boden wird geölt"],
        ["closed: Betriebsausflug"],
        [],
    ]
    half_a = check(room=hall["a"], slots=slots)
    assert [[i.kind for i in d.hard] for d in half_a.dates] == [[], ["closure"], []]
    assert check(room=hall["b"], slots=slots[:1]).dates[0].hard[0].kind == IssueKind.CLOSURE


def test_public_holiday_skips_the_date_with_its_name(make_room) -> None:
    room = make_room()
    unity_day = date(2031, 10, 3)
    with translation.override("en"):
        report = check(room=room, slots=[slot((10, 0), (12, 0), day=unity_day)])
    (issue,) = report.dates[0].issues
    assert (issue.kind, issue.verdict) == (IssueKind.HOLIDAY, Verdict.SKIPPED)
    assert report.dates[0].is_skipped and report.clashing == []
    assert issue.message == "public holiday: German Unity Day"
    with translation.override("de"):
        report = check(room=room, slots=[slot((10, 0), (12, 0), day=unity_day)])
    assert "Tag der Deutschen Einheit" in report.dates[0].issues[0].message


def test_holidays_follow_the_centers_state(make_center, make_room) -> None:
    corpus_christi = date(2031, 6, 12)  # a holiday in NW, not in Berlin
    berlin = make_room(center=make_center(federal_state="BE"))
    cologne = make_room(center=make_center(federal_state="NW"))
    candidate = [slot((10, 0), (12, 0), day=corpus_christi)]
    assert check(room=berlin, slots=candidate).dates[0].issues == []
    assert kinds(check(room=cologne, slots=candidate).dates[0]) == {"holiday"}


def test_room_not_bookable_is_refused(make_room) -> None:
    room = make_room(bookable=False)
    report = check(room=room, slots=[slot((10, 0), (12, 0))])
    assert [(i.kind, i.verdict) for i in report.dates[0].issues] == [
        (IssueKind.NOT_BOOKABLE, Verdict.REFUSED)
    ]


def test_outside_opening_hours_is_for_staff_to_decide(make_center, make_room) -> None:
    center = make_center(opening_hours=False)
    OpeningHours.objects.create(
        center=center, weekday=DAY.weekday(), opens=time(9), closes=time(21)
    )
    room = make_room(center=center)
    report = check(room=room, slots=[slot((20, 0), (22, 0)), slot((9, 0), (21, 0))])
    assert [[(i.kind, i.verdict) for i in d.issues] for d in report.dates] == [
        [(IssueKind.OUTSIDE_HOURS, Verdict.STAFF)],
        [],
    ]
    wednesday = check(room=room, slots=[slot((10, 0), (11, 0), day=DAY + timedelta(days=1))])
    assert kinds(wednesday.dates[0]) == {"outside_hours"}


def test_center_without_opening_hours_is_always_open(make_center, make_room) -> None:
    room = make_room(center=make_center(opening_hours=False))
    assert check(room=room, slots=[slot((5, 0), (23, 0))]).dates[0].issues == []


def test_too_small_a_room_is_refused_and_missing_equipment_is_for_staff(
    make_room, make_equipment
) -> None:
    piano, kitchen = make_equipment("piano", "Klavier"), make_equipment("kitchen", "Küche")
    room = make_room(name="Seminarraum", capacity=12, equipment=[piano])
    with translation.override("en"):
        report = check(
            room=room,
            slots=[slot((10, 0), (12, 0))],
            expected_participants=20,
            equipment=[piano, kitchen],
        )
    issues = report.dates[0].issues
    assert [(i.kind, i.verdict) for i in issues] == [
        (IssueKind.CAPACITY, Verdict.REFUSED),
        (IssueKind.EQUIPMENT, Verdict.STAFF),
    ]
    assert "12" in issues[0].message and "20" in issues[0].message
    assert "Küche" in issues[1].message and "Klavier" not in issues[1].message
    assert not report.dates[0].is_free
    fits = check(room=room, slots=[slot((10, 0), (12, 0))], expected_participants=12)
    assert fits.dates[0].issues == []


def test_a_series_does_not_compete_with_itself_and_a_date_never_clashes_with_itself(
    make_room, book
) -> None:
    room = make_room()
    own = book(room, at(10), at(12))
    book(room, at(14), at(16), state=OccurrenceState.REQUESTED, series=own.series)
    other = book(room, at(18), at(20), state=OccurrenceState.REQUESTED)
    slots = [slot((10, 0), (12, 0)), slot((14, 0), (16, 0)), slot((18, 0), (20, 0))]

    plain = check(room=room, slots=slots)
    assert [kinds(d) for d in plain.dates] == [{"booked"}, {"pending"}, {"pending"}]
    ignoring = check(room=room, slots=slots, ignore_series_id=own.series_id)
    # Another date of the same series on top of a confirmed one still clashes...
    assert [kinds(d) for d in ignoring.dates] == [{"booked"}, set(), {"pending"}]
    assert ignoring.dates[2].issues[0].series_id == other.series_id
    # ...but the confirmed date itself, checked where it is, does not clash with itself.
    itself = Slot(own.starts_at, own.ends_at, own.original_start, own.pk)
    assert check(room=room, slots=[itself], ignore_series_id=own.series_id).dates[0].issues == []


def test_report_keeps_the_order_of_the_slots(make_room, book) -> None:
    room = make_room()
    book(room, at(10), at(12))
    slots = [slot((10, 0), (11, 0), day=DAY + timedelta(days=7)), slot((10, 0), (11, 0))]
    report = check(room=room, slots=slots)
    assert [d.slot for d in report.dates] == slots
    assert [d.is_free for d in report.dates] == [True, False]
    assert [d.slot for d in report.clashing] == slots[1:]


def test_series_across_dst_switch_keeps_local_times(make_room, book) -> None:
    room = make_room()
    # Confirmed on the Tuesday after the clocks went forward (30 March 2031), at 18:00 local.
    after_switch = date(2031, 4, 1)
    book(room, at(18, day=after_switch), at(20, day=after_switch))
    rule = RecurrenceRule(
        start_date=date(2031, 3, 18),
        start_time=time(18),
        end_time=time(20),
        frequency="weekly",
        weekdays=(1,),
        count=4,
    )
    report = check(room=room, slots=expand(rule, BERLIN))
    assert [d.is_free for d in report.dates] == [True, True, False, True]


def test_number_of_queries_does_not_grow_with_the_number_of_dates(
    hall, book, make_equipment
) -> None:
    kitchen = make_equipment("kitchen")
    for week in range(0, 52, 5):
        day = DAY + timedelta(weeks=week)
        book(hall["a"], at(10, day=day), at(12, day=day))
        book(hall["whole"], at(14, day=day), at(16, day=day), state=OccurrenceState.REQUESTED)
    rule = RecurrenceRule(
        start_date=DAY, start_time=time(11), end_time=time(15), frequency="weekly", count=52
    )
    slots = expand(rule, BERLIN)
    assert len(slots) == 52

    def queries(candidate: list[Slot]) -> int:
        with CaptureQueriesContext(connection) as captured:
            check(room=hall["whole"], slots=candidate, equipment=[kitchen], ignore_series_id=1)
        return len(captured)

    assert queries(slots[:1]) == queries(slots) <= 6
    report = check(room=hall["whole"], slots=slots)
    assert sum(1 for d in report.dates if IssueKind.BOOKED in kinds(d)) == 11
    assert sum(1 for d in report.dates if IssueKind.PENDING in kinds(d)) == 11


def test_no_slots_gives_an_empty_report(make_room) -> None:
    assert check(room=make_room(), slots=[]).dates == []


def test_a_thousand_dates_in_one_check(make_room, book) -> None:
    room = make_room()
    rule = RecurrenceRule(
        start_date=DAY, start_time=time(9), end_time=time(10), frequency="daily", count=1000
    )
    slots = expand(rule, BERLIN)
    last = slots[-1]
    book(room, last.starts_at, last.ends_at)
    with CaptureQueriesContext(connection) as captured:
        report = check(room=room, slots=slots)
    assert len(captured) <= 6
    assert [d.slot for d in report.dates if IssueKind.BOOKED in kinds(d)] == [last]


def test_classify_reads_local_times_in_the_centers_zone_whatever_zone_made_the_slots():
    """Slots carry the wall-clock times of the zone `expand` worked in; classified for a center
    in another zone, their local times are taken from their UTC times instead."""
    from bookings.conflicts import Context, RoomFacts, classify

    tuesday = RecurrenceRule(start_date=date(2031, 7, 1), start_time=time(9), end_time=time(10))
    hours = {1: [(time(10), time(20))]}  # Berlin opens at ten on Tuesdays
    ctx = Context(room=RoomFacts(name="Küche", capacity=10), tz=BERLIN, hours=hours)
    (made_in_berlin,) = expand(tuesday, BERLIN)  # 09:00 in Berlin: before opening
    (made_in_london,) = expand(tuesday, ZoneInfo("Europe/London"))  # 10:00 in Berlin: open
    with translation.override("en"):
        report = classify([made_in_berlin, made_in_london], ctx)
    assert [d.kinds for d in report.dates] == [[IssueKind.OUTSIDE_HOURS], []]
