"""Every feed a calendars test renders is written both ways: the text writer's VEVENTs
(calendars.ical.fast) must be the bytes, keys and fingerprints of icalendar's (the reference).
`make_chor` makes the choir of center "hdk" with one confirmed weekly series."""

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any

import icalendar
import pytest

from bookings.models import Series, SeriesStatus
from calendars import assemble
from calendars.ical import SeriesData, fingerprints, series_specs, to_bytes, to_event
from calendars.ical.fast import TextEvent
from tests.groups.factories import store_dates


def assert_same_as_reference(item: SeriesData, window: tuple[datetime, datetime]) -> None:
    from calendars.ical.fast import write

    for spec in series_specs(item, window):
        fast = write(spec)
        event = to_event(spec)
        holder = icalendar.Calendar()
        holder.add_component(event)
        [(key, (fingerprint, sequence))] = fingerprints(holder).items()
        assert fast.to_bytes().decode() == to_bytes(event).decode()
        assert (fast.key, fast.fingerprint, fast.sequence) == (key, fingerprint, sequence)


@pytest.fixture(autouse=True)
def _text_writer_checked_against_icalendar(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    written = assemble.series_text

    def checked(item: SeriesData, window: tuple[datetime, datetime]) -> list[TextEvent]:
        assert_same_as_reference(item, window)
        return written(item, window)

    monkeypatch.setattr(assemble, "series_text", checked)
    yield


@pytest.fixture
def make_chor(make_center, make_room, make_group) -> Callable[..., Any]:
    """The group "Chor" (slug chor) of center "hdk" with a confirmed weekly series from
    `start_date` to `until` on `weekdays`, 18:00–20:00, every date stored."""

    def make(*, weekdays: list[int], start_date: date, until: date, **center: Any) -> Any:
        place = make_center(slug="hdk", **center)
        room = make_room(center=place)
        group = make_group(center=place, name="Chor", slug="chor")
        series = Series.objects.create(
            group=group,
            room=room,
            status=SeriesStatus.CONFIRMED,
            frequency="weekly",
            weekdays=weekdays,
            start_date=start_date,
            until=until,
            start_time=time(18),
            end_time=time(20),
        )
        store_dates(series)
        return group

    return make
