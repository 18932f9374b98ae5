"""Calendar feeds through the real views: content checked by four independent parsers against
the database, HTTP caching semantics, visibility and private tokens."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from accounts.models import FeedToken
from accounts.tokens import feed_token_create, feed_token_revoke, feed_token_rotate
from bookings import services
from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from bookings.recurrence import expand
from bookings.services.transitions import touch
from calendars.selectors import feed_window
from centers.models import Center, Room
from groups.models import Group
from tests.calendars.icalcheck import icalcheck as run_icalcheck
from tests.eager import run_task

NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)
BERLIN_TZ = "Europe/Berlin"
GOLDEN = Path(__file__).parent / "golden"
LONG_DESCRIPTION = (
    "Wir singen Volkslieder, Pop & Gospel; jede Stimme ist willkommen – "
    "auch ohne Noten\\Vorkenntnisse.\nBitte bequeme Kleidung mitbringen, danke! "
) * 25


@pytest.fixture(autouse=True)
def _frozen_clock_and_cache() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@dataclass
class Scenario:
    center: Center
    hall: Room
    cafe: Room
    group: Group
    internal: Group
    weekly: Series
    monthly: Series
    counted: Series
    once: Series
    internal_series: Series
    pending: Series
    leader: Any
    staff: Any


def _series(group: Group, room: Room, *, status: str = SeriesStatus.CONFIRMED, **rule: Any):
    fields = {"frequency": "weekly", "start_time": time(18), "end_time": time(19, 30)}
    fields.update(rule)
    return Series.objects.create(group=group, room=room, status=status, **fields)


def _materialise(series: Series, *, through: date | None = None, state: str = "confirmed"):

    tz = series.group.center.tz
    slots = expand(series.rule, tz, through=through)
    Occurrence.objects.bulk_create(
        Occurrence(
            series=series,
            room=series.room,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            original_start=slot.original_start,
            state=state,
        )
        for slot in slots
    )


def _row(series: Series, day: date) -> Occurrence:
    tz = series.group.center.tz
    start = datetime.combine(day, series.start_time, tzinfo=tz)
    return Occurrence.objects.get(series=series, original_start=start)


@pytest.fixture
def scenario(make_center, make_room, make_group, make_user) -> Scenario:
    leader, staff = make_user(first_name="Jürgen", last_name="Kühn"), make_user()
    center = make_center(name="Haus der Kulturen; Herten, Süd", slug="hdk", time_zone=BERLIN_TZ)
    center.staff.add(staff)
    hall = make_room(center=center, name="Saal 1, Erdgeschoss")
    cafe = make_room(center=center, name="Café; Küche")
    group = make_group(
        center=center,
        name="Chor „Stimmen, Töne; mehr“",
        slug="chor",
        description=LONG_DESCRIPTION,
        languages=["de", "ar"],
        contact_name="Özlem Şahin",
        contact_email="chor@example.org",
        free_of_charge=False,
        fee="3 €, ermäßigt 1 €; Kinder frei",
        leaders=[leader],
    )
    internal = make_group(center=center, name="Team-Besprechung", slug="team", is_public=False)

    # Tuesdays and Thursdays across the spring DST change (29 March 2026).
    weekly = _series(
        group,
        hall,
        weekdays=[1, 3],
        start_date=date(2026, 3, 3),
        until=date(2026, 5, 28),
        extra_dates=["2026-04-25"],
    )
    _materialise(weekly)
    cancelled = _row(weekly, date(2026, 3, 10))
    cancelled.state, cancelled.reason = OccurrenceState.CANCELLED, "Krankheit, leider; sorry"
    cancelled.save()
    later = _row(weekly, date(2026, 3, 31))  # after the DST change, one hour later
    later.starts_at += timedelta(hours=1)
    later.ends_at += timedelta(hours=1)
    later.save()
    elsewhere = _row(weekly, date(2026, 4, 7))
    elsewhere.room = cafe
    elsewhere.save()
    requested = _row(weekly, date(2026, 4, 14))
    requested.state = OccurrenceState.REQUESTED
    requested.save()
    declined = _row(weekly, date(2026, 4, 16))
    declined.state = OccurrenceState.DECLINED
    declined.save()
    _row(weekly, date(2026, 4, 30)).delete()
    holiday = _row(weekly, date(2026, 5, 14))  # Ascension Day
    holiday.state, holiday.reason = OccurrenceState.CANCELLED, "Christi Himmelfahrt"
    holiday.save()

    # Open-ended, first Monday, running since before the window; rows exist until September.
    monthly = _series(
        group,
        hall,
        frequency="monthly",
        monthly_mode="nth_weekday",
        monthly_position=1,
        weekdays=[0],
        start_date=date(2025, 6, 2),
        start_time=time(10),
        end_time=time(12),
        materialised_until=date(2026, 9, 30),
    )
    _materialise(monthly, through=date(2026, 9, 30))
    counted = _series(
        group,
        cafe,
        frequency="daily",
        count=5,
        start_date=date(2026, 3, 20),
        start_time=time(9),
        end_time=time(9, 45),
    )
    _materialise(counted)
    once = _series(
        group,
        cafe,
        frequency="once",
        start_date=date(2026, 6, 6),
        start_time=time(15),
        end_time=time(17),
        title="Sommerfest: Grillen, Musik; Tanz",
    )
    _materialise(once)
    internal_series = _series(
        internal, hall, weekdays=[2], start_date=date(2026, 3, 4), until=date(2026, 4, 29)
    )
    _materialise(internal_series)
    pending = _series(
        group,
        cafe,
        status=SeriesStatus.PENDING,
        weekdays=[4],
        start_date=date(2026, 3, 6),
        until=date(2026, 4, 24),
        title="Neue Probe",
    )
    _materialise(pending, state=OccurrenceState.REQUESTED)
    return Scenario(
        center,
        hall,
        cafe,
        group,
        internal,
        weekly,
        monthly,
        counted,
        once,
        internal_series,
        pending,
        leader,
        staff,
    )


def engine_wrote(*series: Series) -> None:
    """What every booking service does in its transaction: a direct write here stands in for
    one, so it raises the series' versions and the centers' plan version as the service would
    (bookings.services.transitions.touch)."""
    touch([item.pk for item in series], user=None)


def fetch(client: Client, url: str, **headers: str):
    return client.get(url, headers=headers)


def window() -> tuple[datetime, datetime]:
    from zoneinfo import ZoneInfo

    return feed_window(NOW.astimezone(ZoneInfo(BERLIN_TZ)).date(), ZoneInfo(BERLIN_TZ))


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def database_dates(rows, states) -> set[tuple[str, str, str]]:
    return {
        (utc(r.starts_at), utc(r.ends_at), f"series-{r.series_id}@127.0.0.1")
        for r in rows
        if r.state in states
    }


# --- the four parsers ---------------------------------------------------------------------------


def icalcheck(body: bytes, tmp_path: Path) -> tuple[str, list[dict[str, Any]]]:
    return run_icalcheck(body, tmp_path, window())


def as_keys(occurrences, statuses) -> set[tuple[str, str, str]]:
    return {(o["start"], o["end"], o["uid"]) for o in occurrences if o["status"] in statuses}


@pytest.mark.shared
@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["group", "center", "room"])
def test_public_feeds_read_the_same_in_every_parser_and_match_the_database(
    client: Client, scenario: Scenario, tmp_path: Path, kind: str
) -> None:
    url = {
        "group": "/feeds/group/chor.ics",
        "center": "/feeds/center/hdk.ics",
        "room": f"/feeds/room/{scenario.hall.pk}.ics",
    }[kind]
    response = fetch(client, url)
    assert response.status_code == 200
    _, occurrences = icalcheck(response.content, tmp_path)

    start, end = window()
    rows = Occurrence.objects.filter(
        series__group__is_public=True,
        series__status__in=[SeriesStatus.CONFIRMED, SeriesStatus.PARTLY_CONFIRMED],
        original_start__gte=start,
        original_start__lt=end,
    )
    if kind == "room":
        rows = rows.filter(room=scenario.hall)
    assert as_keys(occurrences, {"CONFIRMED"}) == database_dates(rows, {"confirmed"})
    assert as_keys(occurrences, {"CANCELLED"}) == database_dates(rows, {"cancelled"})
    assert len(as_keys(occurrences, {"CANCELLED"})) == 2
    # Nothing the public must not see, in any form.
    assert not as_keys(occurrences, {"TENTATIVE"})
    assert b"Team-Besprechung" not in response.content
    assert b"Neue Probe" not in response.content
    summaries = {o["summary"] for o in occurrences}
    assert f"entfällt: {scenario.group.name}" in summaries  # feeds are German by default
    if kind != "room":
        moved_room = next(o for o in occurrences if o["start"] == "2026-04-07T16:00:00Z")
        assert moved_room["location"].startswith("Café; Küche, Haus der Kulturen; Herten, Süd")
        holiday = next(o for o in occurrences if o["start"] == "2026-05-14T16:00:00Z")
        assert holiday["status"] == "CANCELLED" and "Christi Himmelfahrt" in holiday["description"]
    assert "2026-03-31T17:00:00Z" in {o["start"] for o in occurrences}  # moved by an hour, CEST
    assert "2026-03-05T17:00:00Z" in {o["start"] for o in occurrences}  # before DST, CET


@pytest.mark.shared
@pytest.mark.django_db
@pytest.mark.parametrize("kind", [FeedToken.Kind.STAFF, FeedToken.Kind.LEADER])
def test_private_feeds_add_requested_dates_as_tentative(
    client: Client, scenario: Scenario, tmp_path: Path, kind: str
) -> None:
    user = scenario.staff if kind == FeedToken.Kind.STAFF else scenario.leader
    center = scenario.center if kind == FeedToken.Kind.STAFF else None
    _, token = feed_token_create(user=user, kind=kind, center=center)
    response = fetch(client, f"/feeds/private/{token}.ics")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    _, occurrences = icalcheck(response.content, tmp_path)

    start, end = window()
    series = Series.objects.filter(group__center=scenario.center)
    if kind == FeedToken.Kind.LEADER:
        series = series.filter(group__leaders=scenario.leader)
    rows = Occurrence.objects.filter(
        series__in=series, original_start__gte=start, original_start__lt=end
    )
    assert as_keys(occurrences, {"CONFIRMED"}) == database_dates(rows, {"confirmed"})
    assert as_keys(occurrences, {"TENTATIVE"}) == database_dates(rows, {"requested"})
    assert as_keys(occurrences, {"CANCELLED"}) == database_dates(rows, {"cancelled"})
    assert len(as_keys(occurrences, {"TENTATIVE"})) == 9  # the pending series and 14 April
    internal_shown = b"Team-Besprechung" in response.content
    assert internal_shown == (kind == FeedToken.Kind.STAFF)


# --- HTTP -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_feed_headers(client: Client, scenario: Scenario) -> None:
    response = fetch(client, "/feeds/group/chor.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert response["Last-Modified"] == format_datetime(NOW, usegmt=True)
    assert response["Content-Disposition"] == 'inline; filename="chor.ics"'
    assert response["Cache-Control"] == "public, max-age=900"
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\r\nMETHOD:" not in body
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT6H\r\n" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


@pytest.mark.django_db
def test_renders_without_a_change_are_byte_identical(client: Client, scenario: Scenario) -> None:
    first = fetch(client, "/feeds/center/hdk.ics")
    cache.clear()  # a cold render, not the cached bytes
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        second = fetch(client, "/feeds/center/hdk.ics")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


@pytest.mark.django_db
def test_conditional_requests(client: Client, scenario: Scenario) -> None:
    first = fetch(client, "/feeds/group/chor.ics")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = fetch(client, "/feeds/group/chor.ics", if_none_match=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert fetch(client, "/feeds/group/chor.ics", if_modified_since=modified).status_code == 304
    assert fetch(client, "/feeds/group/chor.ics", if_none_match='"other"').status_code == 200

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        row = _row(scenario.weekly, date(2026, 3, 19))
        row.reason, row.state = "Raum gesperrt", OccurrenceState.CANCELLED
        row.save()
        engine_wrote(scenario.weekly)
        changed = fetch(client, "/feeds/group/chor.ics", if_none_match=etag)
        assert changed.status_code == 200 and changed["ETag"] != etag
        by_date = fetch(client, "/feeds/group/chor.ics", if_modified_since=modified)
        assert by_date.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["series", "occurrence"])
def test_a_deletion_never_gives_a_stale_304(client: Client, scenario: Scenario, what: str) -> None:
    # The newest change is then deleted, so max(updated_at) goes *down*.
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        scenario.once.title = "Sommerfest"
        scenario.once.save()
        Occurrence.objects.filter(series=scenario.once).update(
            updated_at=NOW + timedelta(minutes=1)
        )
        first = fetch(client, "/feeds/group/chor.ics")
    assert b"Sommerfest" in first.content
    if what == "series":
        scenario.once.delete()
    else:
        Occurrence.objects.filter(series=scenario.once).delete()
        engine_wrote(scenario.once)
    for headers in (
        {"if_none_match": first["ETag"]},
        {"if_modified_since": first["Last-Modified"]},
    ):
        response = fetch(client, "/feeds/group/chor.ics", **headers)
        assert response.status_code == 200, headers
        assert b"Sommerfest" not in response.content


def _sequences(body: bytes) -> dict[tuple[str, str], int]:
    cal = icalendar.Calendar.from_ical(body)
    return {
        (str(e["UID"]), e["RECURRENCE-ID"].dt.isoformat() if "RECURRENCE-ID" in e else ""): int(
            e["SEQUENCE"]
        )
        for e in cal.walk("VEVENT")
    }


@pytest.mark.django_db
def test_changing_one_date_raises_the_sequence_of_exactly_that_event(
    client: Client, scenario: Scenario
) -> None:
    before = _sequences(fetch(client, "/feeds/group/chor.ics").content)
    # What the booking service does when it moves one date: the row changes and its
    # sequence goes up; the series and every other date stay as they are.
    row = _row(scenario.weekly, date(2026, 3, 31))
    row.starts_at += timedelta(hours=1)
    row.ends_at += timedelta(hours=1)
    row.sequence += 1
    row.save()
    engine_wrote(scenario.weekly)
    after = _sequences(fetch(client, "/feeds/group/chor.ics").content)
    key = (f"series-{scenario.weekly.pk}@127.0.0.1", "2026-03-31T18:00:00+02:00")
    assert after[key] == before[key] + 1
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }


@pytest.mark.django_db
def test_cancelled_prefix_follows_the_feed_language(client: Client, scenario: Scenario) -> None:
    english = fetch(client, "/feeds/group/chor.ics?lang=en").content.decode()
    assert "SUMMARY:cancelled: Chor „Stimmen\\, Töne\\; mehr“" in english.replace("\r\n ", "")
    german = fetch(client, "/feeds/group/chor.ics").content.decode().replace("\r\n ", "")
    assert "SUMMARY:entfällt: Chor „Stimmen\\, Töne\\; mehr“" in german
    assert "DESCRIPTION:Grund: Christi Himmelfahrt" in german


@pytest.mark.django_db
def test_public_feeds_hide_internal_groups_and_pending_requests(
    client: Client, scenario: Scenario
) -> None:
    assert fetch(client, "/feeds/group/team.ics").status_code == 404
    for url in (
        "/feeds/center/hdk.ics",
        f"/feeds/room/{scenario.hall.pk}.ics",
        f"/feeds/room/{scenario.cafe.pk}.ics",
        "/feeds/group/chor.ics",
    ):
        body = fetch(client, url).content
        assert f"series-{scenario.internal_series.pk}@".encode() not in body
        assert f"series-{scenario.pending.pk}@".encode() not in body
        assert b"TENTATIVE" not in body
    # 14 April is requested: the weekly master excludes it.
    body = fetch(client, "/feeds/group/chor.ics").content
    assert b"EXDATE;TZID=Europe/Berlin:20260414T180000" in body
    assert b"EXDATE;TZID=Europe/Berlin:20260416T180000" in body  # declined
    assert b"EXDATE;TZID=Europe/Berlin:20260430T180000" in body  # no row


@pytest.mark.django_db
def test_unknown_feeds_are_404(client: Client, scenario: Scenario) -> None:
    assert fetch(client, "/feeds/group/nope.ics").status_code == 404
    assert fetch(client, "/feeds/center/nope.ics").status_code == 404
    assert fetch(client, "/feeds/room/999999.ics").status_code == 404


# --- private tokens through the view ------------------------------------------------------------


@pytest.mark.django_db
def test_private_feed_tokens(client: Client, scenario: Scenario) -> None:
    row, token = feed_token_create(user=scenario.leader, kind=FeedToken.Kind.LEADER)
    assert fetch(client, f"/feeds/private/{token}.ics").status_code == 200
    assert fetch(client, f"/feeds/private/{token[:-1]}x.ics").status_code == 404
    assert fetch(client, "/feeds/private/wrong.ics").status_code == 404

    new_row, new_token = feed_token_rotate(feed_token=row)
    assert fetch(client, f"/feeds/private/{token}.ics").status_code == 404
    assert fetch(client, f"/feeds/private/{new_token}.ics").status_code == 200

    feed_token_revoke(feed_token=new_row)
    assert fetch(client, f"/feeds/private/{new_token}.ics").status_code == 404

    _, expiring = feed_token_create(
        user=scenario.leader, kind=FeedToken.Kind.LEADER, expires_at=NOW + timedelta(days=1)
    )
    assert fetch(client, f"/feeds/private/{expiring}.ics").status_code == 200
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert fetch(client, f"/feeds/private/{expiring}.ics").status_code == 404


@pytest.mark.django_db
def test_staff_feed_stops_when_the_person_leaves_the_staff(
    client: Client, scenario: Scenario
) -> None:
    _, token = feed_token_create(
        user=scenario.staff, kind=FeedToken.Kind.STAFF, center=scenario.center
    )
    assert fetch(client, f"/feeds/private/{token}.ics").status_code == 200
    scenario.center.staff.remove(scenario.staff)
    assert fetch(client, f"/feeds/private/{token}.ics").status_code == 404


# --- one date -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_date_download(client: Client, scenario: Scenario) -> None:
    row = _row(scenario.weekly, date(2026, 3, 5))
    response = fetch(client, f"/feeds/occurrence/{row.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chor-2026-03-05.ics"'
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert event["UID"] == f"occurrence-{row.pk}@127.0.0.1"
    assert event["DTSTART"].dt == row.starts_at
    assert "RRULE" not in event
    for hidden in (
        _row(scenario.weekly, date(2026, 4, 14)),  # requested
        _row(scenario.weekly, date(2026, 3, 10)),  # cancelled
        Occurrence.objects.filter(series=scenario.internal_series).first(),
        Occurrence.objects.filter(series=scenario.pending).first(),
    ):
        assert fetch(client, f"/feeds/occurrence/{hidden.pk}.ics").status_code == 404


# --- golden file and size -------------------------------------------------------------------------


@pytest.mark.django_db
def test_small_group_feed_matches_the_golden_file(
    client: Client, make_center, make_room, make_group
) -> None:
    center = make_center(name="Treff, Nord", slug="treff-nord")
    room = make_room(center=center, name="Café")
    group = make_group(
        center=center,
        name="Strickkreis; Wollmäuse",
        slug="wollmaeuse",
        description="Stricken, Häkeln und Plaudern.",
    )
    series = _series(
        group,
        room,
        weekdays=[2],
        start_date=date(2026, 3, 4),
        until=date(2026, 4, 8),
        start_time=time(14),
        end_time=time(16),
    )
    _materialise(series)
    row = _row(series, date(2026, 3, 18))
    row.state, row.reason, row.sequence = OccurrenceState.CANCELLED, "Karneval", 1
    row.save()
    moved = _row(series, date(2026, 4, 1))
    moved.starts_at += timedelta(hours=1)
    moved.ends_at += timedelta(hours=1)
    moved.save()
    # Fixed stamps and ids, so the file does not depend on the order tests run in.
    stamp = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    for model in (Series, Occurrence):
        model.objects.filter(
            pk__in=[series.pk] if model is Series else series.occurrences.values("pk")
        ).update(updated_at=stamp)
    for obj in (group, center, room):
        type(obj).objects.filter(pk=obj.pk).update(updated_at=stamp)
    body = fetch(client, "/feeds/group/wollmaeuse.ics?lang=en").content
    body = body.replace(f"series-{series.pk}@".encode(), b"series-1@")
    golden = GOLDEN / "small_group.ics"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(body)
    assert body == golden.read_bytes()


@pytest.mark.django_db
def test_center_feed_with_400_series_stays_under_one_megabyte(
    client: Client, make_center, make_room, make_group
) -> None:
    from centers.holidays import public_holidays

    center = make_center(slug="gross")
    rooms = [make_room(center=center) for _ in range(8)]
    groups = [make_group(center=center, description=LONG_DESCRIPTION[:400]) for _ in range(40)]
    holidays = public_holidays("NW", date(2025, 12, 1), date(2027, 4, 1))
    all_series = [
        _series(
            groups[n % 40],
            rooms[n % 8],
            weekdays=[n % 7],
            start_date=date(2025, 9, 1) + timedelta(days=n % 7),
            until=date(2027, 3, 1),
            start_time=time(8 + n % 12),
            end_time=time(9 + n % 12),
        )
        for n in range(400)
    ]
    for series in all_series:
        _materialise(series)
    # Every public holiday is a cancelled date; every tenth series has a date moved by an hour.
    tz = center.tz
    rows = Occurrence.objects.filter(series__group__center=center)
    for row in rows.only("original_start"):
        day = row.original_start.astimezone(tz).date()
        if day in holidays:
            rows.filter(pk=row.pk).update(state=OccurrenceState.CANCELLED, reason=holidays[day])
    for series in all_series[::10]:
        row = series.occurrences.filter(starts_at__gte=NOW).first()
        rows.filter(pk=row.pk).update(
            starts_at=row.starts_at + timedelta(hours=1), ends_at=row.ends_at + timedelta(hours=1)
        )
    response = fetch(client, "/feeds/center/gross.ics")
    assert response.status_code == 200
    assert len(response.content) < 1_000_000, len(response.content)
    cal = icalendar.Calendar.from_ical(response.content)
    assert len([e for e in cal.walk("VEVENT") if "RRULE" in e]) == 400


@pytest.mark.django_db
def test_subscribe_include_offers_webcal_https_and_google_links(scenario: Scenario) -> None:
    from django.template import Context, Template

    html = Template(
        "{% load feeds %}{% group_feed_url group as feed_url %}"
        '{% include "calendars/_subscribe.html" with feed_url=feed_url label=group.name %}'
        "|{% occurrence_ics_url row %}"
    ).render(Context({"group": scenario.group, "row": _row(scenario.weekly, date(2026, 3, 5))}))
    assert 'href="webcal://127.0.0.1:8000/feeds/group/chor.ics"' in html
    assert 'value="http://127.0.0.1:8000/feeds/group/chor.ics"' in html
    assert (
        "https://calendar.google.com/calendar/render?cid="
        "webcal%3A%2F%2F127.0.0.1%3A8000%2Ffeeds%2Fgroup%2Fchor.ics" in html
    )
    assert html.endswith(f"|/feeds/occurrence/{_row(scenario.weekly, date(2026, 3, 5)).pk}.ics")


@pytest.mark.django_db
def test_feed_name_follows_the_feed_language_not_the_browser(
    client: Client, scenario: Scenario
) -> None:
    # A German browser fetches the English feed first: its name must still be English.
    english = fetch(client, "/feeds/center/hdk.ics?lang=en", accept_language="de")
    german = fetch(client, "/feeds/center/hdk.ics", accept_language="en")
    english_lines = english.content.decode().replace("\r\n ", "").split("\r\n")
    german_lines = german.content.decode().replace("\r\n ", "").split("\r\n")
    assert "NAME:Program of Haus der Kulturen\\; Herten\\, Süd" in english_lines
    assert "NAME:Programm – Haus der Kulturen\\; Herten\\, Süd" in german_lines


@pytest.mark.django_db
def test_warming_renders_changed_public_feeds_once_and_serves_the_same_bytes(
    client: Client, scenario: Scenario, django_assert_max_num_queries: Any, tmp_path: Path
) -> None:
    from django.test import override_settings

    from calendars.tasks import feeds_warm

    # A per-process cache (the embedded default) is never warmed: the web server cannot see it.
    assert run_task(feeds_warm) == 0
    shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}}
    shared["default"]["LOCATION"] = str(tmp_path / "cache")
    with override_settings(CACHES=shared):
        _warming_in_a_shared_cache(client, scenario, django_assert_max_num_queries)


def _warming_in_a_shared_cache(client: Client, scenario: Scenario, max_queries: Any) -> None:
    from calendars.cache import warm_public_feeds
    from calendars.tasks import feeds_warm

    public_feeds = 1 + 1 + 2  # the center, its one public group, its two rooms
    assert run_task(feeds_warm) == public_feeds * 2  # German and English
    assert run_task(feeds_warm) == 0  # nothing changed: nothing rendered again
    # A poll right after the warming is a cache hit: only the feed's version is read.
    with max_queries(8):
        warm = fetch(client, "/feeds/group/chor.ics")
    cache.clear()
    assert fetch(client, "/feeds/group/chor.ics").content == warm.content
    # Staff cancel one date: the feeds that show its series are rendered again — the center,
    # the group and both rooms (one of the series' dates was moved to the café) — once.
    date_row = scenario.weekly.occurrences.filter(starts_at__gte=NOW).first()
    services.occurrence_cancel(user=scenario.staff, occurrence=date_row, reason="Probe fällt aus")
    assert warm_public_feeds() == public_feeds * 2
    assert warm_public_feeds() == 0
    with max_queries(8):
        assert "Probe fällt aus" in fetch(client, "/feeds/group/chor.ics").content.decode()
