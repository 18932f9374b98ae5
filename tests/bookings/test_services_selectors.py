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
def test_history_uses_a_constant_number_of_queries(world, count):
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 7), frequency="weekly", count=count),
    )
    for occurrence in series.occurrences.all():
        services.occurrence_cancel(user=world.leader, occurrence=occurrence, reason="Ferien")
    with CaptureQueriesContext(connection) as captured:
        entries = selectors.series_history(series)
        [str(e.who) for e in entries]
    assert len(captured) == 2
    assert sum(1 for e in entries if e.why == "Ferien" and e.occurrence_id) == count


def test_changes_since_lists_what_happened_after_a_moment(world):
    series = services.booking_request_create(
        user=world.leader,
        group=world.group,
        room=world.kitchen,
        rule=rule(date(2030, 1, 7), frequency="weekly", count=2),
    )
    seen = datetime.now(tz=world.center.tz)
    first = series.occurrences.order_by("starts_at").first()
    services.occurrence_cancel(user=world.staff, occurrence=first, reason="Wasserschaden")
    changes = selectors.changes_since(series, seen)
    assert [(e.who, e.why) for e in changes] == [(world.staff, "Wasserschaden")]
    assert selectors.changes_since(series, datetime.now(tz=world.center.tz)) == []
    assert first.__class__.objects.get(pk=first.pk).state == OccurrenceState.CANCELLED


def test_history_reads_in_the_readers_language_without_raw_values(world):
    from django.utils import translation

    world.kitchen.requires_approval = True
    world.kitchen.save(update_fields=["requires_approval"])
    with translation.override("de"):  # the leader writes in German
        series = services.booking_request_create(
            user=world.leader,
            group=world.group,
            room=world.kitchen,
            rule=rule(date(2030, 1, 7), frequency="weekly", count=2),
        )
        first = series.occurrences.order_by("starts_at").first()
        services.occurrence_move(user=world.leader, occurrence=first, starts_at=first.starts_at)
        services.occurrences_confirm(user=world.staff, occurrences=[series.occurrences.last()])
    with translation.override("en"):
        entries = selectors.series_history(series)
    words = " ".join(f"{e.what} {e.why}" for e in entries)
    assert "requested" in words and "moved" in words
    for german in ("angefragt", "verlegt", "bestätigt"):
        assert german not in words
    assert "partly_confirmed" not in words and "pending" not in words
