"""Template helpers for calendar subscriptions: feed addresses, webcal:// and Google links.

{% load feeds %}
{% group_feed_url group as feed_url %}
{% include "calendars/_subscribe.html" with feed_url=feed_url label=group.name %}
<a href="{% occurrence_ics_url occurrence %}" download>…</a>
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/render?cid="


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@register.simple_tag
def group_feed_url(group: object) -> str:
    return _absolute(reverse("feeds:group", kwargs={"slug": group.slug}))


@register.simple_tag
def room_feed_url(room: object) -> str:
    return _absolute(reverse("feeds:room", kwargs={"room_id": room.pk}))


@register.simple_tag
def center_feed_url(center: object) -> str:
    return _absolute(reverse("feeds:center", kwargs={"slug": center.slug}))


@register.simple_tag
def occurrence_ics_url(occurrence: object) -> str:
    """Download address of one date (.ics with a single event); relative, for links on pages."""
    return reverse("feeds:occurrence", kwargs={"occurrence_id": occurrence.pk})


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
