"""Golden files: every e-mail, in both languages, subject + plain text + HTML.

The goldens are generated output; after the translator fills the German catalogue, regenerate
them with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/notifications/test_emails.py` and review the
diff. Everything that varies between runs (primary keys, creation times) is fixed here.
"""

import os
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings

from bookings.models import Occurrence, OccurrenceState, SeriesStatus
from notifications import emails
from notifications.models import Kind, Message

from .conftest import BERLIN, at, weekly

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
LANGUAGES = ["de", "en"]
FIRST = date(2026, 3, 3)  # a Tuesday; the DST switch (29 March) falls inside the series


def _check(name: str, rendered: emails.Rendered) -> None:
    actual = (
        f"Subject: {rendered.subject}\n\n"
        f"===== text/plain =====\n{rendered.text}\n"
        f"===== text/html =====\n{rendered.html}"
    )
    path = GOLDEN / f"{name}.txt"
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"golden file {path.name} is missing; run with UPDATE_GOLDEN=1")
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.fixture
def series_world(scene, make_series):
    """Five weekly dates: two confirmed, one declined, one moved to the café, one waiting."""
    with time_machine.travel(datetime(2026, 2, 20, 9, 30, tzinfo=BERLIN), tick=False):
        series = make_series(
            days=weekly(FIRST, 5),
            states=[
                OccurrenceState.CONFIRMED,
                OccurrenceState.CONFIRMED,
                OccurrenceState.DECLINED,
                OccurrenceState.CONFIRMED,
                OccurrenceState.REQUESTED,
            ],
            status=SeriesStatus.PARTLY_CONFIRMED,
            note="Wir bringen eigene Wolle mit.\nBitte Tische zusammenstellen.",
            decision_note="",
        )
    dates = list(series.occurrences.order_by("starts_at"))
    moved = dates[3]
    moved.room = scene.cafe
    moved.starts_at = at(moved.starts_at.astimezone(BERLIN).date(), 17)
    moved.ends_at = at(moved.starts_at.astimezone(BERLIN).date(), 19)
    moved.save(update_fields=["room", "starts_at", "ends_at"])
    return series, dates


CASES = {
    Kind.REQUEST_RECEIVED: {"recipient": "staff", "dates": [0, 1, 2, 3, 4], "reason": ""},
    Kind.REQUEST_CONFIRMED: {"dates": [0, 1], "reason": "Schlüssel bitte am Empfang abholen."},
    Kind.REQUEST_PARTLY_CONFIRMED: {"dates": [0, 1, 3], "reason": "", "whole": True},
    Kind.REQUEST_DECLINED: {"dates": [2], "reason": "Der Saal ist für Umbauarbeiten gesperrt."},
    Kind.DATE_MOVED: {"dates": [3], "reason": "Im Saal findet eine Versammlung statt."},
    Kind.DATE_CANCELLED: {"dates": [0, 1], "reason": "Schließung: Betriebsausflug"},
    Kind.DATE_DECLINED: {"dates": [2], "reason": "Konkurrierende Anfrage wurde bestätigt."},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(CASES))
@override_settings(SITE_URL="https://treffpunkt.example.org")
def test_series_event_email_matches_golden(kind, language, scene, series_world):
    series, dates = series_world
    case = CASES[kind]
    recipient = scene.staff if case.get("recipient") == "staff" else scene.leader_de
    context = emails.series_event_context(
        series=series,
        occurrences=[dates[i] for i in case["dates"]],
        whole=dates if case.get("whole") else None,
        actor=scene.staff,
        reason=case["reason"],
        recipient=recipient,
    )
    _check(f"{kind}.{language}", emails.render(kind, context, language=language, tz=BERLIN))


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(SITE_URL="https://treffpunkt.example.org")
def test_reminder_email_matches_golden(language, scene, series_world):
    _series, dates = series_world
    moved = Occurrence.objects.select_related("series__group__center", "series__room", "room").get(
        pk=dates[3].pk
    )
    context = emails.reminder_context(occurrence=moved, recipient=scene.leader_en)
    _check(f"reminder.{language}", emails.render("reminder", context, language=language, tz=BERLIN))


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(SITE_URL="https://treffpunkt.example.org")
def test_digest_email_matches_golden(language, scene, series_world, make_series):
    _series, _dates = series_world
    with time_machine.travel(datetime(2026, 2, 25, 11, 0, tzinfo=BERLIN), tick=False):
        competing = make_series(days=[FIRST], title="Chor Harmonie")
    clash = (competing.occurrences.get(), ["clashes with Strickcafé Wollmäuse in Saal"])
    context = emails.digest_context(
        center=scene.center,
        recipient=scene.staff,
        week_start=date(2026, 3, 2),
        open_requests=[competing],
        clashes=[clash],
    )
    _check(f"digest.{language}", emails.render("digest", context, language=language, tz=BERLIN))


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(SITE_URL="https://treffpunkt.example.org")
def test_empty_digest_email_matches_golden(language, scene):
    context = emails.digest_context(
        center=scene.center,
        recipient=scene.staff,
        week_start=date(2026, 3, 2),
        open_requests=[],
        clashes=[],
    )
    rendered = emails.render("digest", context, language=language, tz=BERLIN)
    _check(f"digest-empty.{language}", rendered)


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(SITE_URL="https://treffpunkt.example.org")
def test_message_email_matches_golden(language, scene, series_world):
    series, _dates = series_world
    message = Message(
        sender=scene.staff,
        series=series,
        body="Am 10. März ist der Aufzug defekt.\nBitte den Hintereingang <Hof> nutzen.",
    )
    context = emails.message_context(message=message, recipient=scene.leader_en)
    _check(f"message.{language}", emails.render("message", context, language=language, tz=BERLIN))


def test_html_escapes_user_text_and_plain_text_does_not(scene, series_world):
    series, _dates = series_world
    message = Message(sender=scene.staff, series=series, body="Tom & Jerry <b>")
    context = emails.message_context(message=message, recipient=scene.leader_en)
    rendered = emails.render("message", context, language="en", tz=BERLIN)
    assert "Tom &amp; Jerry &lt;b&gt;" in rendered.html
    assert "Tom & Jerry <b>" in rendered.text
    assert "\n" not in rendered.subject
