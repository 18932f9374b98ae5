"""A small center whose May 2025 is worked out by hand (see EXPECTED in test_figures.py).

Opening hours Mon–Fri 09:00–17:00. May 2025 has 22 weekdays, two of them public holidays in
North Rhine-Westphalia (Thu 1 May, Thu 29 May): 160 open hours. The whole center is closed
Mon 12 and Tue 13 May (16 hours off: 144), the kitchen also Tue 20 May 09:00–13:00 (140).

Dates are rows written directly (with the cause the engine records), so the expectation does
not depend on how the engine gets there. Every date lies in the past, so "now" does not matter.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pytest
import time_machine

from attendance.models import Attendance, BreakdownCategory
from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from centers.models import Center, Closure, OpeningHours, Room
from groups.models import Group, Organisation

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=BERLIN)
C, X, D = OccurrenceState.CONFIRMED, OccurrenceState.CANCELLED, OccurrenceState.DECLINED


@dataclass
class World:
    center: Center
    other_center: Center
    saal: Room
    kueche: Room
    seminar: Room
    awo: Organisation
    caritas: Organisation
    strick: Group
    deutsch: Group
    jugend: Group
    staff: object
    other_staff: object
    leader: object
    categories: dict[str, BreakdownCategory] = field(default_factory=dict)
    dates: dict[str, Occurrence] = field(default_factory=dict)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _at(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    return datetime.combine(day, start, tzinfo=BERLIN), datetime.combine(day, end, tzinfo=BERLIN)


def _series(group: Group, room: Room, *, status: str = SeriesStatus.CONFIRMED, **rule) -> Series:
    return Series.objects.create(
        group=group,
        room=room,
        status=status,
        frequency=rule.get("frequency", "weekly"),
        weekdays=rule.get("weekdays", []),
        start_date=rule["start_date"],
        start_time=rule["start_time"],
        end_time=rule["end_time"],
    )


def _date(
    series: Series,
    day: date,
    state: str,
    *,
    cause: str = "",
    room: Room | None = None,
) -> Occurrence:
    starts_at, ends_at = _at(day, series.start_time, series.end_time)
    return Occurrence.objects.create(
        series=series,
        room=room or series.room,
        starts_at=starts_at,
        ends_at=ends_at,
        original_start=starts_at,
        state=state,
        cause=cause,
    )


@pytest.fixture
def world(db, make_user, make_center, make_group) -> World:
    center = make_center(name="Haus am Markt", slug="haus-am-markt", opening_hours=False)
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=day, opens=time(9), closes=time(17)) for day in range(5)
    )
    other_center = make_center(name="Zentrum Süd", slug="zentrum-sued")
    saal = Room.objects.create(center=center, name="Saal", capacity=60)
    kueche = Room.objects.create(center=center, name="Küche", capacity=12)
    seminar = Room.objects.create(center=center, name="Seminarraum", capacity=20)
    Closure.objects.create(
        center=center,
        starts_at=datetime(2025, 5, 12, tzinfo=BERLIN),
        ends_at=datetime(2025, 5, 14, tzinfo=BERLIN),
        reason="Renovierung",
    )
    Closure.objects.create(
        center=center,
        room=kueche,
        starts_at=datetime(2025, 5, 20, 9, tzinfo=BERLIN),
        ends_at=datetime(2025, 5, 20, 13, tzinfo=BERLIN),
        reason="Wartung",
    )
    awo = Organisation.objects.create(name="AWO Ortsverein")
    caritas = Organisation.objects.create(name="Caritas")
    staff = make_user(username="anna")
    center.staff.add(staff)
    other_staff = make_user(username="otto")
    other_center.staff.add(other_staff)
    leader = make_user(username="lena")
    strick = make_group(
        center=center,
        name="Strickcafé",
        organisation=awo,
        kind="cafe",
        audience="seniors",
        languages=["de"],
        leaders=[leader],
    )
    deutsch = make_group(
        center=center,
        name="Deutschkurs",
        organisation=awo,
        kind="course",
        audience="adults",
        languages=["de", "ar"],
    )
    jugend = make_group(
        center=center,
        name="Jugendtreff",
        organisation=caritas,
        kind="meeting",
        audience="youth",
        languages=["tr"],
    )
    w = World(
        center,
        other_center,
        saal,
        kueche,
        seminar,
        awo,
        caritas,
        strick,
        deutsch,
        jugend,
        staff,
        other_staff,
        leader,
    )
    for n, (dimension, dimension_en, name, name_en) in enumerate(
        [
            ("Alter", "Age", "unter 18", "under 18"),
            ("Alter", "Age", "18–64", "18–64"),
            ("Alter", "Age", "65 und älter", "65 and older"),
            ("Geschlecht", "Gender", "weiblich", "female"),
            ("Geschlecht", "Gender", "divers", "diverse"),
            ("Erstbesuch", "First visit", "zum ersten Mal hier", "first time here"),
        ]
    ):
        w.categories[name_en] = BreakdownCategory.objects.create(
            center=center,
            dimension=dimension,
            dimension_en=dimension_en,
            name=name,
            name_en=name_en,
            position=n,
        )

    # Strickcafé: Mondays 10–12 in the seminar room; 19 May held in the hall instead.
    s = _series(
        strick,
        seminar,
        weekdays=[0],
        start_date=date(2024, 5, 6),
        start_time=time(10),
        end_time=time(12),
    )
    d = w.dates
    d["strick-0505"] = _date(s, date(2025, 5, 5), C)
    d["strick-0512"] = _date(s, date(2025, 5, 12), X, cause="closure")
    d["strick-0519"] = _date(s, date(2025, 5, 19), C, room=saal)
    d["strick-0526"] = _date(s, date(2025, 5, 26), C)
    d["strick-2024a"] = _date(s, date(2024, 5, 6), C)
    d["strick-2024b"] = _date(s, date(2024, 5, 13), C)
    d["strick-0602"] = _date(s, date(2025, 6, 2), C)  # after the period
    # Deutschkurs: Thursdays 15–17 in the hall.
    s = _series(
        deutsch,
        saal,
        weekdays=[3],
        start_date=date(2025, 5, 1),
        start_time=time(15),
        end_time=time(17),
    )
    d["deutsch-0501"] = _date(s, date(2025, 5, 1), X, cause="holiday")
    d["deutsch-0508"] = _date(s, date(2025, 5, 8), C)
    d["deutsch-0515"] = _date(s, date(2025, 5, 15), C)
    d["deutsch-0522"] = _date(s, date(2025, 5, 22), X, cause="group")
    d["deutsch-0529"] = _date(s, date(2025, 5, 29), X, cause="holiday")
    # A request of the Deutschkurs, withdrawn; an older row without a cause.
    s = _series(
        deutsch,
        seminar,
        status=SeriesStatus.WITHDRAWN,
        frequency="once",
        start_date=date(2025, 5, 21),
        start_time=time(9),
        end_time=time(11),
    )
    d["deutsch-withdrawn"] = _date(s, date(2025, 5, 21), X)
    # Jugendtreff: Tuesdays 13:00–16:30 in the kitchen.
    s = _series(
        jugend,
        kueche,
        status=SeriesStatus.PARTLY_CONFIRMED,
        weekdays=[1],
        start_date=date(2025, 5, 6),
        start_time=time(13),
        end_time=time(16, 30),
    )
    d["jugend-0506"] = _date(s, date(2025, 5, 6), C)
    d["jugend-0513"] = _date(s, date(2025, 5, 13), X, cause="closure")
    d["jugend-0520"] = _date(s, date(2025, 5, 20), D, cause="staff")
    d["jugend-0527"] = _date(s, date(2025, 5, 27), C)
    # Jugendtreff asks for the hall on Friday 16 May (declined: taken) and the seminar room on
    # Friday 23 May (nobody decided).
    s = _series(
        jugend,
        saal,
        status=SeriesStatus.DECLINED,
        frequency="once",
        start_date=date(2025, 5, 16),
        start_time=time(10),
        end_time=time(12),
    )
    d["jugend-0516"] = _date(s, date(2025, 5, 16), D, cause="conflict")
    s = _series(
        jugend,
        seminar,
        status=SeriesStatus.PENDING,
        frequency="once",
        start_date=date(2025, 5, 23),
        start_time=time(14),
        end_time=time(15),
    )
    d["jugend-0523"] = _date(s, date(2025, 5, 23), OccurrenceState.REQUESTED)
    # The other center: a group that must never show up in this center's figures.
    other = make_group(center=other_center, name="Chor Süd", organisation=caritas)
    room = Room.objects.create(center=other_center, name="Aula", capacity=80)
    s = _series(
        other,
        room,
        weekdays=[2],
        start_date=date(2025, 5, 7),
        start_time=time(18),
        end_time=time(20),
    )
    d["chor-0507"] = _date(s, date(2025, 5, 7), C)

    cat = {k: c.key for k, c in w.categories.items()}
    counts = {
        "strick-0505": (
            8,
            {"18–64": 2, "65 and older": 6, "female": 6, "first time here": 1},
            "1.5",
        ),
        "strick-0519": (10, {"18–64": 1, "65 and older": 9, "female": 8}, None),
        "deutsch-0508": (12, {"18–64": 12, "female": 5, "diverse": 1, "first time here": 4}, "3"),
        "deutsch-0515": (14, {"under 18": 1, "18–64": 13, "first time here": 2}, None),
        "jugend-0506": (
            20,
            {"under 18": 18, "18–64": 2, "female": 9, "diverse": 1, "first time here": 5},
            None,
        ),
        "jugend-0527": (5, {"under 18": 5}, "2.5"),
        "strick-2024a": (6, {}, None),
        "strick-2024b": (7, {}, None),
        "chor-0507": (40, {}, "10"),
    }
    for name, (people, split, volunteer) in counts.items():
        Attendance.objects.create(
            occurrence=d[name],
            participants=people,
            breakdown={cat[k]: v for k, v in split.items()},
            volunteer_hours=volunteer,
        )
    return w
