"""The leader pages: dashboard, request with preview, series, room occupancy."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from bookings import services
from bookings.models import OccurrenceState, Series, SeriesStatus
from notifications.models import Message

from .conftest import TUESDAYS, request_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, place):
    client.force_login(place.leader)
    return client


@pytest.fixture
def clashes(place, book):
    """Kochgruppe Zukunft has the kitchen confirmed on the 2nd and 4th Tuesday."""
    return [
        book(user=place.other_leader, group=place.other_group, room=place.kitchen, day=day)
        for day in (TUESDAYS[1], TUESDAYS[3])
    ]


def utc_key(day, hour_local):
    """The slot key of a Berlin wall-clock hour in February (UTC+1)."""
    return datetime(day.year, day.month, day.day, hour_local - 1, tzinfo=UTC).strftime(
        "%Y%m%dT%H%M%SZ"
    )


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_shows_groups_requests_changes_and_staff_messages(
    leader_client, place, book, make_user
):
    confirmed = book(
        user=place.leader, group=place.group, room=place.cafe, frequency="weekly", count=3
    )
    pending = book(user=place.leader, group=place.group, room=place.hall, day=TUESDAYS[3])
    first = confirmed.occurrences.order_by("starts_at").first()
    services.occurrence_cancel(user=place.leader, occurrence=first, reason="Sommerfest")
    staff = make_user(username="steffi")
    Message.objects.create(sender=staff, series=pending, body="Bitte Tische zurückstellen.")

    response = leader_client.get(reverse("leader:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Frauenfrühstück" in html
    assert str(confirmed.get_status_display()) in html
    assert str(SeriesStatus.PENDING.label) in html or "Entscheidung" in html
    assert "Sommerfest" in html  # the cancelled date with its reason
    assert "Bitte Tische zurückstellen." in html
    assert reverse("leader:series", args=[pending.pk]) in html


def test_dashboard_marks_moved_dates(leader_client, place, book, make_user):
    series = book(user=place.leader, group=place.group, room=place.hall)  # pending
    occurrence = series.occurrences.get()
    staff = make_user()
    place.center.staff.add(staff)
    services.occurrence_move(
        user=staff, occurrence=occurrence, room=place.cafe, reason="Saal wird renoviert"
    )
    html = leader_client.get(reverse("leader:dashboard")).content.decode()
    assert "badge-moved" in html
    assert "Café" in html


# --- request form ------------------------------------------------------------------------------


def test_request_form_renders_with_labels(leader_client, place):
    response = leader_client.get(reverse("leader:request"))
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("group", "room", "start_date", "start_time", "end_time", "expected_participants"):
        assert f'for="id_{field}"' in html
    assert "htmx.min.js" in html
    assert 'hx-post="/me/request/preview/"' in html


def test_submitting_a_free_series_in_a_room_without_approval_confirms_it(leader_client, place):
    response = leader_client.post(reverse("leader:request"), request_data(place, send="1"))
    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leader:series", args=[series.pk])
    assert series.status == SeriesStatus.CONFIRMED
    assert series.occurrences.filter(state=OccurrenceState.CONFIRMED).count() == 4
    assert series.note == "Wir bringen eigenes Geschirr mit."


def test_submitting_in_a_room_with_approval_leaves_it_pending(leader_client, place):
    leader_client.post(reverse("leader:request"), request_data(place, room=place.hall.pk))
    assert Series.objects.get().status == SeriesStatus.PENDING


def test_preview_lists_every_date_with_its_status_and_alternatives(leader_client, place, clashes):
    response = leader_client.post(reverse("leader:request_preview"), request_data(place))
    html = response.content.decode()
    assert response.status_code == 200
    preview = response.context["preview"]
    assert len(preview.dates) == 4
    assert [d.report.is_free for d in preview.dates] == [True, False, True, False]
    assert html.count("Kochgruppe Zukunft") >= 2
    assert 'hx-swap-oob="innerHTML"' in html  # the live region is updated
    for clash in preview.clashing:
        assert clash.alternatives, "every clash offers alternatives"
        assert f'name="alt-{clash.key}"' in html


def test_check_dates_without_javascript_renders_the_same_preview(leader_client, place, clashes):
    response = leader_client.post(reverse("leader:request"), request_data(place, check="1"))
    assert response.status_code == 200
    assert len(response.context["preview"].clashing) == 2
    assert not Series.objects.exclude(group=place.other_group).exists()


def test_submit_with_a_picked_alternative_books_it(leader_client, place, clashes):
    preview = leader_client.post(reverse("leader:request_preview"), request_data(place)).context[
        "preview"
    ]
    clash = preview.clashing[0]
    pick = clash.alternatives[0]
    data = request_data(place, send="1")
    data[f"alt-{clash.key}"] = pick.value
    response = leader_client.post(reverse("leader:request"), data)
    assert response.status_code == 302
    series = Series.objects.get(group=place.group)
    moved = series.occurrences.get(original_start=clash.report.slot.original_start)
    assert (moved.room_id, moved.starts_at, moved.ends_at) == (
        pick.room.pk,
        pick.starts_at,
        pick.ends_at,
    )


def test_form_with_errors_keeps_every_value_including_picked_alternatives(
    leader_client, place, clashes, make_equipment
):
    oven = make_equipment("oven", "Backofen")
    for room in (place.kitchen, place.cafe, place.hall):
        room.equipment.add(oven)
    preview = leader_client.post(
        reverse("leader:request_preview"), request_data(place, equipment=[oven.pk])
    ).context["preview"]
    clash = preview.clashing[0]
    pick = clash.alternatives[0]
    data = request_data(place, send="1", end_time="17:00", equipment=[oven.pk])
    data[f"alt-{clash.key}"] = pick.value
    response = leader_client.post(reverse("leader:request"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "end_time" in response.context["form"].errors
    assert 'value="2030-02-05"' in html
    assert 'value="18:00"' in html
    assert 'value="17:00"' in html
    assert "Wir bringen eigenes Geschirr mit." in html
    assert f'value="{oven.pk}"' in html and "checked" in html
    # With the end time fixed, the preview comes back with the pick still taken.
    data["end_time"] = "20:00"
    data.pop("send")
    data["check"] = "1"
    html = leader_client.post(reverse("leader:request"), data).content.decode()
    assert f'value="{pick.value}" checked' in html


def test_any_suitable_room_lists_rooms_that_are_free_and_fit(leader_client, place, clashes):
    response = leader_client.post(
        reverse("leader:request_preview"), request_data(place, room="", expected_participants="20")
    )
    preview = response.context["preview"]
    assert preview.any_room
    # The kitchen is too small and clashes; café and hall fit and are free.
    assert [r.name for r in preview.suitable_rooms] == ["Café", "Saal"]
    assert 'name="suggested_room"' in response.content.decode()


def test_submit_with_any_room_needs_a_pick_then_books_it(leader_client, place):
    data = request_data(place, room="", send="1")
    response = leader_client.post(reverse("leader:request"), data)
    assert response.status_code == 400
    assert "room" in response.context["form"].errors
    data["suggested_room"] = place.cafe.pk
    response = leader_client.post(reverse("leader:request"), data)
    assert response.status_code == 302
    assert Series.objects.get().room == place.cafe


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": "2020-01-07"}, "start_date"),
        ({"end_time": "18:00"}, "end_time"),
        ({"ends": "until", "until": ""}, "until"),
        ({"ends": "count", "count": ""}, "count"),
        ({"expected_participants": "0"}, "expected_participants"),
        ({"frequency": "monthly", "monthly_position": ""}, "monthly_position"),
    ],
)
def test_bad_input_is_named_on_its_field(leader_client, place, overrides, field):
    response = leader_client.post(reverse("leader:request"), request_data(place, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Series.objects.exists()


def test_monthly_on_the_last_thursday(leader_client, place):
    data = request_data(
        place, frequency="monthly", monthly_position="-1", monthly_weekday="3", count="3"
    )
    preview = leader_client.post(reverse("leader:request_preview"), data).context["preview"]
    days = [d.starts_at.astimezone(place.center.tz).date().isoformat() for d in preview.dates]
    assert days == ["2030-02-28", "2030-03-28", "2030-04-25"]


def test_open_ended_weekly_is_checked_up_to_the_horizon(leader_client, place):
    data = request_data(place, ends="never")
    preview = leader_client.post(reverse("leader:request_preview"), data).context["preview"]
    assert preview.horizon is not None
    assert len(preview.dates) > 4


def test_new_request_prefilled_from_a_series(leader_client, place, book):
    series = book(
        user=place.leader,
        group=place.group,
        room=place.cafe,
        frequency="weekly",
        count=3,
        weekdays=(1,),
    )
    form = leader_client.get(reverse("leader:request") + f"?from_series={series.pk}").context[
        "form"
    ]
    assert form.initial["group"] == place.group.pk
    assert form.initial["start_time"] == time(18)
    assert form.initial["weekdays"] == [1]


# --- series page -------------------------------------------------------------------------------


@pytest.fixture
def my_series(place, book):
    return book(
        user=place.leader,
        group=place.group,
        room=place.cafe,
        frequency="weekly",
        count=4,
        weekdays=(1,),
    )


def test_series_page_lists_dates_with_state_and_actions(leader_client, my_series):
    response = leader_client.get(reverse("leader:series", args=[my_series.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["page"].dates) == 4
    # Each future date can be cancelled and moved.
    assert html.count('action="/me/dates/') == 8
    assert html.count("/move/") == 4
    assert reverse("leader:series_end", args=[my_series.pk]) in html
    assert f"?from_series={my_series.pk}" in html


def _v(series) -> int:
    series.refresh_from_db()
    return series.version


def test_a_stale_edit_changes_nothing_and_shows_what_changed_meanwhile(
    leader_client, my_series, place
):
    """Two people on one series: the later submit must not undo the earlier one."""
    seen = my_series.version
    first, second = my_series.occurrences.order_by("starts_at")[:2]
    services.occurrence_cancel(user=place.leader, occurrence=first, reason="Krank")
    before = list(my_series.occurrences.order_by("starts_at").values_list("state", "starts_at"))
    response = leader_client.post(
        reverse("leader:series_change", args=[my_series.pk]),
        {
            "change-from_date": "2030-02-05",
            "change-start_time": "10:00",
            "change-end_time": "12:00",
            "change-version": seen,
            "change-seen": "2020-01-01T00:00:00+00:00",
        },
    )
    assert response.status_code == 409
    assert (
        list(my_series.occurrences.order_by("starts_at").values_list("state", "starts_at"))
        == before
    )
    changed = response.context["changed_meanwhile"]
    assert any(entry.why == "Krank" for entry in changed)
    assert "Krank" in response.content.decode()
    # A date edited from an old version of the date is refused the same way.
    second_version = second.version
    services.occurrence_move(
        user=place.leader, occurrence=second, starts_at=second.starts_at + timedelta(hours=1)
    )
    response = leader_client.post(
        reverse("leader:occurrence_cancel", args=[second.pk]),
        {"reason": "x", "version": second_version},
    )
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.state != OccurrenceState.CANCELLED


def test_move_one_date_and_take_a_cancelled_one_up_again(leader_client, my_series, place):
    first = my_series.occurrences.order_by("starts_at").first()
    tz = place.center.tz
    local = first.starts_at.astimezone(tz)
    response = leader_client.post(
        reverse("leader:occurrence_move", args=[first.pk]),
        {
            "version": first.version,
            "date": local.date().isoformat(),
            "start_time": "10:00",
            "end_time": "11:30",
            "room": place.cafe.pk,
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.starts_at.astimezone(tz).hour == 10 and first.room == place.cafe
    response = leader_client.post(
        reverse("leader:occurrence_cancel", args=[first.pk]),
        {"reason": "Ausflug", "version": first.version},
    )
    first.refresh_from_db()
    assert first.state == OccurrenceState.CANCELLED
    page = leader_client.get(reverse("leader:series", args=[my_series.pk])).content.decode()
    assert reverse("leader:occurrence_reinstate", args=[first.pk]) in page
    response = leader_client.post(
        reverse("leader:occurrence_reinstate", args=[first.pk]), {"version": first.version}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == OccurrenceState.CONFIRMED
    assert first.history.first().history_change_reason


def test_a_move_onto_another_booking_is_refused_and_changes_nothing(
    leader_client, my_series, place, book
):
    other = book(user=place.other_leader, group=place.other_group, room=place.kitchen)
    taken = other.occurrences.get()
    assert taken.state == OccurrenceState.CONFIRMED
    mine = my_series.occurrences.order_by("starts_at").first()
    tz = place.center.tz
    before = (mine.room_id, mine.starts_at, mine.state)
    response = leader_client.post(
        reverse("leader:occurrence_move", args=[mine.pk]),
        {
            "version": mine.version,
            "date": taken.starts_at.astimezone(tz).date().isoformat(),
            "start_time": taken.starts_at.astimezone(tz).strftime("%H:%M"),
            "end_time": taken.ends_at.astimezone(tz).strftime("%H:%M"),
            "room": taken.room_id,
        },
    )
    mine.refresh_from_db()
    assert response.status_code == 400
    assert "Kochgruppe Zukunft" in response.content.decode()
    assert (mine.room_id, mine.starts_at, mine.state) == before


def test_cancel_one_date_with_a_reason(leader_client, my_series):
    occurrence = my_series.occurrences.order_by("starts_at")[1]
    url = reverse("leader:occurrence_cancel", args=[occurrence.pk])
    response = leader_client.post(url, {"reason": "", "version": occurrence.version})
    assert response.status_code == 400
    assert response.context["cancel_pk"] == occurrence.pk
    response = leader_client.post(url, {"reason": "Ferien", "version": occurrence.version})
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert (occurrence.state, occurrence.reason) == (OccurrenceState.CANCELLED, "Ferien")
    assert my_series.occurrences.filter(state=OccurrenceState.CONFIRMED).count() == 3


def test_end_series_from_a_date_on(leader_client, my_series):
    response = leader_client.post(
        reverse("leader:series_end", args=[my_series.pk]),
        {"end-last_date": "2030-02-12", "end-reason": "Kurs endet", "end-version": _v(my_series)},
    )
    assert response.status_code == 302
    states = list(my_series.occurrences.order_by("starts_at").values_list("state", flat=True))
    assert states[:2] == ["confirmed", "confirmed"]
    assert set(states[2:]) <= {"cancelled"}


def test_change_time_from_a_date_on(leader_client, my_series):
    response = leader_client.post(
        reverse("leader:series_change", args=[my_series.pk]),
        {
            "change-from_date": "2030-02-19",
            "change-start_time": "10:00",
            "change-end_time": "12:00",
            "change-version": _v(my_series),
        },
    )
    assert response.status_code == 302, response.context and response.context["change_form"].errors
    tz = my_series.group.center.tz
    active = my_series.occurrences.exclude(state="cancelled").order_by("starts_at")
    hours = [o.starts_at.astimezone(tz).hour for o in active]
    assert hours[:2] == [18, 18]
    assert set(hours[2:]) == {10}


def test_withdraw_a_pending_request(leader_client, place, book):
    series = book(user=place.leader, group=place.group, room=place.hall)
    response = leader_client.post(
        reverse("leader:series_withdraw", args=[series.pk]),
        {"withdraw-reason": "Doch nicht", "withdraw-version": _v(series)},
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.status == SeriesStatus.WITHDRAWN


# --- room occupancy ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["week", "month"])
def test_room_occupancy_shows_who_and_the_state_in_words(leader_client, place, book, view):
    book(user=place.other_leader, group=place.other_group, room=place.hall)  # requested
    book(
        user=place.other_leader,
        group=place.other_group,
        room=place.hall,
        day=TUESDAYS[0],
        start=time(10),
        end=time(12),
    )
    response = leader_client.get(
        reverse("leader:room", args=[place.hall.pk]), {"view": view, "date": "2030-02-05"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Kochgruppe Zukunft") == 2
    assert "18:00–20:00" in html
    assert "badge-requested" in html


@pytest.mark.parametrize("date", ["gestern", "9999-12-31", "0001-01-01"])
def test_room_occupancy_bad_parameters_fall_back_and_say_so(leader_client, place, date):
    response = leader_client.get(
        reverse("leader:room", args=[place.kitchen.pk]),
        {"view": "year", "date": date},
    )
    assert response.status_code == 400
    assert response.context["calendar"].view == "week"
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Zum Datum:" in body and "Ansicht:" in body  # the leader reads German
