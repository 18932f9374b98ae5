"""The profile page: language, e-mail notifications and the private calendar feed address."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ProfileForm
from .models import FeedToken, User
from .tokens import feed_token_create, feed_token_revoke


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
    url = request.build_absolute_uri(reverse("feeds:private", kwargs={"token": token}))
    return _render(request, ProfileForm(instance=request.user), new_feed_url=url)


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    feed_token = _live_feed_token(request.user)
    if feed_token is not None:
        feed_token_revoke(feed_token=feed_token)
    messages.success(request, _("Your private feed address no longer works."))
    return redirect("accounts:profile")
