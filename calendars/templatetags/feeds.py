"""Template helpers for calendar subscriptions: feed addresses, webcal:// and Google links.

Addresses come from SITE_URL when set, else from the request (config.site); on a page in
another language than German they ask for the feed in that language (?lang=en).

{% load feeds %}
{% group_feed_url group as feed_url %}
{% include "calendars/_subscribe.html" with feed_url=feed_url label=group.name %}
<a href="{% occurrence_ics_url occurrence %}" download>…</a>
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from django import template
from django.urls import reverse
from django.utils import translation

from calendars.cache import LANGUAGES
from config.site import site_url

FEED_DEFAULT = "de"

register = template.Library()

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/render?cid="


def feed_language_query() -> str:
    """ "?lang=en" on an English page: feeds are German unless asked (calendars.views)."""
    language = (translation.get_language() or FEED_DEFAULT)[:2]
    return f"?lang={language}" if language != FEED_DEFAULT and language in LANGUAGES else ""


def _absolute(context: template.Context, path: str) -> str:
    return f"{site_url(context.get('request'))}{path}{feed_language_query()}"


@register.simple_tag(takes_context=True)
def group_feed_url(context: template.Context, group: object) -> str:
    return _absolute(context, reverse("feeds:group", kwargs={"slug": group.slug}))


@register.simple_tag(takes_context=True)
def room_feed_url(context: template.Context, room: object) -> str:
    return _absolute(context, reverse("feeds:room", kwargs={"room_id": room.pk}))


@register.simple_tag(takes_context=True)
def center_feed_url(context: template.Context, center: object) -> str:
    return _absolute(context, reverse("feeds:center", kwargs={"slug": center.slug}))


@register.simple_tag
def occurrence_ics_url(occurrence: object) -> str:
    """Download address of one date (.ics with a single event); relative, for links on pages."""
    path = reverse("feeds:occurrence", kwargs={"occurrence_id": occurrence.pk})
    return f"{path}{feed_language_query()}"


@register.filter
def webcal_url(feed_url: str) -> str:
    """http(s)://… -> webcal://…: calendar apps open webcal links as a subscription."""
    parts = urlsplit(feed_url)
    if parts.scheme not in ("http", "https"):
        return feed_url
    return urlunsplit(("webcal", *parts[1:]))


@register.filter
def google_calendar_url(feed_url: str) -> str:
    """Google Calendar's "add by URL" page for the feed (Google wants the webcal form)."""
    return GOOGLE_ADD_BY_URL + quote(webcal_url(feed_url), safe="")
