"""Open data at stable addresses: /open-data/<center>/events.jsonld and events.csv (the
public program from today, 92 days, or ?from=&to=), and the licence form staff use."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.models import PlanVersion
from centers.permissions import access_center
from groups.selectors import public_occurrences

from .. import opendata, selectors
from ..conditional import API_VERSION
from ..models import OpenData
from ..services import open_data_set

WINDOW_DAYS = 92
MAX_AGE = 300


def _window(request: HttpRequest, center: object) -> selectors.Window | None:
    try:
        first = request.GET.get("from")
        last = request.GET.get("to")
        from datetime import date

        return selectors.window(
            date.fromisoformat(first) if first else None,
            date.fromisoformat(last) if last else None,
            tz=center.tz,
            days=WINDOW_DAYS,
        )
    except ValueError:
        return None


def _language(request: HttpRequest) -> str:
    return "en" if request.GET.get("lang") == "en" else "de"


def _load(center: object, span: selectors.Window) -> list:
    return list(
        public_occurrences()
        .filter(series__group__center=center, starts_at__lt=span.end, ends_at__gt=span.start)
        .select_related("series__group__center", "series__group__organisation", "room")
        .prefetch_related("series__group__languages")
        .order_by("starts_at", "pk")
    )


def _serve(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    center = selectors.center(slug)
    span = _window(request, center)
    if span is None:
        return HttpResponseBadRequest(
            _("“from” and “to” are days like 2030-02-05, at most a year apart."),
            content_type="text/plain; charset=utf-8",
        )
    import hashlib

    stamp = json.dumps(
        [API_VERSION, kind, request.get_full_path(), *map(str, selectors.plan_stamp(center))]
    )
    etag = f'"{hashlib.sha256(stamp.encode()).hexdigest()[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _headers(not_modified, etag, None)
    row = selectors.open_data(center)
    licence_url = row.licence_url if row else ""
    with translation.override(_language(request)):
        dates = _load(center, span)

        def group_url(group: object) -> str:
            return request.build_absolute_uri(group.get_absolute_url())

        if kind == "csv":
            body = "\ufeff" + opendata.csv_text(
                center=center, occurrences=dates, group_url=group_url, licence_url=licence_url
            )
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'inline; filename="{center.slug}-events.csv"'
        else:
            version = PlanVersion.objects.filter(center=center).values_list("changed_at", flat=True)
            feed = opendata.events_feed(
                center=center,
                occurrences=dates,
                group_url=group_url,
                feed_url=request.build_absolute_uri(request.path),
                licence_url=licence_url,
                attribution=row.attribution if row else "",
                modified=next(iter(version), None),
            )
            response = HttpResponse(
                json.dumps(feed, ensure_ascii=False, indent=1),
                content_type="application/ld+json; charset=utf-8",
            )
    return _headers(response, etag, licence_url)


def _headers(response: HttpResponse, etag: str, licence_url: str | None) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Link"
    if licence_url:
        response["Link"] = f'<{licence_url}>; rel="license"'
    return response


@require_safe
def events_jsonld(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, slug, "jsonld")


@require_safe
def events_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _serve(request, slug, "csv")


class LicenceForm(forms.ModelForm):
    class Meta:
        model = OpenData
        fields = ["licence", "attribution"]


@login_required
@require_POST
def licence_set(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff choose the licence of their center's open data (from the console overview)."""
    center = access_center(request.user, slug)
    form = LicenceForm(request.POST)
    if form.is_valid():
        try:
            open_data_set(
                user=request.user,
                center=center,
                licence=form.cleaned_data["licence"],
                attribution=form.cleaned_data["attribution"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The licence of the open data was saved."))
    else:
        messages.error(request, _("Choose one of the licences listed."))
    return redirect(reverse("staff:overview", kwargs={"slug": center.slug}) + "#open-data")


__all__ = ["timezone"]
