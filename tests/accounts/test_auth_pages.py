"""Login, logout, password change and reset: translated, accessible, and they work."""

import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse


@pytest.mark.parametrize(
    ("language", "username_label", "password_label"),
    [("de", "Benutzername", "Passwort"), ("en", "Username", "Password")],
)
def test_login_page_follows_the_browser_language(
    client, db, language, username_label, password_label
):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in body
    assert f'<label for="id_username">{username_label}:</label>' in body
    assert f'<label for="id_password">{password_label}:</label>' in body
    assert 'autocomplete="username"' in body
    assert 'autocomplete="current-password"' in body
    assert 'class="skip-link"' in body  # the site's own layout, not a bare form


def test_wrong_password_is_announced(client, make_user):
    make_user(username="irina", password="richtig-und-lang-genug")

    response = client.post(reverse("login"), {"username": "irina", "password": "falsch"})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert not response.wsgi_request.user.is_authenticated


def test_login_and_logout(client, make_user):
    make_user(username="irina", password="richtig-und-lang-genug")

    response = client.post(
        reverse("login"), {"username": "irina", "password": "richtig-und-lang-genug"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")

    response = client.post(reverse("logout"))
    assert response.status_code == 302  # LOGOUT_REDIRECT_URL: back to the start page
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "template",
    [
        "logged_out",
        "password_change_done",
        "password_reset_done",
        "password_reset_complete",
    ],
)
def test_every_confirmation_page_uses_the_site_layout(rf, db, template):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    body = render_to_string(f"registration/{template}.html", request=request)
    assert 'class="skip-link"' in body
    assert 'role="status"' in body


def test_password_reset_sends_a_mail_whose_link_sets_a_new_password(client, make_user):
    make_user(username="irina", email="irina@example.org", password="das-alte-passwort-1")

    response = client.post(reverse("password_reset"), {"email": "irina@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["irina@example.org"]
    assert "Treffpunkt" in message.subject
    assert "irina" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)

    # Django swaps the token for a session marker and redirects to the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'autocomplete="new-password"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ein-neues-passwort-42", "new_password2": "ein-neues-passwort-42"},
    )
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    # django-axes checks every login against its request (the test client has none).
    assert client.login(request=HttpRequest(), username="irina", password="ein-neues-passwort-42")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_explains_itself(client, db):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]))

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert response.context["validlink"] is False


def test_password_change(client, make_user):
    user = make_user(username="irina", password="das-alte-passwort-1")
    assert client.get(reverse("password_change")).status_code == 302  # log in first
    client.force_login(user)

    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()

    wrong = client.post(
        reverse("password_change"),
        {
            "old_password": "falsch",
            "new_password1": "ein-neues-passwort-42",
            "new_password2": "ein-neues-passwort-42",
        },
    )
    body = wrong.content.decode()
    assert 'role="alert"' in body
    assert 'aria-invalid="true"' in body
    assert 'href="#id_old_password"' in body  # the summary leads to the field

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "das-alte-passwort-1",
            "new_password1": "ein-neues-passwort-42",
            "new_password2": "ein-neues-passwort-42",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("ein-neues-passwort-42")
