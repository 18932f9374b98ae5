"""The page, the CSV files, the XLSX workbook and the PDF of the May 2025 report carry exactly
the hand-computed figures of test_figures.EXPECTED."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from tests.reports.test_figures import EXPECTED

MAY = "period=month&year=2025&month=5"


@pytest.fixture
def staff_client(client, world):
    world.staff.preferred_language = "en"
    world.staff.save(update_fields=["preferred_language"])
    client.force_login(world.staff)
    return client


def text(value: object) -> str:
    return str(value)


class TableCells(HTMLParser):
    """Rows of the report tables (data-table=key) of a page, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.in_body = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.current = attrs["data-table"]
            self.tables[self.current] = []
        elif self.current and tag == "tbody":
            self.in_body = True
        elif self.current and self.in_body and tag == "tr":
            self.tables[self.current].append([])
        elif self.current and self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.current, self.in_body = None, False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def shown(value: object) -> str:
    """How the English page shows a plain expected value."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def test_the_page_shows_every_figure(staff_client, world):
    response = staff_client.get(f"/staff/{world.center.slug}/reports/?{MAY}")
    assert response.status_code == 200
    html = response.content.decode()
    parser = TableCells()
    parser.feed(html)
    for key, rows in EXPECTED.items():
        if key == "key":
            for label, value in rows:
                assert re.search(
                    rf"<dt>{re.escape(label)}</dt><dd>{re.escape(shown(value))}</dd>", html
                ), (label, value)
            continue
        expected = [[shown(cell) for cell in row] for row in rows]
        if key == "rooms":
            expected = [[*row[:-1], f"{row[-1]} %"] for row in expected]
        assert parser.tables[key] == expected, key
    # Charts come with their numbers for screen readers.
    assert html.count('role="img"') >= 5
    assert html.count('<div class="visually-hidden"><table>') >= 5


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_csv_holds_the_table(staff_client, world, key):
    response = staff_client.get(f"/staff/{world.center.slug}/reports/export.csv?{MAY}&table={key}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1:] == [[text(cell) for cell in row] for row in EXPECTED[key]]


def test_the_csv_zip_holds_every_table(staff_client, world):
    response = staff_client.get(f"/staff/{world.center.slug}/reports/export.zip?{MAY}")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    {name.rsplit("-", 1)[-1].removesuffix(".csv"): name for name in names}
    assert set(EXPECTED) <= {
        n.split("/", 1)[1].split("-", 1)[1].removesuffix(".csv") for n in names
    }
    groups = next(n for n in names if n.endswith("-groups.csv"))
    rows = list(csv.reader(io.StringIO(archive.read(groups).decode("utf-8-sig"))))
    assert rows[1:] == [[text(c) for c in row] for row in EXPECTED["groups"]]


def _cell(value: object) -> object:
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def test_the_xlsx_has_one_sheet_per_table_with_the_figures(staff_client, world):
    response = staff_client.get(f"/staff/{world.center.slug}/reports/export.xlsx?{MAY}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    titles = {
        "key": "Key figures",
        "outcomes": "Dates by outcome",
        "breakdown": "Participants by category",
        "groups": "Groups",
        "rooms": "Occupancy per room",
        "heatmap": "Booked hours by weekday and hou",  # 31 characters
        "unmet": "Unmet demand",
        "unmet_rooms": "Declined dates per room",
        "unmet_times": "Declined dates by time of week",
        "trend": "Trend by month against the prev",  # cut to Excel's 31 characters
    }
    assert len(workbook.sheetnames) == len(titles)
    for key, title in titles.items():
        sheet = workbook[title]
        rows = [
            [_cell(c) for c in row]
            for row in sheet.iter_rows(min_row=3, max_row=2 + len(EXPECTED[key]), values_only=True)
        ]
        assert rows == EXPECTED[key], key


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_pdf_text_holds_every_figure(staff_client, world, language):
    response = staff_client.get(
        f"/staff/{world.center.slug}/reports/export.pdf?{MAY}&lang={language}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    result = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=response.content, capture_output=True, check=True
    )
    lines = [" ".join(line.split()) for line in result.stdout.decode().splitlines()]
    title = "Activity report" if language == "en" else "Sachbericht"
    assert title in lines
    if language == "de":
        assert "Stattgefundene Termine 7" in lines
        assert "Teilnehmende 69" in lines
        assert any(line.startswith("divers < 3") or line.endswith("divers < 3") for line in lines)
        return
    for key, rows in EXPECTED.items():
        for row in rows:
            if key == "heatmap" and all(not v for v in row[1:]):
                continue
            cells = [shown(c) for c in row]
            if key == "rooms":
                cells[-1] += " %"
            expected = " ".join(cells)
            assert expected in lines, (key, expected)


def test_names_that_look_like_formulas_stay_text(staff_client, world):
    world.jugend.name = '=HYPERLINK("http://evil.example","Jugendtreff")'
    world.jugend.save(update_fields=["name"])
    base = f"/staff/{world.center.slug}/reports/"
    body = staff_client.get(base + f"export.csv?{MAY}&table=groups").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert "'" + world.jugend.name in [row[0] for row in rows]
    assert world.jugend.name not in [row[0] for row in rows]
    workbook = load_workbook(io.BytesIO(staff_client.get(base + f"export.xlsx?{MAY}").content))
    cells = [row[0] for row in workbook["Groups"].iter_rows(min_row=3)]
    evil = next(c for c in cells if c.value == world.jugend.name)
    assert evil.data_type == "s"
