"""The planning pages: staff of the center only (404 for everyone else, whatever the method),
bad input is a 400 with a message and changes nothing, and every step goes through the
services. Leaders answer and wish on their own page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bookings.models import OccurrenceState
from centers.models import SchoolHoliday, Term
from planning.models import Round, Wish

from .conftest import WED

pytestmark = pytest.mark.django_db

AUTUMN_FIX = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//DE\r\n"
    "BEGIN:VEVENT\r\nUID:ostern-2027\r\nDTSTART;VALUE=DATE:20270308\r\n"
    "DTEND;VALUE=DATE:20270321\r\nSUMMARY:Osterferien NRW 2027\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def _url(w, suffix: str = "") -> str:
    return f"/staff/{w.center.slug}/planning/{suffix}"


def _open_round(client, w) -> Round:
    response = client.post(
        _url(w),
        {
            "term": w.summer.pk,
            "previous_term": w.winter.pk,
            "deadline_day": "2026-12-10",
            "deadline_time": "18:00",
            "priority_1": "free",
            "priority_2": "audience:children",
        },
    )
    round = Round.objects.get(term=w.summer)
    assert response.status_code == 302
    assert response["Location"] == _url(w, f"{round.pk}/")
    return round


def test_staff_of_other_centers_and_leaders_get_404_for_every_planning_page(
    client, planning, make_user, make_center
):
    w = planning
    other = make_user()
    make_center().staff.add(other)
    client.force_login(w.staff)
    round = _open_round(client, w)
    pages = ["", "terms/", f"terms/{w.summer.pk}/", "school-holidays/", f"{round.pk}/"]
    posts = [f"{round.pk}/stop/", f"{round.pk}/allocate/", f"{round.pk}/finish/"]
    for user in (other, w.leaders["cafe"]):
        client.force_login(user)
        for page in pages:
            assert client.get(_url(w, page)).status_code == 404, page
        for page in posts:
            assert client.post(_url(w, page), {"version": round.version}).status_code == 404
    client.logout()
    assert client.get(_url(w)).status_code == 302  # to the login


def test_staff_open_the_planning_and_see_every_proposal_with_its_report(client, planning):
    w = planning
    client.force_login(w.staff)
    assert client.get(_url(w)).status_code == 200
    round = _open_round(client, w)
    assert list(round.priorities) == ["free", "audience:children"]
    page = client.get(_url(w, f"{round.pk}/"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Backen", "Cafe", "Naehen"):
        assert name in html
    assert "Osterferien NRW 2027 (2)" in html  # the course pauses; the report says so
    # A second round for the same term is refused on the form.
    again = client.post(
        _url(w),
        {"term": w.summer.pk, "deadline_day": "2026-12-10", "deadline_time": "18:00"},
    )
    assert again.status_code == 400


def test_a_bad_round_form_is_a_400_and_opens_nothing(client, planning):
    w = planning
    client.force_login(w.staff)
    response = client.post(
        _url(w), {"term": w.summer.pk, "deadline_day": "2027-06-01", "deadline_time": "x"}
    )
    assert response.status_code == 400
    response = client.post(_url(w), {"term": w.summer.pk, "deadline_day": "9999-01-01"})
    assert response.status_code == 400
    response = client.post(_url(w), {"term": w.summer.pk, "deadline_day": "2027-06-01"})
    assert response.status_code == 400  # after the term begins
    assert "vor dem Beginn des Zeitraums" in response.content.decode()
    assert not Round.objects.exists()


def test_staff_add_and_change_terms(client, planning):
    w = planning
    client.force_login(w.staff)
    response = client.post(
        _url(w, "terms/"),
        {"name": "Winterhalbjahr 2027/28", "first_day": "2027-08-16", "last_day": "2028-01-31"},
    )
    assert response.status_code == 302
    term = Term.objects.get(name="Winterhalbjahr 2027/28")
    overlapping = client.post(
        _url(w, "terms/"),
        {"name": "Zu früh", "first_day": "2027-07-01", "last_day": "2027-09-01"},
    )
    assert overlapping.status_code == 400
    assert "overlaps" in overlapping.content.decode() or "überschneidet" in (
        overlapping.content.decode()
    )
    response = client.post(
        _url(w, f"terms/{term.pk}/"),
        {
            "name": "Winterhalbjahr 2027/28",
            "first_day": "2027-08-23",
            "last_day": "2028-01-31",
            "version": term.version,
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.first_day.isoformat() == "2027-08-23"


def test_staff_upload_the_ministrys_file_and_the_dates_follow(client, planning):
    w = planning
    client.force_login(w.staff)
    # The Easter holidays move two weeks earlier: the course's Easter Wednesdays come back,
    # two earlier Wednesdays are skipped.
    upload = SimpleUploadedFile("ferien.ics", AUTUMN_FIX.encode(), content_type="text/calendar")
    response = client.post(_url(w, "school-holidays/"), {"file": upload})
    assert response.status_code == 302
    assert SchoolHoliday.objects.get(name="Osterferien NRW 2027").first_day.isoformat() == (
        "2027-03-08"
    )
    course = w.series["backen"]
    states = dict(
        course.occurrences.filter(starts_at__date__gte="2027-03-01").values_list(
            "starts_at__date", "state"
        )
    )
    assert [states[d] for d in sorted(states)] == [
        OccurrenceState.CONFIRMED,  # 3 March
        OccurrenceState.CANCELLED,  # 10 March: now in the holidays
        OccurrenceState.CANCELLED,  # 17 March
        OccurrenceState.CONFIRMED,  # 24 March: back
        OccurrenceState.CONFIRMED,  # 31 March
    ]
    page = client.get(_url(w, "school-holidays/"))
    assert "Osterferien NRW 2027" in page.content.decode()


def test_a_broken_upload_is_a_400_with_the_reason_and_changes_nothing(client, planning):
    w = planning
    client.force_login(w.staff)
    before = list(SchoolHoliday.objects.values_list("pk", flat=True))
    upload = SimpleUploadedFile("ferien.ics", b"<html>no</html>", content_type="text/calendar")
    response = client.post(_url(w, "school-holidays/"), {"file": upload})
    assert response.status_code == 400
    assert "iCalendar" in response.content.decode()
    assert list(SchoolHoliday.objects.values_list("pk", flat=True)) == before


def test_the_sitting_books_what_fits_and_staff_decide_the_rest(
    client, planning, django_capture_on_commit_callbacks
):
    from planning import services
    from planning.services import Slot

    w = planning
    client.force_login(w.staff)
    round = _open_round(client, w)
    rival = services.wish_create(
        user=w.leaders["naehen"],
        round=round,
        group=w.groups["naehen"],
        slot=Slot(w.kitchen, (WED,), w.series["backen"].start_time, w.series["backen"].end_time),
        expected_participants=8,
    )
    assert client.get(_url(w, f"{round.pk}/allocate/")).status_code == 200
    round.refresh_from_db()
    stop = client.post(_url(w, f"{round.pk}/stop/"), {"version": round.version})
    assert stop.status_code == 302
    round.refresh_from_db()
    page = client.get(_url(w, f"{round.pk}/allocate/"))
    assert "3 wishes fit" in page.content.decode() or "3 Wünsche passen" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True) as started:
        client.post(_url(w, f"{round.pk}/allocate/"), {"version": round.version})
    assert len(started) == 1  # the background job (inline here: no broker)
    round.refresh_from_db()
    assert not round.is_allocating
    status = client.get(_url(w, f"{round.pk}/allocate/status/"))
    assert status["HX-Refresh"] == "true"
    rival.refresh_from_db()
    assert rival.outcome == Wish.Outcome.OPEN
    page = client.get(_url(w, f"{round.pk}/allocate/")).content.decode()
    assert f'id="clash-{rival.pk}"' in page
    assert "Backen" in page  # side by side with the wish that got the slot
    round.refresh_from_db()
    # A decline without a reason is refused; with one, it is taken.
    client.post(
        _url(w, f"{round.pk}/wishes/{rival.pk}/resolve/"),
        {"version": round.version, "action": "decline", "reason": ""},
    )
    rival.refresh_from_db()
    assert rival.outcome == Wish.Outcome.OPEN
    client.post(
        _url(w, f"{round.pk}/wishes/{rival.pk}/resolve/"),
        {"version": round.version, "action": "decline", "reason": "Küche belegt."},
    )
    rival.refresh_from_db()
    assert (rival.outcome, rival.outcome_note) == (Wish.Outcome.DECLINED, "Küche belegt.")
    round.refresh_from_db()
    client.post(_url(w, f"{round.pk}/finish/"), {"version": round.version})
    round.refresh_from_db()
    assert round.status == Round.Status.DONE


def test_leaders_answer_on_their_page_and_see_only_their_groups(client, planning):
    w = planning
    client.force_login(w.staff)
    round = _open_round(client, w)
    backen = round.wishes.get(group__slug="backen")
    client.force_login(w.leaders["backen"])
    page = client.get(f"/me/planning/{round.pk}/").content.decode()
    assert "Backen" in page and "Naehen" not in page
    assert client.get("/me/").content.decode().count(f"/me/planning/{round.pk}/") >= 1
    bad = client.post(
        f"/me/planning/{round.pk}/wishes/{backen.pk}/answer/",
        {f"w{backen.pk}-answer": "change", f"w{backen.pk}-room": w.kitchen.pk},
    )
    assert bad.status_code == 400
    backen.refresh_from_db()
    assert backen.answer == Wish.Answer.PENDING
    good = client.post(
        f"/me/planning/{round.pk}/wishes/{backen.pk}/answer/",
        {
            f"w{backen.pk}-answer": "change",
            f"w{backen.pk}-room": w.kitchen.pk,
            f"w{backen.pk}-weekdays": ["3"],
            f"w{backen.pk}-start_time": "15:30",
            f"w{backen.pk}-end_time": "17:30",
        },
    )
    assert good.status_code == 302
    backen.refresh_from_db()
    assert (backen.answer, backen.weekdays) == (Wish.Answer.CHANGE, [3])
    # Another group's proposal does not exist for this leader.
    cafe = round.wishes.get(group__slug="cafe")
    other = client.post(
        f"/me/planning/{round.pk}/wishes/{cafe.pk}/answer/", {f"w{cafe.pk}-answer": "end"}
    )
    assert other.status_code == 404
    # A new wish for the term.
    response = client.post(
        f"/me/planning/{round.pk}/wish/",
        {
            "new-group": w.groups["backen"].pk,
            "new-room": w.seminar.pk,
            "new-weekdays": ["4"],
            "new-start_time": "10:00",
            "new-end_time": "12:00",
            "new-interval": "1",
            "new-expected_participants": "6",
        },
    )
    assert response.status_code == 302
    new = round.wishes.get(kind=Wish.Kind.NEW)
    assert (new.group, new.pauses_in_school_holidays) == (w.groups["backen"], True)  # a course
    assert new.requested_at >= round.created_at - timedelta(seconds=1)
