"""Public group pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from groups.jsonld import group_events, script_json

from . import selectors


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    page = selectors.group_page(
        slug=slug, now=now, today=timezone.localdate(now), page_number=request.GET.get("page")
    )
    group = page.group
    group_url = request.build_absolute_uri(group.get_absolute_url())
    events = group_events(
        group=group,
        occurrences=page.dates,
        group_url=group_url,
        language_codes=[language.code for language in page.languages],
        tz=group.center.tz,
    )
    return render(
        request,
        "groups/detail.html",
        {
            "page": page,
            "group": group,
            "center": group.center,
            "jsonld": script_json(events),
        },
    )
