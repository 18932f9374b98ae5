"""Cheap feed requests: gzip compressed once, 304 from the ETag alone, a window stable for a
month (issue 12, item 3)."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from bookings.models import Occurrence, OccurrenceState, Series
from bookings.recurrence import expand
from calendars import cache as feed_cache
from calendars.selectors import feed_window

NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)
FEED = "/feeds/group/chor.ics"


@pytest.fixture(autouse=True)
def _frozen_clock_and_cache() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def group(make_chor) -> Any:
    return make_chor(
        weekdays=[1, 3],
        start_date=date(2026, 1, 6),
        until=date(2026, 12, 22),
        time_zone="Europe/Berlin",
    )


@pytest.mark.django_db
def test_feeds_are_gzipped_once_when_the_client_accepts_it(
    client: Client, group, monkeypatch
) -> None:
    calls = []
    real = feed_cache.compress
    monkeypatch.setattr(feed_cache, "compress", lambda body: calls.append(1) or real(body))
    plain = client.get(FEED)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get(FEED, headers={"accept-encoding": "gzip, deflate, br"})
    again = client.get(FEED, headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    assert again.content == packed.content and calls == [1]  # compressed when rendered only
    assert packed["ETag"] != plain["ETag"]  # another representation, another strong ETag
    not_modified = client.get(
        FEED, headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]}
    )
    assert not_modified.status_code == 304 and not_modified["ETag"] == packed["ETag"]


@pytest.mark.django_db
def test_a_conditional_request_never_reads_a_body_from_the_cache(
    client: Client, group, monkeypatch
) -> None:
    etag = client.get(FEED)["ETag"]
    read = []
    real_get = feed_cache.cache.get
    monkeypatch.setattr(
        feed_cache.cache, "get", lambda key, *a, **k: read.append(key) or real_get(key, *a, **k)
    )
    response = client.get(FEED, headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag and response["Content-Language"] == "de"
    assert read and not [key for key in read if key.startswith("feeds:body:")]


@pytest.mark.django_db
def test_a_worker_answers_the_next_conditional_request_without_the_cache(
    client: Client, group, monkeypatch
) -> None:
    etag = client.get(FEED)["ETag"]
    assert client.get(FEED, headers={"if-none-match": etag}).status_code == 304
    read = []
    real_get = feed_cache.cache.get
    monkeypatch.setattr(
        feed_cache.cache, "get", lambda key, *a, **k: read.append(key) or real_get(key, *a, **k)
    )
    response = client.get(FEED, headers={"if-none-match": etag})
    assert response.status_code == 304 and response["ETag"] == etag
    assert read == []
    # A change is a new version: its head is not known yet, and the old ETag gets the new feed.
    series = Series.objects.get(group=group)
    series.title = "Neuer Titel"
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        series.save()  # raises the center's plan version in the same transaction
        changed = client.get(FEED, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.django_db
def test_the_feed_window_and_its_bytes_stay_the_same_for_a_month(client: Client, group) -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    first = feed_window(date(2026, 3, 1), berlin)
    assert feed_window(date(2026, 3, 31), berlin) == first
    assert first[0] <= datetime(2025, 12, 15, tzinfo=UTC)  # at least three months back
    assert first[1] >= datetime(2027, 4, 1, tzinfo=UTC) - timedelta(hours=2)  # 12 ahead
    body = client.get(FEED).content
    for days in (1, 9):
        with time_machine.travel(NOW + timedelta(days=days), tick=False):
            cache.clear()
            assert client.get(FEED).content == body


@pytest.mark.django_db
def test_has_anything_changed_reads_no_dates(client: Client, group) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bookings import services

    etag = client.get(FEED)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FEED, headers={"if-none-match": etag}).status_code == 304
    assert len(queries) <= 4
    assert not [q for q in queries if "bookings_occurrence" in q["sql"]]
    # A change through the engine raises the plan version in its transaction: a new body.
    staff = group.center.staff.create(username="staff", email="staff@example.org")
    row = Occurrence.objects.filter(series__group=group, starts_at__gte=NOW).first()
    services.occurrence_cancel(user=staff, occurrence=row, reason="Probe fällt aus")
    changed = client.get(FEED, headers={"if-none-match": etag})
    assert changed.status_code == 200 and "Probe fällt aus" in changed.content.decode()


@pytest.mark.django_db
def test_after_one_change_only_that_series_is_rendered_again(
    client: Client, group, monkeypatch
) -> None:
    from bookings import services
    from calendars import assemble

    other = Series.objects.get(group=group)
    other.pk = None
    other.save()  # a second series of the group, with no dates of its own yet
    Occurrence.objects.bulk_create(
        Occurrence(
            series=other,
            room=other.room,
            starts_at=s.starts_at.replace(hour=8),
            ends_at=s.ends_at.replace(hour=9),
            original_start=s.original_start.replace(hour=8),
            state=OccurrenceState.CONFIRMED,
        )
        for s in expand(other.rule, group.center.tz)
    )
    rendered = []
    real = assemble.series_text
    monkeypatch.setattr(
        assemble,
        "series_text",
        lambda data, window: rendered.append(data.uid) or real(data, window),
    )
    first = client.get("/feeds/center/hdk.ics").content
    assert len(rendered) == 2
    rendered.clear()
    staff = group.center.staff.create(username="staff", email="staff@example.org")
    row = other.occurrences.filter(starts_at__gte=NOW).first()
    services.occurrence_cancel(user=staff, occurrence=row, reason="Probe fällt aus")
    second = client.get("/feeds/center/hdk.ics").content
    assert rendered == [f"series-{other.pk}@127.0.0.1"]
    assert second != first and "Probe fällt aus" in second.decode()
    cache.clear()  # a cold render gives the same bytes as the assembled one
    assert client.get("/feeds/center/hdk.ics").content == second
