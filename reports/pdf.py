"""The *Sachbericht*: a report as a PDF for funders — cover, key figures, the page's charts and
its tables — in the language it is asked for (German or English). reportlab, A4 portrait.

The charts are the page's charts as PNG pictures (matplotlib draws both from one value). Text
uses DejaVu Sans where the system has it, like the weekly plan, so Turkish or Arabic group
names print as typed.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from console.weekly_pdf import fonts, printable

from . import charts as chart_module
from .exports import exported
from .formatting import display, is_number, is_suppressed
from .tables import Report, Table

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Styles:
    def __init__(self) -> None:
        self.regular, self.bold = fonts()
        self.title = ParagraphStyle("title", fontName=self.bold, fontSize=24, leading=30)
        self.subtitle = ParagraphStyle("subtitle", fontName=self.regular, fontSize=14, leading=20)
        self.h2 = ParagraphStyle(
            "h2",
            fontName=self.bold,
            fontSize=13,
            leading=17,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.body = ParagraphStyle("body", fontName=self.regular, fontSize=9.5, leading=13)
        self.note = ParagraphStyle(
            "note",
            fontName=self.regular,
            fontSize=8,
            leading=10,
            textColor=colors.HexColor("#4a4a4a"),
        )
        self.cell = ParagraphStyle("cell", fontName=self.regular, fontSize=8, leading=10)
        self.head = ParagraphStyle("head", fontName=self.bold, fontSize=7, leading=9)

    def text(self, value: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(_escape(printable(value, style.fontName)), style)


def _widths(table: Table) -> list[float]:
    """Numbers get narrow columns, text shares the rest; labels such as "Declined: another
    booking was confirmed" stay on one line."""
    count = len(table.columns)
    numeric = [
        n > 0 and all(is_number(r[n]) or is_suppressed(r[n]) or r[n] is None for r in table.rows)
        for n in range(count)
    ]
    if count <= 4:
        first = WIDTH * 0.55
        return [first] + [(WIDTH - first) / (count - 1)] * (count - 1)
    number_width = min(18 * mm, WIDTH * 0.6 / max(1, sum(numeric)))
    text_width = (WIDTH - number_width * sum(numeric)) / max(1, count - sum(numeric))
    return [number_width if is_numeric else text_width for is_numeric in numeric]


def _table(table: Table, s: _Styles) -> list[Any]:
    header = [s.text(str(c), s.head) for c in table.columns]
    body = []
    for row in table.rows:
        body.append(
            [
                # Numbers and "< 3" as plain strings: a Paragraph would draw "< 3" as two
                # fragments, and text extraction (screen readers, pdftotext) would read "<3".
                display(cell)
                if is_number(cell) or is_suppressed(cell)
                else s.text(display(cell), s.cell)
                for cell in row
            ]
        )
    widths = _widths(table)
    grid = LongTable([header, *body], repeatRows=1, colWidths=widths, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), s.regular, 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for column in range(1, len(table.columns)):
        if any(is_number(row[column]) or is_suppressed(row[column]) for row in table.rows):
            style.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
    grid.setStyle(TableStyle(style))
    parts: list[Any] = [s.text(table.title, s.h2), grid]
    if table.note:
        parts += [Spacer(1, 2 * mm), s.text(table.note, s.note)]
    return parts


def _chart(chart: chart_module.Chart, s: _Styles) -> list[Any]:
    data = chart_module.png(chart)
    width, height = ImageReader(io.BytesIO(data)).getSize()
    scale = min(WIDTH / width, 110 * mm / height)
    return [
        KeepTogether(
            [
                s.text(chart.title, s.h2),
                Image(io.BytesIO(data), width=width * scale, height=height * scale),
            ]
        )
    ]


def _cover(report: Report, heading: str, details: list[tuple[str, str]], s: _Styles) -> list:
    story: list[Any] = [
        Spacer(1, 40 * mm),
        s.text(_("Activity report"), s.title),
        Spacer(1, 4 * mm),
        s.text(heading, s.subtitle),
        s.text(report.period.label, s.subtitle),
        Spacer(1, 12 * mm),
    ]
    for label, value in details:
        story.append(s.text(f"{label}: {value}", s.body))
    story += [
        Spacer(1, 6 * mm),
        s.text(
            _("Counts only, no names. Fewer than 3 people in a category are shown as “< 3”."),
            s.note,
        ),
        s.text(
            _("Made with Treffpunkt on %(date)s.")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
            s.note,
        ),
        PageBreak(),
    ]
    return story


def render(
    report: Report,
    *,
    heading: str,
    details: list[tuple[str, str]],
    charts: list[chart_module.Chart],
) -> bytes:
    s = _Styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{_('Activity report')} – {heading} – {report.period.label}",
        author="Treffpunkt",
    )
    story = _cover(report, heading, details, s)
    tables = exported(report)
    story += _table(tables[0], s)  # the key figures first
    for chart in charts:
        if not chart.empty:
            story += _chart(chart, s)
    for table in tables[1:]:
        if table.rows:
            story += _table(table, s)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(s.regular, 7.5)
        canvas.drawString(
            MARGIN, 10 * mm, printable(f"{heading} – {report.period.label}", s.regular)
        )
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
