"""Feed links on pages: from SITE_URL when set, else from the request; in the page's language;
and the feed says which language it is in (issue 12, item 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from bookings.models import Occurrence


@pytest.fixture
def group(make_chor) -> Any:
    return make_chor(weekdays=[1], start_date=date(2030, 1, 1), until=date(2030, 3, 1))


def _page(client: Client, group: Any, *, host: str, language: str) -> str:
    response = client.get(
        group.get_absolute_url(), headers={"host": host, "accept-language": language}
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_links_follow_the_request_when_site_url_is_empty(client: Client, group, settings) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    html = _page(client, group, host="127.0.0.1:8101", language="de")
    assert 'href="webcal://127.0.0.1:8101/feeds/group/chor.ics"' in html
    assert "cid=webcal%3A%2F%2F127.0.0.1%3A8101%2Ffeeds%2Fgroup%2Fchor.ics" in html
    assert 'href="http://127.0.0.1:8101/feeds/group/chor.ics" data-kind="https" download' in html
    assert ":8000" not in html


@pytest.mark.django_db
def test_links_use_site_url_when_it_is_set(client: Client, group, settings) -> None:
    settings.SITE_URL = "https://treffpunkt.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    html = _page(client, group, host="127.0.0.1:8101", language="de")
    assert 'href="webcal://treffpunkt.example.org/feeds/group/chor.ics"' in html
    assert "127.0.0.1:8101/feeds" not in html


@pytest.mark.django_db
def test_an_english_page_links_the_english_feed(client: Client, group, settings) -> None:
    settings.SITE_URL = ""
    english = _page(client, group, host="127.0.0.1:8101", language="en")
    assert 'href="webcal://127.0.0.1:8101/feeds/group/chor.ics?lang=en"' in english
    assert "cid=webcal%3A%2F%2F127.0.0.1%3A8101%2Ffeeds%2Fgroup%2Fchor.ics%3Flang%3Den" in english
    assert "download>" in english and '.ics?lang=en" data-kind="https" download' in english
    assert '/feeds/group/chor.ics"' not in english  # no German feed linked anywhere
    dates = english.split('class="date-ics" href="')[1:]
    assert dates and all(part.split('"')[0].endswith("?lang=en") for part in dates)
    german = _page(client, group, host="127.0.0.1:8101", language="de")
    assert "lang=en" not in german


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "browser", "expected"), [("?lang=en", "de", "en"), ("", "en", "de")]
)
def test_content_language_is_the_feeds(
    client: Client, group, query: str, browser: str, expected: str
) -> None:
    response = client.get(f"/feeds/group/chor.ics{query}", headers={"accept-language": browser})
    assert response["Content-Language"] == expected
    row = Occurrence.objects.filter(series__group=group).first()
    one = client.get(f"/feeds/occurrence/{row.pk}.ics{query}", headers={"accept-language": browser})
    assert one["Content-Language"] == expected
