"""Closures: add (with a preview of the dates it cancels), change and remove (with the dates
that come back) — all through the engine's closure services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bookings import services
from centers.models import Center, Closure

from .. import selectors as staff_selectors
from ..forms import (
    ClosureForm,
)
from ._common import _refused, center_view


@center_view(methods=("GET", "POST"))
def closures(request: HttpRequest, center: Center) -> HttpResponse:
    """GET: the list and an empty form. POST: first a preview of the dates the closure would
    cancel; the preview's confirm button posts the same values with `confirmed` to save."""
    form = ClosureForm(request.POST or None, center=center)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "1":
            try:
                closure, cancelled = services.closure_create(
                    user=request.user, center=center, **form.closure()
                )
            except ValidationError as error:
                _refused(request, error)
            else:
                messages.success(
                    request,
                    _(
                        "Saved the closure “%(reason)s”. %(count)s dates were cancelled "
                        "and their groups told."
                    )
                    % {"reason": closure.reason, "count": len(cancelled)},
                )
                return redirect("staff:closures", slug=center.slug)
        else:
            preview = staff_selectors.closure_preview(center=center, **form.closure())
    return render(
        request,
        "console/closures.html",
        {
            "center": center,
            "form": form,
            "preview": preview,
            "page": staff_selectors.closures_page(center=center),
            "section": "closures",
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


def _change_summary(change: services.ClosureChange) -> str:
    parts = []
    if change.cancelled:
        parts.append(_("%(count)s dates cancelled") % {"count": len(change.cancelled)})
    if change.reinstated:
        parts.append(_("%(count)s dates take place again") % {"count": len(change.reinstated)})
    if change.not_reinstated:
        parts.append(
            _("%(count)s dates could not come back (see the request pages)")
            % {"count": len(change.not_reinstated)}
        )
    return "; ".join(parts)


@center_view(methods=("GET", "POST"), obj="closure")
def closure_edit(request: HttpRequest, center: Center, closure: Closure) -> HttpResponse:
    """Change a closure: first a preview (dates it will cancel, dates that come back), then save."""
    if request.method == "POST":
        form = ClosureForm(request.POST, center=center)
    else:
        form = ClosureForm(center=center, initial=ClosureForm.initial_for(closure, center.tz))
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "1":
            try:
                change = services.closure_update(
                    user=request.user,
                    closure=closure,
                    expected_version=form.cleaned_data.get("version"),
                    **form.closure(),
                )
            except ValidationError as error:
                _refused(request, error)
            else:
                messages.success(
                    request,
                    _("Saved the closure “%(reason)s”. %(summary)s")
                    % {"reason": change.closure.reason, "summary": _change_summary(change)},
                )
                return redirect("staff:closures", slug=center.slug)
        else:
            preview = staff_selectors.closure_change_preview(closure=closure, **form.closure())
    return render(
        request,
        "console/closure_edit.html",
        {
            "center": center,
            "closure": closure,
            "form": form,
            "preview": preview,
            "section": "closures",
        },
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


@center_view(methods=("GET", "POST"), obj="closure")
def closure_delete(request: HttpRequest, center: Center, closure: Closure) -> HttpResponse:
    """Remove a closure: GET asks (listing the dates that come back), POST removes it."""
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            change = services.closure_delete(
                user=request.user,
                closure=closure,
                expected_version=int(version) if version.isdigit() else -1,
            )
        except ValidationError as error:
            _refused(request, error)
            return redirect("staff:closure_delete", slug=center.slug, pk=closure.pk)
        messages.success(
            request,
            _("Removed the closure “%(reason)s”. %(summary)s")
            % {"reason": closure.reason, "summary": _change_summary(change)},
        )
        return redirect("staff:closures", slug=center.slug)
    return render(
        request,
        "console/closure_delete.html",
        {
            "center": center,
            "closure": closure,
            "back": staff_selectors.closure_release_preview(closure=closure),
            "section": "closures",
        },
    )
