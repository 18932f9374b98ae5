"""The holiday policy of a series (issue 15): a course pauses in the school holidays, the café
does not; series that meet on public holidays keep them where the center is open; a corrected
holiday period brings skipped dates back and skips newly covered ones — through the engine,
with history and one e-mail per series. The conflict core, the preview and the services agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bookings import conflicts, services
from bookings.jobs import holidays_apply
from bookings.models import Cause, Occurrence, OccurrenceState, RoomBlock
from bookings.policy import HolidayPolicy, IssueKind, Verdict, holiday_policy_for_kind
from bookings.recurrence import expand
from centers.models import SchoolHoliday
from centers.school_holidays import Period
from groups.models import Group
from notifications.dispatch import rendered
from notifications.models import Kind, OutboxMessage
from portal.selectors import request_preview

from ._engine import confirmed_overlaps, rule, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

AUTUMN = Period("Herbstferien NRW 2027", date(2027, 10, 23), date(2027, 11, 6))
# Wednesdays from September to December 2027; 27 Oct and 3 Nov lie in the autumn holidays.
FIRST_WEDNESDAY = date(2027, 9, 1)
LAST_WEDNESDAY = date(2027, 12, 15)
IN_AUTUMN = [date(2027, 10, 27), date(2027, 11, 3)]


@pytest.fixture
def autumn(world, time_machine):
    time_machine.move_to(datetime(2027, 8, 1, 9, tzinfo=UTC), tick=False)
    services.school_holidays_import(user=None, state="NW", periods=[AUTUMN], source="test")
    return world


def _book(w, group, *, start=FIRST_WEDNESDAY, until=LAST_WEDNESDAY, **kwargs):
    return services.booking_request_create(
        user=w.staff,
        group=group,
        room=kwargs.pop("room", w.kitchen),
        rule=rule(start, "15:00", "17:00", frequency="weekly", until=until),
        **kwargs,
    )


def _days(series, state=None, cause=None) -> list[date]:
    tz = series.group.center.tz
    rows = series.occurrences.all()
    if state:
        rows = rows.filter(state=state)
    if cause:
        rows = rows.filter(cause=cause)
    return sorted(o.starts_at.astimezone(tz).date() for o in rows)


def test_a_course_skips_the_autumn_holidays_and_the_cafe_does_not(autumn):
    w = autumn
    w.group.kind = Group.Kind.COURSE
    w.group.save(update_fields=["kind"])
    w.other_group.kind = Group.Kind.CAFE
    w.other_group.save(update_fields=["kind"])
    course = _book(w, w.group)
    cafe = _book(w, w.other_group, room=w.hall)

    assert (course.pauses_in_school_holidays, cafe.pauses_in_school_holidays) == (True, False)
    assert _days(course, OccurrenceState.CANCELLED, Cause.SCHOOL_HOLIDAY) == IN_AUTUMN
    skipped = course.occurrences.filter(cause=Cause.SCHOOL_HOLIDAY)
    assert {o.reason for o in skipped} == {"Herbstferien NRW 2027"}
    assert not RoomBlock.objects.filter(occurrence__in=skipped).exists()
    assert _days(cafe, OccurrenceState.CANCELLED) == []
    assert set(IN_AUTUMN) <= set(_days(cafe, OccurrenceState.CONFIRMED))


def test_the_defaults_follow_the_kind_of_group_and_the_request_may_say_otherwise(autumn):
    w = autumn
    assert holiday_policy_for_kind("course") == HolidayPolicy(pauses_in_school_holidays=True)
    assert holiday_policy_for_kind("meeting") == HolidayPolicy()
    series = _book(w, w.group, pauses_in_school_holidays=True)  # a meeting that pauses
    assert _days(series, OccurrenceState.CANCELLED) == IN_AUTUMN


def test_the_conflict_core_the_preview_and_the_service_give_the_same_verdicts(autumn):
    w = autumn
    policy = HolidayPolicy(pauses_in_school_holidays=True)
    the_rule = rule(FIRST_WEDNESDAY, "15:00", "17:00", frequency="weekly", until=LAST_WEDNESDAY)
    slots = expand(the_rule, w.center.tz)
    with translation.override("de"):
        core = conflicts.check(room=w.kitchen, slots=slots, policy=policy)
        plain = conflicts.check(room=w.kitchen, slots=slots)
        preview = request_preview(
            group=w.group,
            room=w.kitchen,
            rule=the_rule,
            expected_participants=5,
            policy=policy,
        )
    series = _book(w, w.group, pauses_in_school_holidays=True)
    stored = {o.original_start: o.state for o in series.occurrences.all()}
    tz = w.center.tz
    for slot, report, preview_date in zip(slots, core.dates, preview.dates, strict=True):
        day = slot.starts_at.astimezone(tz).date()
        in_autumn = day in IN_AUTUMN
        assert (report.verdict == Verdict.SKIPPED) is in_autumn, day
        assert preview_date.verdict == report.verdict, day
        assert (stored[slot.original_start] == OccurrenceState.CANCELLED) is in_autumn, day
        if in_autumn:
            assert report.kinds == [IssueKind.SCHOOL_HOLIDAY]
            assert report.issues[0].detail == "Herbstferien NRW 2027"
    # Without the policy the same dates are free: the policy decides, nothing else.
    assert not plain.skipped


def test_a_corrected_period_brings_dates_back_and_skips_the_newly_covered(autumn):
    w = autumn
    course = _book(w, w.group, pauses_in_school_holidays=True)
    first = course.occurrences.get(cause=Cause.SCHOOL_HOLIDAY, starts_at__date=IN_AUTUMN[0])
    assert first.prior_state == OccurrenceState.REQUESTED  # skipped when it was made
    OutboxMessage.objects.all().delete()

    # The ministry corrects the dates: one week later.
    corrected = Period(AUTUMN.name, date(2027, 10, 30), date(2027, 11, 13))
    change = services.school_holidays_import(
        user=None, state="NW", periods=[corrected], source="test"
    )

    assert [h.first_day for h in SchoolHoliday.objects.filter(state="NW")] == [date(2027, 10, 30)]
    assert _days(course, OccurrenceState.CANCELLED) == [date(2027, 11, 3), date(2027, 11, 10)]
    assert date(2027, 10, 27) in _days(course, OccurrenceState.CONFIRMED)
    assert {o.starts_at.astimezone(w.center.tz).date() for o in change.reinstated} == {
        date(2027, 10, 27)
    }
    assert {o.starts_at.astimezone(w.center.tz).date() for o in change.cancelled} == {
        date(2027, 11, 10)
    }
    first.refresh_from_db()
    assert (first.state, first.cause, first.reason) == (OccurrenceState.CONFIRMED, "", "")
    assert RoomBlock.objects.filter(occurrence=first).exists()
    assert first.history.count() >= 2  # created skipped, then back: both recorded
    # One e-mail per series to its leader, naming both changes.
    mails = OutboxMessage.objects.filter(kind=Kind.HOLIDAYS_CHANGED)
    assert [(m.series_id, m.recipient_id) for m in mails] == [(course.pk, w.leader.pk)]
    body = rendered(mails[0]).text  # rendered by the dispatcher
    assert "10. November 2027" in body and "(Herbstferien NRW 2027)" in body  # skipped
    assert body.index("10. November 2027") < body.index("27. Oktober 2027")  # then: back
    assert confirmed_overlaps() == 0

    # The same file again changes nothing and tells nobody.
    again = services.school_holidays_import(
        user=None, state="NW", periods=[corrected], source="test"
    )
    assert not again.changed and again.kept == 1
    assert mails.count() == 1


def test_a_date_taken_meanwhile_stays_cancelled_with_the_new_reason(autumn):
    w = autumn
    course = _book(w, w.group, pauses_in_school_holidays=True)
    # While the course pauses, another group books its kitchen on 27 October.
    other = services.booking_request_create(
        user=w.staff,
        group=w.other_group,
        room=w.kitchen,
        rule=rule(date(2027, 10, 27), "14:00", "18:00"),
    )
    assert other.status == "confirmed"
    change = services.school_holidays_import(
        user=None,
        state="NW",
        periods=[Period(AUTUMN.name, date(2027, 10, 30), date(2027, 11, 13))],
    )
    row = course.occurrences.get(starts_at__date=date(2027, 10, 27))
    assert row.state == OccurrenceState.CANCELLED
    assert row.cause == Cause.CONFLICT
    assert row.pk in change.not_reinstated
    assert w.other_group.name in row.reason


def test_removing_the_policy_brings_the_holiday_dates_back(autumn):
    w = autumn
    course = _book(w, w.group, pauses_in_school_holidays=True)
    change = services.series_holiday_policy_update(
        user=w.leader,
        series=course,
        meets_on_public_holidays=False,
        pauses_in_school_holidays=False,
    )
    assert len(change.reinstated) == 2
    assert _days(course, OccurrenceState.CANCELLED) == []
    course.refresh_from_db()
    assert not course.pauses_in_school_holidays
    # And back: the dates are skipped again.
    services.series_holiday_policy_update(
        user=w.staff, series=course, meets_on_public_holidays=False, pauses_in_school_holidays=True
    )
    assert _days(course, OccurrenceState.CANCELLED, Cause.SCHOOL_HOLIDAY) == IN_AUTUMN


def test_strangers_cannot_change_a_policy_or_import_holidays(autumn):
    from django.core.exceptions import PermissionDenied

    w = autumn
    course = _book(w, w.group)
    with pytest.raises(PermissionDenied):
        services.series_holiday_policy_update(
            user=w.stranger,
            series=course,
            meets_on_public_holidays=True,
            pauses_in_school_holidays=True,
        )
    with pytest.raises(PermissionDenied):
        services.school_holidays_import(user=w.stranger, state="NW", periods=[AUTUMN])
    with pytest.raises(PermissionDenied):
        services.school_holidays_import(user=w.staff, state="BY", periods=[AUTUMN])


# --- public holidays ----------------------------------------------------------------------------


@pytest.mark.parametrize(("center_open", "skipped"), [(True, False), (False, True)])
def test_a_series_meets_on_public_holidays_only_where_the_center_is_open(
    world, time_machine, center_open, skipped
):
    w = world
    time_machine.move_to(datetime(2027, 8, 1, 9, tzinfo=UTC), tick=False)
    w.center.open_on_public_holidays = center_open
    w.center.save(update_fields=["open_on_public_holidays"])
    # Mondays in October 2027 and 1 November: Allerheiligen is a public holiday in NRW.
    series = services.booking_request_create(
        user=w.staff,
        group=w.group,
        room=w.kitchen,
        rule=rule(date(2027, 10, 25), "15:00", "17:00", frequency="weekly", count=3),
        meets_on_public_holidays=True,
    )
    allerheiligen = series.occurrences.get(starts_at__date=date(2027, 11, 1))
    assert (allerheiligen.state == OccurrenceState.CANCELLED) is skipped
    # The holidays job agrees with the request.
    assert holidays_apply(today=date(2027, 8, 1)) == 0
    allerheiligen.refresh_from_db()
    assert (allerheiligen.state == OccurrenceState.CANCELLED) is skipped


def test_the_holidays_job_skips_series_that_meet_where_the_center_is_open(world, time_machine):
    w = world
    time_machine.move_to(datetime(2027, 8, 1, 9, tzinfo=UTC), tick=False)
    w.center.open_on_public_holidays = True
    w.center.save(update_fields=["open_on_public_holidays"])
    meets = services.booking_request_create(
        user=w.staff,
        group=w.group,
        room=w.kitchen,
        rule=rule(date(2027, 10, 25), "15:00", "17:00"),
        meets_on_public_holidays=True,
    )
    skips = services.booking_request_create(
        user=w.staff,
        group=w.other_group,
        room=w.hall,
        rule=rule(date(2027, 10, 25), "15:00", "17:00"),
    )
    # Both dates get onto Allerheiligen behind the engine's back (say, an import) ...
    week = timedelta(days=7)
    for series in (meets, skips):
        row = series.occurrences.get()
        Occurrence.objects.filter(pk=row.pk).update(
            starts_at=row.starts_at + week,
            ends_at=row.ends_at + week,
            original_start=row.original_start + week,
        )
        RoomBlock.objects.filter(occurrence=row).update(
            starts_at=row.starts_at + week, ends_at=row.ends_at + week
        )
    # ... and the job cancels only the one whose series does not meet on holidays.
    assert holidays_apply(today=date(2027, 8, 1)) == 1
    assert meets.occurrences.get().state == OccurrenceState.CONFIRMED
    assert skips.occurrences.get().cause == Cause.HOLIDAY


def test_a_request_whose_every_date_lies_in_the_holidays_is_refused_with_the_reason(autumn):
    w = autumn
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _book(
            w,
            w.group,
            start=date(2027, 10, 27),
            until=date(2027, 11, 3),
            pauses_in_school_holidays=True,
        )
    assert "Herbstferien NRW 2027" in str(refused.value.error_dict["start_date"])
    assert not w.group.series.exists()


def test_school_holidays_in_the_context_cost_one_query_only_for_pausing_series(autumn):
    w = autumn
    slots = expand(
        rule(FIRST_WEDNESDAY, "15:00", "17:00", frequency="weekly", until=LAST_WEDNESDAY),
        w.center.tz,
    )
    conflicts.check(room=w.kitchen, slots=slots)  # warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        conflicts.check(room=w.kitchen, slots=slots)
    with CaptureQueriesContext(connection) as pausing:
        conflicts.check(
            room=w.kitchen, slots=slots, policy=HolidayPolicy(pauses_in_school_holidays=True)
        )
    assert len(pausing) == len(plain) + 1


def test_a_date_a_closure_gives_back_into_the_holidays_waits_for_the_holidays(autumn):
    from bookings.recurrence import localize

    w = autumn
    course = _book(w, w.group, pauses_in_school_holidays=True)
    tz = w.center.tz
    # A closure cancels 10 November; meanwhile the autumn holidays are extended over it.
    closure, cancelled = services.closure_create(
        user=w.staff,
        center=w.center,
        starts_at=localize(datetime(2027, 11, 10), tz),
        ends_at=localize(datetime(2027, 11, 11), tz),
        reason="Wasserschaden",
    )
    row = cancelled[0]
    longer = Period(AUTUMN.name, AUTUMN.first_day, date(2027, 11, 13))
    services.school_holidays_import(user=None, state="NW", periods=[longer])
    row.refresh_from_db()
    assert (row.cause, row.closure_id) == (Cause.CLOSURE, closure.pk)  # still the closure's
    # The closure goes: the date stays cancelled, now for the holidays ...
    change = services.closure_delete(user=w.staff, closure=closure)
    assert row.pk in change.not_reinstated
    row.refresh_from_db()
    assert (row.state, row.cause, row.closure_id) == (
        OccurrenceState.CANCELLED,
        Cause.SCHOOL_HOLIDAY,
        None,
    )
    assert "Herbstferien NRW 2027" in row.reason
    # ... so that the corrected holidays bring it back.
    services.school_holidays_import(user=None, state="NW", periods=[AUTUMN])
    row.refresh_from_db()
    assert row.state == OccurrenceState.CONFIRMED
    assert course.occurrences.filter(cause=Cause.SCHOOL_HOLIDAY).count() == 2


def test_staff_open_the_center_on_public_holidays_and_the_meeting_series_follow(
    world, time_machine, client
):
    w = world
    time_machine.move_to(datetime(2027, 8, 1, 9, tzinfo=UTC), tick=False)
    cafe = services.booking_request_create(
        user=w.staff,
        group=w.group,
        room=w.kitchen,
        rule=rule(date(2027, 10, 25), "15:00", "17:00", frequency="weekly", count=3),
        meets_on_public_holidays=True,
    )
    plain = services.booking_request_create(
        user=w.staff,
        group=w.other_group,
        room=w.hall,
        rule=rule(date(2027, 10, 25), "15:00", "17:00", frequency="weekly", count=3),
    )
    allerheiligen = cafe.occurrences.get(starts_at__date=date(2027, 11, 1))
    assert allerheiligen.cause == Cause.HOLIDAY
    client.force_login(w.staff)
    url = f"/staff/{w.center.slug}/planning/school-holidays/opening/"
    assert client.post(url, {"open_on_public_holidays": "on"}).status_code == 302
    allerheiligen.refresh_from_db()
    assert allerheiligen.state == OccurrenceState.CONFIRMED
    # The series that does not meet on public holidays keeps skipping it.
    assert plain.occurrences.get(starts_at__date=date(2027, 11, 1)).cause == Cause.HOLIDAY
    client.post(url, {})
    allerheiligen.refresh_from_db()
    assert (allerheiligen.state, allerheiligen.cause) == (OccurrenceState.CANCELLED, Cause.HOLIDAY)
    client.force_login(w.leader)
    assert client.post(url, {"open_on_public_holidays": "on"}).status_code == 404
    w.center.refresh_from_db()
    assert not w.center.open_on_public_holidays
