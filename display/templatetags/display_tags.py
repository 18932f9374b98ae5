"""Template tags of the screens: bilingual labels, and the small boxes other apps' pages include
(check-in on the room page, missing check-ins on the board, repeated no-shows in the queue)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from centers.models import Center, Room
from display import selectors
from display.forms import CheckInForm

register = template.Library()


def _spans(text: Iterable[tuple[str, str]], render: Any) -> SafeString:
    parts = list(text)
    return format_html_join(
        " ",
        '<span lang="{}" class="{}">{}</span>',
        (
            (lang, "lang-first" if n == 0 else "lang-second", render(value))
            for n, (lang, value) in enumerate(parts)
        ),
    )


@register.simple_tag
def bi(text: Iterable[tuple[str, str]]) -> SafeString:
    """A text in the screen's languages, the second one marked for a lighter style."""
    return _spans(text, lambda value: value)


@register.simple_tag
def bi_time(text: Iterable[tuple[str, str]], value: str) -> SafeString:
    """A label with %(time)s, the time in a <time data-as-of> the script sets on each update."""

    def fill(label: str) -> SafeString:
        before, _sep, after = label.partition("%(time)s")
        return format_html("{}<time data-as-of>{}</time>{}", before, value, after)

    return _spans(text, fill)


@register.simple_tag
def bi_page(text: Iterable[tuple[str, str]]) -> SafeString:
    """ "Page %(page)s of %(pages)s" with slots the script fills in."""

    def fill(label: str) -> SafeString:
        label = label.replace("%(page)s", "\0p\0").replace("%(pages)s", "\0n\0")
        pieces = label.split("\0")
        out = []
        for piece in pieces:
            if piece == "p":
                out.append(SafeString("<span data-page-number>1</span>"))
            elif piece == "n":
                out.append(SafeString("<span data-page-count>1</span>"))
            else:
                out.append(format_html("{}", piece))
        return SafeString("".join(out))

    return _spans(text, fill)


@register.filter
def plain(text: Iterable[tuple[str, str]]) -> str:
    """The texts joined by " / " (for attributes such as aria-label)."""
    return " / ".join(value for _lang, value in text)


@register.inclusion_tag("display/_check_in.html", takes_context=True)
def check_in_box(context: template.Context, room: Room) -> dict[str, Any]:
    """On a room's page: "We are here" for a leader of a group booked there now."""
    request = context["request"]
    offers = selectors.check_in_offers(user=request.user, room=room, now=timezone.now())
    return {
        "request": request,
        "room": room,
        "offers": offers,
        "form": CheckInForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("display/_board_check_ins.html")
def missing_check_ins(center: Center) -> dict[str, Any]:
    """On the staff board: dates running without a check-in 30 minutes after their start."""
    return {
        "center": center,
        "missing": selectors.missing_check_ins(center=center, now=timezone.now()),
    }


@register.inclusion_tag("display/_queue_no_shows.html")
def repeated_no_shows(centers: Iterable[Center]) -> dict[str, Any]:
    """In the staff queue: groups that did not come repeatedly."""
    centers = list(centers)
    return {
        "repeated": selectors.repeated_no_shows(centers=centers, now=timezone.now()),
        "show_center": len(centers) > 1,
    }
