"""CSV and XLSX exports of a report: the page's tables, cell for cell.

CSV: one table per file (UTF-8 with a byte order mark, so spreadsheet programs read umlauts),
numbers with a dot; all tables together come as a ZIP of CSV files. XLSX (openpyxl): one sheet
per table, numbers as numbers, a title row and the table's note.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal

from django.utils.translation import gettext as _

from .formatting import csv_value, is_number, plain
from .tables import Report, Table

SHEET_NAME_MAX = 31  # Excel's limit
# A text cell starting with one of these is a formula to spreadsheet programs (CSV injection):
# a group called "=HYPERLINK(…)" must stay text in whoever's Excel opens the export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def exported(report: Report) -> list[Table]:
    return [t for t in report.tables if t.exported]


def csv_table(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_inert(str(c)) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [csv_value(cell) if is_number(cell) else _inert(csv_value(cell)) for cell in row]
        )
    return "\ufeff" + buffer.getvalue()


def csv_zip(report: Report, *, stem: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, table in enumerate(exported(report), start=1):
            archive.writestr(f"{stem}/{n:02d}-{table.key}.csv", csv_table(table).encode("utf-8"))
    return buffer.getvalue()


def _sheet_name(title: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:SHEET_NAME_MAX].strip()
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" {n}"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def xlsx(report: Report, *, heading: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in exported(report):
        sheet = workbook.create_sheet(_sheet_name(table.title, taken))
        sheet.append([f"{heading} – {table.title}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            values = []
            for cell in row:
                value = plain(cell)
                values.append(float(value) if isinstance(value, Decimal) else value)
            sheet.append(values)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.0#"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever a name starts with
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.freeze_panes = "B3"
        for index, column in enumerate(table.columns, start=1):
            longest = max([len(str(column))] + [len(str(plain(r[index - 1]))) for r in table.rows])
            sheet.column_dimensions[get_column_letter(index)].width = min(45, max(8, longest + 2))
    if not workbook.worksheets:
        workbook.create_sheet(_("Report"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
