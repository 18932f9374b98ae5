"""The weekly plan for the notice board as a PDF: one A4 landscape page, rooms × days.

Made with reportlab (pure Python, wheels on PyPI). Group names come in German, Turkish, Arabic
transliterations and more, so the text font is DejaVu Sans when the system has it; otherwise the
built-in Helvetica, with characters it cannot show replaced by their closest plain letters.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.tables import LongTable

from centers.models import Center

from .board import CLOSURE, WeekGrid

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
PAGE = landscape(A4)
MARGIN = 10 * mm
# Tried from large to small until the plan fits on one page.
FONT_SIZES = (10, 9, 8, 7, 6.5, 6, 5.5, 5)
# Rows are stretched to fill the page, but no room gets taller than this.
MAX_ROW_HEIGHT = 45 * mm
# Characters Helvetica's WinAnsi encoding lacks, by the letter people would write instead.
_PLAIN = str.maketrans({"ı": "i", "İ": "I", "ğ": "g", "Ğ": "G", "ş": "s", "Ş": "S", "ł": "l"})


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names: DejaVu Sans if found and loadable, else Helvetica."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists():
            try:
                pdfmetrics.registerFont(TTFont("TreffpunktSans", str(regular)))
                bold_name = "TreffpunktSans"
                if bold.exists():
                    pdfmetrics.registerFont(TTFont("TreffpunktSans-Bold", str(bold)))
                    bold_name = "TreffpunktSans-Bold"
                return "TreffpunktSans", bold_name
            except Exception:  # a broken font file must not break the plan
                continue
    return "Helvetica", "Helvetica-Bold"


def printable(text: str, font: str) -> str:
    """Text the font can show: unchanged for DejaVu; for Helvetica, reduced to cp1252."""
    if font.startswith("TreffpunktSans"):
        return text
    text = text.translate(_PLAIN)
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFKD", text)
        kept = []
        for char in decomposed:
            try:
                char.encode("cp1252")
                kept.append(char)
            except UnicodeEncodeError:
                if not unicodedata.combining(char):
                    kept.append("?")
        return unicodedata.normalize("NFC", "".join(kept))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _day_header(day: date) -> str:
    return formats.date_format(day, "D") + " " + formats.date_format(day, "SHORT_DATE_FORMAT")


def _table(
    center: Center,
    grid: WeekGrid,
    size: float,
    width: float,
    row_heights: list[float | None] | None = None,
) -> Table:
    regular, bold = fonts()
    text = ParagraphStyle("cell", fontName=regular, fontSize=size, leading=size * 1.2)
    strong = ParagraphStyle("head", parent=text, fontName=bold)
    muted = ParagraphStyle("closed", parent=text, textColor=colors.HexColor("#4a4a4a"))

    def para(value: str, style: ParagraphStyle = text) -> Paragraph:
        return Paragraph(_escape(printable(value, style.fontName)), style)

    header = [para(_("Room"), strong)]
    for day, holiday in grid.header:
        label = _day_header(day)
        header.append(
            Paragraph(
                _escape(printable(label, bold))
                + (f"<br/>{_escape(printable(holiday, regular))}" if holiday else ""),
                strong,
            )
        )
    rows = [header]
    tz = center.tz
    for row in grid.rows:
        line = [para(row.room.name, strong)]
        for cell in row.cells:
            parts = []
            if cell.holiday:
                parts.append(_escape(printable(_("Public holiday"), regular)))
            for closure in cell.closures:
                parts.append(
                    _escape(printable(_("Closed: %(reason)s") % {"reason": closure.label}, regular))
                )
            for entry in cell.items:
                if entry.kind == CLOSURE:
                    continue
                start = entry.starts_at.astimezone(tz)
                end = entry.ends_at.astimezone(tz)
                parts.append(
                    f"<font name='{bold}'>{start:%H:%M}–{end:%H:%M}</font><br/>"
                    + _escape(printable(entry.label, regular))
                )
            style = muted if cell.is_closed and not cell.items else text
            line.append(
                Paragraph("<br/><br/>".join(parts) if len(parts) > 1 else "".join(parts), style)
            )
        rows.append(line)
    room_width = 30 * mm
    day_width = (width - room_width) / max(1, len(grid.days))
    table = LongTable(
        rows,
        colWidths=[room_width] + [day_width] * len(grid.days),
        rowHeights=row_heights,
        repeatRows=1,
    )
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("BACKGROUND", (0, 1), (0, -1), colors.HexColor("#f4f4f4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for column, (_day, holiday) in enumerate(grid.header, start=1):
        if holiday:
            commands.append(("BACKGROUND", (column, 1), (column, -1), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def render(*, center: Center, grid: WeekGrid) -> bytes:
    """The PDF bytes of the plan: title, the rooms × days table shrunk to fit one page."""
    regular, bold = fonts()
    buffer = io.BytesIO()
    width, height = PAGE
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    first, last = grid.days[0], grid.days[-1]
    title = _("Weekly plan %(center)s") % {"center": center.name}
    week = _("Week %(week)s: %(first)s – %(last)s") % {
        "week": first.isocalendar().week,
        "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
        "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
    }
    canvas.setTitle(printable(f"{title} – {week}", regular))
    canvas.setAuthor("Treffpunkt")
    canvas.setFont(bold, 15)
    canvas.drawString(MARGIN, height - MARGIN - 12, printable(title, bold))
    canvas.setFont(regular, 11)
    canvas.drawRightString(width - MARGIN, height - MARGIN - 12, printable(week, regular))
    top = height - MARGIN - 22
    available_width = width - 2 * MARGIN
    available_height = top - MARGIN - 10
    table = None
    for size in FONT_SIZES:
        table = _table(center, grid, size, available_width)
        _w, needed = table.wrapOn(canvas, available_width, available_height)
        if needed <= available_height:
            break
    assert table is not None
    if needed < available_height and len(grid.rows):
        # Spread the spare height over the rooms: a plan on the wall should fill its page.
        natural = list(table._rowHeights)  # measured by wrapOn
        spare = (available_height - needed) / len(grid.rows)
        heights: list[float | None] = [natural[0]] + [
            max(h, min(h + spare, MAX_ROW_HEIGHT)) for h in natural[1:]
        ]
        table = _table(center, grid, size, available_width, heights)
        _w, needed = table.wrapOn(canvas, available_width, available_height)
    # Still too long at the smallest size: draw what fits; the footer says the plan is cut.
    parts = table.split(available_width, available_height) if needed > available_height else []
    shown = parts[0] if parts else table
    _w, shown_height = shown.wrapOn(canvas, available_width, available_height)
    shown.drawOn(canvas, MARGIN, top - shown_height)
    canvas.setFont(regular, 7)
    footer = f"{center.name}, {center.address}"
    if parts:
        footer += " – " + _("More dates on the occupancy board.")
    canvas.drawString(MARGIN, MARGIN - 4, printable(footer, regular))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
