"""Recording how many came: the form page (from the dashboard, a reminder e-mail or the staff
list of missing counts) and the dashboard's one-field quick form. Thin: parse, call the
service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bookings.models import Occurrence

from . import selectors, services
from .forms import AttendanceForm, QuickCountForm
from .models import Attendance
from .permissions import access_occurrence, can_record, is_center_staff, leader_deadline


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _service_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _saved(request: HttpRequest, occurrence: Occurrence, attendance: Attendance) -> None:
    messages.success(
        request,
        _("Saved: %(count)s people at %(title)s on %(day)s.")
        % {
            "count": attendance.participants,
            "title": occurrence.series.display_title,
            "day": date_format(
                occurrence.starts_at.astimezone(occurrence.series.group.center.tz),
                "SHORT_DATE_FORMAT",
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = access_occurrence(request.user, pk)
    attendance = Attendance.objects.filter(occurrence=occurrence).first()
    keep = (attendance.breakdown or {}).keys() if attendance else ()
    dimensions = selectors.dimensions_for(occurrence.series.group.center, keep=keep)
    allowed = can_record(request.user, occurrence)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        dimensions=dimensions,
        attendance=attendance,
    )
    status = 200
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(services.Messages.NOT_ALLOWED)
        if form.is_valid():
            try:
                saved = services.attendance_record(
                    user=request.user,
                    occurrence=occurrence,
                    participants=form.cleaned_data["participants"],
                    breakdown=form.breakdown(),
                    volunteer_hours=form.cleaned_data["volunteer_hours"],
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                _saved(request, occurrence, saved)
                return redirect(_next(request, "leader:dashboard"))
        status = 400
    return render(
        request,
        "attendance/record.html",
        {
            "occurrence": occurrence,
            "attendance": attendance,
            "form": form,
            "allowed": allowed,
            "is_staff": is_center_staff(request.user, occurrence),
            "deadline": leader_deadline(occurrence),
            "history": selectors.history(occurrence),
            "next": _next(request, ""),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_POST
def quick(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard's form: the count only; a recorded breakdown and hours are kept."""
    occurrence = access_occurrence(request.user, pk)
    back = _next(request, "leader:dashboard")
    form = QuickCountForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    attendance = Attendance.objects.filter(occurrence=occurrence).first()
    try:
        saved = services.attendance_record(
            user=request.user,
            occurrence=occurrence,
            participants=form.cleaned_data["participants"],
            breakdown=attendance.breakdown if attendance else None,
            volunteer_hours=attendance.volunteer_hours if attendance else None,
        )
    except PermissionDenied:
        messages.error(request, str(services.Messages.NOT_ALLOWED))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        _saved(request, occurrence, saved)
    return redirect(back)
