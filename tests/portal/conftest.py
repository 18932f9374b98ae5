"""Fixtures for the leader pages: a center with rooms, a leader's group, and bookings by others.

Dates are in February 2030 (Tuesdays 5, 12, 19, 26: no public holiday in NW), far enough ahead
that no test needs a frozen clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest

from accounts.models import User
from bookings import services
from bookings.models import Series
from bookings.recurrence import RecurrenceRule
from centers.models import Center, Room
from groups.models import Group

TUESDAYS = [date(2030, 2, 5), date(2030, 2, 12), date(2030, 2, 19), date(2030, 2, 26)]


@dataclass
class Place:
    center: Center
    leader: User
    group: Group
    kitchen: Room
    cafe: Room
    hall: Room
    other_group: Group
    other_leader: User


@pytest.fixture
def place(make_user, make_center, make_room, make_group) -> Place:
    center = make_center(name="Haus am Markt", federal_state="NW")
    leader = make_user(username="leila", first_name="Leila", preferred_language="de")
    other_leader = make_user(username="otto")
    return Place(
        center=center,
        leader=leader,
        group=make_group(center=center, name="Frauenfrühstück", leaders=[leader]),
        kitchen=make_room(center=center, name="Küche", capacity=12),
        cafe=make_room(center=center, name="Café", capacity=30),
        hall=make_room(center=center, name="Saal", capacity=80, requires_approval=True),
        other_group=make_group(center=center, name="Kochgruppe Zukunft", leaders=[other_leader]),
        other_leader=other_leader,
    )


@pytest.fixture
def book() -> Callable[..., Series]:
    """A booking made through the service (confirmed at once in rooms without approval)."""

    def make(
        *,
        user: User,
        group: Group,
        room: Room,
        day: date = TUESDAYS[0],
        start: time = time(18),
        end: time = time(20),
        expected: int = 8,
        **rule: Any,
    ) -> Series:
        return services.booking_request_create(
            user=user,
            group=group,
            room=room,
            rule=RecurrenceRule(start_date=day, start_time=start, end_time=end, **rule),
            expected_participants=expected,
        )

    return make


def request_data(place: Place, **overrides: Any) -> dict[str, Any]:
    """The request form as a leader fills it in: weekly on Tuesdays, four dates, the kitchen."""
    data: dict[str, Any] = {
        "group": place.group.pk,
        "room": place.kitchen.pk,
        "start_date": "2030-02-05",
        "start_time": "18:00",
        "end_time": "20:00",
        "frequency": "weekly",
        "interval": "1",
        "weekdays": ["1"],
        "monthly_position": "1",
        "ends": "count",
        "count": "4",
        "expected_participants": "10",
        "note": "Wir bringen eigenes Geschirr mit.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
