"""RFC 5545 SEQUENCE in the feeds: it grows with every change of DTSTART, DTEND, RRULE,
EXDATE/RDATE, STATUS or LOCATION of that calendar object, never goes down, and an unchanged
object keeps its bytes (issue 12, item 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from accounts.models import FeedToken
from accounts.tokens import feed_token_create
from bookings import services
from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from tests.groups.factories import store_dates

NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _frozen_clock_and_cache() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def world(make_center, make_room, make_group, make_user) -> dict[str, Any]:
    staff, leader = make_user(), make_user()
    center = make_center(slug="hdk", time_zone="Europe/Berlin")
    center.staff.add(staff)
    hall = make_room(center=center, name="Saal")
    cafe = make_room(center=center, name="Café")
    group = make_group(center=center, name="Chor", slug="chor", leaders=[leader])
    series = Series.objects.create(
        group=group,
        room=hall,
        status=SeriesStatus.CONFIRMED,
        frequency="weekly",
        weekdays=[1],
        start_date=date(2026, 2, 3),
        until=date(2026, 6, 30),
        start_time=time(18),
        end_time=time(20),
    )
    store_dates(series)
    return {
        "center": center,
        "hall": hall,
        "cafe": cafe,
        "staff": staff,
        "leader": leader,
        "series": series,
    }


def _events(body: bytes) -> dict[tuple[str, str], icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {
        (str(e["UID"]), e["RECURRENCE-ID"].to_ical().decode() if "RECURRENCE-ID" in e else ""): e
        for e in cal.walk("VEVENT")
    }


def _sequences(body: bytes) -> dict[tuple[str, str], int]:
    return {key: int(event["SEQUENCE"]) for key, event in _events(body).items()}


def _row(series: Series, day: date) -> Occurrence:
    return series.occurrences.get(original_start=datetime.combine(day, time(18), BERLIN))


def _master(series: Series, suffix: str = "") -> tuple[str, str]:
    return (f"series-{series.pk}{suffix}@127.0.0.1", "")


@pytest.mark.django_db
def test_moving_a_date_to_another_room_raises_the_room_feeds_master_only(
    client: Client, world
) -> None:
    series = world["series"]
    room_feed, group_feed = f"/feeds/room/{world['hall'].pk}.ics", "/feeds/group/chor.ics"
    room_before, group_before = client.get(room_feed).content, client.get(group_feed).content
    services.occurrence_move(
        user=world["staff"], occurrence=_row(series, date(2026, 4, 14)), room=world["cafe"]
    )
    room_after, group_after = client.get(room_feed).content, client.get(group_feed).content
    assert b"EXDATE;TZID=Europe/Berlin:20260414T180000" in room_after
    assert _sequences(room_after)[_master(series)] == _sequences(room_before)[_master(series)] + 1
    # In the group's feed the date is an override; its master did not change, nor its bytes.
    before, after = _events(group_before), _events(group_after)
    assert after[_master(series)].to_ical() == before[_master(series)].to_ical()


@pytest.mark.django_db
def test_confirming_retimed_dates_raises_the_sequence(client: Client, world) -> None:
    series = world["series"]
    world["hall"].requires_approval = True
    world["hall"].save()
    _, token = feed_token_create(
        user=world["staff"], kind=FeedToken.Kind.STAFF, center=world["center"]
    )
    staff_feed, public_feed = f"/feeds/private/{token}.ics", "/feeds/group/chor.ics"
    services.series_update(
        user=world["leader"],
        series=series,
        from_date=date(2026, 4, 7),
        rule=series.rule.with_changes(start_time=time(17, 30)),
    )
    later = _master(series, "-from-20260407")
    waiting = list(series.occurrences.filter(state=OccurrenceState.REQUESTED).order_by("starts_at"))
    assert waiting
    tentative = client.get(staff_feed).content
    assert _events(tentative)[later]["STATUS"] == "TENTATIVE"
    services.occurrences_confirm(user=world["staff"], occurrences=waiting[:3])
    public_first = client.get(public_feed).content
    services.occurrences_confirm(user=world["staff"], occurrences=waiting[3:])
    confirmed = client.get(staff_feed).content
    assert _events(confirmed)[later]["STATUS"] == "CONFIRMED"
    assert _sequences(confirmed)[later] > _sequences(tentative)[later]
    # In the public feed the later part's UNTIL moved out with the other confirmations.
    public_all = client.get(public_feed).content
    assert _events(public_all)[later]["RRULE"] != _events(public_first)[later]["RRULE"]
    assert _sequences(public_all)[later] > _sequences(public_first)[later]


@pytest.mark.django_db
def test_rendering_twice_unchanged_keeps_sequence_and_bytes(client: Client, world) -> None:
    first = client.get("/feeds/group/chor.ics").content
    cache.clear()  # a cold render
    second = client.get("/feeds/group/chor.ics").content
    assert first == second


@pytest.mark.django_db
def test_sequence_never_goes_down_when_a_change_is_undone(client: Client, world) -> None:
    series = world["series"]
    feed = f"/feeds/room/{world['hall'].pk}.ics"
    seen = [_sequences(client.get(feed).content)[_master(series)]]
    row = _row(series, date(2026, 4, 14))
    services.occurrence_move(user=world["staff"], occurrence=row, room=world["cafe"])
    seen.append(_sequences(client.get(feed).content)[_master(series)])
    row.refresh_from_db()
    services.occurrence_move(user=world["staff"], occurrence=row, room=world["hall"])
    seen.append(_sequences(client.get(feed).content)[_master(series)])
    assert seen[0] < seen[1] < seen[2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_renders_count_a_change_once() -> None:
    import threading

    from django.db import connection

    from calendars.services import feed_objects_record

    key = ("series-1@example.org", "")
    assert feed_objects_record(feed="group:1", objects={key: ("before", 0)}) == {key: 0}
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[int] = []

    def render() -> None:
        try:
            barrier.wait()
            found = feed_objects_record(feed="group:1", objects={key: ("after", 0)})
            results.append(found[key])
        finally:
            connection.close()

    threads = [threading.Thread(target=render) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [1] * workers
