"""Every surface follows the one holiday policy (issue 15): the request form offers the term and
the policy and its live preview lists school-holiday dates as skipped with the reason; the
series page and the group page list them; the feed shows them as cancelled; the leader changes
the policy on the series page. And the demo: the sample NRW holidays, terms, policies."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from bookings import services
from bookings.models import Cause, OccurrenceState, Series
from centers.models import Center, SchoolHoliday, Term
from centers.school_holidays import Period
from groups.models import Group

pytestmark = pytest.mark.django_db

FEBRUARY = Period("Winterferien Test 2030", date(2030, 2, 11), date(2030, 2, 15))


@pytest.fixture
def place(time_machine, make_user, make_center, make_room, make_group):
    time_machine.move_to(datetime(2029, 12, 1, 9, tzinfo=UTC), tick=False)
    center = make_center(name="Haus am Markt", federal_state="NW")
    leader = make_user(username="leila", first_name="Leila")
    group = make_group(
        center=center, name="Kinderchor", slug="kinderchor", kind="course", leaders=[leader]
    )
    room = make_room(center=center, name="Saal", capacity=40)
    services.school_holidays_import(user=None, state="NW", periods=[FEBRUARY])
    term = Term.objects.create(
        center=center, name="Frühjahr 2030", first_day=date(2030, 2, 1), last_day=date(2030, 3, 1)
    )
    return center, leader, group, room, term


def _form(group, room, **overrides):
    data = {
        "group": group.pk,
        "room": room.pk,
        "start_date": "2030-02-05",
        "start_time": "16:00",
        "end_time": "17:00",
        "frequency": "weekly",
        "interval": "1",
        "weekdays": ["1"],
        "monthly_position": "1",
        "ends": "term",
        "expected_participants": "12",
    }
    data.update(overrides)
    return data


def test_the_preview_lists_school_holiday_dates_as_skipped_with_the_reason(client, place):
    _center, leader, group, room, term = place
    client.force_login(leader)
    form = client.get(reverse("leader:request")).content.decode()
    assert "Frühjahr 2030" in form  # the form offers the term
    preview = client.post(
        reverse("leader:request_preview"), _form(group, room, term=term.pk)
    ).content.decode()
    assert "school holidays: Winterferien Test 2030" in preview or (
        "Schulferien: Winterferien Test 2030" in preview
    )
    assert preview.count("is-skipped") == 1  # Tuesday 12 February
    # Asked to meet in the holidays, the same date is free.
    meets = client.post(
        reverse("leader:request_preview"),
        _form(group, room, term=term.pk, school_holidays="meet"),
    ).content.decode()
    assert "is-skipped" not in meets


def test_the_request_runs_for_the_term_and_every_page_lists_the_skipped_date(client, place):
    _center, leader, group, room, term = place
    client.force_login(leader)
    response = client.post(reverse("leader:request"), _form(group, room, term=term.pk))
    assert response.status_code == 302
    series = Series.objects.get(group=group)
    assert (series.term, series.until, series.pauses_in_school_holidays) == (
        term,
        date(2030, 3, 1),
        True,
    )
    skipped = series.occurrences.get(cause=Cause.SCHOOL_HOLIDAY)
    assert skipped.reason == "Winterferien Test 2030"
    page = client.get(reverse("leader:series", args=[series.pk])).content.decode()
    assert "Winterferien Test 2030" in page
    assert "Frühjahr 2030" in page
    public = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    assert "Winterferien Test 2030" in public
    feed = client.get(f"/feeds/group/{group.slug}.ics").content.decode()
    assert "Winterferien Test 2030" in feed
    assert "STATUS:CANCELLED" in feed


def test_the_leader_changes_the_policy_on_the_series_page(client, place):
    _center, leader, group, room, _term = place
    series = services.booking_request_create(
        user=leader,
        group=group,
        room=room,
        rule=Series(
            start_date=date(2030, 2, 5),
            start_time=datetime(2030, 1, 1, 16).time(),
            end_time=datetime(2030, 1, 1, 17).time(),
            frequency="weekly",
            weekdays=[1],
            count=4,
        ).rule,
    )
    assert series.occurrences.filter(state=OccurrenceState.CANCELLED).count() == 1
    client.force_login(leader)
    response = client.post(
        reverse("leader:series_holidays", args=[series.pk]),
        {"holidays-version": series.version, "holidays-pauses_in_school_holidays": ""},
    )
    assert response.status_code == 302
    assert not series.occurrences.filter(state=OccurrenceState.CANCELLED).exists()
    stale = client.post(
        reverse("leader:series_holidays", args=[series.pk]),
        {"holidays-version": series.version, "holidays-pauses_in_school_holidays": "on"},
    )
    assert stale.status_code == 409  # made from an older page: nothing changes
    assert not series.occurrences.filter(state=OccurrenceState.CANCELLED).exists()


def test_the_center_page_and_the_board_show_the_school_holidays(client, place, make_user):
    center, _leader, _group, _room, _term = place
    SchoolHoliday.objects.create(
        state="NW", name="Beispielferien", first_day=date(2029, 12, 3), last_day=date(2029, 12, 5)
    )
    page = client.get(reverse("centers:detail", args=[center.slug])).content.decode()
    assert "Beispielferien" in page
    staff = make_user(username="steffi")
    center.staff.add(staff)
    client.force_login(staff)
    board = client.get(f"/staff/{center.slug}/board/?date=2029-12-04").content.decode()
    assert "Beispielferien" in board


def test_the_demo_loads_the_sample_holidays_terms_and_plausible_policies(time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 9, tzinfo=UTC), tick=False)
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    periods = SchoolHoliday.objects.filter(state="NW")
    assert periods.count() >= 20
    assert not periods.filter(is_sample=False).exists()
    dorsten = Center.objects.get(slug="dorsten-brunnenplatz")
    assert list(dorsten.terms.values_list("name", flat=True)) == [
        "Winterhalbjahr 2026/27",
        "Sommerhalbjahr 2027",
    ]
    # The current series (the demo also books the past months for the reports).
    baking = Series.objects.filter(group__slug="kochen-backen-kinder").latest("start_date")
    cafe = Series.objects.filter(group__slug="awo-seniorenbegegnung").latest("start_date")
    assert baking.pauses_in_school_holidays and not cafe.pauses_in_school_holidays
    skipped = baking.occurrences.filter(cause=Cause.SCHOOL_HOLIDAY)
    assert {o.reason for o in skipped} == {"Weihnachtsferien NRW 2026/27", "Osterferien NRW 2027"}
    assert not cafe.occurrences.filter(cause=Cause.SCHOOL_HOLIDAY).exists()
    assert Group.objects.filter(center=dorsten).count() >= 20
