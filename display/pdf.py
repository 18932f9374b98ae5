"""A room's week as an A4 door sign (portrait): the room, seven days, a QR code to its page.

Uses the fonts of the staff console's weekly plan (DejaVu Sans when present), reportlab.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from centers.models import Room
from console.weekly_pdf import fonts, printable

from . import qr
from .program import CANCELLED, MOVED_AWAY, RELEASED
from .selectors import WeekDay

PAGE = A4
MARGIN = 15 * mm
QR_SIZE = 38 * mm
FONT_SIZES = (12, 11, 10, 9, 8, 7)


def _day_label(day: date) -> str:
    return formats.date_format(day, "l") + ", " + formats.date_format(day, "SHORT_DATE_FORMAT")


def _cell(day: WeekDay, font: str, bold: str) -> str:
    parts = []
    if day.holiday:
        parts.append(escape(printable(_("Public holiday") + ": " + day.holiday, font)))
    for closure in day.closures:
        parts.append(escape(printable(_("Closed: %(reason)s") % {"reason": closure.reason}, font)))
    for item in day.items:
        title = item.title or _("Booked")
        when = f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}"
        line = f"<font name='{bold}'>{when}</font> {escape(printable(title, font))}"
        if item.state == CANCELLED:
            line = f"<strike>{line}</strike> – {escape(printable(_('Cancelled'), font))}"
        elif item.state == MOVED_AWAY:
            note = item.notes[0][0][1] if item.notes else _("Moved")
            line = f"<strike>{line}</strike> – {escape(printable(note, font))}"
        elif item.state == RELEASED:
            line += " – " + escape(printable(_("Free for walk-in use"), font))
        parts.append(line)
    if not parts:
        parts.append(escape(printable(_("Free"), font)))
    return "<br/>".join(parts)


def _table(
    days: list[WeekDay], size: float, width: float, heights: list[float] | None = None
) -> Table:
    regular, bold = fonts()
    text = ParagraphStyle("cell", fontName=regular, fontSize=size, leading=size * 1.3)
    head = ParagraphStyle("head", parent=text, fontName=bold)
    rows = [
        [
            Paragraph(escape(printable(_day_label(d.day), bold)), head),
            Paragraph(_cell(d, regular, bold), text),
        ]
        for d in days
    ]
    table = Table(rows, colWidths=[45 * mm, width - 45 * mm], rowHeights=heights)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def render(*, room: Room, monday: date, days: list[WeekDay]) -> bytes:
    """The PDF bytes: heading, the week's table shrunk to fit, the QR code with its address."""
    regular, bold = fonts()
    center = room.center
    buffer = io.BytesIO()
    width, height = PAGE
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    sunday = monday + timedelta(days=6)
    week = _("Week %(week)s: %(first)s – %(last)s") % {
        "week": monday.isocalendar().week,
        "first": formats.date_format(monday, "SHORT_DATE_FORMAT"),
        "last": formats.date_format(sunday, "SHORT_DATE_FORMAT"),
    }
    canvas.setTitle(printable(f"{room.name} – {center.name} – {week}", regular))
    canvas.setAuthor("Treffpunkt")

    # Heading on the left, the QR code top right.
    top = height - MARGIN
    canvas.setFont(bold, 30)
    canvas.drawString(MARGIN, top - 28, printable(room.name, bold))
    canvas.setFont(regular, 13)
    canvas.drawString(MARGIN, top - 48, printable(center.name, regular))
    canvas.drawString(MARGIN, top - 66, printable(week, regular))
    url = qr.room_url(center.slug, room.pk)
    cells = qr.matrix(url)
    module = QR_SIZE / len(cells)
    left, qr_top = width - MARGIN - QR_SIZE, top
    canvas.setFillColor(colors.black)
    for y, row in enumerate(cells):
        for x, dark in enumerate(row):
            if dark:
                canvas.rect(
                    left + x * module, qr_top - (y + 1) * module, module, module, stroke=0, fill=1
                )
    canvas.setFont(regular, 7)
    canvas.drawRightString(width - MARGIN, qr_top - QR_SIZE - 9, printable(url, regular))
    canvas.setFont(regular, 9)
    hint = _("Scan for this room's week. Group leaders check in here.")
    canvas.drawRightString(width - MARGIN, qr_top - QR_SIZE - 20, printable(hint, regular))

    table_top = qr_top - QR_SIZE - 30
    available_w = width - 2 * MARGIN
    available_h = table_top - MARGIN - 12
    for size in FONT_SIZES:
        table = _table(days, size, available_w)
        _w, needed = table.wrapOn(canvas, available_w, available_h)
        if needed <= available_h:
            break
    if needed < available_h:
        # A sign on a door should fill its page: spread the spare height over the days.
        spare = (available_h - needed) / len(days)
        table = _table(days, size, available_w, [h + spare for h in table._rowHeights])
        _w, needed = table.wrapOn(canvas, available_w, available_h)
    shown = table
    if needed > available_h:
        shown = table.split(available_w, available_h)[0]
        _w, needed = shown.wrapOn(canvas, available_w, available_h)
    shown.drawOn(canvas, MARGIN, table_top - needed)
    canvas.setFont(regular, 8)
    canvas.drawString(MARGIN, MARGIN - 6, printable(f"{center.name}, {center.address}", regular))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
