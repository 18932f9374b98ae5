"""A series changed "from a date on" in the feeds: each rule its own VEVENT, no RDATE lists,
every date with its own times in all four parsers (issue 12, item 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from bookings import services
from bookings.models import OccurrenceState, Series, SeriesStatus
from calendars.selectors import feed_window
from tests.calendars.icalcheck import icalcheck
from tests.groups.factories import store_dates

NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)
FEED = "/feeds/group/chor.ics"


@pytest.fixture(autouse=True)
def _frozen_clock_and_cache() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def world(make_center, make_room, make_group, make_user) -> dict[str, Any]:
    staff = make_user()
    center = make_center(slug="hdk", time_zone="Europe/Berlin")
    center.staff.add(staff)
    room = make_room(center=center, name="Saal")
    group = make_group(center=center, name="Chor", slug="chor")
    return {"center": center, "room": room, "group": group, "staff": staff}


def _weekly(world: dict[str, Any], **rule: Any) -> Series:
    fields = {
        "frequency": "weekly",
        "weekdays": [1],
        "start_date": date(2026, 2, 3),
        "until": date(2026, 6, 30),
        "start_time": time(18),
        "end_time": time(20),
    }
    fields.update(rule)
    series = Series.objects.create(
        group=world["group"], room=world["room"], status=SeriesStatus.CONFIRMED, **fields
    )
    store_dates(series)
    return series


def _change(world: dict[str, Any], series: Series, from_date: date, **changes: Any) -> None:
    series.refresh_from_db()
    services.series_update(
        user=world["staff"],
        series=series,
        from_date=from_date,
        rule=series.rule.with_changes(**changes),
    )
    waiting = series.occurrences.filter(state=OccurrenceState.REQUESTED)
    if waiting:
        services.occurrences_confirm(user=world["staff"], occurrences=list(waiting))


def _window(world: dict[str, Any]) -> tuple[datetime, datetime]:
    tz = world["center"].tz
    return feed_window(NOW.astimezone(tz).date(), tz)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check(
    client: Client, world: dict[str, Any], series: Series, tmp_path: Path
) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """The feed read by four parsers equals the database; returns the body and dates by start."""
    body = client.get(FEED).content
    window = _window(world)
    _, occurrences = icalcheck(body, tmp_path, window)
    rows = series.occurrences.filter(original_start__gte=window[0], original_start__lt=window[1])
    for state, status in (("confirmed", "CONFIRMED"), ("cancelled", "CANCELLED")):
        expected = {(_utc(r.starts_at), _utc(r.ends_at)) for r in rows if r.state == state}
        shown = {(o["start"], o["end"]) for o in occurrences if o["status"] == status}
        assert shown == expected, status
    assert b"RDATE" not in body
    return body, {o["start"]: o for o in occurrences}


def _uid(series: Series, changed_from: date | None = None) -> str:
    suffix = f"-from-{changed_from:%Y%m%d}" if changed_from else ""
    return f"series-{series.pk}{suffix}@127.0.0.1"


def _masters(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e}


def _at(day: date, hour: int, minute: int = 0) -> str:
    """A Berlin wall-clock time as the parsers' UTC string."""
    from zoneinfo import ZoneInfo

    return _utc(datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo("Europe/Berlin")))


@pytest.mark.shared
@pytest.mark.django_db
@pytest.mark.parametrize("from_date", [date(2026, 3, 24), date(2026, 4, 7)])  # before/after DST
@pytest.mark.parametrize(
    ("times", "new"),
    [
        ("start", {"start_time": time(17, 30)}),
        ("end", {"end_time": time(21)}),
        ("both", {"start_time": time(17), "end_time": time(19)}),
    ],
)
def test_a_change_of_times_from_a_date_is_a_second_vevent(
    client: Client, world, tmp_path: Path, from_date: date, times: str, new: dict[str, Any]
) -> None:
    series = _weekly(world)
    _change(world, series, from_date, **new)
    body, by_start = _check(client, world, series, tmp_path)
    # Earlier dates keep 18:00–20:00 under the series' UID, in winter and in summer time.
    for day in (date(2026, 2, 3), date(2026, 3, 17)):
        shown = by_start[_at(day, 18)]
        assert (shown["end"], shown["uid"]) == (_at(day, 20), _uid(series))
    later = from_date + timedelta(days=14)
    start, end = new.get("start_time", time(18)), new.get("end_time", time(20))
    shown = by_start[_at(later, start.hour, start.minute)]
    assert (shown["end"], shown["uid"]) == (_at(later, end.hour), _uid(series, from_date))
    masters = _masters(body)
    assert set(masters) == {_uid(series), _uid(series, from_date)}
    until = masters[_uid(series)]["RRULE"]["UNTIL"][0]
    assert until < datetime.combine(from_date, time(0), tzinfo=UTC)
    assert b"RECURRENCE-ID" not in body  # nothing differs from its own VEVENT


@pytest.mark.shared
@pytest.mark.django_db
def test_a_weekday_change_is_a_second_vevent_and_dropped_dates_are_cancelled(
    client: Client, world, tmp_path: Path
) -> None:
    series = _weekly(world)
    _change(world, series, date(2026, 4, 7), weekdays=(3,))
    body, by_start = _check(client, world, series, tmp_path)
    assert by_start[_at(date(2026, 3, 31), 18)]["uid"] == _uid(series)
    assert by_start[_at(date(2026, 4, 9), 18)]["uid"] == _uid(series, date(2026, 4, 7))
    # A Tuesday the change dropped is shown as cancelled, not as a date of either rule.
    assert by_start[_at(date(2026, 4, 7), 18)]["status"] == "CANCELLED"
    masters = _masters(body)
    assert masters[_uid(series, date(2026, 4, 7))]["RRULE"]["BYDAY"] == ["TH"]


@pytest.mark.shared
@pytest.mark.django_db
def test_two_successive_changes_are_three_vevents(client: Client, world, tmp_path: Path) -> None:
    series = _weekly(world)
    _change(world, series, date(2026, 4, 7), start_time=time(17, 30))
    _change(world, series, date(2026, 5, 5), end_time=time(21))
    body, by_start = _check(client, world, series, tmp_path)
    assert set(_masters(body)) == {
        _uid(series),
        _uid(series, date(2026, 4, 7)),
        _uid(series, date(2026, 5, 5)),
    }
    assert by_start[_at(date(2026, 3, 31), 18)]["end"] == _at(date(2026, 3, 31), 20)
    assert by_start[_at(date(2026, 4, 28), 17, 30)]["end"] == _at(date(2026, 4, 28), 20)
    assert by_start[_at(date(2026, 5, 5), 17, 30)]["end"] == _at(date(2026, 5, 5), 21)


@pytest.mark.shared
@pytest.mark.django_db
def test_a_change_before_the_first_date_stays_one_vevent(
    client: Client, world, tmp_path: Path
) -> None:
    series = _weekly(world, start_date=date(2026, 4, 7))
    _change(world, series, date(2026, 3, 20), start_time=time(17, 30))
    body, by_start = _check(client, world, series, tmp_path)
    assert set(_masters(body)) == {_uid(series)}
    assert by_start[_at(date(2026, 4, 7), 17, 30)]["end"] == _at(date(2026, 4, 7), 20)


@pytest.mark.shared
@pytest.mark.django_db
@pytest.mark.parametrize("moved_day", [date(2026, 3, 31), date(2026, 4, 21)])
def test_a_change_after_a_moved_date_keeps_the_move(
    client: Client, world, tmp_path: Path, moved_day: date
) -> None:
    from zoneinfo import ZoneInfo

    series = _weekly(world)
    berlin = ZoneInfo("Europe/Berlin")
    row = series.occurrences.get(original_start=datetime.combine(moved_day, time(18), berlin))
    services.occurrence_move(
        user=world["staff"],
        occurrence=row,
        starts_at=datetime.combine(moved_day, time(10), berlin),
        ends_at=datetime.combine(moved_day, time(11), berlin),
    )
    _change(world, series, date(2026, 4, 7), start_time=time(17, 30))
    body, by_start = _check(client, world, series, tmp_path)
    moved = by_start[_at(moved_day, 10)]
    assert moved["end"] == _at(moved_day, 11)
    part = _uid(series) if moved_day < date(2026, 4, 7) else _uid(series, date(2026, 4, 7))
    assert moved["uid"] == part  # an override of its own rule's VEVENT
    assert b"RECURRENCE-ID" in body


@pytest.mark.shared
@pytest.mark.django_db
def test_a_change_from_an_earlier_date_replaces_the_later_part(
    client: Client, world, tmp_path: Path
) -> None:
    series = _weekly(world)
    _change(world, series, date(2026, 5, 5), start_time=time(17, 30))
    _change(world, series, date(2026, 4, 7), weekdays=(3,), start_date=date(2026, 2, 3))
    assert list(series.earlier_rules.values_list("ends_before", flat=True)) == [date(2026, 4, 7)]
    body, by_start = _check(client, world, series, tmp_path)
    rules = {uid for uid, event in _masters(body).items() if "RRULE" in event}
    assert rules == {_uid(series), _uid(series, date(2026, 4, 7))}
    # The Tuesdays from then on are cancelled dates of their own, not dates of a rule.
    assert by_start[_at(date(2026, 5, 5), 17, 30)]["status"] == "CANCELLED"
    assert by_start[_at(date(2026, 3, 31), 18)]["end"] == _at(date(2026, 3, 31), 20)
    assert by_start[_at(date(2026, 5, 7), 17, 30)]["uid"] == _uid(series, date(2026, 4, 7))
