"""Public center pages: the center itself and its program."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from groups import selectors as group_selectors
from groups.filters import ProgramFilter

from . import selectors
from .models import Center


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "centers/home.html", {"centers": selectors.center_list()})


def center_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.center_page(slug=slug, now=timezone.now(), language=get_language() or "de")
    return render(
        request,
        "centers/detail.html",
        {"page": page, "center": page.center},
    )


def center_program(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center, slug=slug)
    now = timezone.now()
    filters = ProgramFilter(
        request.GET or None,
        queryset=group_selectors.program_groups(center),
        center=center,
        now=now,
    )
    program = group_selectors.program(
        groups=filters.qs,
        page_number=request.GET.get("page"),
        now=now,
        today=now.astimezone(center.tz).date(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "centers/program.html",
        {
            "center": center,
            "filters": filters,
            "program": program,
            "query": query.urlencode(),
        },
    )


def room_detail(request: HttpRequest, slug: str, room_id: int) -> HttpResponse:
    """A room's public page: what it offers and its week. Door signs' QR codes lead here."""
    page = selectors.room_page(slug=slug, room_id=room_id, now=timezone.now())
    return render(request, "centers/room.html", {"page": page, "center": page.room.center})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors beyond the basics: the error may come from them.
    return render(request, "500.html", status=500)
