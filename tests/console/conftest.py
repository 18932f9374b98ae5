"""A center whose staff have decisions to make, and a second center they must never see.

Dates are in February 2030 (Tuesdays 5, 12, 19, 26; no public holiday in NW), far enough ahead
that no test needs a frozen clock. The Kochgruppe holds the kitchen on the first two Tuesdays;
the Sprachcafé asks for the kitchen on all four, so its first two dates clash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest

from accounts.models import User
from bookings import services
from bookings.models import Occurrence, Series
from bookings.recurrence import RecurrenceRule, localize
from centers.models import Center, Room
from groups.models import Group

DEMO_PASSWORD = "treffpunkt-demo"
TUESDAYS = [date(2030, 2, 5), date(2030, 2, 12), date(2030, 2, 19), date(2030, 2, 26)]
WEDNESDAY = date(2030, 2, 6)


def at(center: Center, day: date, hour: int, minute: int = 0) -> datetime:
    return localize(datetime.combine(day, time(hour, minute)), center.tz)


@dataclass
class World:
    center: Center
    staff: User
    kitchen: Room
    hall: Room
    cafe: Room
    cooking: Group
    cook: User
    language: Group
    lale: User
    breakfast: Group
    confirmed: Series  # Kochgruppe, kitchen, Tuesdays 5 and 12, confirmed
    request: Series  # Sprachcafé, kitchen, four Tuesdays, waiting; 5 and 12 clash
    breakfast_series: Series  # Frauenfrühstück, café, Wednesday 6, confirmed
    other_center: Center
    other_staff: User
    other_request: Series

    def dates(self, series: Series) -> list[Occurrence]:
        return list(series.occurrences.order_by("starts_at"))


def _request(
    *, user: User, group: Group, room: Room, day: date, start: int = 18, end: int = 20, **rule: Any
) -> Series:
    return services.booking_request_create(
        user=user,
        group=group,
        room=room,
        rule=RecurrenceRule(start_date=day, start_time=time(start), end_time=time(end), **rule),
        expected_participants=8,
    )


@pytest.fixture
def world(make_user, make_center, make_room, make_group, make_equipment) -> World:
    kitchen_equipment = make_equipment("kitchen", "Küche")
    center = make_center(name="Begegnungszentrum am Brunnenplatz", slug="brunnenplatz")
    staff = make_user(username="anna", first_name="Anna", password=DEMO_PASSWORD)
    center.staff.add(staff)
    kitchen = make_room(
        center=center,
        name="Küche",
        capacity=14,
        requires_approval=True,
        equipment=[kitchen_equipment],
        cleanup_minutes=30,
    )
    hall = make_room(
        center=center,
        name="Saal",
        capacity=60,
        requires_approval=True,
        equipment=[kitchen_equipment],
    )
    cafe = make_room(center=center, name="Café", capacity=25, requires_approval=True)
    cook = make_user(username="koch", password=DEMO_PASSWORD)
    lale = make_user(username="lale", first_name="Lale", password=DEMO_PASSWORD)
    cooking = make_group(
        center=center, name="Kochgruppe Zukunft", slug="kochgruppe", leaders=[cook]
    )
    language = make_group(center=center, name="Sprachcafé Çağrı", slug="sprachcafe", leaders=[lale])
    breakfast = make_group(
        center=center, name="Frauenfrühstück Öztürk", slug="fruehstueck", leaders=[lale]
    )
    confirmed = _request(
        user=cook, group=cooking, room=kitchen, day=TUESDAYS[0], frequency="weekly", count=2
    )
    services.series_confirm(user=staff, series=confirmed)
    breakfast_series = _request(
        user=lale, group=breakfast, room=cafe, day=WEDNESDAY, start=9, end=11
    )
    services.series_confirm(user=staff, series=breakfast_series)
    request = _request(
        user=lale, group=language, room=kitchen, day=TUESDAYS[0], frequency="weekly", count=4
    )

    other_center = make_center(name="Haus der Kulturen", slug="haus-der-kulturen")
    other_staff = make_user(username="bernd", password=DEMO_PASSWORD)
    other_center.staff.add(other_staff)
    other_room = make_room(center=other_center, name="Werkraum", requires_approval=True)
    other_leader = make_user(username="olga")
    other_group = make_group(center=other_center, name="Nähcafé", leaders=[other_leader])
    other_request = _request(user=other_leader, group=other_group, room=other_room, day=TUESDAYS[1])
    for series in (confirmed, request, breakfast_series, other_request):
        series.refresh_from_db()
    return World(
        center=center,
        staff=staff,
        kitchen=kitchen,
        hall=hall,
        cafe=cafe,
        cooking=cooking,
        cook=cook,
        language=language,
        lale=lale,
        breakfast=breakfast,
        confirmed=confirmed,
        request=request,
        breakfast_series=breakfast_series,
        other_center=other_center,
        other_staff=other_staff,
        other_request=other_request,
    )


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client
