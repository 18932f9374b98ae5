"""After "change the time from a date on", the series summary says from when the change applies
and what the earlier dates keep."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(place, book):
    return book(
        user=place.leader,
        group=place.group,
        room=place.cafe,
        frequency="weekly",
        count=4,
        weekdays=(1,),
    )


def _when(client, series, language: str) -> str:
    client.cookies["django_language"] = language
    body = client.get(reverse("leader:series", args=[series.pk])).content.decode()
    facts = body.split('class="facts"', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts, re.S)
    return pairs[1][1]  # Status, then When


def _change(client, place, series):
    client.force_login(place.leader)
    series.refresh_from_db()
    response = client.post(
        reverse("leader:series_change", args=[series.pk]),
        {
            "change-from_date": "2030-02-19",
            "change-start_time": "10:00",
            "change-end_time": "12:00",
            "change-version": series.version,
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("language", "since", "before"),
    [
        ("en", "from 19 February 2030", "until 12 February 2030: 18:00–20:00"),
        ("de", "ab 19. Februar 2030", "bis 12. Februar 2030: 18:00–20:00"),
    ],
)
def test_the_summary_says_from_when_the_new_time_applies(
    client,
    place,
    series,
    language,
    since,
    before,
):
    _change(client, place, series)

    when = _when(client, series, language)

    assert since in when
    assert "10:00–12:00" in when
    assert before in when


def test_an_unchanged_series_reads_as_before(client, place, series):
    client.force_login(place.leader)

    when = _when(client, series, "en")

    assert "18:00–20:00" in when
    assert "from " not in when and "until " not in when
