"""The overview, the occupancy board and the weekly plan (page and A4 PDF)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from centers.models import Center

from .. import selectors as staff_selectors
from .. import weekly_pdf
from ..forms import (
    BoardFilterForm,
    WeekForm,
)
from ._common import center_view

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
        # The board still shows (with defaults); the page says which value was wrong.
        status=400 if form.errors else 200,
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
        status=400 if form.errors else 200,
    )


@center_view()
def week_pdf(request: HttpRequest, center: Center) -> HttpResponse:
    form = WeekForm(request.GET or None, center=center)
    day = form.day()
    if form.errors:
        return HttpResponseBadRequest(
            "\n".join(str(error) for errors in form.errors.values() for error in errors),
            content_type="text/plain; charset=utf-8",
        )
    grid = staff_selectors.week_plan(center=center, day=day)
    pdf = weekly_pdf.render(center=center, grid=grid)
    response = HttpResponse(pdf, content_type="application/pdf")
    monday = grid.days[0]
    filename = f"{center.slug}-{monday.isocalendar().year}-W{monday.isocalendar().week:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
