"""The pure iCalendar builder: time zones, rules, exceptions, escaping, stable bytes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rruleset, rrulestr
from django.utils import translation

from bookings.recurrence import RecurrenceRule, expand
from calendars.ical import DateRow, FeedMeta, SeriesData, build_calendar, to_bytes

BERLIN = ZoneInfo("Europe/Berlin")
WINDOW = (datetime(2025, 12, 15, tzinfo=UTC), datetime(2027, 3, 16, tzinfo=UTC))
STAMP = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def make_series(
    rule: RecurrenceRule,
    *,
    tz: ZoneInfo = BERLIN,
    through: date | None = None,
    state: str = "confirmed",
    skip: tuple[date, ...] = (),
    summary: str = "Chor",
) -> SeriesData:
    slots = expand(rule, tz, through=through, window=WINDOW)
    rows = tuple(
        DateRow(
            id=n,
            original_start=slot.original_start,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            state=state,
            room_id=1,
            location="Saal",
            updated_at=STAMP,
        )
        for n, slot in enumerate(slots)
        if slot.original_start.astimezone(tz).date() not in skip
    )
    return SeriesData(
        uid="series-1@example.org",
        summary=summary,
        description="Singen",
        location="Saal, Zentrum, Straße 1, 12345 Stadt",
        url="https://example.org/groups/chor/",
        tz=tz,
        rule=rule,
        room_id=1,
        through=through,
        sequence=0,
        updated_at=STAMP,
        rows=rows,
    )


def render(*series: SeriesData, lang: str = "en") -> bytes:
    with translation.override(lang):
        return to_bytes(build_calendar(FeedMeta(name="Feed", window=WINDOW), list(series)))


def events(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def expand_master(event: icalendar.Event) -> list[datetime]:
    """What a client computes from the master: RRULE + RDATE - EXDATE (dateutil)."""
    start = event["DTSTART"].dt
    dates = rruleset()
    if "RRULE" in event:
        dates.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
    else:
        dates.rdate(start)
    for name, add in (("RDATE", dates.rdate), ("EXDATE", dates.exdate)):
        values = event.get(name, [])
        for prop in values if isinstance(values, list) else [values]:
            for value in prop.dts:
                add(value.dt)
    return [moment.astimezone(UTC) for moment in dates]


def tz_components(body: bytes, key: str) -> list[icalendar.Component]:
    cal = icalendar.Calendar.from_ical(body)
    (vtz,) = [c for c in cal.walk("VTIMEZONE") if c["TZID"] == key]
    return list(vtz.subcomponents)


# --- time zones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "daylight", "standard"),
    [
        ("Europe/Berlin", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
        ("America/New_York", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"),
        ("Australia/Sydney", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4"),
    ],
)
def test_vtimezone_is_built_from_yearly_rules(key: str, daylight: str, standard: str) -> None:
    tz = ZoneInfo(key)
    rule = RecurrenceRule(
        start_date=date(2026, 1, 6),
        start_time=time(18),
        end_time=time(19),
        frequency="weekly",
        until=date(2026, 12, 29),
    )
    body = render(make_series(rule, tz=tz))
    rules = {c.name: c["RRULE"].to_ical().decode() for c in tz_components(body, key)}
    assert rules == {"DAYLIGHT": daylight, "STANDARD": standard}
    assert b"RDATE" not in body


def test_zone_without_daylight_saving_has_one_standard_component() -> None:
    tz = ZoneInfo("Asia/Tokyo")
    rule = RecurrenceRule(start_date=date(2026, 1, 6), start_time=time(18), end_time=time(19))
    (component,) = tz_components(render(make_series(rule, tz=tz)), "Asia/Tokyo")
    assert component.name == "STANDARD"
    assert component["TZOFFSETTO"].td == timedelta(hours=9)


def test_irregular_zone_lists_each_change_without_multi_valued_rdate() -> None:
    # Morocco moves its clocks around Ramadan: no yearly weekday rule fits.
    tz = ZoneInfo("Africa/Casablanca")
    rule = RecurrenceRule(start_date=date(2026, 1, 6), start_time=time(18), end_time=time(19))
    body = render(make_series(rule, tz=tz))
    components = tz_components(body, "Africa/Casablanca")
    assert len(components) > 2
    assert all("RRULE" not in c and "RDATE" not in c for c in components)


# --- rules and exceptions -------------------------------------------------------------------------


def test_series_is_one_master_with_rrule_until_in_utc() -> None:
    rule = RecurrenceRule(
        start_date=date(2026, 3, 3),
        start_time=time(18),
        end_time=time(19, 30),
        frequency="weekly",
        weekdays=(1,),
        until=date(2026, 5, 26),
    )
    body = render(make_series(rule))
    (master,) = events(body)
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20260526T160000Z;BYDAY=TU\r\n" in body
    assert b"DTSTART;TZID=Europe/Berlin:20260303T180000\r\n" in body
    assert expand_master(master) == [s.starts_at for s in expand(rule, BERLIN)]


def test_count_becomes_until_and_dtstart_moves_into_the_window() -> None:
    # 60 Mondays from September 2025: the first ones lie before the window.
    rule = RecurrenceRule(
        start_date=date(2025, 9, 1),
        start_time=time(10),
        end_time=time(11),
        frequency="weekly",
        count=60,
    )
    series = make_series(rule)
    (master,) = events(render(series))
    assert "COUNT" not in master["RRULE"]
    assert master["DTSTART"].dt.date() == date(2025, 12, 15)
    assert expand_master(master) == [row.original_start for row in series.rows]


def test_every_other_week_keeps_its_phase_when_dtstart_moves() -> None:
    rule = RecurrenceRule(
        start_date=date(2025, 9, 4),
        start_time=time(10),
        end_time=time(11),
        frequency="weekly",
        interval=2,
        weekdays=(0, 3),
        until=date(2026, 8, 1),
    )
    series = make_series(rule)
    (master,) = events(render(series))
    assert expand_master(master) == [row.original_start for row in series.rows]


def test_open_ended_rule_stops_at_the_materialised_horizon() -> None:
    rule = RecurrenceRule(
        start_date=date(2025, 6, 2),
        start_time=time(10),
        end_time=time(12),
        frequency="monthly",
        monthly_mode="nth_weekday",
        monthly_position=1,
        weekdays=(0,),
    )
    series = make_series(rule, through=date(2026, 9, 30))
    (master,) = events(render(series))
    shown = expand_master(master)
    assert shown == [row.original_start for row in series.rows]
    assert shown[-1].date() == date(2026, 9, 7)


def test_missing_dates_become_exdates_and_extra_dates_rdates() -> None:
    rule = RecurrenceRule(
        start_date=date(2026, 3, 3),
        start_time=time(18),
        end_time=time(19),
        frequency="weekly",
        until=date(2026, 4, 28),
        extra_dates=(date(2026, 3, 21),),
    )
    series = make_series(rule, skip=(date(2026, 3, 17), date(2026, 4, 28)))
    body = render(series)
    (master,) = events(body)
    assert b"EXDATE;TZID=Europe/Berlin:20260317T180000\r\n" in body
    assert b"RDATE;TZID=Europe/Berlin:20260321T180000\r\n" in body
    # The last date is not shown: UNTIL ends at the last shown one instead of an EXDATE.
    assert b"20260428" not in body
    assert expand_master(master) == sorted(row.original_start for row in series.rows)


def test_single_date_is_a_plain_event() -> None:
    rule = RecurrenceRule(start_date=date(2026, 6, 6), start_time=time(15), end_time=time(17))
    (event,) = events(render(make_series(rule)))
    assert "RRULE" not in event and "RECURRENCE-ID" not in event
    assert event["DTSTART"].dt == datetime(2026, 6, 6, 15, tzinfo=BERLIN)


def test_moved_and_cancelled_dates_are_overrides() -> None:
    rule = RecurrenceRule(
        start_date=date(2026, 3, 3),
        start_time=time(18),
        end_time=time(19),
        frequency="weekly",
        until=date(2026, 3, 31),
    )
    series = make_series(rule)
    rows = list(series.rows)
    rows[1] = rows[1]._replace(state="cancelled", reason="Feiertag", sequence=2)
    rows[2] = rows[2]._replace(
        starts_at=rows[2].starts_at + timedelta(hours=1),
        ends_at=rows[2].ends_at + timedelta(hours=1),
        room_id=2,
        location="Café",
    )
    master, cancelled, moved = events(render(replace(series, rows=tuple(rows))))
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] == 2
    assert cancelled["SUMMARY"] == "cancelled: Chor" and "Feiertag" in cancelled["DESCRIPTION"]
    assert cancelled["RECURRENCE-ID"].dt == rows[1].original_start
    assert moved["DTSTART"].dt == datetime(2026, 3, 17, 19, tzinfo=BERLIN)
    assert moved["LOCATION"] == "Café" and moved["SEQUENCE"] == 0
    assert master["SEQUENCE"] == 0


def test_requested_series_is_tentative() -> None:
    rule = RecurrenceRule(
        start_date=date(2026, 3, 3),
        start_time=time(18),
        end_time=time(19),
        frequency="weekly",
        until=date(2026, 3, 31),
    )
    (master,) = events(render(make_series(rule, state="requested")))
    assert master["STATUS"] == "TENTATIVE"
    assert master["SUMMARY"] == "requested: Chor"


@pytest.mark.parametrize(
    ("lang", "cancelled", "requested"),
    [("de", "entfällt: Chor", "angefragt: Chor"), ("en", "cancelled: Chor", "requested: Chor")],
)
def test_prefixes_are_translated(lang: str, cancelled: str, requested: str) -> None:
    rule = RecurrenceRule(start_date=date(2026, 3, 3), start_time=time(18), end_time=time(19))
    (event,) = events(render(make_series(rule, state="cancelled"), lang=lang))
    assert event["SUMMARY"] == cancelled
    (event,) = events(render(make_series(rule, state="requested"), lang=lang))
    assert event["SUMMARY"] == requested


# --- text and bytes -------------------------------------------------------------------------------


def test_text_is_escaped_and_folded() -> None:
    rule = RecurrenceRule(start_date=date(2026, 3, 3), start_time=time(18), end_time=time(19))
    summary = "Café, Kuchen; Gespräche \\ mehr\nzweite Zeile " * 4
    body = render(make_series(rule, summary=summary))
    assert b"SUMMARY:Caf\xc3\xa9\\, Kuchen\\; Gespr\xc3\xa4che \\\\ mehr\\nzweite" in body
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    (event,) = events(body)
    assert event["SUMMARY"] == summary


def test_rendering_is_deterministic() -> None:
    rule = RecurrenceRule(
        start_date=date(2026, 3, 3),
        start_time=time(18),
        end_time=time(19),
        frequency="weekly",
        until=date(2026, 5, 26),
    )
    assert render(make_series(rule)) == render(make_series(rule))
    assert b"DTSTAMP:20260301T093000Z\r\n" in render(make_series(rule))
