"""Pure ranges in time: which dates lie outside the opening hours, and the slots' wall-clock
times (no database)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bookings.conflicts.spans import outside_hours, wall_clock
from bookings.recurrence import RecurrenceRule, Slot, expand

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = {weekday: [(time(8), time(22))] for weekday in range(7)}  # every day 8–22


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def weekly(start: time, end: time) -> list[Slot]:
    """Tuesdays from March to April 2031, over the spring-forward night."""
    rule = RecurrenceRule(
        start_date=date(2031, 3, 4),
        start_time=start,
        end_time=end,
        frequency="weekly",
        until=date(2031, 4, 29),
    )
    return expand(rule, BERLIN)


def test_a_weekly_series_within_the_hours_needs_no_date_looked_at() -> None:
    slots = weekly(time(18), time(20))
    starts = wall_clock(slots, BERLIN, "local_start", [s.starts_at for s in slots])
    ends = wall_clock(slots, BERLIN, "local_end", [s.ends_at for s in slots])
    assert outside_hours(starts, ends, HOURS) is None


def test_a_weekly_series_before_opening_is_outside_on_every_date() -> None:
    slots = weekly(time(7), time(9))
    starts = wall_clock(slots, BERLIN, "local_start", [s.starts_at for s in slots])
    ends = wall_clock(slots, BERLIN, "local_end", [s.ends_at for s in slots])
    assert outside_hours(starts, ends, HOURS) == [True] * len(slots) == [True] * 9


def test_each_date_is_judged_by_its_own_weekday_and_times() -> None:
    tuesday, saturday = date(2031, 3, 11), date(2031, 3, 15)
    hours = {**HOURS, saturday.weekday(): [(time(10), time(14))]}  # short on Saturdays
    starts = [
        local(tuesday, 18),  # inside
        local(saturday, 9),  # before Saturday's opening
        local(saturday, 11),  # inside
        local(tuesday, 21),  # until 23:00: after closing
        local(tuesday, 20),  # until the next morning: not within one day
    ]
    ends = [
        local(tuesday, 20),
        local(saturday, 11),
        local(saturday, 13),
        local(tuesday, 23),
        local(date(2031, 3, 12), 9),
    ]
    assert outside_hours(starts, ends, hours) == [False, True, False, True, True]
    assert outside_hours([], [], hours) is None


def test_wall_clock_times_are_those_expand_kept_or_converted_from_utc() -> None:
    slots = weekly(time(18), time(20))
    utc = [s.starts_at for s in slots]
    kept = wall_clock(slots, BERLIN, "local_start", utc)
    assert [t.time() for t in kept] == [time(18)] * len(slots)  # over the DST change too
    assert all(a is b.local_start for a, b in zip(kept, slots, strict=True))
    # Slots made without wall-clock times, or in another zone: converted from UTC.
    bare = [Slot(s.starts_at, s.ends_at) for s in slots]
    assert wall_clock(bare, BERLIN, "local_start", utc) == kept
    in_london = expand(
        RecurrenceRule(start_date=date(2031, 3, 4), start_time=time(17), end_time=time(19)),
        ZoneInfo("Europe/London"),
    )
    (converted,) = wall_clock(in_london, BERLIN, "local_start", [in_london[0].starts_at])
    assert converted.tzinfo is BERLIN and converted.time() == time(18)
    assert converted == datetime(2031, 3, 4, 17, tzinfo=UTC)
