"""Reading a feed's series and rows (calendars.selectors): series by series, in the order asked,
each with exactly its own shown rows, locations included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bookings.models import Occurrence, OccurrenceState, Series, SeriesStatus
from calendars.selectors import center_feed, feed_series, feed_window, iter_feed_series
from tests.groups.factories import store_dates

TODAY = date(2026, 11, 2)


def _weekly(group, room, weekday: int, hour: int) -> Series:
    series = Series.objects.create(
        group=group,
        room=room,
        status=SeriesStatus.CONFIRMED,
        frequency="weekly",
        weekdays=[weekday],
        start_date=TODAY,
        start_time=time(hour),
        end_time=time(hour + 1, 30),
        until=TODAY + timedelta(days=70),
    )
    store_dates(series)
    return series


@pytest.fixture
def two_series(make_center, make_room, make_group):
    center = make_center(slug="brunnenplatz")
    hall, cafe = make_room(center=center, name="Saal"), make_room(center=center, name="Café")
    first = _weekly(make_group(center=center, slug="chor"), hall, 0, 17)
    second = _weekly(make_group(center=center, slug="kochen"), cafe, 2, 10)
    return center, first, second


def _starts(series: Series) -> list[datetime]:
    return sorted(
        row.original_start.astimezone(UTC) for row in Occurrence.objects.filter(series=series)
    )


def test_feed_series_keeps_the_order_asked_and_each_series_gets_its_own_rows(two_series):
    center, first, second = two_series
    spec = center_feed(center.slug)
    window = feed_window(TODAY, center.tz)

    data = feed_series(spec, window, series=[second, first])

    assert [item.uid.split("@")[0] for item in data] == [
        f"series-{second.pk}",
        f"series-{first.pk}",
    ]
    assert [row.original_start for row in data[0].rows] == _starts(second)
    assert [row.original_start for row in data[1].rows] == _starts(first)
    assert {row.location.split(",")[0] for row in data[0].rows} == {"Café"}


def test_a_date_moved_to_a_room_of_another_center_keeps_its_location(
    two_series, make_center, make_room
):
    center, first, _second = two_series
    elsewhere = make_room(center=make_center(slug="herten", name="Haus Herten"), name="Aula")
    moved = Occurrence.objects.filter(series=first).order_by("starts_at").first()
    moved.room = elsewhere
    moved.save()
    spec = center_feed(center.slug)

    (data,) = feed_series(spec, feed_window(TODAY, center.tz), series=[first])

    locations = {row.id: row.location for row in data.rows}
    assert locations[moved.pk].startswith("Aula, Haus Herten")
    assert len(data.rows) == len(_starts(first))


def test_series_without_shown_rows_are_handed_on_empty(two_series):
    center, first, second = two_series
    Occurrence.objects.filter(series=first).update(state=OccurrenceState.DECLINED)
    spec = center_feed(center.slug)

    found = list(iter_feed_series(spec, feed_window(TODAY, center.tz), [first, second]))

    assert [len(item.rows) for item in found] == [0, len(_starts(second))]
