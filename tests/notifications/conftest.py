"""A small, fixed world for notification tests: one center, its staff, a group with two leaders
(one reads German, one English), and a helper that writes series and dates directly."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series, SeriesStatus
from centers.models import Center, Room
from groups.models import Group

BERLIN = Center(time_zone="Europe/Berlin").tz


@dataclass
class Scene:
    center: Center
    hall: Room
    cafe: Room
    staff: User
    group: Group
    leader_de: User
    leader_en: User


@pytest.fixture
def scene(make_user, make_center, make_room, make_group) -> Scene:
    center = make_center(name="Begegnungszentrum Brunnenplatz", slug="brunnenplatz")
    staff = make_user(
        username="petra", first_name="Petra", last_name="Adler", email="petra@example.org"
    )
    center.staff.add(staff)
    leader_de = make_user(
        username="hans", first_name="Hans", email="hans@example.org", preferred_language="de"
    )
    leader_en = make_user(
        username="amira", first_name="Amira", email="amira@example.org", preferred_language="en"
    )
    group = make_group(
        center=center,
        name="Strickcafé Wollmäuse",
        slug="wollmaeuse",
        leaders=[leader_de, leader_en],
    )
    hall = make_room(center=center, name="Saal", requires_approval=True)
    cafe = make_room(center=center, name="Café", requires_approval=True)
    return Scene(center, hall, cafe, staff, group, leader_de, leader_en)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@pytest.fixture
def make_series(scene: Scene) -> Callable[..., Series]:
    """A series with one Occurrence per given day (18:00–20:00 Berlin unless moved).

    `states` gives each date's state; confirmed dates get their RoomBlock, as services do.
    """

    def make(
        *,
        days: list[date],
        states: list[str] | None = None,
        status: str = SeriesStatus.PENDING,
        room: Room | None = None,
        **fields: Any,
    ) -> Series:
        room = room or scene.hall
        series = Series.objects.create(
            group=scene.group,
            room=room,
            status=status,
            created_by=scene.leader_de,
            start_date=days[0],
            start_time=time(18),
            end_time=time(20),
            frequency="weekly" if len(days) > 1 else "once",
            expected_participants=12,
            **fields,
        )
        for day, state in zip(days, states or [OccurrenceState.REQUESTED] * len(days), strict=True):
            occurrence = Occurrence.objects.create(
                series=series,
                room=room,
                starts_at=at(day, 18),
                ends_at=at(day, 20),
                original_start=at(day, 18),
                state=state,
            )
            if state == OccurrenceState.CONFIRMED:
                RoomBlock.objects.create(
                    occurrence=occurrence,
                    room=room,
                    starts_at=occurrence.starts_at,
                    ends_at=occurrence.ends_at,
                )
        return series

    return make


def weekly(first: date, count: int) -> list[date]:
    return [first + timedelta(weeks=n) for n in range(count)]
