"""A center planning its next term: two terms, NRW school holidays, rooms, groups and the
series of the ending term (booked through the engine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest

from accounts.models import User
from bookings import services
from bookings.models import Series
from bookings.recurrence import RecurrenceRule
from centers.models import Center, Room, Term
from centers.school_holidays import Period
from groups.models import Group

WINTER = ("Winterhalbjahr 2026/27", date(2026, 8, 17), date(2027, 1, 31))
SUMMER = ("Sommerhalbjahr 2027", date(2027, 2, 1), date(2027, 7, 16))
EASTER = Period("Osterferien NRW 2027", date(2027, 3, 22), date(2027, 4, 3))
WHITSUN = Period("Pfingstferien NRW 2027", date(2027, 5, 18), date(2027, 5, 18))
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
MON, TUE, WED, THU = range(4)


@dataclass
class Planning:
    center: Center
    staff: User
    kitchen: Room
    hall: Room
    seminar: Room
    winter: Term
    summer: Term
    groups: dict[str, Group] = field(default_factory=dict)
    leaders: dict[str, User] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)

    def deadline(self, days: int = 7) -> datetime:
        return NOW + timedelta(days=days)


def weekly(day: int, start: str, end: str, first: date, last: date | None) -> RecurrenceRule:
    first = first + timedelta(days=(day - first.weekday()) % 7)
    return RecurrenceRule(
        start_date=first,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        frequency="weekly",
        weekdays=(day,),
        until=last,
    )


def _term(staff: User, center: Center, spec: tuple[str, date, date]) -> Term:
    name, first, last = spec
    return services.term_create(
        user=staff, center=center, name=name, first_day=first, last_day=last
    )


@pytest.fixture
def planning(time_machine, make_user, make_center, make_room, make_group) -> Planning:
    time_machine.move_to(NOW, tick=False)
    center = make_center(federal_state="NW", booking_horizon_months=12)
    staff = make_user(username="planer", first_name="Anja")
    center.staff.add(staff)
    services.school_holidays_import(user=None, state="NW", periods=[EASTER, WHITSUN])
    world = Planning(
        center=center,
        staff=staff,
        kitchen=make_room(center=center, name="Küche", capacity=14),
        hall=make_room(center=center, name="Saal", capacity=80),
        seminar=make_room(center=center, name="Seminarraum", capacity=20),
        winter=_term(staff, center, WINTER),
        summer=_term(staff, center, SUMMER),
    )
    specs = {
        # slug: (kind, audience, fee, room, weekday, start, end)
        "backen": ("course", "children", "1,50 €", world.kitchen, WED, "15:00", "17:00"),
        "cafe": ("cafe", "seniors", "", world.hall, TUE, "14:30", "17:30"),
        "naehen": ("meeting", "women", "", world.seminar, MON, "10:00", "12:00"),
    }
    for slug, (kind, audience, fee, room, day, start, end) in specs.items():
        leader = make_user(username=f"leader-{slug}", first_name=slug.title())
        group = make_group(
            center=center,
            name=slug.title(),
            slug=slug,
            kind=kind,
            audience=audience,
            free_of_charge=not fee,
            fee=fee,
            leaders=[leader],
        )
        world.groups[slug] = group
        world.leaders[slug] = leader
        world.series[slug] = services.booking_request_create(
            user=staff,
            group=group,
            room=room,
            rule=weekly(day, start, end, date(2026, 12, 2), date(2027, 3, 31)),
            expected_participants=10,
        )
    # An open-ended series runs on: it is not proposed, but holds its room in the next term.
    leader = make_user(username="leader-chor")
    world.groups["chor"] = make_group(center=center, name="Chor", slug="chor", leaders=[leader])
    world.leaders["chor"] = leader
    world.series["chor"] = services.booking_request_create(
        user=staff,
        group=world.groups["chor"],
        room=world.hall,
        rule=weekly(THU, "18:00", "20:00", date(2026, 12, 2), None),
        expected_participants=30,
    )
    return world
