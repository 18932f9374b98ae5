"""The board and the week plan: a Sunday opens on the coming week, and days the center does not
open are shown as closed, not free."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from centers.models import OpeningHours
from console.board import week_day_to_show

SUNDAY = date(2030, 2, 10)


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (date(2030, 2, 10), date(2030, 2, 11)),  # Sunday: the coming week
        (date(2030, 2, 9), date(2030, 2, 9)),  # Saturday: this week
        (date(2030, 2, 4), date(2030, 2, 4)),  # Monday
    ],
)
def test_the_week_to_show_by_default(today, shown):
    assert week_day_to_show(today) == shown


@pytest.fixture
def sunday(client, world):
    """Sunday noon at the center, with staff logged in then (a session from today has
    expired by 2030)."""
    with time_machine.travel(datetime(2030, 2, 10, 12, tzinfo=world.center.tz), tick=False):
        client.force_login(world.staff)
        yield client


def test_the_week_plan_opens_on_the_coming_week_on_a_sunday(world, sunday):
    response = sunday.get(reverse("staff:week", kwargs={"slug": world.center.slug}))

    assert response.context["grid"].days[0] == date(2030, 2, 11)


def test_the_board_week_view_opens_on_the_coming_week_on_a_sunday(world, sunday):
    response = sunday.get(
        reverse("staff:board", kwargs={"slug": world.center.slug}), {"view": "week"}
    )

    assert response.context["board"].days[0] == date(2030, 2, 11)


def test_a_given_date_still_wins_on_a_sunday(world, sunday):
    response = sunday.get(
        reverse("staff:week", kwargs={"slug": world.center.slug}), {"date": "2030-02-06"}
    )

    assert response.context["grid"].days[0] == date(2030, 2, 4)


def test_days_without_opening_hours_are_closed_in_the_week_views(staff_client, world):
    OpeningHours.objects.filter(center=world.center, weekday__in=(5, 6)).delete()
    staff_client.cookies["django_language"] = "en"

    for url in (
        reverse("staff:week", kwargs={"slug": world.center.slug}),
        reverse("staff:board", kwargs={"slug": world.center.slug}),
    ):
        response = staff_client.get(url, {"date": "2030-02-06", "view": "week"})
        grid = response.context.get("grid") or response.context["board"].week_grid
        for row in grid.rows:
            assert [cell.is_closed for cell in row.cells] == [False] * 5 + [True] * 2
        assert response.content.decode().count("Closed all day") == 2 * len(grid.rows)


def test_the_day_board_says_when_the_center_is_closed(staff_client, world):
    OpeningHours.objects.filter(center=world.center, weekday=6).delete()
    staff_client.cookies["django_language"] = "en"

    response = staff_client.get(
        reverse("staff:board", kwargs={"slug": world.center.slug}), {"date": "2030-02-10"}
    )

    assert "The center is closed on this day." in response.content.decode()
