"""How a report cell reads: on pages and in the PDF in the reader's language (12,5 in German,
12.5 in English), in CSV and XLSX as plain numbers. Both round the same way, so every export
shows the same figure. "< 3" replaces a breakdown count of 1 or 2 people everywhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

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


def display(value: object) -> str:
    """The cell as text in the active language."""
    shown = plain(value)
    if isinstance(value, Share):
        return f"{number_format(shown, decimal_pos=1)} %"
    if isinstance(shown, Decimal):
        places = max(0, -shown.as_tuple().exponent)
        return number_format(shown, decimal_pos=places)
    if isinstance(shown, int):
        return number_format(shown, force_grouping=True)
    return str(shown)


def csv_value(value: object) -> str:
    """The cell for CSV: numbers with a dot, whatever the language."""
    return str(plain(value))


def is_number(value: object) -> bool:
    return isinstance(plain(value), int | Decimal)
