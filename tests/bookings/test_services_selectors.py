"""Selectors answer with a constant number of queries, however many rows there are."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import selectors, services
from bookings.models import OccurrenceState

from ._engine import (
    rule,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

pytestmark = pytest.mark.django_db


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = fn()
        if hasattr(result, "__iter__"):
            for item in result:
                str(item.series.group.center) if hasattr(item, "series") else str(item.group.center)
                str(item.room)
    return len(captured)


@pytest.mark.parametrize("count", [2, 6])
def test_lists_use_a_constant_number_of_queries(world, count):
    for n in range(count):
        services.booking_request_create(
            user=world.leader,
            group=world.group,
            room=world.kitchen,
            rule=rule(date(2030, 1, 7 + n), frequency="weekly", count=2),
        )
    start, end = (
        datetime(2030, 1, 1, tzinfo=world.center.tz),
        datetime(2030, 3, 1, tzinfo=world.center.tz),
    )
    assert _queries(lambda: list(selectors.series_for_leader(world.leader))) == 1
    assert (
        _queries(lambda: selectors.occurrences_in_range(center=world.center, start=start, end=end))
        == 1
    )
    assert _queries(lambda: selectors.upcoming_for_group(world.group)) == 1
    assert (
        len(selectors.occurrences_in_range(rooms=[world.kitchen], start=start, end=end))
        == 2 * count
    )


def test_pending_series_lists_only_series_waiting_for_staff(world):
    world.kitchen.requires_approval = True
    world.kitchen.save(update_fields=["requires_approval"])
    waiting = services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 1, 8))
    )
    services.booking_request_create(
        user=world.leader, group=world.group, room=world.half_a, rule=rule(date(2030, 1, 8))
    )
    pending = list(selectors.pending_series([world.center]))
    assert [s.pk for s in pending] == [waiting.pk]
    assert pending[0].requested_count == 1
    assert waiting.occurrences.get().state == OccurrenceState.REQUESTED
