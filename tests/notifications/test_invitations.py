"""Calendar invitations by e-mail (issue 12, item 6): a leader's confirmation carries the series
as an iTIP REQUEST, later changes update it in place (same UID, higher SEQUENCE) or cancel it,
and leaders can turn it off. Each REQUEST is read by the four parsers and must list exactly the
series' dates in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.cache import cache

from bookings import services
from bookings.models import OccurrenceState, Series, SeriesStatus
from calendars.selectors import feed_window
from notifications.dispatch import outbox_dispatch_pending
from tests.calendars.icalcheck import icalcheck
from tests.groups.factories import store_dates

NOW = datetime(2026, 3, 15, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def world(make_center, make_room, make_group, make_user) -> dict[str, Any]:
    staff = make_user(email="petra@example.org")
    center = make_center(slug="hdk", time_zone="Europe/Berlin", contact_email="info@hdk.example")
    center.staff.add(staff)
    room = make_room(center=center, name="Saal")
    hans = make_user(username="hans", first_name="Hans", email="hans@example.org")
    amira = make_user(username="amira", first_name="Amira", email="amira@example.org")
    group = make_group(center=center, name="Chor", slug="chor", leaders=[hans, amira])
    return {
        "center": center,
        "room": room,
        "group": group,
        "staff": staff,
        "hans": hans,
        "amira": amira,
    }


def _requested(world: dict[str, Any]) -> Series:
    """A weekly request (Tuesdays 18–20, February to June), confirmed by staff."""
    series = Series.objects.create(
        group=world["group"],
        room=world["room"],
        status=SeriesStatus.PENDING,
        created_by=world["hans"],
        frequency="weekly",
        weekdays=[1],
        start_date=date(2026, 3, 17),
        until=date(2026, 6, 30),
        start_time=time(18),
        end_time=time(20),
    )
    store_dates(series, state=OccurrenceState.REQUESTED)
    return series


def _confirmed(world: dict[str, Any]) -> Series:
    series = _requested(world)
    services.series_confirm(user=world["staff"], series=series)
    series.refresh_from_db()
    return series


def _sent_to(address: str) -> list[Any]:
    """Send what is pending; the e-mails to `address` sent now."""
    mail.outbox.clear()
    outbox_dispatch_pending()
    return [m for m in mail.outbox if m.to == [address]]


def _calendar(email: Any) -> tuple[Message | None, bytes]:
    """The text/calendar alternative of an e-mail and the invite.ics attachment's bytes."""
    mime = email.message()
    part = next((p for p in mime.walk() if p.get_content_type() == "text/calendar"), None)
    attached = next((p for p in mime.walk() if p.get_filename() == "invite.ics"), None)
    return part, attached.get_payload(decode=True) if attached is not None else b""


def _events(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check(world: dict[str, Any], series: Series, body: bytes, tmp_path: Path) -> None:
    """Four parsers read the invitation; its dates are the series' confirmed dates, exactly."""
    tz = world["center"].tz
    window = feed_window(NOW.astimezone(tz).date(), tz)
    _, occurrences = icalcheck(body, tmp_path, window)
    rows = series.occurrences.filter(state=OccurrenceState.CONFIRMED)
    expected = {(_utc(r.starts_at), _utc(r.ends_at)) for r in rows}
    shown = {(o["start"], o["end"]) for o in occurrences if o["status"] == "CONFIRMED"}
    assert shown == expected
    assert len(expected) == 16


def _uid(series: Series) -> str:
    return f"series-{series.pk}@127.0.0.1"


@pytest.mark.django_db
def test_the_confirmation_carries_the_series_as_an_itip_request(world, tmp_path: Path) -> None:
    series = _confirmed(world)
    (email,) = _sent_to("hans@example.org")
    part, attached = _calendar(email)
    assert part is not None
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    body = part.get_payload(decode=True)
    assert attached == body
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["METHOD"]) == "REQUEST"
    (master,) = _events(body)
    assert str(master["UID"]) == _uid(series)
    assert str(master["ATTENDEE"]) == "mailto:hans@example.org"
    assert master["ATTENDEE"].params["CN"] == "Hans"
    assert str(master["ORGANIZER"]) == "mailto:info@hdk.example"
    assert int(master["SEQUENCE"]) >= series.sequence
    _check(world, series, body, tmp_path)


@pytest.mark.django_db
def test_a_moved_date_sends_a_request_with_the_same_uid_and_a_higher_sequence(
    world, tmp_path: Path
) -> None:
    series = _confirmed(world)
    (first,) = _sent_to("hans@example.org")
    invited = int(_events(_calendar(first)[0].get_payload(decode=True))[0]["SEQUENCE"])
    row = series.occurrences.order_by("starts_at")[2]
    services.occurrence_move(
        user=world["staff"],
        occurrence=row,
        starts_at=row.starts_at + timedelta(hours=1),
        ends_at=row.ends_at + timedelta(hours=1),
        reason="Versammlung im Saal",
    )
    (update,) = _sent_to("hans@example.org")
    part, _attached = _calendar(update)
    assert part.get_param("method") == "REQUEST"
    body = part.get_payload(decode=True)
    events = _events(body)
    assert {str(e["UID"]) for e in events} == {_uid(series)}
    assert all(int(e["SEQUENCE"]) > invited for e in events)
    (override,) = [e for e in events if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt == row.original_start
    assert override["DTSTART"].dt == row.starts_at + timedelta(hours=1)
    _check(world, series, body, tmp_path)


@pytest.mark.django_db
def test_a_cancelled_date_sends_a_cancel_of_that_date(world, tmp_path: Path) -> None:
    series = _confirmed(world)
    (first,) = _sent_to("amira@example.org")
    invited = int(_events(_calendar(first)[0].get_payload(decode=True))[0]["SEQUENCE"])
    row = series.occurrences.order_by("starts_at")[3]
    services.occurrence_cancel(user=world["hans"], occurrence=row, reason="Chorfahrt")
    (update,) = _sent_to("amira@example.org")
    part, _attached = _calendar(update)
    assert part.get_param("method") == "CANCEL"
    body = part.get_payload(decode=True)
    assert str(icalendar.Calendar.from_ical(body)["METHOD"]) == "CANCEL"
    (cancelled,) = _events(body)
    assert str(cancelled["UID"]) == _uid(series)
    assert cancelled["RECURRENCE-ID"].dt == row.original_start
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > invited
    assert str(cancelled["ATTENDEE"]) == "mailto:amira@example.org"
    tz = world["center"].tz
    window = feed_window(date(2026, 3, 15), tz)
    _, occurrences = icalcheck(body, tmp_path, window, allow=("has no master VEVENT",))
    assert [(o["start"], o["status"]) for o in occurrences] == [
        (_utc(row.original_start), "CANCELLED")
    ]


@pytest.mark.django_db
def test_withdrawing_the_series_sends_a_cancel_of_the_series(world, tmp_path: Path) -> None:
    series = _confirmed(world)
    (first,) = _sent_to("amira@example.org")
    invited = int(_events(_calendar(first)[0].get_payload(decode=True))[0]["SEQUENCE"])
    # Hans withdraws: he made the change and gets no e-mail; Amira's calendar is updated.
    services.series_withdraw(user=world["hans"], series=series, reason="Der Chor pausiert")
    (update,) = _sent_to("amira@example.org")
    part, _attached = _calendar(update)
    assert part.get_param("method") == "CANCEL"
    (master,) = _events(part.get_payload(decode=True))
    assert str(master["UID"]) == _uid(series)
    assert "RECURRENCE-ID" not in master
    assert str(master["STATUS"]) == "CANCELLED"
    assert int(master["SEQUENCE"]) > invited
    # The four parsers read it as every date of the series, cancelled.
    tz = world["center"].tz
    _, occurrences = icalcheck(
        part.get_payload(decode=True), tmp_path, feed_window(date(2026, 3, 15), tz)
    )
    assert {o["status"] for o in occurrences} == {"CANCELLED"}
    assert {o["start"] for o in occurrences} == {
        _utc(r.original_start) for r in series.occurrences.all()
    }


@pytest.mark.django_db
def test_the_option_turned_off_sends_the_email_without_the_invitation(world) -> None:
    hans = world["hans"]
    hans.calendar_invitations = False
    hans.save(update_fields=["calendar_invitations"])
    series = _confirmed(world)
    (email,) = _sent_to("hans@example.org")
    assert _calendar(email) == (None, b"")
    assert [m.mimetype for m in email.alternatives] == ["text/html"]
    assert not email.attachments
    # No invitation, so no update either: nothing to change in a calendar that has nothing.
    row = series.occurrences.order_by("starts_at")[1]
    services.occurrence_cancel(user=world["amira"], occurrence=row, reason="Chorfahrt")
    (update,) = _sent_to("hans@example.org")
    assert _calendar(update) == (None, b"")
    assert _sent_to("amira@example.org") == []  # she cancelled it herself


@pytest.mark.django_db
def test_a_leader_who_turned_it_on_later_gets_no_update_for_an_earlier_series(world) -> None:
    hans = world["hans"]
    hans.calendar_invitations = False
    hans.save(update_fields=["calendar_invitations"])
    series = _confirmed(world)
    _sent_to("hans@example.org")
    hans.calendar_invitations = True
    hans.save(update_fields=["calendar_invitations"])
    row = series.occurrences.order_by("starts_at")[1]
    services.occurrence_cancel(user=world["staff"], occurrence=row, reason="Schließtag")
    (update,) = _sent_to("hans@example.org")
    assert _calendar(update) == (None, b"")


@pytest.mark.django_db
def test_a_retry_sends_the_same_invitation(world, settings) -> None:
    from notifications.models import OutboxMessage

    _confirmed(world)
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingEmailBackend"
    outbox_dispatch_pending()
    row = OutboxMessage.objects.get(recipient=world["hans"])
    assert "METHOD:REQUEST" in row.calendar
    stored = row.calendar
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row.next_attempt_at = NOW
    row.save(update_fields=["next_attempt_at"])
    (email,) = _sent_to("hans@example.org")
    assert _calendar(email)[0].get_payload(decode=True).decode() == stored
