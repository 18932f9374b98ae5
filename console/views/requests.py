"""The request queue and the decisions on requests and their dates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from bookings import services
from bookings.errors import BookingConflict
from bookings.models import Occurrence, Series
from centers.models import Center
from centers.permissions import managed_centers
from notifications import services as notifications

from .. import selectors as staff_selectors
from ..forms import (
    BulkDatesForm,
    ConfirmForm,
    MessageForm,
    MoveForm,
    ReasonForm,
    UseRoomForm,
)
from ._common import POST, _back, _form_errors, _refused, center_view

# --- queue and request pages ----------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every open request of every center the user manages."""
    centers = list(managed_centers(request.user))
    if not centers:
        raise Http404
    clusters = staff_selectors.queue(centers=centers)
    return render(
        request,
        "console/queue.html",
        {"centers": centers, "center": None, "clusters": clusters},
    )


@center_view()
def requests(request: HttpRequest, center: Center) -> HttpResponse:
    clusters = staff_selectors.queue(centers=[center])
    return render(
        request,
        "console/queue.html",
        {"centers": [center], "center": center, "clusters": clusters, "section": "requests"},
    )


@center_view(obj="series")
def request_detail(request: HttpRequest, center: Center, series: Series) -> HttpResponse:
    card = staff_selectors.request_card(series, with_history=True)
    return render(
        request,
        "console/request.html",
        {"center": center, "card": card, "section": "requests"},
    )


@center_view(methods=POST, obj="series")
def request_confirm(request: HttpRequest, center: Center, series: Series) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.series_confirm(
                user=request.user,
                series=series,
                skip_clashing=form.skip_clashing,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except (BookingConflict, ValidationError) as error:
            _refused(request, error, series=series, form=form)
        else:
            messages.success(
                request,
                _("Confirmed “%(title)s”. The leaders have been told.")
                % {"title": series.display_title},
            )
    return _back(request, staff_selectors.request_url(center, series.pk))


@center_view(methods=POST, obj="series")
def request_decline(request: HttpRequest, center: Center, series: Series) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.series_decline(
                user=request.user,
                series=series,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refused(request, error, series=series, form=form)
        else:
            messages.success(
                request,
                _("Declined “%(title)s”. The leaders have been told.")
                % {"title": series.display_title},
            )
    return _back(request, staff_selectors.request_url(center, series.pk))


@center_view(methods=POST, obj="series")
def request_message(request: HttpRequest, center: Center, series: Series) -> HttpResponse:
    form = MessageForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        notifications.message_send(user=request.user, series=series, body=form.cleaned_data["body"])
        messages.success(request, _("Your message has been sent to the leaders."))
    return _back(request, staff_selectors.request_url(center, series.pk))


@center_view(methods=POST, obj="series")
def request_dates(request: HttpRequest, center: Center, series: Series) -> HttpResponse:
    """One action (confirm or decline) for the dates ticked in the list."""
    form = BulkDatesForm(request.POST, series=series)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, staff_selectors.request_url(center, series.pk))
    dates = list(form.cleaned_data["dates"])
    version = form.cleaned_data["version"]
    try:
        if form.cleaned_data["action"] == BulkDatesForm.CONFIRM:
            services.occurrences_confirm(
                user=request.user, occurrences=dates, expected_version=version
            )
            done = _("Confirmed %(count)s dates.")
        else:
            # One transaction and one e-mail to the group for all the ticked dates.
            services.occurrences_decline(
                user=request.user,
                occurrences=dates,
                reason=form.cleaned_data["reason"],
                expected_version=version,
            )
            done = _("Declined %(count)s dates.")
    except (BookingConflict, ValidationError) as error:
        _refused(request, error, series=series, form=form)
    else:
        messages.success(request, done % {"count": len(dates)})
    return _back(request, staff_selectors.request_url(center, series.pk))


@center_view(methods=POST, obj="series")
def request_use_room(request: HttpRequest, center: Center, series: Series) -> HttpResponse:
    """Move every clashing date to the room the engine offers for it at the same time (or to
    the engine's nearest free time in its own room): the dates the page showed, or nothing
    (the offers changed meanwhile)."""
    form = UseRoomForm(request.POST)
    back = _back(request, staff_selectors.request_url(center, series.pk))
    if not form.is_valid():
        _form_errors(request, form)
        return back
    kind = form.cleaned_data["kind"]
    moves = staff_selectors.request_card(series).moves_to(form.cleaned_data["room"], kind=kind)
    if not moves or {o.pk for o, *_rest in moves} != form.cleaned_data["dates"]:
        messages.error(
            request,
            _("The free rooms have changed meanwhile; nothing was moved. Please check again."),
        )
        return back
    try:
        services.occurrences_move(
            user=request.user,
            series=series,
            moves=moves,
            expected_version=form.cleaned_data["version"],
        )
    except (BookingConflict, ValidationError) as error:
        _refused(request, error, series=series, form=form)
    else:
        done = (
            ngettext(
                "Moved %(count)s date to another free time in %(room)s. The leaders have been "
                "told.",
                "Moved %(count)s dates to other free times in %(room)s. The leaders have been "
                "told.",
                len(moves),
            )
            if kind == "time"
            else ngettext(
                "Moved %(count)s date to %(room)s. The leaders have been told.",
                "Moved %(count)s dates to %(room)s. The leaders have been told.",
                len(moves),
            )
        )
        messages.success(request, done % {"count": len(moves), "room": moves[0][1].name})
    return back


@center_view(methods=POST, obj="date")
def date_move(request: HttpRequest, center: Center, occurrence: Occurrence) -> HttpResponse:
    form = MoveForm(request.POST, center=center)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            moved = services.occurrence_move(
                user=request.user,
                occurrence=occurrence,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except (BookingConflict, ValidationError) as error:
            _refused(request, error, series=occurrence.series, form=form)
        else:
            moved = moved if isinstance(moved, Occurrence) else occurrence
            messages.success(
                request,
                _("Moved the date to %(room)s, %(when)s. The leaders have been told.")
                % {
                    "room": form.cleaned_data["room"].name,
                    "when": staff_selectors.local_text(form.changes()["starts_at"], center),
                },
            )
    return _back(request, staff_selectors.request_url(center, occurrence.series_id, occurrence.pk))


@center_view(methods=POST, obj="date")
def date_decline(request: HttpRequest, center: Center, occurrence: Occurrence) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.occurrence_decline(
                user=request.user,
                occurrence=occurrence,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refused(request, error, series=occurrence.series, form=form)
        else:
            messages.success(
                request,
                _("Declined the date %(when)s. The leaders have been told.")
                % {"when": staff_selectors.local_text(occurrence.starts_at, center)},
            )
    return _back(request, staff_selectors.request_url(center, occurrence.series_id, occurrence.pk))
