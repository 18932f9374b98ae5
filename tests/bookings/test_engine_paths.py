"""Every path through the one engine: closures, one clash definition, locks, lost updates,
series changes, jobs and the mirror (issue 11, "What was seen", part 2).

Each test reproduces one thing that went wrong around the main path and shows the engine's
answer now. They run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bookings import alternatives, conflicts, scheduler, services
from bookings.errors import StaleEdit
from bookings.jobs import holidays_apply, mirror_check
from bookings.models import Cause, Occurrence, OccurrenceState, RoomBlock, SeriesStatus
from bookings.policy import Verdict
from bookings.recurrence import Slot, localize
from centers.models import Closure
from portal.selectors import request_preview

from ._engine import (
    confirmed_overlaps,
    states,
    world_fixture,  # noqa: F401 - provides the `world` fixture
)
from .test_policy_rules import _book, _soon

pytestmark = pytest.mark.django_db


# --- closures go through the engine -------------------------------------------------------


def test_a_closure_cancels_its_dates_and_removing_it_brings_them_back(world):
    w = world
    series = _book(w, start=date(2030, 5, 7), frequency="weekly", count=3)
    other = _book(w, group=w.other_group, room=w.half_a, start=date(2030, 5, 14))
    tz = w.center.tz
    closure, cancelled = services.closure_create(
        user=w.staff,
        center=w.center,
        starts_at=datetime(2030, 5, 14, tzinfo=tz),
        ends_at=datetime(2030, 5, 15, tzinfo=tz),
        reason="Betriebsausflug",
    )
    assert {o.series_id for o in cancelled} == {series.pk, other.pk}
    assert states(series) == ["confirmed", "cancelled", "confirmed"]
    middle = series.occurrences.order_by("starts_at")[1]
    assert (middle.cause, middle.closure, middle.prior_state) == (
        Cause.CLOSURE,
        closure,
        "confirmed",
    )
    # Someone books the kitchen on the closed day after all? The engine refuses (skipped).
    with pytest.raises(ValidationError):
        _book(w, group=w.other_group, room=w.kitchen, start=date(2030, 5, 14))
    # Shortening the closure to the morning brings the evening dates back.
    change = services.closure_update(
        user=w.staff,
        closure=closure,
        room=None,
        starts_at=datetime(2030, 5, 14, 8, tzinfo=tz),
        ends_at=datetime(2030, 5, 14, 12, tzinfo=tz),
        reason="Betriebsausflug (vormittags)",
    )
    assert {o.pk for o in change.reinstated} == {middle.pk, other.occurrences.get().pk}
    assert states(series) == ["confirmed"] * 3
    assert other.occurrences.get().state == "confirmed"
    # A full-day closure again, then deleted: the dates come back where free; a date whose
    # slot was taken meanwhile stays cancelled and is reported.
    closure.refresh_from_db()
    services.closure_update(
        user=w.staff,
        closure=closure,
        room=None,
        starts_at=datetime(2030, 5, 14, tzinfo=tz),
        ends_at=datetime(2030, 5, 15, tzinfo=tz),
        reason="Betriebsausflug",
    )
    assert states(series) == ["confirmed", "cancelled", "confirmed"]
    closure.refresh_from_db()
    change = services.closure_delete(user=w.staff, closure=closure)
    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert states(series) == ["confirmed"] * 3
    assert not change.not_reinstated
    assert confirmed_overlaps() == 0


def test_a_closure_that_cannot_give_a_date_back_reports_it(world):
    w = world
    series = _book(w, start=date(2030, 5, 14))
    tz = w.center.tz
    closure, _ = services.closure_create(
        user=w.staff,
        center=w.center,
        room=w.kitchen,
        starts_at=datetime(2030, 5, 14, tzinfo=tz),
        ends_at=datetime(2030, 5, 15, tzinfo=tz),
        reason="Wasserschaden",
    )
    row = series.occurrences.get()
    row.refresh_from_db()
    assert row.state == "cancelled"
    # A second closure covers the same day: removing the first cannot bring the date back.
    second, _ = services.closure_create(
        user=w.staff,
        center=w.center,
        starts_at=datetime(2030, 5, 14, 17, tzinfo=tz),
        ends_at=datetime(2030, 5, 14, 22, tzinfo=tz),
        reason="Stromausfall",
    )
    change = services.closure_delete(user=w.staff, closure=closure)
    assert list(change.not_reinstated) == [row.pk]
    row.refresh_from_db()
    assert (row.state, row.closure) == ("cancelled", second)
    # ...and removing the second one does.
    services.closure_delete(user=w.staff, closure=second)
    row.refresh_from_db()
    assert row.state == "confirmed"


def test_a_closure_added_in_the_admin_cancels_its_dates(admin_client, world):
    w = world
    series = _book(w, start=date(2030, 5, 14))
    url = f"/admin/centers/center/{w.center.pk}/change/"
    page = admin_client.get(url)
    data = _admin_post_data(page)
    prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model is Closure
    )
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data.update(
        {
            f"{prefix}-{total}-reason": "Renovierung",
            f"{prefix}-{total}-room": "",
            f"{prefix}-{total}-starts_at_0": "2030-05-14",
            f"{prefix}-{total}-starts_at_1": "00:00",
            f"{prefix}-{total}-ends_at_0": "2030-05-15",
            f"{prefix}-{total}-ends_at_1": "00:00",
            f"{prefix}-{total}-center": str(w.center.pk),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    row = series.occurrences.get()
    assert (row.state, row.cause) == ("cancelled", Cause.CLOSURE)
    closure = Closure.objects.get(reason="Renovierung")
    assert row.closure == closure
    # Deleting it in the admin brings the date back.
    page = admin_client.get(url)
    data = _admin_post_data(page)
    forms = next(f for f in page.context["inline_admin_formsets"] if f.formset.model is Closure)
    index = next(i for i, form in enumerate(forms.formset.forms) if form.instance.pk == closure.pk)
    data[f"{prefix}-{index}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "confirmed"


def _form_values(form) -> dict[str, object]:
    """A form's current values, as the browser would post them back."""
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        widget = field.widget
        if hasattr(widget, "widgets") and hasattr(widget, "decompress"):  # split date and time
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif value is None:
            data[bound.html_name] = ""
        elif value is True:
            data[bound.html_name] = "on"
        elif value is not False:
            data[bound.html_name] = str(value)
    return data


def _admin_post_data(page) -> dict[str, object]:
    """The admin change form with its inlines, as the browser would post it back."""
    data = _form_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for form in formset.forms:
            data.update(_form_values(form))
    return data


# --- one definition of a clash ------------------------------------------------------------


@pytest.fixture
def three_clashes(world):
    """A buffer clash (the kitchen needs 30 minutes to clean up), a divisible-hall clash (half A
    against the whole hall) and a closure: each a requested date, the same definition."""
    w = world
    for room in (w.kitchen, w.hall, w.half_a, w.half_b):
        room.requires_approval = True
        room.save(update_fields=["requires_approval"])
    w.kitchen.cleanup_minutes = 30
    w.kitchen.save(update_fields=["cleanup_minutes"])
    day = _soon(1)
    booked_kitchen = _book(
        w, group=w.other_group, room=w.kitchen, start=day, start_time="16:00", end_time="18:00"
    )
    booked_hall = _book(w, group=w.other_group, room=w.hall, start=day)
    services.series_confirm(user=w.staff, series=booked_kitchen)
    services.series_confirm(user=w.staff, series=booked_hall)
    buffer = _book(w, room=w.kitchen, start=day, start_time="18:15", end_time="19:00")
    divisible = _book(w, room=w.half_a, start=day, start_time="19:00", end_time="21:00")
    closed = _book(w, room=w.half_b, start=day + timedelta(days=1))
    tz = w.center.tz
    Closure.objects.create(  # written directly: the read paths must see it whoever wrote it
        center=w.center,
        room=w.half_b,
        starts_at=localize(datetime.combine(day + timedelta(days=1), time(0)), tz),
        ends_at=localize(datetime.combine(day + timedelta(days=2), time(0)), tz),
        reason="Boden wird geölt",
    )
    return w, day, {"buffer": buffer, "divisible": divisible, "closure": closed}


def test_every_surface_gives_the_same_answer_for_the_same_clashes(three_clashes):
    from console import selectors as staff_selectors
    from notifications.selectors import digest_clashes

    w, day, cases = three_clashes
    tz = w.center.tz
    start = localize(datetime.combine(day, time(0)), tz)
    end = start + timedelta(days=3)
    with translation.override("en"):
        overview = {
            c.occurrence.series_id: c.issues
            for c in staff_selectors.clashes_between(w.center, start, end)
        }
        digest = {
            o.series_id: tuple(r) for o, r in digest_clashes(center=w.center, start=day, days=3)
        }
        board = staff_selectors.board(center=w.center, day=day, view="week")
        board_entries = {
            e.series_id: e.clashes
            for row in board.week_grid.rows
            for cell in row.cells
            for e in cell.items
            if e.clashes
        }
        cards = {s.pk: staff_selectors.request_card(s) for s in cases.values()}
    for name, series in cases.items():
        row = series.occurrences.get()
        expected = tuple(i.message for i in cards[series.pk].dates[0].hard)
        assert expected, f"{name}: the request page sees a clash"
        assert overview[series.pk] == expected, name
        assert digest[series.pk] == expected, name
        assert board_entries[series.pk] == expected, name
        # The preview of the same request, and the confirmation, agree.
        with translation.override("en"):
            preview = request_preview(
                group=series.group,
                room=row.room,
                rule=series.rule,
                expected_participants=series.expected_participants,
            )
        assert preview.dates[0].verdict in (Verdict.REFUSED, Verdict.SKIPPED), name
        result = services.series_confirm(user=w.staff, series=series, skip_clashing=True)
        assert result.confirmed == [], name
        # The alternatives the engine offers for it pass the same check.
        offered = alternatives.alternatives_for(
            room=row.room,
            slot=Slot(row.starts_at, row.ends_at, row.original_start),
            ignore_series_id=series.pk,
        )
        assert (row.room, row.starts_at, row.ends_at) not in [
            (a.room, a.starts_at, a.ends_at) for a in offered
        ], name
        for alternative in offered:
            report = conflicts.check(
                room=alternative.room,
                slots=[Slot(alternative.starts_at, alternative.ends_at, occurrence_id=row.pk)],
                ignore_series_id=series.pk,
            )
            assert not report.dates[0].hard, (name, alternative.label)
    assert confirmed_overlaps() == 0


# --- locking, lost updates ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_lock_helper_refuses_to_run_outside_a_transaction(world):
    from bookings.locking import lock

    with pytest.raises(RuntimeError):
        lock(rooms=[world.kitchen.pk])


def test_a_stale_series_change_is_refused_and_changes_nothing(world):
    w = world
    series = _book(w, start=date(2030, 5, 7), frequency="weekly", count=4)
    seen = series.version
    first = series.occurrences.order_by("starts_at").first()
    services.occurrence_cancel(user=w.leader, occurrence=first, reason="Krank")
    before = list(series.occurrences.order_by("pk").values_list("state", "starts_at", "version"))
    with pytest.raises(StaleEdit):
        services.series_update(
            user=w.other_leader if False else w.leader,
            series=series,
            from_date=date(2030, 5, 7),
            rule=series.rule.with_changes(start_time=time(10), end_time=time(12)),
            expected_version=seen,
        )
    assert (
        list(series.occurrences.order_by("pk").values_list("state", "starts_at", "version"))
        == before
    )


# --- series changes keep exceptions; bad input is a clear error ---------------------------


def test_a_weekday_change_keeps_a_date_staff_moved_on_purpose(world):
    w = world
    series = _book(w, start=date(2030, 5, 7), frequency="weekly", weekdays=(1,), count=4)
    second = series.occurrences.order_by("starts_at")[1]
    services.occurrence_move(
        user=w.staff, occurrence=second, starts_at=second.starts_at + timedelta(days=1)
    )
    services.series_update(
        user=w.leader,
        series=series,
        from_date=date(2030, 5, 7),
        rule=series.rule.with_changes(weekdays=(3,)),
    )
    second.refresh_from_db()
    assert second.state == OccurrenceState.CONFIRMED
    assert second.starts_at.astimezone(w.center.tz).date() == date(2030, 5, 15)
    live = series.occurrences.exclude(state="cancelled")
    assert {o.starts_at.astimezone(w.center.tz).weekday() for o in live} == {2, 3}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_in_year_1_or_9999_are_a_400_with_a_message(client, world, day):
    client.force_login(world.leader)
    data = {
        "group": world.group.pk,
        "room": world.kitchen.pk,
        "start_date": day,
        "start_time": "18:00",
        "end_time": "20:00",
        "frequency": "weekly",
        "ends": "never",
        "expected_participants": 4,
        "send": "1",
    }
    response = client.post("/me/request/", data)
    assert response.status_code == 400
    assert "Datum zwischen" in response.content.decode()
    assert not world.group.series.exists()
    preview = client.post("/me/request/preview/", data)
    assert preview.status_code == 200


def test_a_change_from_a_date_after_the_series_end_is_a_clear_error(client, world):
    series = _book(world, start=date(2030, 5, 7), frequency="weekly", count=2)
    client.force_login(world.leader)
    response = client.post(
        f"/me/series/{series.pk}/change/",
        {
            "change-from_date": "2030-09-01",
            "change-start_time": "10:00",
            "change-end_time": "12:00",
            "change-version": series.version,
        },
    )
    assert response.status_code == 400
    assert "keine Termine mehr" in response.content.decode()
    with pytest.raises(ValidationError):
        services.series_update(
            user=world.leader, series=series, from_date=date(9999, 12, 31), rule=series.rule
        )


# --- jobs go through the services; the mirror stays consistent ----------------------------


def test_the_holidays_job_cancels_through_the_engine_with_reason_status_and_history(
    world, time_machine
):
    w = world
    time_machine.move_to(datetime(2030, 4, 20, 12, tzinfo=UTC), tick=False)
    series = _book(w, start=date(2030, 4, 23), frequency="weekly", count=2)
    assert states(series) == ["confirmed", "confirmed"]
    # A date that got onto a holiday behind the engine's back (say, an import) ...
    first = series.occurrences.order_by("starts_at").first()
    tz = w.center.tz
    labour_day = localize(datetime(2030, 5, 1, 18), tz)
    Occurrence.objects.filter(pk=first.pk).update(
        starts_at=labour_day,
        ends_at=labour_day + timedelta(hours=2),
        original_start=labour_day,
    )
    RoomBlock.objects.filter(occurrence=first).update(
        starts_at=labour_day, ends_at=labour_day + timedelta(hours=2)
    )
    # ... is found by the job and cancelled through the services.
    assert holidays_apply(today=date(2030, 4, 20)) == 1
    first.refresh_from_db()
    assert (first.state, first.cause, first.prior_state) == (
        "cancelled",
        Cause.HOLIDAY,
        "confirmed",
    )
    assert first.reason == "Erster Mai"
    assert first.history.first().history_change_reason == "Erster Mai"
    assert not RoomBlock.objects.filter(occurrence=first).exists()
    series.refresh_from_db()
    assert series.status == SeriesStatus.CONFIRMED  # one date still takes place
    assert holidays_apply(today=date(2030, 4, 20)) == 0  # once only


@pytest.mark.django_db(transaction=True)
def test_the_mirror_follows_the_holidays_job_and_the_check_repairs_drift(world):
    w = world
    series = _book(w, start=date(2030, 4, 22), frequency="weekly", count=4)
    window = (datetime(2030, 4, 1, tzinfo=UTC), datetime(2030, 6, 1, tzinfo=UTC))
    series.refresh_from_db()
    assert scheduler.drift(series, *window) == set()
    # Somebody breaks the mirror behind the engine's back: the periodic check repairs it.
    series.event.occurrence_set.all().delete()
    first = series.occurrences.order_by("starts_at").first()
    Occurrence.objects.filter(pk=first.pk).update(state="cancelled")
    series.refresh_from_db()
    assert scheduler.drift(series, *window)
    drifted = scheduler.mirror_check(start=window[0], end=window[1])
    assert drifted == {series.pk: 1}
    series.refresh_from_db()
    assert scheduler.drift(series, *window) == set()
    assert mirror_check() == {}


@pytest.mark.django_db(transaction=True)
def test_the_mirror_check_reads_across_dst_like_the_rows(world):
    """A window given in UTC must not make django-scheduler expand the rule in UTC."""
    series = _book(world, start=date(2030, 3, 4), frequency="weekly", until=date(2030, 4, 29))
    series.refresh_from_db()
    window = (datetime(2030, 3, 1, tzinfo=UTC), datetime(2030, 5, 31, tzinfo=UTC))
    assert scheduler.drift(series, *window) == set()
    assert scheduler.mirror_check(start=window[0], end=window[1]) == {}
