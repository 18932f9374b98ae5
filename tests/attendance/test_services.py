"""Recording how many came and checking in at the door: who may, when, what is refused, and
the history that says who changed what and why."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from attendance.models import Attendance, BreakdownCategory
from attendance.services import attendance_check_in, attendance_record
from bookings.models import Occurrence, OccurrenceState, Series

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
START = datetime(2025, 3, 4, 18, 0, tzinfo=BERLIN)  # a Tuesday evening


@pytest.fixture
def date_world(make_user, make_center, make_room, make_group):
    center = make_center()
    room = make_room(center=center)
    leader, deputy, stranger, staff = (make_user() for _ in range(4))
    group = make_group(center=center, leaders=[leader, deputy])
    center.staff.add(staff)
    series = Series.objects.create(
        group=group,
        room=room,
        status="confirmed",
        frequency="weekly",
        weekdays=[1],
        start_date=START.date(),
        start_time=time(18),
        end_time=time(20),
    )
    occurrence = Occurrence.objects.create(
        series=series,
        room=room,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        original_start=START,
        state=OccurrenceState.CONFIRMED,
    )
    ages = [
        BreakdownCategory.objects.create(center=center, dimension="Alter", name=name, position=n)
        for n, name in enumerate(["unter 18", "18 und älter"])
    ]
    first = BreakdownCategory.objects.create(center=center, dimension="Erstbesuch", name="neu")
    other = make_center()
    foreign = BreakdownCategory.objects.create(center=other, dimension="Alter", name="x")

    class W:
        pass

    w = W()
    w.__dict__.update(locals())
    return w


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def test_a_leader_records_during_and_for_14_days_after(date_world):
    w = date_world
    with at(START + timedelta(minutes=5)):
        record = attendance_record(user=w.leader, occurrence=w.occurrence, participants=9)
    assert record.participants == 9 and record.recorded_by == w.leader
    with at(datetime(2025, 3, 18, 23, 30, tzinfo=BERLIN)):  # day 14, late evening
        attendance_record(user=w.deputy, occurrence=w.occurrence, participants=11)
    with at(datetime(2025, 3, 19, 0, 30, tzinfo=BERLIN)), pytest.raises(PermissionDenied):
        attendance_record(user=w.leader, occurrence=w.occurrence, participants=12)
    with at(datetime(2026, 1, 1, tzinfo=BERLIN)):
        attendance_record(user=w.staff, occurrence=w.occurrence, participants=12)
    assert Attendance.objects.get(occurrence=w.occurrence).participants == 12


def test_history_says_who_changed_the_count_and_why(date_world):
    w = date_world
    with at(START + timedelta(hours=3)), translation.override("en"):
        attendance_record(user=w.leader, occurrence=w.occurrence, participants=9)
        attendance_record(user=w.leader, occurrence=w.occurrence, participants=9)  # no change
        attendance_record(user=w.deputy, occurrence=w.occurrence, participants=10)
        attendance_record(user=w.staff, occurrence=w.occurrence, participants=8)
    history = list(Attendance.history.filter(occurrence_id=w.occurrence.pk).order_by("history_id"))
    assert [(h.participants, h.history_user, h.history_change_reason) for h in history] == [
        (9, w.leader, "count recorded"),
        (10, w.deputy, "count corrected by the group"),
        (8, w.staff, "count corrected by staff"),
    ]


@pytest.mark.parametrize("who", ["stranger", "staff_elsewhere"])
def test_others_cannot_record(date_world, make_user, make_center, who):
    w = date_world
    user = w.stranger
    if who == "staff_elsewhere":
        user = make_user()
        make_center().staff.add(user)
    with at(START + timedelta(hours=1)), pytest.raises(PermissionDenied):
        attendance_record(user=user, occurrence=w.occurrence, participants=3)
    assert not Attendance.objects.exists()


def test_a_date_that_has_not_started_or_did_not_take_place_has_no_count(date_world):
    w = date_world
    with at(START - timedelta(minutes=1)), pytest.raises(ValidationError):
        attendance_record(user=w.staff, occurrence=w.occurrence, participants=3)
    w.occurrence.state = OccurrenceState.CANCELLED
    w.occurrence.save(update_fields=["state"])
    with at(START + timedelta(hours=1)), pytest.raises(ValidationError):
        attendance_record(user=w.staff, occurrence=w.occurrence, participants=3)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("participants", "breakdown", "hours", "field"),
    [
        (-1, None, None, "participants"),
        (10_001, None, None, "participants"),
        ("zehn", None, None, "participants"),
        (True, None, None, "participants"),
        (5, {"nonsense": 1}, None, "breakdown"),
        (5, "foreign", None, "breakdown"),
        (5, {"age0": -2}, None, "breakdown_age0"),
        (5, {"age0": 4, "age1": 2}, None, "breakdown"),  # 6 of 5 people
        (5, None, "-1", "volunteer_hours"),
        (5, None, "1001", "volunteer_hours"),
        (5, None, "NaN", "volunteer_hours"),
        (5, None, "viel", "volunteer_hours"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    date_world, participants, breakdown, hours, field
):
    w = date_world
    keys = {"age0": w.ages[0].key, "age1": w.ages[1].key}
    if breakdown == "foreign":
        breakdown = {w.foreign.key: 1}
    elif breakdown:
        breakdown = {keys.get(k, k): v for k, v in breakdown.items()}
    field = field.replace("age0", keys["age0"])
    with at(START + timedelta(hours=1)), pytest.raises(ValidationError) as refused:
        attendance_record(
            user=w.leader,
            occurrence=w.occurrence,
            participants=participants,
            breakdown=breakdown,
            volunteer_hours=hours,
        )
    assert field in refused.value.message_dict
    assert not Attendance.objects.exists()


def test_breakdown_and_volunteer_hours_are_kept(date_world):
    w = date_world
    with at(START + timedelta(hours=1)):
        record = attendance_record(
            user=w.leader,
            occurrence=w.occurrence,
            participants=12,
            # Each dimension on its own adds up to at most the participants; zeros are dropped.
            breakdown={w.ages[0].key: "5", w.ages[1].key: 7, w.first.key: 3},
            volunteer_hours="2.5",
        )
    record.refresh_from_db()
    assert record.breakdown == {w.ages[0].key: 5, w.ages[1].key: 7, w.first.key: 3}
    assert record.volunteer_hours == Decimal("2.50")


def test_check_in_from_half_an_hour_before_until_the_end_by_a_leader(date_world):
    w = date_world
    too_early = START - timedelta(minutes=31)
    with pytest.raises(PermissionDenied):
        attendance_check_in(user=w.leader, occurrence=w.occurrence, at=too_early)
    with pytest.raises(PermissionDenied):
        attendance_check_in(user=w.staff, occurrence=w.occurrence, at=START)
    first = attendance_check_in(
        user=w.leader, occurrence=w.occurrence, at=START - timedelta(minutes=30)
    )
    again = attendance_check_in(user=w.deputy, occurrence=w.occurrence, at=START)
    assert again.pk == first.pk
    assert again.checked_in_at == START - timedelta(minutes=30)
    assert again.checked_in_by == w.leader
    assert again.participants is None
    with pytest.raises(PermissionDenied):
        attendance_check_in(
            user=w.leader, occurrence=w.occurrence, at=START + timedelta(hours=2, seconds=1)
        )
    with pytest.raises(ValidationError):
        attendance_check_in(user=w.leader, occurrence=w.occurrence, at=START.replace(tzinfo=None))


def test_a_check_in_and_a_count_share_one_row(date_world):
    w = date_world
    attendance_check_in(user=w.leader, occurrence=w.occurrence, at=START)
    with at(START + timedelta(hours=2)):
        record = attendance_record(user=w.leader, occurrence=w.occurrence, participants=7)
    assert Attendance.objects.count() == 1
    assert record.checked_in_at == START and record.participants == 7
