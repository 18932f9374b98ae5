"""Staff pages: the request queue and its decisions, the occupancy board, closures, the weekly
plan and the overview. Every view first resolves the center through `access_center`, so staff of
another center get 404 for every page and action, whatever the method."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bookings import services
from bookings.errors import BookingConflict
from bookings.models import Occurrence, Series
from centers.models import Center
from centers.permissions import access_center, managed_centers
from notifications import services as notifications

from . import selectors as staff_selectors
from . import weekly_pdf
from .forms import (
    BoardFilterForm,
    BulkDatesForm,
    ClosureForm,
    ConfirmForm,
    MessageForm,
    MoveForm,
    ReasonForm,
    WeekForm,
)

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
            if request.method not in methods:
                return HttpResponseNotAllowed(list(methods))
            return view(request, *args)

        return wrapper

    return decorate


POST = ("POST",)


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
    """Back to the page the form was on (a local address only), else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _refused(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(error))


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
            )
        except (BookingConflict, ValidationError) as error:
            _refused(request, error)
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
                user=request.user, series=series, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _refused(request, error)
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
    try:
        if form.cleaned_data["action"] == BulkDatesForm.CONFIRM:
            services.occurrences_confirm(user=request.user, occurrences=dates)
            done = _("Confirmed %(count)s dates.")
        else:
            for occurrence in dates:
                services.occurrence_decline(
                    user=request.user, occurrence=occurrence, reason=form.cleaned_data["reason"]
                )
            done = _("Declined %(count)s dates.")
    except (BookingConflict, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, done % {"count": len(dates)})
    return _back(request, staff_selectors.request_url(center, series.pk))


@center_view(methods=POST, obj="date")
def date_move(request: HttpRequest, center: Center, occurrence: Occurrence) -> HttpResponse:
    form = MoveForm(request.POST, center=center)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            moved = services.occurrence_move(
                user=request.user, occurrence=occurrence, **form.changes()
            )
        except (BookingConflict, ValidationError) as error:
            _refused(request, error)
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
                user=request.user, occurrence=occurrence, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Declined the date %(when)s. The leaders have been told.")
                % {"when": staff_selectors.local_text(occurrence.starts_at, center)},
            )
    return _back(request, staff_selectors.request_url(center, occurrence.series_id, occurrence.pk))


# --- overview, board, closures, weekly plan -------------------------------------------------


@center_view()
def overview(request: HttpRequest, center: Center) -> HttpResponse:
    return render(
        request,
        "console/overview.html",
        {
            "center": center,
            "overview": staff_selectors.overview(center=center),
            "section": "overview",
        },
    )


@center_view()
def board(request: HttpRequest, center: Center) -> HttpResponse:
    form = BoardFilterForm(request.GET or None, center=center)
    result = staff_selectors.board(center=center, **form.filters())
    return render(
        request,
        "console/board.html",
        {
            "center": center,
            "form": form,
            "board": result,
            "today": timezone.now().astimezone(center.tz).date(),
            "section": "board",
        },
    )


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


@center_view()
def week(request: HttpRequest, center: Center) -> HttpResponse:
    form = WeekForm(request.GET or None, center=center)
    day = form.day()
    grid = staff_selectors.week_plan(center=center, day=day)
    return render(
        request,
        "console/week.html",
        {
            "center": center,
            "form": form,
            "grid": grid,
            "day": day,
            "previous": grid.days[0] - timedelta(days=7),
            "next": grid.days[0] + timedelta(days=7),
            "pdf_url": reverse("staff:week_pdf", kwargs={"slug": center.slug})
            + f"?date={day.isoformat()}",
            "section": "week",
        },
    )


@center_view()
def week_pdf(request: HttpRequest, center: Center) -> HttpResponse:
    form = WeekForm(request.GET or None, center=center)
    day = form.day()
    grid = staff_selectors.week_plan(center=center, day=day)
    pdf = weekly_pdf.render(center=center, grid=grid)
    response = HttpResponse(pdf, content_type="application/pdf")
    monday = grid.days[0]
    filename = f"{center.slug}-{monday.isocalendar().year}-W{monday.isocalendar().week:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
