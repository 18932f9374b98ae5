"""Form fields every app shares: dates, times and numbers that people type, kept in a range
where date arithmetic and the database cannot overflow (year 0001 or 9999 are typos, not plans).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Generous for a community center's plans and history, far from datetime's own limits.
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2199, 12, 31)
# Integers beyond this do not fit a 64-bit column (SQLite raises instead of finding nothing).
INT_MAX = 2**63 - 1
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)


def date_in_range(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def date_range_message() -> str:
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": date_format(DATE_MIN, "SHORT_DATE_FORMAT"),
        "last": date_format(DATE_MAX, "SHORT_DATE_FORMAT"),
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {})
        kwargs["attrs"].setdefault("min", DATE_MIN.isoformat())
        kwargs["attrs"].setdefault("max", DATE_MAX.isoformat())
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class BoundedDateField(forms.DateField):
    """A date between DATE_MIN and DATE_MAX, with a message that says so."""

    widget = DateInput

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        if result is not None and not date_in_range(result):
            raise forms.ValidationError(date_range_message(), code="date_range")
        return result


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time whose date lies between DATE_MIN and DATE_MAX."""

    def to_python(self, value: Any) -> Any:
        result = super().to_python(value)
        if result is not None and not date_in_range(result.date()):
            raise forms.ValidationError(date_range_message(), code="date_range")
        return result


class StrictIntegerField(forms.IntegerField):
    """A whole number written with ASCII digits (and a sign): Python's int() also reads
    "1_000", "１２" and "1.000" (as 1, Django drops a decimal point followed by zeros) —
    a person who typed those meant something else, and is told so."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip() and not _WHOLE.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class BoundedIntegerField(StrictIntegerField):
    """An integer that fits a 64-bit column, whatever min/max the caller sets."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", INT_MAX)
        kwargs.setdefault("min_value", -INT_MAX)
        super().__init__(**kwargs)


class VersionField(StrictIntegerField):
    """The version of the series or date the page showed: a stale submit changes nothing."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=2**31, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "required": _("This form is out of date. Please reload the page."),
            "invalid": _("This form is out of date. Please reload the page."),
        }


class SeenField(forms.DateTimeField):
    """When the page was shown (hidden): a stale submit lists what changed since then."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None  # only used to explain; a garbled value explains less, nothing more


class UncutCharField(forms.CharField):
    """Text with a limit the server checks and explains, instead of the browser's maxlength,
    which cuts pasted text at the limit without a word."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
