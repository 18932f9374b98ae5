"""Group leaders' pages: dashboard, booking request with live preview, series, room occupancy.

Thin views: parse a form, call one service or selector, render or redirect. Who may see what
is decided in `bookings.permissions` (404 for everything that is not the leader's).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings import services
from bookings.errors import BookingConflict, is_stale
from bookings.models import Occurrence, Series
from bookings.permissions import access_occurrence, access_series, bookable_groups
from bookings.recurrence import InvalidRule
from bookings.selectors import changes_since
from console.board import week_day_to_show

from . import occupancy
from . import selectors as leader_selectors
from .forms import (
    BookingRequestForm,
    OccupancyForm,
    OccurrenceCancelForm,
    OccurrenceMoveForm,
    OccurrenceReinstateForm,
    SeriesChangeForm,
    SeriesEndForm,
    SeriesHolidaysForm,
    SeriesWithdrawForm,
    initial_from_series,
)


def _add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation errors on the fields they name, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _message_for(error: ValidationError | BookingConflict | InvalidRule) -> str:
    if isinstance(error, BookingConflict):
        return error.message
    if isinstance(error, InvalidRule):
        return " ".join(error.errors.values())
    return " ".join(str(m) for m in error.messages)


def _stale_changes(series: Series, form: Form, error: Exception) -> list[Any] | None:
    """For an edit refused as out of date: what changed since the page was shown."""
    if isinstance(error, ValidationError) and is_stale(error):
        seen = form.cleaned_data.get("seen") if hasattr(form, "cleaned_data") else None
        return changes_since(series, seen)
    return None


# --- dashboard ------------------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/dashboard.html",
        {"dashboard": leader_selectors.dashboard(request.user)},
    )


# --- booking request ------------------------------------------------------------------------------


def _request_form(request: HttpRequest, *, submitting: bool) -> BookingRequestForm:
    groups = bookable_groups(request.user)
    if request.method == "POST":
        return BookingRequestForm(
            request.POST, user=request.user, groups=groups, submitting=submitting
        )
    initial: dict[str, Any] = {}
    if "from_series" in request.GET:
        initial = initial_from_series(access_series(request.user, request.GET["from_series"]))
    for name in ("group", "room", "start_date", "start_time", "end_time"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    return BookingRequestForm(user=request.user, groups=groups, initial=initial)


def _preview(form: BookingRequestForm) -> leader_selectors.Preview | None:
    if not form.is_bound or form.rule is None or not form.cleaned_data.get("group"):
        return None
    data = form.cleaned_data
    return leader_selectors.request_preview(
        group=data["group"],
        room=data.get("room"),
        rule=form.rule,
        expected_participants=data.get("expected_participants") or 1,
        equipment=data.get("equipment") or (),
        picked=form.picked_values(),
        policy=form.holiday_policy(data["group"]),
        use_room=form.use_room(),
        use_time=form.use_time(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    # "Check" and the "for all clashing dates" choices re-show the form; only "send" sends.
    checking = any(name in request.POST for name in ("check", "use_room", "use_time"))
    form = _request_form(request, submitting=not checking)
    if request.method == "POST" and form.is_valid() and not checking:
        data = form.cleaned_data
        try:
            series = services.booking_request_create(
                user=request.user,
                group=data["group"],
                room=data["chosen_room"],
                rule=form.rule,
                expected_participants=data["expected_participants"],
                equipment=data["equipment"],
                note=data["note"],
                alternatives=data.get("alternatives") or None,
                term=form.chosen_term,
                **form.holiday_choice(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except BookingConflict as conflict:
            form.add_error(None, conflict.message)
        else:
            if series.status == "confirmed":
                messages.success(request, _("Your booking is confirmed."))
            else:
                messages.success(request, _("Your request was sent. Staff will decide on it soon."))
            return redirect("leader:series", pk=series.pk)
    return render(
        request,
        "portal/request.html",
        {"form": form, "preview": _preview(form) if form.is_bound else None, "checked": checking},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def request_preview(request: HttpRequest) -> HttpResponse:
    """The dates of the request as the form stands, for htmx to put under the form."""
    form = _request_form(request, submitting=False)
    form.is_valid()
    return render(
        request,
        "portal/_preview.html",
        {"form": form, "preview": _preview(form), "live": True},
    )


# --- series ---------------------------------------------------------------------------------------


def _render_series(
    request: HttpRequest, series: Series, *, status: int = 200, **forms: Any
) -> HttpResponse:
    series.refresh_from_db()  # after a refused edit: show the series as it is now
    page = leader_selectors.series_page(series)
    # Changes usually start at the next date that still takes place.
    first_day = timezone.localdate()
    if page.next_active is not None:
        first_day = timezone.localdate(page.next_active.starts_at, series.group.center.tz)
    # Every form carries the version it was made from, and when the page was shown.
    stamp = {"version": series.version, "seen": timezone.now().isoformat()}
    context = {
        "stamp": stamp,
        "page": page,
        "series": series,
        "now": timezone.now(),
        "end_form": forms.get("end_form")
        or SeriesEndForm(prefix="end", initial={"last_date": first_day, **stamp}),
        "withdraw_form": forms.get("withdraw_form")
        or SeriesWithdrawForm(prefix="withdraw", initial=stamp),
        "change_form": forms.get("change_form")
        or SeriesChangeForm(
            prefix="change",
            rule=page.rule,
            initial={
                "from_date": first_day,
                "start_time": series.start_time,
                "end_time": series.end_time,
                **stamp,
            },
        ),
        "holidays_form": forms.get("holidays_form")
        or SeriesHolidaysForm(
            prefix="holidays",
            initial={
                "pauses_in_school_holidays": series.pauses_in_school_holidays,
                "meets_on_public_holidays": series.meets_on_public_holidays,
                **stamp,
            },
        ),
        "cancel_form": forms.get("cancel_form"),
        "cancel_pk": forms.get("cancel_pk"),
        "move_form": forms.get("move_form"),
        "move_pk": forms.get("move_pk"),
        "reinstate_form": forms.get("reinstate_form"),
        "reinstate_pk": forms.get("reinstate_pk"),
        "move_rooms": page.rooms,
        "changed_meanwhile": forms.get("changed_meanwhile"),
    }
    return render(request, "portal/series.html", context, status=status)


@login_required
@require_GET
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_series(request, access_series(request.user, pk))


@login_required
@require_POST
def occurrence_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    occurrence = access_occurrence(request.user, pk)
    form = OccurrenceCancelForm(request.POST)
    changed = None
    if form.is_valid():
        try:
            services.occurrence_cancel(
                user=request.user,
                occurrence=occurrence,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, BookingConflict) as error:
            form.add_error(None, _message_for(error))
            changed = _stale_changes(occurrence.series, form, error)
        else:
            messages.success(request, _("The date was cancelled."))
            return redirect(_date_url(occurrence))
    return _render_series(
        request,
        occurrence.series,
        status=409 if changed is not None else 400,
        cancel_form=form,
        cancel_pk=occurrence.pk,
        changed_meanwhile=changed,
    )


def _date_url(occurrence: Occurrence) -> str:
    return reverse("leader:series", args=[occurrence.series_id]) + f"#date-{occurrence.pk}"


@login_required
@require_POST
def occurrence_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one date to another time and/or room (the engine checks it like a request)."""
    occurrence = access_occurrence(request.user, pk)
    form = OccurrenceMoveForm(request.POST, center=occurrence.series.group.center)
    changed = None
    if form.is_valid():
        try:
            moved = services.occurrence_move(
                user=request.user,
                occurrence=occurrence,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except (ValidationError, BookingConflict) as error:
            form.add_error(None, _message_for(error))
            changed = _stale_changes(occurrence.series, form, error)
        else:
            if moved.state == "confirmed":
                messages.success(request, _("The date was moved and is confirmed."))
            else:
                messages.success(
                    request, _("The date was moved. Staff will decide on the new time or room.")
                )
            return redirect(_date_url(occurrence))
    return _render_series(
        request,
        occurrence.series,
        status=409 if changed is not None else 400,
        move_form=form,
        move_pk=occurrence.pk,
        changed_meanwhile=changed,
    )


@login_required
@require_POST
def occurrence_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    """Take up again a date the group cancelled, while its slot is free."""
    occurrence = access_occurrence(request.user, pk)
    form = OccurrenceReinstateForm(request.POST)
    changed = None
    if form.is_valid():
        try:
            back = services.occurrence_reinstate(
                user=request.user,
                occurrence=occurrence,
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, BookingConflict) as error:
            form.add_error(None, _message_for(error))
            changed = _stale_changes(occurrence.series, form, error)
        else:
            if back.state == "confirmed":
                messages.success(request, _("The date takes place again and is confirmed."))
            else:
                messages.success(request, _("The date takes place again. Staff will decide on it."))
            return redirect(_date_url(occurrence))
    return _render_series(
        request,
        occurrence.series,
        status=409 if changed is not None else 400,
        reinstate_form=form,
        reinstate_pk=occurrence.pk,
        changed_meanwhile=changed,
    )


@login_required
@require_POST
def series_end(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(request.user, pk)
    form = SeriesEndForm(request.POST, prefix="end")
    changed = None
    if form.is_valid():
        try:
            services.series_end(
                user=request.user,
                series=series,
                last_date=form.cleaned_data["last_date"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                nothing_to_end_is_an_error=True,
            )
        # InvalidRule: the engine refuses the shortened rule (e.g. a last date after the end).
        except (ValidationError, BookingConflict, InvalidRule) as error:
            form.add_error(None, _message_for(error))
            changed = _stale_changes(series, form, error)
        else:
            messages.success(request, _("The series now ends on the date you gave."))
            return redirect("leader:series", pk=series.pk)
    return _render_series(
        request,
        series,
        status=409 if changed is not None else 400,
        end_form=form,
        changed_meanwhile=changed,
    )


@login_required
@require_POST
def series_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(request.user, pk)
    form = SeriesWithdrawForm(request.POST, prefix="withdraw")
    changed = None
    if form.is_valid():
        try:
            services.series_withdraw(
                user=request.user,
                series=series,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, BookingConflict) as error:
            form.add_error(None, _message_for(error))
            changed = _stale_changes(series, form, error)
        else:
            messages.success(request, _("Your request was withdrawn."))
            return redirect("leader:dashboard")
    return _render_series(
        request,
        series,
        status=409 if changed is not None else 400,
        withdraw_form=form,
        changed_meanwhile=changed,
    )


@login_required
@require_POST
def series_change(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(request.user, pk)
    form = SeriesChangeForm(request.POST, prefix="change", rule=series.rule)
    changed = None
    if form.is_valid():
        try:
            services.series_update(
                user=request.user,
                series=series,
                from_date=form.cleaned_data["from_date"],
                rule=form.cleaned_data["rule"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
            changed = _stale_changes(series, form, error)
        except (BookingConflict, InvalidRule) as error:
            form.add_error(None, _message_for(error))
        else:
            messages.success(request, _("The change was saved."))
            return redirect("leader:series", pk=series.pk)
    return _render_series(
        request,
        series,
        status=409 if changed is not None else 400,
        change_form=form,
        changed_meanwhile=changed,
    )


@login_required
@require_POST
def series_holidays(request: HttpRequest, pk: int) -> HttpResponse:
    """What the series does on holidays; the coming dates follow (skipped or back)."""
    series = access_series(request.user, pk)
    form = SeriesHolidaysForm(request.POST, prefix="holidays")
    changed = None
    if form.is_valid():
        try:
            change = services.series_holiday_policy_update(
                user=request.user,
                series=series,
                pauses_in_school_holidays=form.cleaned_data["pauses_in_school_holidays"],
                meets_on_public_holidays=form.cleaned_data["meets_on_public_holidays"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, BookingConflict) as error:
            form.add_error(None, _message_for(error))
            changed = _stale_changes(series, form, error)
        else:
            messages.success(
                request,
                _("Saved. %(skipped)s dates are skipped now, %(back)s take place again.")
                % {"skipped": len(change.cancelled), "back": len(change.reinstated)},
            )
            return redirect("leader:series", pk=series.pk)
    return _render_series(
        request,
        series,
        status=409 if changed is not None else 400,
        holidays_form=form,
        changed_meanwhile=changed,
    )


# --- room occupancy -------------------------------------------------------------------------------


@login_required
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/rooms.html",
        {"rooms": leader_selectors.rooms_for_occupancy(request.user)},
    )


@login_required
@require_GET
def room_occupancy(request: HttpRequest, pk: int) -> HttpResponse:
    room = leader_selectors.access_room(request.user, pk)
    form = OccupancyForm(request.GET or None)
    form.is_valid()  # a wrong value is reported; the page falls back to this week
    period = getattr(form, "cleaned_data", {})
    view = occupancy.parse_view(period.get("view"))
    day = period.get("date") or (
        week_day_to_show(timezone.localdate()) if view == occupancy.WEEK else timezone.localdate()
    )
    return render(
        request,
        "portal/occupancy.html",
        {
            "room": room,
            "form": form,
            "calendar": leader_selectors.room_occupancy(room, view=view, day=day),
        },
        status=400 if form.errors else 200,
    )
