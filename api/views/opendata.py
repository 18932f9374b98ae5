"""Open data at stable addresses: /open-data/<center>/events.jsonld and events.csv (the
public program from today, 92 days, or ?from=&to=), and the licence form staff use."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.models import PlanVersion
from centers.models import Center
from centers.permissions import access_center
from groups.models import Group

from .. import opendata, selectors
from ..conditional import API_VERSION
from ..models import OpenData
from ..services import open_data_set

WINDOW_DAYS = 92
MAX_AGE = 300


def _window(request: HttpRequest, center: Center) -> selectors.Window | None:
    try:
        first, last = (request.GET.get(name) for name in ("from", "to"))
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


def _etag(request: HttpRequest, kind: str, center: Center) -> str:
    """Same address, same plan version, groups, rooms, licence and day: same file."""
    licence = selectors.open_data(center)
    stamp = [API_VERSION, kind, request.get_full_path(), *selectors.plan_stamp(center)]
    stamp.append(str(licence.updated_at) if licence else "")
    digest = hashlib.sha256(json.dumps(stamp, default=str).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _serve(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    center = selectors.center(slug)
    span = _window(request, center)
    if span is None:
        return HttpResponseBadRequest(
            _("“from” and “to” are days like 2030-02-05, at most a year apart."),
            content_type="text/plain; charset=utf-8",
        )
    etag = _etag(request, kind, center)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _headers(not_modified, etag, None)
    row = selectors.open_data(center)
    licence_url = row.licence_url if row else ""

    def group_url(group: Group) -> str:
        return request.build_absolute_uri(group.get_absolute_url())

    with translation.override(_language(request)):
        dates = selectors.open_data_dates(center=center, span=span)
        if kind == "csv":
            body = "\ufeff" + opendata.csv_text(
                center=center, occurrences=dates, group_url=group_url, licence_url=licence_url
            )
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'inline; filename="{center.slug}-events.csv"'
        else:
            changed = PlanVersion.objects.filter(center=center).values_list("changed_at", flat=True)
            feed = opendata.events_feed(
                center=center,
                occurrences=dates,
                group_url=group_url,
                feed_url=request.build_absolute_uri(request.path),
                licence_url=licence_url,
                attribution=row.attribution if row else "",
                modified=next(iter(changed), None),
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
