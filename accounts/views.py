"""The profile page (language, e-mail notifications, private calendar feed address), and the
answers of the login and password-reset brakes (see accounts.throttle)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from calendars.templatetags.feeds import feed_language_query
from config.site import site_url

from . import throttle
from .forms import ProfileForm
from .landing import landing_url
from .models import FeedToken, User
from .tasks import password_reset_mail_later
from .tokens import feed_token_create, feed_token_revoke

TOO_MANY_REQUESTS = 429


def _throttled(request: HttpRequest, *, seconds: float, kind: str) -> HttpResponse:
    """429 with the waiting time in words and in Retry-After."""
    minutes = throttle.minutes(timedelta(seconds=seconds))
    response = render(
        request,
        "registration/throttled.html",
        {"kind": kind, "minutes": minutes},
        status=TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a login while the account or the address is paused."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    wait = throttle.login_wait(request, username)
    return _throttled(request, seconds=wait.total_seconds(), kind="login")


class LoginView(auth_views.LoginView):
    """Django's login; without a safe `next=` the person lands on their own pages."""

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, braked per client and per address, the e-mail sent by a worker.

    Whatever happens — account or not, e-mail sent or held back — the answer is the same page
    after the same work; only a client that asks too often is told to wait.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        wait = throttle.password_reset_ip_wait(self.request)
        if wait:
            return _throttled(self.request, seconds=wait, kind="reset")
        email = form.cleaned_data["email"]
        if throttle.password_reset_address_allowed(email):
            password_reset_mail_later(
                email=email,
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        return HttpResponseRedirect(self.get_success_url())


def _live_feed_token(user: User) -> FeedToken | None:
    return FeedToken.objects.filter(
        user=user, kind=FeedToken.Kind.LEADER, revoked_at__isnull=True
    ).first()


def _render(
    request: HttpRequest, form: ProfileForm, *, new_feed_url: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "feed_token": _live_feed_token(request.user),
            "new_feed_url": new_feed_url,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, ProfileForm(instance=request.user))
    form = ProfileForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _render(request, form, status=400)
    user = form.save()
    # Switch this browser too: the language cookie wins over the saved preference (see
    # accounts.middleware), so it must follow the new choice.
    translation.activate(user.preferred_language)
    messages.success(request, _("Your settings were saved."))
    response = redirect("accounts:profile")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@login_required
@require_POST
def feed_rotate(request: HttpRequest) -> HttpResponse:
    """A new private feed address; the old one stops working. Shown once, never stored."""
    _row, token = feed_token_create(user=request.user, kind=FeedToken.Kind.LEADER)
    path = reverse("feeds:private", kwargs={"token": token})
    url = f"{site_url(request)}{path}{feed_language_query()}"
    return _render(request, ProfileForm(instance=request.user), new_feed_url=url)


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    feed_token = _live_feed_token(request.user)
    if feed_token is not None:
        feed_token_revoke(feed_token=feed_token)
    messages.success(request, _("Your private feed address no longer works."))
    return redirect("accounts:profile")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "reset_limit": throttle.reset_limit()}
