"""The text writer (calendars.ical.fast) against icalendar, the reference: byte-identical
VEVENTs and fingerprints for long UTF-8 texts (German, Arabic, Turkish, emoji), every TEXT
escape, moved, cancelled and requested dates, changes from a date, extra dates, DST."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import translation
from icalendar.parser.string import _foldline

from bookings.recurrence import RecurrenceRule, expand
from calendars.ical import DateRow, EarlierPart, SeriesData, series_specs, to_bytes, to_event
from calendars.ical.fast import escape, fold, write
from tests.calendars.conftest import assert_same_as_reference

WINDOW = (datetime(2025, 12, 15, tzinfo=UTC), datetime(2027, 3, 16, tzinfo=UTC))
THROUGH = date(2027, 2, 1)
STAMP = datetime(2026, 3, 1, 9, 30, 12, 345678, tzinfo=UTC)
TEXTS = (
    "Offener Treff für alle, die gern zusammen kochen; singen & reden – Neue sind willkommen. ",
    "مرحبا بكم في لقاء الجيران، نلتقي كل أسبوع؛ الجميع مرحب بهم. ",
    "Türkçe sohbet grubu: çay, kahve; İstanbul'dan selamlar! Ğğ Şş Iı. ",
    "Zeile eins\nZeile zwei\r\nZeile drei\rBackslash \\ und \\N und ^caret^ 🙂🎶 ",
)
ALPHABET = "aäöüßğışçİ ,;:\\^\n\r\"'م🙂漢"


def _series(
    rule: RecurrenceRule, tz: ZoneInfo, seed: int, *, earlier: tuple[EarlierPart, ...] = ()
) -> SeriesData:
    rng = random.Random(seed)
    slots = expand(rule, tz, through=THROUGH, window=WINDOW)
    rows = []
    for n, slot in enumerate(slots):
        starts, ends, state, reason = slot.starts_at, slot.ends_at, "confirmed", ""
        roll = rng.random()
        if roll < 0.1:
            state, reason = "cancelled", rng.choice(TEXTS) * rng.randint(0, 3)
        elif roll < 0.2:
            starts, ends = starts + timedelta(minutes=30), ends + timedelta(hours=1)
        elif roll < 0.25:
            state = "requested"
        elif roll < 0.3:
            continue  # a date that is not shown: an EXDATE
        rows.append(
            DateRow(
                id=n,
                original_start=slot.original_start,
                starts_at=starts,
                ends_at=ends,
                state=state,
                room_id=1 if rng.random() < 0.9 else 2,
                location=rng.choice(TEXTS)[:40],
                reason=reason,
                sequence=rng.randint(0, 3),
                updated_at=STAMP + timedelta(minutes=n),
            )
        )
    noise = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))
    return SeriesData(
        uid=f"series-{seed}@example.org",
        summary=rng.choice(TEXTS) * rng.randint(1, 3),
        description="".join(rng.sample(TEXTS, 3)) + noise,
        location=rng.choice(TEXTS) + "Burgsdorffstraße 76, 46284 Dorsten",
        url=f"https://example.org/groups/g-{seed}/?a=1,2;b",
        tz=tz,
        rule=rule,
        room_id=1,
        through=THROUGH,
        sequence=rng.randint(0, 5),
        updated_at=STAMP,
        rows=tuple(rows),
        earlier=earlier,
    )


RULES = [
    RecurrenceRule(date(2026, 1, 7), time(18), time(20), frequency="weekly", weekdays=(2,)),
    RecurrenceRule(
        date(2026, 3, 1), time(2, 30), time(4), frequency="daily", until=date(2026, 4, 15)
    ),
    RecurrenceRule(
        date(2026, 1, 1),
        time(9),
        time(11, 15),
        frequency="monthly",
        monthly_mode="nth_weekday",
        monthly_position=-1,
        weekdays=(4,),
        extra_dates=(date(2026, 6, 3), date(2026, 10, 25)),
    ),
    RecurrenceRule(date(2026, 10, 20), time(1, 30), time(3), frequency="once"),
    RecurrenceRule(
        date(2026, 2, 2), time(19), time(21), frequency="weekly", interval=2, weekdays=(0, 3)
    ),
]
ZONES = ["Europe/Berlin", "Europe/Istanbul", "Asia/Beirut", "America/New_York", "UTC"]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("index", range(len(RULES)))
def test_generated_series_are_written_byte_identically(index: int, zone: str, lang: str) -> None:
    with translation.override(lang):
        for seed in range(3):
            assert_same_as_reference(_series(RULES[index], ZoneInfo(zone), seed), WINDOW)


def test_changes_from_a_date_are_written_byte_identically() -> None:
    tz = ZoneInfo("Europe/Berlin")
    before = RULES[0]
    # 18:00-20:00 becomes 17:30-20:00 from 2026-04-01 (across DST), then Thursdays from June.
    middle = replace(before, start_date=date(2026, 4, 1), start_time=time(17, 30))
    now = replace(middle, start_date=date(2026, 6, 4), weekdays=(3,))
    earlier = (EarlierPart(before, date(2026, 4, 1)), EarlierPart(middle, date(2026, 6, 4)))
    rows = []
    for n, part in enumerate((before, middle, now)):
        item = _series(part, tz, n)
        last = [e.ends_before for e in earlier]
        first = [None, *last][n]
        end = [*last, None][n]
        rows += [
            row
            for row in item.rows
            if (first is None or row.original_start.astimezone(tz).date() >= first)
            and (end is None or row.original_start.astimezone(tz).date() < end)
        ]
    series = replace(_series(now, tz, 7, earlier=earlier), rows=tuple(rows))
    specs = series_specs(series, WINDOW)
    assert len({spec.uid for spec in specs}) >= 3  # each rule is its own object
    with translation.override("de"):
        assert_same_as_reference(series, WINDOW)


def test_utc_stamps_tzid_and_one_exdate_per_line() -> None:
    series = _series(RULES[0], ZoneInfo("Europe/Berlin"), 1)
    master = write(series_specs(series, WINDOW)[0]).to_bytes(sequence=4).decode()
    stamps = [line for line in master.split("\r\n") if line.startswith("DTSTAMP")]
    assert re.fullmatch(r"DTSTAMP:2026\d{4}T\d{4}12Z", stamps[0])  # UTC, no microseconds
    assert "DTSTART;TZID=Europe/Berlin:" in master and "SEQUENCE:4\r\n" in master
    exdates = [line for line in master.split("\r\n") if line.startswith("EXDATE")]
    assert exdates and all(line.count(":") == 1 and "," not in line for line in exdates)
    assert to_bytes(to_event(series_specs(series, WINDOW)[0])).decode().count("EXDATE") == len(
        exdates
    )


def test_escape_and_fold_match_icalendar_on_random_lines() -> None:
    rng = random.Random(12)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET + "abcdefgh   ") for _ in range(rng.randint(0, 400)))
        line = "DESCRIPTION:" + escape(text)
        assert escape(text) == icalendar.vText(text).to_ical().decode()
        expected = line.encode() if len(line.encode()) < 75 else _foldline(line).encode()
        assert fold(line) == expected + b"\r\n"
        for piece in fold(line).split(b"\r\n"):
            assert len(piece) <= 75
            piece.decode()  # never a split UTF-8 character


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def test_rule_times_in_utc_are_the_engines_across_dst_gaps_and_folds(zone: str) -> None:
    from bookings.recurrence import localize
    from calendars.ical.events import _utc_of

    tz = ZoneInfo(zone)
    day = date(2026, 1, 1)
    for offset in range(366):
        for clock in (time(0, 30), time(1, 59), time(2), time(2, 30), time(3), time(23, 59)):
            current = day + timedelta(days=offset)
            expected = localize(datetime.combine(current, clock), tz).astimezone(UTC)
            assert _utc_of(current, clock, tz) == expected


def test_rule_dates_are_the_engines_local_dates() -> None:
    from bookings.recurrence import InvalidRule, local_dates, validate
    from calendars.ical.events import rule_dates

    rng = random.Random(5)
    for _ in range(3000):
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
        frequency = rng.choice(["daily", "weekly", "weekly", "monthly"])
        rule = RecurrenceRule(
            start,
            time(18),
            time(20),
            frequency=frequency,
            interval=rng.choice([1, 1, 2, 3, 5]),
            weekdays=tuple(rng.sample(range(7), rng.randint(0, 3) * (frequency == "weekly"))),
            monthly_mode="day_of_month" if frequency == "monthly" else "",
            monthly_day=rng.randint(1, 31) if frequency == "monthly" else None,
            until=start + timedelta(days=rng.randint(0, 4000)) if rng.random() < 0.5 else None,
            count=rng.randint(1, 40) if rng.random() < 0.1 else None,
            extra_dates=tuple(
                start + timedelta(days=rng.randint(-30, 400)) for _ in range(rng.randint(0, 3))
            ),
        )
        through = start + timedelta(days=rng.randint(-10, 4000)) if rng.random() < 0.8 else None
        if rule.until is None and rule.count is None and through is None:
            through = start + timedelta(days=400)
        if validate(rule):
            with pytest.raises(InvalidRule):
                rule_dates(rule, through)
            continue
        assert rule_dates(rule, through) == local_dates(rule, through=through), rule
