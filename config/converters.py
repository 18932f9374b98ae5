"""URL converters shared by every app."""

from __future__ import annotations

from config.forms import INT_MAX


class IdConverter:
    """A primary key in a URL: digits that fit a 64-bit column.

    `<int:…>` accepts any length of digits; a number beyond 64 bits then reaches the database
    (SQLite raises OverflowError: a 500). Here it simply does not match: 404, like any id that
    does not exist.
    """

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT_MAX:
            raise ValueError("id beyond 64 bits")
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))
