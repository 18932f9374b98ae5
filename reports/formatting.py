"""How a report cell reads: on pages and in the PDF in the reader's language (12,5 in German,
12.5 in English), in CSV and XLSX as plain numbers. Both round the same way, so every export
shows the same figure. "< 3" replaces a breakdown count of 1 or 2 people everywhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import translation
from django.utils.formats import get_format

from .tables import Private, Share

SUPPRESSED = "< 3"
EMPTY = "–"


def _rounded(value: float | Decimal, places: int = 2) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def is_suppressed(value: object) -> bool:
    return isinstance(value, Private) and 0 < value < Private.THRESHOLD


def plain(value: object) -> object:
    """A spreadsheet value: int, Decimal (two places at most, one at least), or text."""
    if value is None:
        return EMPTY
    if is_suppressed(value):
        return SUPPRESSED
    if isinstance(value, Share):
        return _rounded(float(value) * 100, 1)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | Decimal):
        number = _rounded(value)
        # 12.50 -> 12.5, 12.00 -> 12.0: as many places as the figure needs, at least one.
        if number == number.quantize(Decimal("0.1")):
            number = number.quantize(Decimal("0.1"))
        return number
    return str(value)


@lru_cache(maxsize=8)
def _separators(language: str) -> tuple[str, str]:
    """(decimal, thousands) of a language; looked up once, a report has thousands of cells."""
    with translation.override(language):
        return str(get_format("DECIMAL_SEPARATOR")), str(get_format("THOUSAND_SEPARATOR"))


def _grouped(digits: str, thousands: str) -> str:
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + thousands.join([digits, *groups])


def display(value: object, *, separators: tuple[str, str] | None = None) -> str:
    """The cell as text in the active language (1.234,5 in German, 1,234.5 in English)."""
    return _text(value, plain(value), separators or _separators(translation.get_language() or "de"))


def _text(value: object, shown: object, separators: tuple[str, str]) -> str:
    decimal, thousands = separators
    if isinstance(shown, Decimal):
        whole, _dot, fraction = f"{shown:f}".partition(".")
        text = _grouped(whole, thousands) + (decimal + fraction if fraction else "")
        return f"{text} %" if isinstance(value, Share) else text
    if isinstance(shown, int):
        return _grouped(str(shown), thousands)
    return str(shown)


def display_rows(rows: list[list[object]]) -> list[list[tuple[str, bool]]]:
    """Each cell as (text, is a number), for pages that align numbers right."""
    separators = _separators(translation.get_language() or "de")
    shown_rows = []
    for row in rows:
        shown_row = []
        for cell in row:
            shown = plain(cell)
            shown_row.append((_text(cell, shown, separators), isinstance(shown, int | Decimal)))
        shown_rows.append(shown_row)
    return shown_rows


def csv_value(value: object) -> str:
    """The cell for CSV: numbers with a dot, whatever the language."""
    return str(plain(value))


def is_number(value: object) -> bool:
    return isinstance(plain(value), int | Decimal)
