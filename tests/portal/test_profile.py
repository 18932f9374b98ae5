"""The profile page: language (switches the pages too), e-mail notifications, private feed."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import FeedToken
from accounts.tokens import feed_token_lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, place):
    client.force_login(place.leader)
    return client


def test_profile_shows_settings_with_labels(leader_client):
    response = leader_client.get(reverse("accounts:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="de"' in html
    assert 'for="id_email_notifications"' in html
    assert "Deutsch" in html and "English" in html


def test_switching_language_saves_it_and_switches_the_pages(leader_client, place):
    response = leader_client.post(
        reverse("accounts:profile"), {"preferred_language": "en", "email_notifications": "on"}
    )
    assert response.status_code == 302
    place.leader.refresh_from_db()
    assert place.leader.preferred_language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = leader_client.get(reverse("leader:dashboard")).content.decode()
    assert 'lang="en"' in page
    assert "My groups" in page

    leader_client.post(reverse("accounts:profile"), {"preferred_language": "de"})
    place.leader.refresh_from_db()
    assert place.leader.preferred_language == "de"
    assert place.leader.email_notifications is False  # unticked box means "no e-mails"
    assert 'lang="de"' in leader_client.get(reverse("leader:dashboard")).content.decode()


def test_bad_language_is_refused(leader_client, place):
    response = leader_client.post(reverse("accounts:profile"), {"preferred_language": "xx"})
    assert response.status_code == 400
    place.leader.refresh_from_db()
    assert place.leader.preferred_language == "de"


def test_rotate_shows_the_new_address_once_and_the_old_one_stops(leader_client, place):
    first = leader_client.post(reverse("accounts:feed_rotate")).context["new_feed_url"]
    assert "/feeds/private/" in first and first.endswith(".ics")
    first_token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed_token_lookup(first_token).user == place.leader

    # Shown once: the page only says that an address exists.
    page = leader_client.get(reverse("accounts:profile"))
    assert page.context["new_feed_url"] == ""
    assert first_token not in page.content.decode()

    second = leader_client.post(reverse("accounts:feed_rotate")).context["new_feed_url"]
    assert second != first
    assert feed_token_lookup(first_token) is None
    assert feed_token_lookup(second.rsplit("/", 1)[1].removesuffix(".ics")) is not None


def test_revoke_switches_the_address_off(leader_client, place):
    url = leader_client.post(reverse("accounts:feed_rotate")).context["new_feed_url"]
    response = leader_client.post(reverse("accounts:feed_revoke"))
    assert response.status_code == 302
    assert feed_token_lookup(url.rsplit("/", 1)[1].removesuffix(".ics")) is None
    assert not FeedToken.objects.filter(user=place.leader, revoked_at__isnull=True).exists()


def test_feed_actions_need_post(leader_client):
    assert leader_client.get(reverse("accounts:feed_rotate")).status_code == 405


def test_calendar_invitations_can_be_turned_off(leader_client, place):
    html = leader_client.get(reverse("accounts:profile")).content.decode()
    assert 'for="id_calendar_invitations"' in html
    assert "Kalendereinladungen" in html
    assert place.leader.calendar_invitations is True  # on unless the leader turns it off
    leader_client.post(
        reverse("accounts:profile"), {"preferred_language": "de", "email_notifications": "on"}
    )
    place.leader.refresh_from_db()
    assert place.leader.calendar_invitations is False
    assert place.leader.email_notifications is True
