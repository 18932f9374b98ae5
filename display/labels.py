"""Texts of the screens in one or two languages: German with English beside it, or as set.

A screen in the foyer is read by everyone who passes, so the bilingual mode renders each label
in both languages at once; the page itself is not switched per visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import ScreenLanguage

# One text per language, in the screen's order: (("de", "Jetzt"), ("en", "Now")).
Text = tuple[tuple[str, str], ...]

LANGUAGES: dict[str, tuple[str, ...]] = {
    ScreenLanguage.BOTH: ("de", "en"),
    ScreenLanguage.GERMAN: ("de",),
    ScreenLanguage.ENGLISH: ("en",),
}

LABELS: dict[str, Promise] = {
    "now": _("Now"),
    "next": _("Next"),
    "later": _("Later today"),
    "nothing_now": _("Nothing is on right now."),
    "no_more": _("No more dates today."),
    "booked": _("Booked"),
    "cancelled": _("Cancelled"),
    "moved": _("Moved"),
    "released": _("Free for walk-in use"),
    "free": _("Free"),
    "center_closed": _("The center is closed"),
    "holiday": _("Public holiday"),
    "notice": _("Notice"),
    "as_of": _("as of %(time)s"),
    "offline": _("No connection"),
    "page": _("Page %(page)s of %(pages)s"),
    "today": _("Today"),
    "rest_of_day": _("Rest of today"),
    "scan": _("Scan for this room's week. Group leaders check in here."),
}


def resolve(requested: str | None, configured: str | None) -> str:
    """The screen's language: `?lang=` if valid, else the center's setting, else both."""
    if requested in LANGUAGES:
        return requested  # type: ignore[return-value]
    if configured in LANGUAGES:
        return configured  # type: ignore[return-value]
    return ScreenLanguage.BOTH


def text(language: str, message: Promise | str, **params: Any) -> Text:
    """`message` in each language of the screen; callables among `params` are evaluated per
    language (dates, times), everything else is formatted as it is."""
    out: list[tuple[str, str]] = []
    for code in LANGUAGES[language]:
        with translation.override(code):
            values = {k: (v() if callable(v) else v) for k, v in params.items()}
            rendered = str(message) % values if values else str(message)
        if out and out[-1][1] == rendered:
            continue  # the same in both languages (a name, a time): once is enough
        out.append((code, rendered))
    return tuple(out)


def labels(language: str) -> dict[str, Text]:
    """Every fixed label, keyed as in LABELS (placeholders stay for the template tags)."""
    return {key: text(language, message) for key, message in LABELS.items()}


def formatted(language: str, fn: Callable[[], str]) -> Text:
    """A value formatted per language (a weekday and date)."""
    return text(language, "%(value)s", value=fn)


def first(language: str) -> str:
    return LANGUAGES[language][0]
