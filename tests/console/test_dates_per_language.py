"""Dates and history read naturally in each language: no US dates in English, no raw state
values and no German words in the English history."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from bookings import services

US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
AM_PM = re.compile(r"\b[ap]\.m\.")
RAW = re.compile(r"\b(partly_confirmed|school_holiday)\b")
GERMAN_IN_ENGLISH = ("angefragt", "verlegt", "automatisch", "bestätigt", "abgelehnt")


@pytest.mark.parametrize(
    ("language", "short_date", "short_datetime", "long_date"),
    [
        ("en", "29 Nov 2026", "1 Dec 2026, 18:00", "15 December 2026"),
        ("de", "29.11.2026", "01.12.2026 18:00", "15. Dezember 2026"),
    ],
)
def test_date_formats_per_language(language, short_date, short_datetime, long_date):
    with translation.override(language):
        assert date_format(date(2026, 11, 29), "SHORT_DATE_FORMAT") == short_date
        assert (
            date_format(datetime(2026, 12, 1, 18, tzinfo=ZoneInfo("UTC")), "SHORT_DATETIME_FORMAT")
            == short_datetime
        )
        assert date_format(date(2026, 12, 15), "DATE_FORMAT") == long_date


def _page(client, user, url: str, language: str) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _decided(world):
    """The request partly confirmed (two dates clash), one of them moved to the café."""
    services.series_confirm(user=world.staff, series=world.request, skip_clashing=True)
    first = world.request.occurrences.order_by("starts_at").first()
    services.occurrence_move(user=world.staff, occurrence=first, room=world.cafe)
    world.request.refresh_from_db()
    assert world.request.status == "partly_confirmed"
    return world.request


def test_english_request_page_has_english_dates_and_history(client, world):
    series = _decided(world)

    body = _page(
        client,
        world.staff,
        reverse("staff:request", kwargs={"slug": world.center.slug, "pk": series.pk}),
        "en",
    )

    history = body.split('class="history"', 1)[1]
    assert not US_DATE.search(body), US_DATE.search(body)
    assert not AM_PM.search(body)
    assert "19 Feb 2030" in body
    assert not RAW.search(history)
    for word in GERMAN_IN_ENGLISH:
        assert word not in history, word
    assert "partly confirmed" in history
    assert "confirmed automatically" in history or "moved" in history


def test_german_request_page_has_german_dates_and_history(client, world):
    series = _decided(world)

    body = _page(
        client,
        world.staff,
        reverse("staff:request", kwargs={"slug": world.center.slug, "pk": series.pk}),
        "de",
    )

    history = body.split('class="history"', 1)[1]
    assert "19.02.2030" in body
    assert not RAW.search(history)
    assert "angefragt" in history


@pytest.mark.parametrize("language", ["en", "de"])
def test_leader_pages_have_no_us_dates(client, world, language):
    for url in (reverse("leader:dashboard"), reverse("leader:series", args=[world.request.pk])):
        body = _page(client, world.lale, url, language)
        assert not US_DATE.search(body), (url, US_DATE.search(body))
        assert not AM_PM.search(body), url
