"""The big parts of a report page as HTML, built in Python: a table of 400 groups is thousands
of cells, which Django's template loop renders about a hundred times slower than this. Every
value goes through `escape`; the markup is the same the templates would write."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def table_body(rows: Iterable[list[tuple[str, bool]]]) -> SafeString:
    """<tr>s: the first cell a row header, numbers right-aligned (class "num")."""
    parts = []
    for row in rows:
        cells = []
        for n, (text, number) in enumerate(row):
            if n == 0:
                cells.append(f'<th scope="row">{escape(text)}</th>')
            elif number:
                cells.append(f'<td class="num">{escape(text)}</td>')
            else:
                cells.append(f"<td>{escape(text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(parts))


def options(choices: Iterable[tuple[str, str, bool]]) -> SafeString:
    """<option>s of a select: (value, label, selected)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(label)}</option>"
            for value, label, selected in choices
        )
    )
