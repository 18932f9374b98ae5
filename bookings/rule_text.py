"""Pure: a series' rule in words, in the active language ("every Tuesday 14:00–16:00, Café").

No ORM here: callers pass a `RecurrenceRule` (`Series.rule` gives one). Whole
phrases are msgids, with the weekday as a placeholder, so that a translator can decline them
("jeden zweiten Donnerstag", "am ersten Montag im Monat").
"""

from __future__ import annotations

from datetime import date, time

from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .recurrence import RecurrenceRule


def long_date(day: date) -> str:
    """12 March 2027 / 12. März 2027 (the translator gives the German format)."""
    return date_format(day, pgettext("long date format, PHP style as in Django", "j F Y"))


def time_range(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _weekday(day: int) -> str:
    return str(WEEKDAYS[day])


def _ordinal_every(interval: int, weekdays: str) -> str:
    """ "every Tuesday", "every second Tuesday", … "every 5 weeks on Tuesday"."""
    if interval == 1:
        return _("every %(weekdays)s") % {"weekdays": weekdays}
    if interval == 2:
        return _("every second %(weekdays)s") % {"weekdays": weekdays}
    if interval == 3:
        return _("every third %(weekdays)s") % {"weekdays": weekdays}
    if interval == 4:
        return _("every fourth %(weekdays)s") % {"weekdays": weekdays}
    return _("every %(n)s weeks on %(weekdays)s") % {"n": interval, "weekdays": weekdays}


def _nth_weekday_of_month(position: int, weekday: str, interval: int) -> str:
    if interval == 1:
        phrases = {
            1: _("first %(weekday)s of the month"),
            2: _("second %(weekday)s of the month"),
            3: _("third %(weekday)s of the month"),
            4: _("fourth %(weekday)s of the month"),
            -1: _("last %(weekday)s of the month"),
        }
        return phrases[position] % {"weekday": weekday}
    phrases = {
        1: _("first %(weekday)s of the month, every %(n)s months"),
        2: _("second %(weekday)s of the month, every %(n)s months"),
        3: _("third %(weekday)s of the month, every %(n)s months"),
        4: _("fourth %(weekday)s of the month, every %(n)s months"),
        -1: _("last %(weekday)s of the month, every %(n)s months"),
    }
    return phrases[position] % {"weekday": weekday, "n": interval}


def _pattern(rule: RecurrenceRule) -> str:
    if rule.frequency == "once":
        return _("on %(date)s") % {"date": long_date(rule.start_date)}
    if rule.frequency == "daily":
        if rule.interval == 1:
            return _("daily")
        return ngettext("every day", "every %(n)s days", rule.interval) % {"n": rule.interval}
    if rule.frequency == "weekly":
        names = [_weekday(day) for day in rule.effective_weekdays()]
        return _ordinal_every(rule.interval, str(get_text_list(names, _("and"))))
    # monthly
    if rule.monthly_mode == "nth_weekday" and rule.monthly_position in (1, 2, 3, 4, -1):
        weekday = _weekday(rule.effective_weekdays()[0])
        return _nth_weekday_of_month(rule.monthly_position, weekday, rule.interval)
    day = rule.monthly_day or rule.start_date.day
    if rule.interval == 1:
        return _("on day %(day)s of every month") % {"day": day}
    return _("on day %(day)s of the month, every %(n)s months") % {"day": day, "n": rule.interval}


def rule_text(rule: RecurrenceRule, *, room: str = "", today: date | None = None) -> str:
    """The rule in words: pattern, time, room, and when a repeating rule ends.

    "every Tuesday 14:00–16:00, Café"; "last Thursday of the month 18:00–20:00";
    "on 12 March 2027 10:00–12:00". An end date is named only when it has not passed yet.
    """
    text = f"{_pattern(rule)} {time_range(rule.start_time, rule.end_time)}"
    if room:
        text = _("%(when)s, %(room)s") % {"when": text, "room": room}
    ends = rule.frequency != "once" and rule.until is not None
    if ends and (today is None or rule.until >= today):
        text = _("%(when)s, until %(date)s") % {"when": text, "date": long_date(rule.until)}
    return text
