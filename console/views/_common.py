"""What every staff view shares: the center (and the request, date or closure) resolved before
anything else, so staff of another center get 404 for every page and action, whatever the
method; redirects back; errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from bookings.errors import is_stale
from bookings.models import Occurrence, Series
from bookings.selectors import changes_since
from centers.models import Center, Closure
from centers.permissions import access_center

View = Callable[..., HttpResponse]


def center_view(
    *, methods: tuple[str, ...] = ("GET", "HEAD"), obj: str | None = None
) -> Callable[[View], View]:
    """Resolve the center (404 unless the user manages it) and the request ("series") or date
    ("date") named by `pk` in that center, before the method is looked at: foreign addresses
    are 404 whatever the method."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
            center = access_center(request.user, slug)
            args: list[Any] = [center]
            if obj == "series":
                args.append(_series(center, pk))
            elif obj == "date":
                args.append(_occurrence(center, pk))
            elif obj == "closure":
                args.append(_closure(center, pk))
            if request.method not in methods:
                return HttpResponseNotAllowed(list(methods))
            return view(request, *args)

        return wrapper

    return decorate


POST = ("POST",)


def _closure(center: Center, pk: int) -> Closure:
    try:
        return Closure.objects.select_related("center", "room").get(pk=pk, center=center)
    except Closure.DoesNotExist as missing:
        raise Http404 from missing


def _series(center: Center, pk: int) -> Series:
    """A request of this center; requests of other centers do not exist here."""
    try:
        return Series.objects.select_related("group__center", "room__center", "created_by").get(
            pk=pk, room__center=center
        )
    except Series.DoesNotExist as missing:
        raise Http404 from missing


def _occurrence(center: Center, pk: int) -> Occurrence:
    try:
        return Occurrence.objects.select_related(
            "series__group__center", "series__room", "room"
        ).get(pk=pk, series__room__center=center)
    except Occurrence.DoesNotExist as missing:
        raise Http404 from missing


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (a local address only), else to `default`.

    Without the #anchor: the page opens at its top, where the message about what was just
    done (or refused) is; a jump to the card further down would hide it off-screen.
    """
    target = request.POST.get("next", "").split("#", 1)[0]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default.split("#", 1)[0])


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _refused(
    request: HttpRequest, error: Exception, *, series: Series | None = None, form: Any = None
) -> None:
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
        if series is not None and is_stale(error):
            seen = form.cleaned_data.get("seen") if form is not None else None
            for entry in changes_since(series, seen):
                messages.info(
                    request,
                    _("Changed meanwhile: %(what)s %(why)s (%(who)s)")
                    % {"what": entry.what, "why": entry.why, "who": entry.who or "Treffpunkt"},
                )
    else:
        messages.error(request, str(error))
