"""A center's Tuesday, 5 February 2030 (no public holiday in NW), for the screens' tests.

Café 09–11 Frauenfrühstück (an internal group: screens say "booked"); Küche 10–12 and 18–20
Kochgruppe Zukunft; Saal 14–16 Sprachcafé Çağrı. Rooms need no approval, so the leaders'
requests are confirmed at once. The clock is set with `clock(hour, minute)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from accounts.models import User
from bookings import services
from bookings.models import Occurrence
from bookings.recurrence import RecurrenceRule, localize
from bookings.stamps import plan_changed, plan_version
from centers.models import Center, Room
from display import stamps
from groups.models import Group, GroupLeader

DAY = date(2030, 2, 5)
DEMO_PASSWORD = "treffpunkt-demo"


def at(center: Center, hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return localize(datetime.combine(day, time(hour, minute)), center.tz)


@dataclass
class House:
    center: Center
    staff: User
    cook: User  # leads the Kochgruppe
    deputy: User  # deputy of the Kochgruppe
    lale: User  # leads the Sprachcafé and the (internal) Frauenfrühstück
    stranger: User
    kitchen: Room
    hall: Room
    cafe: Room
    cooking: Group
    language: Group
    breakfast: Group  # internal
    breakfast_date: Occurrence  # Café 09–11
    cooking_morning: Occurrence  # Küche 10–12
    language_date: Occurrence  # Saal 14–16
    cooking_evening: Occurrence  # Küche 18–20
    other_center: Center


def book(user: User, group: Group, room: Room, start: int, end: int, day: date = DAY) -> Occurrence:
    series = services.booking_request_create(
        user=user,
        group=group,
        room=room,
        rule=RecurrenceRule(start_date=day, start_time=time(start), end_time=time(end)),
        expected_participants=12,
    )
    return series.occurrences.get()


def cancel(user: User, occurrence: Occurrence, reason: str = "Krankheit") -> None:
    """Cancel through the engine. The engine rewrite raises the plan version in every writer;
    until it has landed on this branch, raise it here as the engine will."""
    center_id = occurrence.room.center_id
    before = plan_version(center_id)
    services.occurrence_cancel(user=user, occurrence=occurrence, reason=reason)
    if plan_version(center_id) == before:
        plan_changed([center_id])


@pytest.fixture(name="fresh_stamps", autouse=True)
def fresh_stamps_fixture() -> Iterator[None]:
    # A rolled-back test database hands out the same ids and versions again.
    stamps.forget()
    yield
    stamps.forget()


@pytest.fixture(name="clock")
def clock_fixture() -> Iterator[Callable[..., datetime]]:
    traveller: list = []

    def move(hour: int, minute: int = 0, day: date = DAY, tick: bool = False) -> datetime:
        when = localize(
            datetime.combine(day, time(hour, minute)), Center(time_zone="Europe/Berlin").tz
        )
        while traveller:
            traveller.pop().stop()
        travel = time_machine.travel(when, tick=tick)
        travel.start()
        traveller.append(travel)
        return when

    yield move
    while traveller:
        traveller.pop().stop()


@pytest.fixture(name="house")
def house_fixture(make_user, make_center, make_room, make_group, clock) -> House:
    clock(12, day=DAY - timedelta(days=1))
    center = make_center(name="Begegnungszentrum am Brunnenplatz", slug="brunnenplatz")
    staff = make_user(username="anna", password=DEMO_PASSWORD)
    center.staff.add(staff)
    cook = make_user(username="koch", password=DEMO_PASSWORD)
    deputy = make_user(username="vize", password=DEMO_PASSWORD)
    lale = make_user(username="lale", password=DEMO_PASSWORD)
    stranger = make_user(username="fremd", password=DEMO_PASSWORD)
    kitchen = make_room(center=center, name="Küche", capacity=14)
    hall = make_room(center=center, name="Saal", capacity=60)
    cafe = make_room(center=center, name="Café", capacity=25)
    cooking = make_group(
        center=center, name="Kochgruppe Zukunft", slug="kochgruppe", leaders=[cook]
    )
    GroupLeader.objects.create(group=cooking, user=deputy, role=GroupLeader.Role.DEPUTY)
    language = make_group(center=center, name="Sprachcafé Çağrı", slug="sprachcafe", leaders=[lale])
    breakfast = make_group(
        center=center,
        name="Frauenfrühstück Öztürk",
        slug="fruehstueck",
        leaders=[lale],
        is_public=False,
    )
    other_center = make_center(name="Haus der Kulturen", slug="haus-der-kulturen")
    return House(
        center=center,
        staff=staff,
        cook=cook,
        deputy=deputy,
        lale=lale,
        stranger=stranger,
        kitchen=kitchen,
        hall=hall,
        cafe=cafe,
        cooking=cooking,
        language=language,
        breakfast=breakfast,
        breakfast_date=book(lale, breakfast, cafe, 9, 11),
        cooking_morning=book(cook, cooking, kitchen, 10, 12),
        language_date=book(lale, language, hall, 14, 16),
        cooking_evening=book(cook, cooking, kitchen, 18, 20),
        other_center=other_center,
    )
