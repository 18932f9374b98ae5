"""Terms (issue 15): a series "for the term" ends with its term — on the term's last day when it
is made, and again when staff move that day (through `series_end` / `series_update`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bookings import services
from bookings.models import OccurrenceState

from ._engine import rule, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(world, time_machine):
    time_machine.move_to(datetime(2027, 1, 10, 9, tzinfo=UTC), tick=False)
    return services.term_create(
        user=world.staff,
        center=world.center,
        name="Sommerhalbjahr 2027",
        first_day=date(2027, 2, 1),
        last_day=date(2027, 3, 31),
    )


def _last_day(series) -> date:
    rows = series.occurrences.exclude(state=OccurrenceState.DECLINED).order_by("-starts_at")
    return rows.first().starts_at.astimezone(series.group.center.tz).date()


def test_a_series_for_the_term_ends_with_its_term(world, term):
    w = world
    # Asked with a later end (or none): the term decides.
    series = services.booking_request_create(
        user=w.leader,
        group=w.group,
        room=w.kitchen,
        rule=rule(date(2027, 2, 3), frequency="weekly", until=date(2027, 12, 31)),
        term=term,
    )
    assert series.term == term
    assert series.until == date(2027, 3, 31)
    assert _last_day(series) == date(2027, 3, 31)  # a Wednesday
    assert series.occurrences.count() == 9

    # Staff end the term two weeks earlier: the series ends with it.
    change = services.term_update(
        user=w.staff,
        term=term,
        name=term.name,
        first_day=term.first_day,
        last_day=date(2027, 3, 17),
        expected_version=term.version,
    )
    series.refresh_from_db()
    assert [s.pk for s in change.ended] == [series.pk]
    assert series.until == date(2027, 3, 17)
    active = series.occurrences.filter(state__in=["requested", "confirmed"])
    assert max(o.starts_at.astimezone(w.center.tz).date() for o in active) == date(2027, 3, 17)

    # ... and later again: the new dates go through the policy like any request.
    services.term_update(
        user=w.staff,
        term=term,
        name=term.name,
        first_day=term.first_day,
        last_day=date(2027, 4, 14),
    )
    series.refresh_from_db()
    assert series.until == date(2027, 4, 14)
    active = series.occurrences.filter(state__in=["requested", "confirmed"])
    assert max(o.starts_at.astimezone(w.center.tz).date() for o in active) == date(2027, 4, 14)


def test_a_request_for_the_term_must_start_in_it_and_repeat(world, term):
    w = world
    with pytest.raises(ValidationError) as early:
        services.booking_request_create(
            user=w.leader,
            group=w.group,
            room=w.kitchen,
            rule=rule(date(2027, 1, 20), frequency="weekly", count=4),
            term=term,
        )
    assert "start_date" in early.value.error_dict
    with pytest.raises(ValidationError) as once:
        services.booking_request_create(
            user=w.leader, group=w.group, room=w.kitchen, rule=rule(date(2027, 2, 3)), term=term
        )
    assert "frequency" in once.value.error_dict
    assert not w.group.series.exists()


def test_terms_of_a_center_do_not_overlap_and_only_its_staff_define_them(world, term):
    w = world
    with pytest.raises(ValidationError) as overlapping:
        services.term_create(
            user=w.staff,
            center=w.center,
            name="Frühling",
            first_day=date(2027, 3, 1),
            last_day=date(2027, 6, 30),
        )
    assert "first_day" in overlapping.value.error_dict
    with pytest.raises(PermissionDenied):
        services.term_create(
            user=w.leader,
            center=w.center,
            name="Herbst",
            first_day=date(2027, 8, 1),
            last_day=date(2027, 12, 31),
        )
    with pytest.raises(ValidationError):
        services.term_create(
            user=w.staff,
            center=w.center,
            name=" ",
            first_day=date(2027, 8, 1),
            last_day=date(2027, 7, 1),
        )


def test_a_term_with_series_cannot_be_removed(world, term):
    w = world
    services.booking_request_create(
        user=w.leader,
        group=w.group,
        room=w.kitchen,
        rule=rule(date(2027, 2, 3), frequency="weekly"),
        term=term,
    )
    with pytest.raises(ValidationError):
        services.term_delete(user=w.staff, term=term)


def test_a_series_its_group_ended_early_stays_ended_when_the_term_grows(world, term):
    w = world
    series = services.booking_request_create(
        user=w.leader,
        group=w.group,
        room=w.kitchen,
        rule=rule(date(2027, 2, 3), frequency="weekly"),
        term=term,
    )
    services.series_end(user=w.leader, series=series, last_date=date(2027, 2, 24))
    series.refresh_from_db()
    assert series.until == date(2027, 2, 24)
    change = services.term_update(
        user=w.staff,
        term=term,
        name=term.name,
        first_day=term.first_day,
        last_day=date(2027, 4, 30),
    )
    series.refresh_from_db()
    assert change.extended == [] and series.until == date(2027, 2, 24)
    active = series.occurrences.filter(state__in=["requested", "confirmed"])
    assert max(o.starts_at.astimezone(w.center.tz).date() for o in active) == date(2027, 2, 24)
