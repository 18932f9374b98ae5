"""The public program of a center: filters kept in the URL, regular times, next dates."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.models import OccurrenceState
from groups.models import Group


@pytest.fixture
def dorsten(make_center, make_room, make_group, make_series):
    """A Dorsten-like center: a free Turkish café, a paid German course, an internal group."""
    center = make_center(name="Brunnenplatz", slug="brunnenplatz")
    cafe = make_room(center=center, name="Café")
    hall = make_room(center=center, name="Saal")
    start = timezone.localdate() + timedelta(days=1)
    turkish = make_group(
        center=center,
        name="Türkisches Frauenfrühstück",
        slug="frauenfruehstueck",
        kind=Group.Kind.CAFE,
        audience=Group.Audience.WOMEN,
        languages=["tr", "de"],
    )
    course = make_group(
        center=center,
        name="Deutschkurs mit Alphabetisierung",
        slug="deutschkurs",
        kind=Group.Kind.COURSE,
        audience=Group.Audience.ADULTS,
        free_of_charge=False,
        fee="20 € pro Monat",
        languages=["de"],
    )
    internal = make_group(center=center, name="Hausteam", slug="hausteam", is_public=False)
    _, breakfast_dates = make_series(
        group=turkish,
        room=cafe,
        start_date=start,
        start_time=time(9, 30),
        end_time=time(11, 30),
        weekdays=[start.weekday()],
    )
    cancelled = breakfast_dates[1]
    cancelled.state = OccurrenceState.CANCELLED
    cancelled.reason = "Ramadan-Fest"
    cancelled.save(update_fields=["state", "reason"])
    make_series(
        group=course,
        room=hall,
        start_date=start,
        start_time=time(18),
        end_time=time(20),
        weekdays=[start.weekday(), (start.weekday() + 2) % 7],
    )
    make_series(group=internal, room=hall, start_date=start, start_time=time(8), end_time=time(9))
    return {
        "center": center,
        "turkish": turkish,
        "course": course,
        "start": start,
        "cancelled": cancelled,
    }


def program(client, dorsten, **params):
    response = client.get(
        f"/centers/{dorsten['center'].slug}/program/", params, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response


def test_program_lists_public_groups_with_regular_time_and_next_date(client, dorsten):
    body = program(client, dorsten).content.decode()
    assert "Türkisches Frauenfrühstück" in body
    assert "Deutschkurs mit Alphabetisierung" in body
    assert "Hausteam" not in body
    weekday = dorsten["start"].strftime("%A")
    assert f"every {weekday} 09:30–11:30, Café" in body
    assert "Next date" in body
    assert "Ramadan-Fest" in body


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"free": "on"}, "Frauenfrühstück", "Deutschkurs"),
        ({"language": "tr"}, "Frauenfrühstück", "Deutschkurs"),
        ({"free": "on", "language": "tr"}, "Frauenfrühstück", "Deutschkurs"),
        ({"kind": "course"}, "Deutschkurs", "Frauenfrühstück"),
        ({"audience": "women"}, "Frauenfrühstück", "Deutschkurs"),
        ({"time": "evening"}, "Deutschkurs", "Frauenfrühstück"),
        ({"time": "morning"}, "Frauenfrühstück", "Deutschkurs"),
        ({"q": "alphabet"}, "Deutschkurs", "Frauenfrühstück"),
    ],
)
def test_filters_combine_and_stay_in_the_url(client, dorsten, params, shown, hidden):
    body = program(client, dorsten, **params).content.decode()
    assert shown in body
    assert hidden not in body
    form_values = [f'value="{value}"' for key, value in params.items() if key in ("q",)]
    assert all(value in body for value in form_values)  # the form shows what was chosen


def test_weekday_and_time_must_match_the_same_date(client, dorsten):
    course_day = (dorsten["start"].weekday() + 2) % 7
    evening = program(client, dorsten, weekday=course_day, time="evening").content.decode()
    assert "Deutschkurs" in evening
    morning = program(client, dorsten, weekday=course_day, time="morning").content.decode()
    assert "Deutschkurs" not in morning
    assert "Frauenfrühstück" not in morning


def test_query_count_does_not_grow_with_the_number_of_groups(
    client, dorsten, make_group, make_room, make_series
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            program(client, dorsten)
        return len(queries)

    few = count()
    room = make_room(center=dorsten["center"], name="Werkraum")
    for n in range(12):
        group = make_group(center=dorsten["center"], languages=["ar"], name=f"Gruppe {n:02}")
        make_series(
            group=group,
            room=room,
            start_date=dorsten["start"] + timedelta(days=n % 7),
            start_time=time(10 + n % 8),
            end_time=time(11 + n % 8),
            weeks=3,
        )
    assert count() == few


def test_pages_keep_the_filters(client, dorsten, make_group):
    for n in range(55):
        make_group(center=dorsten["center"], name=f"Kurs {n:02}", kind=Group.Kind.COURSE)
    body = program(client, dorsten, kind="course").content.decode()
    assert "Page 1 of 2" in body
    assert 'href="?kind=course&amp;page=2"' in body
    second = program(client, dorsten, kind="course", page="2").content.decode()
    assert 'href="?kind=course&amp;page=1"' in second
