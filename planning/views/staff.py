"""Staff pages under /staff/<center>/planning/: terms, school holidays, the planning of the next
term and the allocation in one sitting. Thin: a form, one service or selector, a page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.models import Series
from centers.models import Center
from centers.school_holidays import CalendarFileError, parse_ics

from .. import priorities, selectors, services
from ..forms import (
    HolidayOpeningForm,
    ResolveForm,
    RoundForm,
    RoundUpdateForm,
    RoundVersionForm,
    SchoolHolidayUploadForm,
    TermForm,
)
from ..models import Round
from ..permissions import access_round, access_round_wish, access_term
from ._common import add_errors, refused, staff_view

POST = ("POST",)


def _render(request: HttpRequest, template: str, context: dict, *, status: int = 200):
    return render(request, template, {"section": "planning", **context}, status=status)


# --- overview, terms ---------------------------------------------------------------------------


@staff_view(methods=("GET", "POST"))
def index(request: HttpRequest, center: Center) -> HttpResponse:
    """Terms, planning rounds, and a form to plan the next term."""
    form = RoundForm(
        request.POST or None,
        center=center,
        initial=RoundForm.initial_priorities(priorities.DEFAULT_PRIORITIES),
    )
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(
                user=request.user,
                center=center,
                term=form.cleaned_data["term"],
                previous_term=form.cleaned_data["previous_term"],
                deadline=form.deadline(center),
                priority_keys=form.priority_keys(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The planning of “%(term)s” is open: %(count)s proposals, the groups were asked.")
                % {"term": round.term.name, "count": round.wishes.count()},
            )
            return redirect("planning_staff:round", slug=center.slug, pk=round.pk)
    return _render(
        request,
        "planning/index.html",
        {
            "center": center,
            "form": form,
            "rounds": selectors.rounds_of(center),
            "terms": selectors.terms_of(center),
        },
        status=400 if form.errors else 200,
    )


@staff_view(methods=("GET", "POST"))
def terms(request: HttpRequest, center: Center) -> HttpResponse:
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = booking_services.term_create(
                user=request.user,
                center=center,
                name=data["name"],
                first_day=data["first_day"],
                last_day=data["last_day"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved the term “%(name)s”.") % {"name": term.name})
            return redirect("planning_staff:terms", slug=center.slug)
    return _render(
        request,
        "planning/terms.html",
        {"center": center, "form": form, "terms": selectors.terms_of(center)},
        status=400 if form.errors else 200,
    )


@staff_view(methods=("GET", "POST"))
def term_edit(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """Rename a term or move its days: series for the term end on its new last day."""
    term = access_term(center, pk)
    if request.method == "POST":
        form = TermForm(request.POST)
    else:
        form = TermForm(initial=TermForm.initial_for(term))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = booking_services.term_update(
                user=request.user,
                term=term,
                name=data["name"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                expected_version=data.get("version"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved the term “%(name)s”; %(count)s series for it follow its last day.")
                % {"name": change.term.name, "count": len(change.ended) + len(change.extended)},
            )
            return redirect("planning_staff:terms", slug=center.slug)
    return _render(
        request,
        "planning/term_edit.html",
        {
            "center": center,
            "term": term,
            "form": form,
            "series": Series.objects.filter(term=term).select_related("group").order_by("pk"),
        },
        status=400 if form.errors else 200,
    )


# --- school holidays ---------------------------------------------------------------------------


@staff_view(methods=("GET", "POST"))
def school_holidays(request: HttpRequest, center: Center) -> HttpResponse:
    """The school holidays of the center's state; a ministry's .ics file replaces them."""
    form = SchoolHolidayUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_ics(upload.read())
            change = booking_services.school_holidays_import(
                user=request.user,
                state=center.federal_state,
                periods=parsed.periods,
                source=upload.name,
                sample=parsed.is_sample,
            )
        except CalendarFileError as error:
            form.add_error("file", str(error))
        except PermissionDenied:
            form.add_error(None, _("You cannot change the school holidays of this state."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Imported %(periods)s holiday periods (%(new)s new or corrected). "
                    "%(skipped)s dates are skipped now, %(back)s take place again."
                )
                % {
                    "periods": len(parsed.periods),
                    "new": len(change.added),
                    "skipped": len(change.cancelled),
                    "back": len(change.reinstated),
                },
            )
            return redirect("planning_staff:school_holidays", slug=center.slug)
    today = timezone.now().astimezone(center.tz).date()
    periods = selectors.school_holidays_of(center.federal_state, since=today)
    opening = HolidayOpeningForm(
        initial={"open_on_public_holidays": center.open_on_public_holidays}
    )
    return _render(
        request,
        "planning/school_holidays.html",
        {
            "center": center,
            "form": form,
            "periods": periods,
            "sample": any(p.is_sample for p in periods),
            "opening": opening,
        },
        status=400 if form.errors else 200,
    )


@staff_view(methods=POST)
def holiday_opening(request: HttpRequest, center: Center) -> HttpResponse:
    """Whether the center is open on public holidays; the dates of series that meet follow."""
    form = HolidayOpeningForm(request.POST)
    if form.is_valid():
        try:
            change = booking_services.center_holiday_opening_update(
                user=request.user,
                center=center,
                open_on_public_holidays=form.cleaned_data["open_on_public_holidays"],
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(
                request,
                _("Saved. %(skipped)s dates are skipped now, %(back)s take place again.")
                % {"skipped": len(change.cancelled), "back": len(change.reinstated)},
            )
    return redirect("planning_staff:school_holidays", slug=center.slug)


# --- a round -----------------------------------------------------------------------------------


@staff_view(methods=("GET", "POST"))
def round_detail(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """Every proposal and wish with its conflict report; the deadline and the priorities."""
    round = access_round(center, pk)
    local = round.deadline.astimezone(center.tz)
    form = RoundUpdateForm(
        request.POST or None,
        initial={
            "deadline_day": local.date(),
            "deadline_time": local.time().replace(second=0, microsecond=0),
            "version": round.version,
            **RoundUpdateForm.initial_priorities(round.priorities),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                user=request.user,
                round=round,
                deadline=form.deadline(center),
                priority_keys=form.priority_keys(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved the deadline and the priorities."))
            return redirect("planning_staff:round", slug=center.slug, pk=round.pk)
    return _render(
        request,
        "planning/round.html",
        {
            "center": center,
            "round": round,
            "page": selectors.round_page(round),
            "form": form,
            "priority_labels": priorities.labels(round.priorities),
        },
        status=400 if form.errors else 200,
    )


@staff_view(methods=POST)
def round_stop(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """Stop collecting answers and wishes now: the allocation can start."""
    round = access_round(center, pk)
    form = RoundVersionForm(request.POST)
    if form.is_valid():
        try:
            services.round_update(
                user=request.user,
                round=round,
                deadline=timezone.now(),
                priority_keys=round.priorities,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Answers and wishes are no longer collected."))
            return redirect("planning_staff:allocate", slug=center.slug, pk=round.pk)
    else:
        refused(request, ValidationError(list(form.errors.values())))
    return redirect("planning_staff:round", slug=center.slug, pk=round.pk)


@staff_view(methods=("GET", "POST"))
def allocate(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """GET: the sitting. POST: book every wish that fits, in the allocation order."""
    round = access_round(center, pk)
    if request.method == "POST":
        form = RoundVersionForm(request.POST)
        if form.is_valid():
            try:
                services.round_allocation_start(
                    user=request.user, round=round, expected_version=form.cleaned_data["version"]
                )
            except ValidationError as error:
                refused(request, error)
            else:
                round.refresh_from_db()
                if round.is_allocating:
                    messages.success(request, _("The allocation is running."))
                else:  # done already (no broker: it ran within this request)
                    page = selectors.round_page(round)
                    messages.success(
                        request,
                        _("%(allocated)s wishes booked; %(clashing)s need a decision.")
                        % {
                            "allocated": sum(w.result_id is not None for w in page.wishes),
                            "clashing": len(page.open),
                        },
                    )
        else:
            refused(request, ValidationError(list(form.errors.values())))
        return redirect("planning_staff:allocate", slug=center.slug, pk=round.pk)
    if round.is_allocating:
        return _render(request, "planning/allocating.html", _progress(center, round))
    page = selectors.round_page(round)
    return _render(
        request,
        "planning/allocate.html",
        {
            "center": center,
            "round": round,
            "page": page,
            "clashes": selectors.clashes(round, page),
            "priority_labels": priorities.labels(round.priorities),
        },
    )


def _progress(center: Center, round: Round) -> dict:
    wishes = list(round.wishes.values_list("outcome", flat=True))
    return {
        "center": center,
        "round": round,
        "done": sum(outcome != "open" for outcome in wishes),
        "total": len(wishes),
    }


@staff_view()
def allocate_status(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """The progress of a running allocation (polled by the page); done: reload the page."""
    round = access_round(center, pk)
    response = render(request, "planning/_progress.html", _progress(center, round))
    if not round.is_allocating:
        response["HX-Refresh"] = "true"
    return response


@staff_view(methods=POST)
def resolve(request: HttpRequest, center: Center, pk: int, wish: int) -> HttpResponse:
    round = access_round(center, pk)
    target = access_round_wish(round, wish)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.wish_resolve(
                user=request.user,
                wish=target,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(
                request,
                _("Decided: %(wish)s (%(group)s).")
                % {"wish": target.display_title, "group": target.group.name},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("planning_staff:allocate", slug=center.slug, pk=round.pk)


@staff_view(methods=POST)
def finish(request: HttpRequest, center: Center, pk: int) -> HttpResponse:
    """Send each group one e-mail with all its outcomes."""
    round = access_round(center, pk)
    form = RoundVersionForm(request.POST)
    if form.is_valid():
        try:
            written = services.round_finish(
                user=request.user, round=round, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(
                request, _("The results went out: %(count)s e-mails.") % {"count": written}
            )
    else:
        refused(request, ValidationError(list(form.errors.values())))
    return redirect("planning_staff:allocate", slug=center.slug, pk=round.pk)
