"""The world `conflicts.py` measures in: one busy center, a fixed set of clashes, and fillers.

A center with a hall divisible into two halves and 40 plain rooms. The question asked is always
the same: a new weekly series in the hall, Tuesdays 17:00–19:00, 52 dates in 2027. What stands
in its way is fixed from the smallest point of the growth curve on:

- confirmed bookings of the halves and the whole hall on some Tuesday evenings (clashes),
- requests for half B on other Tuesday evenings (competing requests),
- a summer closure of the center and a closure of half A (skipped dates),
- NW's public holidays, the opening hours and a piano the hall does not have.

Every further stored date (the *fillers*) is a date of a weekly series inside the checked year,
in a room and at a time that never meets a candidate: the hall's units at other sessions and
on other weekdays, and the plain rooms. Fillers are taken from one shuffled list, so each point
of the curve holds the previous one's dates plus more, and the hall grows as dense as the rest.
Dates and blocks are bulk-inserted; each series gets its django-scheduler event (rule + period)
the way the mirror writes it, so the naive baseline can expand them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from schedule.models import Calendar, Event, Rule

from accounts.models import User
from bookings.models import Occurrence, OccurrenceState, RoomBlock, Series, SeriesStatus
from bookings.recurrence import RecurrenceRule, expand, localize
from bookings.scheduler import rule_params
from centers.models import Center, Closure, Equipment, OpeningHours, Room
from groups.models import Group

FIRST = date(2027, 1, 5)  # the first Tuesday the new series asks for
WEEKS = 52
LAST = FIRST + timedelta(weeks=WEEKS - 1)  # its last Tuesday
CANDIDATE = (time(17), time(19))
# The hall works in 90-minute sessions every two hours (its buffers fill the gaps); the plain
# rooms in 45-minute sessions every hour (one 15-minute buffer at most).
HALL_SESSIONS = [time(8 + 2 * k, 15) for k in range(7)]
HALL_LENGTH = timedelta(minutes=90)
PLAIN_SESSIONS = [time(8 + h) for h in range(14)]
PLAIN_LENGTH = timedelta(minutes=45)
TUESDAY = 1
PLAIN_ROOMS = 40


@dataclass
class World:
    center: Center
    hall: Room
    halves: list[Room]
    plain: list[Room]
    equipment: list[Equipment]
    user: User
    calendar: Calendar
    units: dict[int, list[int]]
    fillers: list[tuple[Room, int, time, timedelta]] = field(default_factory=list)
    used_fillers: int = 0
    stored: int = 0
    fixed_clashes: dict[str, int] = field(default_factory=dict)

    def candidate_rule(self) -> RecurrenceRule:
        return RecurrenceRule(
            start_date=FIRST,
            start_time=CANDIDATE[0],
            end_time=CANDIDATE[1],
            frequency="weekly",
            weekdays=(TUESDAY,),
            count=WEEKS,
        )


def build() -> World:
    center = Center.objects.create(
        name="Bench Zentrum",
        slug="bench",
        street="Hauptstraße 1",
        postal_code="44135",
        city="Dortmund",
        federal_state="NW",
        booking_horizon_months=24,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(center=center, weekday=d, opens=time(8), closes=time(22)) for d in range(7)
    )
    projector = Equipment.objects.create(code="projector", name="Beamer", name_en="Projector")
    piano = Equipment.objects.create(code="piano", name="Klavier", name_en="Piano")
    hall = Room.objects.create(
        center=center,
        name="Saal",
        capacity=120,
        setup_minutes=15,
        cleanup_minutes=15,
        requires_approval=True,
    )
    hall.equipment.add(projector)
    halves = [
        Room.objects.create(
            center=center, name=f"Saal {x}", capacity=60, parent=hall, cleanup_minutes=15
        )
        for x in "AB"
    ]
    plain = Room.objects.bulk_create(
        Room(
            center=center,
            name=f"Raum {n}",
            capacity=10 + n,
            setup_minutes=15 * (n % 2),
            cleanup_minutes=15 * (n % 4 == 0),
        )
        for n in range(1, PLAIN_ROOMS + 1)
    )
    for room in [hall, *halves, *plain]:
        room.center = center
    units = {r.pk: [r.pk] for r in [hall, *halves, *plain]}
    units[hall.pk] = [hall.pk, *(h.pk for h in halves)]
    world = World(
        center=center,
        hall=hall,
        halves=halves,
        plain=plain,
        equipment=[projector, piano],
        user=User.objects.create_user(username="bench"),
        calendar=Calendar.objects.create(name=center.name, slug="bench-calendar"),
        units=units,
    )
    world.fillers = _filler_combos(world)
    _fixed(world)
    return world


def _filler_combos(world: World) -> list[tuple[Room, int, time, timedelta]]:
    """Weekly (room, weekday, start, length) combinations whose room units never overlap and
    that never meet the candidate (Tuesday 16:45–19:15 in the hall's units, buffers included)."""
    combos: list[tuple[Room, int, time, timedelta]] = []
    for room in [world.hall, *world.halves]:
        for day in range(7):
            for k, start in enumerate(HALL_SESSIONS):
                if day == TUESDAY and k in (4, 5):
                    continue
                combos.append((room, day, start, HALL_LENGTH))
    for room in world.plain:
        combos += [(room, d, s, PLAIN_LENGTH) for d in range(7) for s in PLAIN_SESSIONS]
    random.Random(42).shuffle(combos)
    taken: set[tuple[int, int, time]] = set()
    chosen = []
    for room, day, start, length in combos:
        keys = {(u, day, start) for u in world.units[room.pk]}
        if keys & taken:
            continue
        taken |= keys
        chosen.append((room, day, start, length))
    return chosen


def _fixed(world: World) -> None:
    """What stands in the candidate's way at every point of the curve."""
    half_a, half_b = world.halves
    # (room, state, Tuesday start, end, interval in weeks, first week, count)
    plans = [
        (half_a, OccurrenceState.CONFIRMED, time(16, 15), time(17, 45), 4, 0, 13),
        (world.hall, OccurrenceState.CONFIRMED, time(18, 15), time(19, 45), 8, 2, 7),
        (half_b, OccurrenceState.CONFIRMED, time(18, 15), time(19, 45), 8, 5, 6),
        (half_b, OccurrenceState.REQUESTED, time(17, 15), time(18, 45), 6, 1, 9),
        (world.hall, OccurrenceState.REQUESTED, time(16, 30), time(17, 30), 10, 3, 5),
    ]
    for n, (room, state, start, end, interval, week, count) in enumerate(plans):
        rule = RecurrenceRule(
            start_date=FIRST + timedelta(weeks=week),
            start_time=start,
            end_time=end,
            frequency="weekly",
            weekdays=(TUESDAY,),
            interval=interval,
            count=count,
        )
        _add_series(world, [(room, rule, state)], name=f"Feste Gruppe {n}")
    tz = world.center.tz
    summer = (date(2027, 7, 19), date(2027, 8, 2))
    Closure.objects.bulk_create(
        [
            Closure(
                center=world.center,
                starts_at=localize(datetime.combine(summer[0], time.min), tz),
                ends_at=localize(datetime.combine(summer[1], time.min), tz),
                reason="Sommerpause",
            ),
            Closure(
                center=world.center,
                room=half_a,
                starts_at=localize(datetime.combine(date(2027, 3, 16), time(12)), tz),
                ends_at=localize(datetime.combine(date(2027, 3, 17), time(12)), tz),
                reason="Boden wird geölt",
            ),
            Closure(  # another room: must not show up
                center=world.center,
                room=world.plain[0],
                starts_at=localize(datetime.combine(date(2027, 5, 4), time(0)), tz),
                ends_at=localize(datetime.combine(date(2027, 5, 5), time(0)), tz),
                reason="Malerarbeiten",
            ),
        ]
    )


def grow(world: World, target: int) -> int:
    """Add filler series until `target` dates are stored; returns the number stored."""
    batch: list[tuple[Room, RecurrenceRule, str]] = []
    expected = world.stored
    while expected < target:
        room, day, start, length = world.fillers[world.used_fillers]
        world.used_fillers += 1
        first = FIRST + timedelta(days=(day - TUESDAY) % 7)
        end = (datetime.combine(first, start) + length).time()
        rule = RecurrenceRule(
            start_date=first,
            start_time=start,
            end_time=end,
            frequency="weekly",
            weekdays=(day,),
            until=LAST,
        )
        # One in ten filler series is still a request: pending dates the check also reads.
        state = OccurrenceState.REQUESTED if world.used_fillers % 10 == 0 else "confirmed"
        batch.append((room, rule, state))
        expected += len(expand(rule, world.center.tz))
        if len(batch) == 200:
            _add_series(world, batch, name="Gruppe")
            batch = []
    if batch:
        _add_series(world, batch, name="Gruppe")
    return world.stored


def _add_series(world: World, plans: list[tuple[Room, RecurrenceRule, str]], name: str) -> None:
    tz = world.center.tz
    offset = Group.objects.count()
    groups = Group.objects.bulk_create(
        Group(center=world.center, name=f"{name} {offset + i}", slug=f"g-{offset + i}")
        for i in range(len(plans))
    )
    rules = []
    events = []
    for (_room, rule, _state), group in zip(plans, groups, strict=True):
        frequency, params = rule_params(rule)
        rules.append(Rule(name=f"r{group.pk}", description="", frequency=frequency, params=params))
    Rule.objects.bulk_create(rules)
    for (_room, rule, _state), scheduler_rule, group in zip(plans, rules, groups, strict=True):
        start = localize(datetime.combine(rule.start_date, rule.start_time), tz)
        end = localize(datetime.combine(rule.start_date, rule.end_time), tz)
        period_end = None
        if rule.until is not None:
            period_end = localize(datetime.combine(rule.until, rule.end_time), tz)
        events.append(
            Event(
                calendar=world.calendar,
                rule=scheduler_rule,
                title=group.name,
                start=start,
                end=end,
                end_recurring_period=period_end,
            )
        )
    Event.objects.bulk_create(events)
    series = Series.objects.bulk_create(
        Series(
            group=group,
            room=room,
            created_by=world.user,
            status=SeriesStatus.CONFIRMED if state == "confirmed" else SeriesStatus.PENDING,
            frequency="weekly",
            weekdays=list(rule.weekdays),
            interval=rule.interval,
            start_date=rule.start_date,
            start_time=rule.start_time,
            end_time=rule.end_time,
            until=rule.until,
            count=rule.count,
            materialised_until=LAST,
            event=event,
        )
        for (room, rule, state), group, event in zip(plans, groups, events, strict=True)
    )
    occurrences = [
        Occurrence(
            series=s,
            room=room,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            original_start=slot.original_start,
            state=state,
        )
        for s, (room, rule, state) in zip(series, plans, strict=True)
        for slot in expand(rule, tz)
    ]
    Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    rooms = {p[0].pk: p[0] for p in plans}
    blocks = [
        RoomBlock(
            occurrence_id=o.pk,
            room_id=unit,
            starts_at=o.starts_at - timedelta(minutes=rooms[o.room_id].setup_minutes),
            ends_at=o.ends_at + timedelta(minutes=rooms[o.room_id].cleanup_minutes),
        )
        for o in occurrences
        if o.state == OccurrenceState.CONFIRMED
        for unit in world.units[o.room_id]
    ]
    RoomBlock.objects.bulk_create(blocks, batch_size=2000)
    world.stored += len(occurrences)


def window(world: World) -> tuple[datetime, datetime]:
    """The checked year: from the first candidate's day to the day after the last one."""
    tz = world.center.tz
    return (
        localize(datetime.combine(FIRST, time.min), tz),
        localize(datetime.combine(LAST + timedelta(days=1), time.min), tz),
    )


def outside_window(world: World) -> int:
    """Stored dates that do not lie inside the checked window (must be 0)."""
    start, end = window(world)
    return (
        Occurrence.objects.exclude(starts_at__gte=start, ends_at__lte=end)
        .filter(starts_at__lt=datetime(2100, 1, 1, tzinfo=UTC))
        .count()
    )
