"""Fixtures and helpers shared by the booking engine tests (imported by those modules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest
from django.db.models import Exists, OuterRef

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState, RoomBlock
from bookings.recurrence import RecurrenceRule
from centers.models import Center, Room
from groups.models import Group

BERLIN_DATES = {
    # Sundays of the clock changes in 2030: spring forward and fall back.
    "spring_forward": date(2030, 3, 31),
    "fall_back": date(2030, 10, 27),
}


@dataclass
class World:
    """A center with staff, a hall divisible into two halves, a kitchen and two groups."""

    center: Center
    staff: User
    leader: User
    other_leader: User
    stranger: User
    kitchen: Room
    hall: Room
    half_a: Room
    half_b: Room
    group: Group
    other_group: Group


@pytest.fixture(name="world")
def world_fixture(make_user, make_center, make_room, make_group) -> World:
    center = make_center(federal_state="NW")
    staff = make_user(username="staff")
    center.staff.add(staff)
    leader = make_user(username="leader")
    other_leader = make_user(username="other")
    stranger = make_user(username="stranger")
    hall = make_room(center=center, name="Saal", capacity=80)
    return World(
        center=center,
        staff=staff,
        leader=leader,
        other_leader=other_leader,
        stranger=stranger,
        kitchen=make_room(center=center, name="Küche", capacity=12),
        hall=hall,
        half_a=make_room(center=center, name="Saal A", capacity=40, parent=hall),
        half_b=make_room(center=center, name="Saal B", capacity=40, parent=hall),
        group=make_group(center=center, name="Kochgruppe Zukunft", leaders=[leader]),
        other_group=make_group(center=center, name="Nähcafé", leaders=[other_leader]),
    )


def rule(
    start: date, start_time: str = "18:00", end_time: str = "20:00", **changes: Any
) -> RecurrenceRule:
    return RecurrenceRule(
        start_date=start,
        start_time=time.fromisoformat(start_time),
        end_time=time.fromisoformat(end_time),
        **changes,
    )


def local(value: datetime, center: Center) -> datetime:
    return value.astimezone(center.tz)


def states(series) -> list[str]:
    return list(series.occurrences.order_by("original_start").values_list("state", flat=True))


def confirmed_overlaps() -> int:
    """Overlapping pairs among room blocks and among confirmed dates per room: must be zero.

    Plain SQL through the ORM (a correlated EXISTS), so it runs on SQLite and PostgreSQL.
    """
    blocks = RoomBlock.objects.filter(
        Exists(
            RoomBlock.objects.filter(
                room_id=OuterRef("room_id"),
                starts_at__lt=OuterRef("ends_at"),
                ends_at__gt=OuterRef("starts_at"),
            ).exclude(occurrence_id=OuterRef("occurrence_id"))
        )
    ).count()
    dates = Occurrence.objects.filter(
        Exists(
            Occurrence.objects.filter(
                state=OccurrenceState.CONFIRMED,
                room_id=OuterRef("room_id"),
                starts_at__lt=OuterRef("ends_at"),
                ends_at__gt=OuterRef("starts_at"),
            ).exclude(pk=OuterRef("pk"))
        ),
        state=OccurrenceState.CONFIRMED,
    ).count()
    return blocks + dates


def confirmed(series) -> list[Occurrence]:
    return list(series.occurrences.filter(state=OccurrenceState.CONFIRMED))
