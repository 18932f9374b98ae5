"""Planning the next term (issue 15): proposals with their conflict reports, the leaders'
answers, allocation in the center's order through the engine, one e-mail per group."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import services as bookings_services
from bookings.models import Cause, OccurrenceState, SeriesStatus
from centers.models import Room
from notifications.dispatch import rendered
from notifications.models import Kind, OutboxMessage
from planning import selectors, services
from planning.models import Round, Wish
from planning.services import Slot

from .conftest import NOW, TUE, WED, weekly

pytestmark = pytest.mark.django_db


def _open(w, **kwargs) -> Round:
    return services.round_create(
        user=w.staff,
        center=w.center,
        term=w.summer,
        previous_term=w.winter,
        deadline=w.deadline(),
        **kwargs,
    )


def _after_deadline(time_machine, round: Round) -> None:
    time_machine.move_to(round.deadline + timedelta(minutes=1), tick=False)


def test_the_round_proposes_every_series_of_the_ending_term_and_asks_each_group_once(planning):
    w = planning
    OutboxMessage.objects.all().delete()
    round = _open(w)

    proposals = {p.group.slug: p for p in round.wishes.all()}
    assert set(proposals) == {"backen", "cafe", "naehen"}  # the open-ended choir runs on
    backen = proposals["backen"]
    source = w.series["backen"]
    assert (backen.kind, backen.source_id) == (Wish.Kind.CONTINUATION, source.pk)
    assert (backen.room, backen.weekdays, backen.start_time, backen.end_time) == (
        w.kitchen,
        [WED],
        time(15),
        time(17),
    )
    assert backen.pauses_in_school_holidays and not proposals["cafe"].pauses_in_school_holidays
    invitations = OutboxMessage.objects.filter(kind=Kind.PLANNING_INVITATION)
    assert sorted(m.recipient.username for m in invitations) == [
        "leader-backen",
        "leader-cafe",
        "leader-naehen",
    ]
    invitation = rendered(invitations[0])  # e-mails are rendered by the dispatcher
    assert "Sommerhalbjahr 2027" in invitation.subject
    assert f"/me/planning/{round.pk}/" in invitation.text


def test_a_meeting_carried_on_by_a_later_series_is_proposed_once(planning, time_machine):
    """The demo's baking class has an earlier series for the months before (and an edit "from a
    date on" leaves one behind): the group meets in one slot, so it gets one proposal."""
    w = planning
    time_machine.move_to(datetime(2026, 9, 1, 9, tzinfo=UTC), tick=False)
    earlier = bookings_services.booking_request_create(
        user=w.staff,
        group=w.groups["backen"],
        room=w.kitchen,
        rule=weekly(WED, "15:00", "17:00", date(2026, 9, 2), date(2026, 11, 25)),
        expected_participants=10,
    )
    # Another slot of the same group that simply ended is still the group's to continue.
    tuesday = bookings_services.booking_request_create(
        user=w.staff,
        group=w.groups["backen"],
        room=w.kitchen,
        rule=weekly(TUE, "15:00", "17:00", date(2026, 9, 1), date(2026, 11, 24)),
        expected_participants=10,
    )
    time_machine.move_to(NOW, tick=False)
    round = _open(w)

    sources = set(round.wishes.filter(group__slug="backen").values_list("source_id", flat=True))
    assert sources == {w.series["backen"].pk, tuesday.pk}
    assert earlier.pk not in sources


def test_proposals_report_the_holidays_they_skip_and_the_wishes_they_clash_with(planning):
    w = planning
    round = _open(w)
    # A new group wants the kitchen at the baking class's time.
    rival = w.groups["naehen"]
    services.wish_create(
        user=w.leaders["naehen"],
        round=round,
        group=rival,
        slot=Slot(w.kitchen, (WED,), time(16), time(18)),
        expected_participants=8,
    )
    reports = {r.wish.group.slug + r.wish.kind: r for r in selectors.wish_reports(round).values()}
    backen = reports["backen" + Wish.Kind.CONTINUATION]
    cafe = reports["cafe" + Wish.Kind.CONTINUATION]
    new = reports["naehen" + Wish.Kind.NEW]
    # The course pauses in the Easter holidays (two Wednesdays), the café does not.
    assert backen.skipped_reasons == [("Osterferien NRW 2027", 2)]
    assert all(i.kind in ("holiday", "school_holiday") for d in cafe.skipped for i in d.skipped)
    assert ("Osterferien NRW 2027", 2) not in cafe.skipped_reasons
    # Both Wednesday wishes see each other, but only where the course meets.
    assert new.competitors == [backen.wish.pk]
    assert backen.competitors == [new.wish.pk]
    assert len(new.competing) == len(backen.takes_place)
    assert not backen.fits and not new.fits
    assert cafe.fits  # the choir's Thursday does not touch the café's Tuesday
    # The series being continued hold nothing against their own continuations.
    assert not reports["naehen" + Wish.Kind.CONTINUATION].clashing


def test_the_planning_reports_cost_the_same_queries_for_more_series(planning, make_group):
    w = planning
    round = _open(w)
    services.round_update(
        user=w.staff, round=round, deadline=round.deadline, priority_keys=["free"]
    )
    round = Round.objects.select_related("center", "term").get(pk=round.pk)
    with CaptureQueriesContext(connection) as few:
        selectors.wish_reports(round)
    for n in range(12):
        group = make_group(center=w.center, name=f"Gruppe {n}", slug=f"gruppe-x{n}")
        services.wish_create(
            user=w.staff,
            round=round,
            group=group,
            slot=Slot(w.seminar, ((n % 5),), time(8 + n % 10), time(9 + n % 10)),
            expected_participants=5,
        )
    with CaptureQueriesContext(connection) as many:
        reports = selectors.wish_reports(round)
    assert len(reports) == 15
    assert len(many) == len(few)


def test_leaders_confirm_change_or_end_until_the_deadline(planning, time_machine):
    w = planning
    round = _open(w)
    wishes = {p.group.slug: p for p in round.wishes.all()}
    services.wish_answer(
        user=w.leaders["cafe"],
        wish=wishes["cafe"],
        answer=Wish.Answer.CHANGE,
        slot=Slot(w.hall, (TUE,), time(15), time(18)),
    )
    services.wish_answer(user=w.leaders["naehen"], wish=wishes["naehen"], answer=Wish.Answer.END)
    with pytest.raises(PermissionDenied):
        services.wish_answer(user=w.leaders["cafe"], wish=wishes["backen"], answer=Wish.Answer.END)
    office = Room.objects.create(center=w.center, name="Büro", capacity=4)
    with pytest.raises(ValidationError) as bad:
        services.wish_answer(
            user=w.leaders["cafe"],
            wish=wishes["cafe"],
            answer=Wish.Answer.CHANGE,
            slot=Slot(office, (), time(18), time(15)),
        )
    assert set(bad.value.error_dict) == {"room", "weekdays", "end_time"}
    cafe = Wish.objects.get(pk=wishes["cafe"].pk)
    assert (cafe.answer, cafe.start_time, cafe.answered_by) == (
        Wish.Answer.CHANGE,
        time(15),
        w.leaders["cafe"],
    )
    page = selectors.round_page(round)
    assert page.answers[Wish.Answer.END] == 1
    _after_deadline(time_machine, round)
    with pytest.raises(ValidationError):
        services.wish_answer(user=w.leaders["backen"], wish=wishes["backen"], answer="continue")


def _compete(w, round, time_machine):
    """Two new wishes for the seminar room on Thursday morning: the paid course asked first."""
    course = services.wish_create(
        user=w.leaders["backen"],
        round=round,
        group=w.groups["backen"],  # a paid course
        slot=Slot(w.seminar, (3,), time(9), time(11)),
        expected_participants=8,
    )
    time_machine.shift(timedelta(hours=2))
    free = services.wish_create(
        user=w.leaders["cafe"],
        round=round,
        group=w.groups["cafe"],  # a free offer
        slot=Slot(w.seminar, (3,), time(10), time(12)),
        expected_participants=8,
    )
    return course, free


@pytest.mark.parametrize(("keys", "winner"), [(["free"], "free"), ([], "course")])
def test_allocation_follows_the_centers_priority_then_the_request_time(
    planning, time_machine, keys, winner
):
    w = planning
    round = _open(w, priority_keys=keys)
    course, free = _compete(w, round, time_machine)
    order = [x.pk for x in selectors.ordered(round, list(round.wishes.select_related("group")))]
    # Continuing groups first (the three proposals), then the priority, then request time.
    assert set(order[:3]) == {p.pk for p in round.wishes.filter(kind=Wish.Kind.CONTINUATION)}
    expected = [free.pk, course.pk] if winner == "free" else [course.pk, free.pk]
    assert order[3:] == expected

    _after_deadline(time_machine, round)
    allocation = services.round_allocate(user=w.staff, round=round)

    won, lost = (free, course) if winner == "free" else (course, free)
    won.refresh_from_db()
    lost.refresh_from_db()
    assert won.outcome == Wish.Outcome.ALLOCATED
    assert won.result.status == SeriesStatus.CONFIRMED
    assert won.result.term == w.summer
    assert lost.outcome == Wish.Outcome.OPEN
    assert [x.pk for x in allocation.clashing] == [lost.pk]
    assert len(allocation.allocated) == 4


def test_allocation_ends_the_old_series_with_the_term_and_books_the_continuations(
    planning, time_machine
):
    w = planning
    round = _open(w)
    ending = round.wishes.get(group__slug="naehen")
    services.wish_answer(user=w.leaders["naehen"], wish=ending, answer=Wish.Answer.END)
    _after_deadline(time_machine, round)
    OutboxMessage.objects.all().delete()
    services.round_allocate(user=w.staff, round=round)

    tz = w.center.tz
    for slug in ("backen", "cafe", "naehen"):
        old = w.series[slug]
        old.refresh_from_db()
        assert old.until == date(2027, 1, 31), slug
        later = old.occurrences.filter(starts_at__date__gt=date(2027, 1, 31))
        assert not later.filter(state__in=["requested", "confirmed"]).exists(), slug
    backen = round.wishes.get(group__slug="backen")
    assert backen.outcome == Wish.Outcome.ALLOCATED
    new = backen.result
    assert (new.room, new.term, new.pauses_in_school_holidays) == (w.kitchen, w.summer, True)
    skipped = new.occurrences.filter(cause=Cause.SCHOOL_HOLIDAY)
    assert sorted(o.starts_at.astimezone(tz).date() for o in skipped) == [
        date(2027, 3, 24),
        date(2027, 3, 31),
    ]
    assert round.wishes.get(group__slug="naehen").outcome == Wish.Outcome.ENDED
    # Nothing was sent yet: each group hears once, when staff send the results.
    assert not OutboxMessage.objects.exclude(kind=Kind.REQUEST_RECEIVED).exists()


def test_clashing_wishes_get_the_engines_alternatives_or_a_reasoned_decline(planning, time_machine):
    w = planning
    round = _open(w)
    course, free = _compete(w, round, time_machine)
    rival = services.wish_create(
        user=w.leaders["naehen"],
        round=round,
        group=w.groups["naehen"],
        slot=Slot(w.seminar, (3,), time(9), time(12)),
        expected_participants=8,
    )
    _after_deadline(time_machine, round)
    services.round_allocate(user=w.staff, round=round)
    free.refresh_from_db()
    assert free.outcome == Wish.Outcome.ALLOCATED
    # The engine offers another room at the same time for every clashing date.
    course.refresh_from_db()
    report = services.wish_check(course, *selectors.term_window(round))
    clashing = [d for d in report.dates if d.verdict == "refused"]
    offered = services.engine_alternatives(course, report.__class__(dates=clashing))
    assert all(offered[d.slot.original_start] for d in clashing)
    resolved = services.wish_resolve(user=w.staff, wish=course, action="alternatives")
    assert resolved.outcome == Wish.Outcome.ALTERNATIVES
    rooms = set(
        resolved.result.occurrences.filter(state=OccurrenceState.CONFIRMED).values_list(
            "room__name", flat=True
        )
    )
    assert rooms and w.seminar.name not in rooms
    # The last one is declined, with a reason the group will read.
    with pytest.raises(ValidationError):
        services.wish_resolve(user=w.staff, wish=rival, action="decline", reason=" ")
    services.wish_resolve(
        user=w.staff, wish=rival, action="decline", reason="Der Seminarraum ist vergeben."
    )
    rival.refresh_from_db()
    assert (rival.outcome, rival.result) == (Wish.Outcome.DECLINED, None)


def test_each_group_gets_one_email_with_all_its_outcomes(planning, time_machine):
    w = planning
    round = _open(w)
    course, _free = _compete(w, round, time_machine)  # two more wishes of backen and cafe
    _after_deadline(time_machine, round)
    OutboxMessage.objects.all().delete()
    services.round_allocate(user=w.staff, round=round)
    with pytest.raises(ValidationError):
        services.round_finish(user=w.staff, round=round)  # the course is still open
    services.wish_resolve(
        user=w.staff, wish=course, action="decline", reason="Kein Raum frei am Donnerstag."
    )
    written = services.round_finish(user=w.staff, round=round)

    mails = OutboxMessage.objects.all()
    assert written == 3
    assert sorted((m.kind, m.recipient.username) for m in mails) == [
        (Kind.PLANNING_RESULT, "leader-backen"),
        (Kind.PLANNING_RESULT, "leader-cafe"),
        (Kind.PLANNING_RESULT, "leader-naehen"),
    ]
    backen = rendered(mails.get(recipient__username="leader-backen"))
    assert "Kein Raum frei am Donnerstag." in backen.text
    assert backen.text.count("Backen") >= 2  # both of its wishes in one e-mail
    round.refresh_from_db()
    assert round.status == Round.Status.DONE
    with pytest.raises(ValidationError):
        services.round_finish(user=w.staff, round=round)


def test_a_running_allocation_is_not_started_twice_and_shows_its_progress(
    planning, time_machine, django_capture_on_commit_callbacks
):
    w = planning
    round = _open(w)
    _after_deadline(time_machine, round)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = services.round_allocation_start(user=w.staff, round=round)
    assert started.is_allocating and len(queued) == 1
    with pytest.raises(ValidationError):
        services.round_allocation_start(user=w.staff, round=started)  # still running
    with pytest.raises(ValidationError):
        services.round_finish(user=w.staff, round=started)
    queued[0]()  # the worker runs it
    round.refresh_from_db()
    assert not round.is_allocating
    assert not round.wishes.filter(outcome=Wish.Outcome.OPEN).exists()
    # A run that died long ago does not block a new one.
    Round.objects.filter(pk=round.pk).update(allocating_since=round.deadline - timedelta(hours=1))
    round.refresh_from_db()
    services.round_allocation_start(user=w.staff, round=round)


def test_only_staff_of_the_center_open_and_allocate(planning, time_machine, make_user):
    w = planning
    with pytest.raises(PermissionDenied):
        services.round_create(
            user=w.leaders["cafe"],
            center=w.center,
            term=w.summer,
            previous_term=w.winter,
            deadline=w.deadline(),
        )
    round = _open(w)
    with pytest.raises(ValidationError):
        services.round_allocate(user=w.staff, round=round)  # before the deadline
    _after_deadline(time_machine, round)
    with pytest.raises(PermissionDenied):
        services.round_allocate(user=make_user(), round=round)
    with pytest.raises(ValidationError):
        _open(w)  # one round per term


def test_a_round_cannot_plan_a_term_that_has_begun_or_end_after_it_starts(planning):
    w = planning
    with pytest.raises(ValidationError) as begun:
        services.round_create(
            user=w.staff,
            center=w.center,
            term=w.winter,
            previous_term=None,
            deadline=w.deadline(),
        )
    assert "term" in begun.value.error_dict
    with pytest.raises(ValidationError) as late:
        services.round_create(
            user=w.staff,
            center=w.center,
            term=w.summer,
            previous_term=w.winter,
            deadline=w.deadline(days=90),
        )
    assert "deadline" in late.value.error_dict
