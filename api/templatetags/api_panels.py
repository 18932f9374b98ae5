"""Panels the api app puts on other apps' pages: API tokens on the profile, the embed snippet
and open-data addresses on the staff overview of a center."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from config.site import site_url

from ..models import OpenData
from ..selectors import open_data
from ..services import live_tokens
from ..views.opendata import LicenceForm
from ..views.tokens import ApiTokenForm

register = template.Library()


@register.inclusion_tag("api/_tokens_panel.html", takes_context=True)
def api_tokens_panel(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    return {
        "tokens": list(live_tokens(user)),
        "form": ApiTokenForm(),
        "docs_url": reverse("api:docs"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("api/_embed_panel.html", takes_context=True)
def embed_panel(context: dict[str, Any], center: Any) -> dict[str, Any]:
    site = site_url(context.get("request"))
    row = open_data(center) or OpenData(center=center)
    slug = center.slug
    group = next(iter(center.groups.filter(is_public=True).order_by("name")[:1]), None)
    return {
        "center": center,
        "site": site,
        "frame_url": f"{site}{reverse('embed:frame', kwargs={'slug': slug})}",
        "script_url": f"{site}{reverse('embed:script')}",
        "group": group,
        "jsonld_url": f"{site}{reverse('opendata:jsonld', kwargs={'slug': slug})}",
        "csv_url": f"{site}{reverse('opendata:csv', kwargs={'slug': slug})}",
        "api_url": f"{site}{reverse('api:center-dates', kwargs={'slug': slug})}",
        "licence_form": LicenceForm(instance=row),
        "licence": row,
        "csrf_token": context.get("csrf_token"),
    }
