"""Who may book, see and decide: foreign series simply do not exist for the caller."""

from datetime import date

import pytest
from django.http import Http404

from bookings import services
from bookings.permissions import (
    access_occurrence,
    access_series,
    bookable_groups,
    can_book_for_group,
    can_decide,
)

from ._engine import (
    rule,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(world):
    return services.booking_request_create(
        user=world.leader, group=world.group, room=world.kitchen, rule=rule(date(2030, 1, 8))
    )


@pytest.mark.parametrize(
    ("who", "books", "sees", "decides"),
    [
        ("leader", True, True, False),
        ("staff", True, True, True),
        ("superuser", True, True, True),
        ("other_leader", False, False, False),
        ("stranger", False, False, False),
        ("other_staff", False, False, False),
        ("inactive_leader", False, False, False),
    ],
)
def test_access_by_role(world, series, make_user, make_center, who, books, sees, decides):
    if who == "superuser":
        user = make_user(is_superuser=True)
    elif who == "other_staff":
        user = make_user()
        make_center().staff.add(user)
    elif who == "inactive_leader":
        user = world.leader
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        user = getattr(world, who)
    assert can_book_for_group(user, world.group) is books
    assert (world.group in bookable_groups(user)) is books
    assert can_decide(user, series) is decides
    occurrence = series.occurrences.get()
    if sees:
        assert access_series(user, series.pk) == series
        assert access_occurrence(user, occurrence.pk) == occurrence
    else:
        with pytest.raises(Http404):
            access_series(user, series.pk)
        with pytest.raises(Http404):
            access_occurrence(user, occurrence.pk)


def test_anonymous_users_see_nothing(series):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not bookable_groups(anonymous).exists()
    with pytest.raises(Http404):
        access_series(anonymous, series.pk)


def test_bookable_groups_has_no_duplicates_for_a_leader_who_is_also_staff(world):
    world.center.staff.add(world.leader)
    names = list(bookable_groups(world.leader).values_list("name", flat=True))
    assert sorted(names) == ["Kochgruppe Zukunft", "Nähcafé"]
