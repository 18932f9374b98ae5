"""Every feed a calendars test renders is written both ways: the text writer's VEVENTs
(calendars.ical.fast) must be the bytes, keys and fingerprints of icalendar's (the reference)."""

from collections.abc import Iterator
from datetime import datetime

import icalendar
import pytest

from calendars import assemble
from calendars.ical import SeriesData, fingerprints, series_specs, to_bytes, to_event
from calendars.ical.fast import TextEvent


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
