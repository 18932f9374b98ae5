"""Brute-force brakes: wrong passwords pause logging in, reset requests are limited, and none of
the answers tells whether an account exists."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.throttle import client_ip

RIGHT = "richtig-und-lang-genug"


def attempt(client: Client, username: str, password: str, **extra: str):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(response) -> bool:
    return response.wsgi_request.user.is_authenticated


@pytest.fixture
def irina(make_user):
    return make_user(username="irina", email="irina@example.org", password=RIGHT)


def test_the_sixth_attempt_is_refused_even_with_the_right_password_until_the_pause_ends(
    client, irina
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(5):
            response = attempt(client, "irina", f"falsch-{n}")
            assert not logged_in(response)
            clock.shift(timedelta(seconds=10))
        # The fifth wrong password already paused the account.
        assert response.status_code == 429

        response = attempt(client, "irina", RIGHT)
        body = response.content.decode()
        assert response.status_code == 429
        assert not logged_in(response)
        assert "Bitte versuchen Sie es in 15 Minuten erneut." in body
        assert response["Retry-After"] == "900"

        clock.shift(timedelta(minutes=14))
        response = attempt(client, "irina", RIGHT, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 429
        assert "Please try again in 1 minute." in response.content.decode()

        clock.shift(timedelta(minutes=1, seconds=1))
        response = attempt(client, "irina", RIGHT)
        assert response.status_code == 302
        assert logged_in(response)


def test_four_wrong_passwords_are_only_a_form_error(client, irina):
    for n in range(4):
        response = attempt(client, "irina", f"falsch-{n}")
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert logged_in(attempt(client, "irina", RIGHT))


def test_an_account_is_paused_for_every_address_an_address_for_every_account(
    client, irina, make_user
):
    for n in range(5):
        attempt(client, "irina", f"falsch-{n}", REMOTE_ADDR="198.51.100.7")
    # Another address does not help against the paused account ...
    assert attempt(client, "irina", RIGHT, REMOTE_ADDR="203.0.113.9").status_code == 429
    # ... while other accounts on the first address still log in (below the address limit).
    make_user(username="olga", password=RIGHT)
    assert logged_in(attempt(Client(), "olga", RIGHT, REMOTE_ADDR="198.51.100.7"))


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_many_wrong_passwords_from_one_address_pause_that_address(client, make_user):
    make_user(username="olga", password=RIGHT)
    for n in range(8):  # a guesser trying one password against many usernames
        attempt(client, f"user-{n}", "123456", REMOTE_ADDR="198.51.100.7")
    assert attempt(client, "olga", RIGHT, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert logged_in(attempt(Client(), "olga", RIGHT, REMOTE_ADDR="203.0.113.9"))


def test_staff_lift_the_pause_in_the_admin(client, irina, make_user):
    for n in range(5):
        attempt(client, "irina", f"falsch-{n}")
    admin = make_user(username="chef", is_staff=True, is_superuser=True)
    staff_client = Client()
    staff_client.force_login(admin)
    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "allow_login", "_selected_action": [irina.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert logged_in(attempt(client, "irina", RIGHT))


def test_the_client_address_comes_from_the_proxy_only_behind_one(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10", REMOTE_ADDR="10.0.0.2")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # anyone can send the header
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "192.0.2.10"  # the proxy's own entry, not the client's
    garbled = rf.get("/", HTTP_X_FORWARDED_FOR="not an address", REMOTE_ADDR="10.0.0.2")
    assert client_ip(garbled) == "10.0.0.2"
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None


# --- password reset ---------------------------------------------------------------------------


def reset(client: Client, email: str, **extra: str):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_reset_answers_the_same_for_an_account_and_for_none(client, irina):
    known = reset(client, "irina@example.org")
    unknown = reset(client, "nobody@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert [m.to for m in mail.outbox] == [["irina@example.org"]]


def test_one_address_gets_three_links_an_hour(client, irina):
    start = timezone.now().replace(minute=0, second=1)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            assert reset(client, "IRINA@example.org").status_code == 302
        assert len(mail.outbox) == 3
        page = client.get(reverse("password_reset_done"), HTTP_ACCEPT_LANGUAGE="en")
        assert "at most 3 links per hour" in page.content.decode()
        clock.shift(timedelta(hours=1))
        assert reset(client, "irina@example.org").status_code == 302
        assert len(mail.outbox) == 4


def test_one_client_may_ask_ten_times_an_hour_whatever_the_address(client, irina):
    for n in range(10):
        assert reset(client, f"someone-{n}@example.org").status_code == 302
    refused = reset(client, "irina@example.org", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert "Too many password reset requests came from your network" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert mail.outbox == []
    # Another client is not affected.
    assert reset(Client(), "irina@example.org", REMOTE_ADDR="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_silent_mail_server_does_not_hold_up_the_reset_page(irina, settings):
    from notifications import sender
    from tests.notifications.smtp import SilentSMTPServer

    with SilentSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 30
        settings.NOTIFICATIONS_SEND_IN_BACKGROUND = True
        try:
            started = time.monotonic()
            response = reset(Client(), "irina@example.org")
            assert response.status_code == 302
            assert time.monotonic() - started < 1
            server.answer()
            assert sender.get().wait_idle(20)
        finally:
            sender.get().stop()
    assert [m["To"] for m in server.messages] == ["irina@example.org"]
