"""The weekly plan for the notice board: one A4 landscape page that holds the week's groups.

The PDF is turned into an image with poppler's pdftoppm (not blank: enough dark pixels) and into
text with pdftotext (the group names, umlauts and Turkish letters intact)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from console import selectors as staff_selectors
from console import weekly_pdf

from .conftest import TUESDAYS

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
    reason="needs poppler-utils (pdftoppm, pdftotext)",
)


def _gray_image(pdf: Path, tmp_path: Path) -> tuple[int, int, bytes]:
    """First page as an 8-bit grey PGM: (width, height, pixels)."""
    base = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-gray", "-singlefile", str(pdf), str(base)],
        check=True,
        timeout=60,
    )
    data = (tmp_path / "page.pgm").read_bytes()
    # Binary PGM header: P5 <width> <height> <maxval> then one byte per pixel.
    fields, position = [], 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        start = position
        while not data[position : position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    assert fields[0] == b"P5"
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 :]
    assert len(pixels) == width * height
    return width, height, pixels


def _text(pdf: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    # Names may wrap inside their cell: compare with whitespace collapsed.
    return " ".join(result.stdout.decode("utf-8").split())


def _pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, timeout=60)
    lines = dict(line.split(":", 1) for line in info.stdout.decode().splitlines() if ":" in line)
    return int(lines["Pages"].strip()), lines["Page size"].strip()


@needs_poppler
def test_the_weekly_pdf_holds_the_weeks_groups_on_one_a4_landscape_page(
    staff_client, world, tmp_path
):
    url = reverse("staff:week_pdf", kwargs={"slug": world.center.slug})
    response = staff_client.get(url, {"date": TUESDAYS[0].isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "brunnenplatz-2030-W06.pdf" in response["Content-Disposition"]
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(response.content)

    pages, size = _pages(pdf)
    assert pages == 1
    assert size.startswith("841.89 x 595.27")  # A4 landscape, in points

    text = _text(pdf)
    assert "Kochgruppe Zukunft" in text
    assert "Frauenfrühstück Öztürk" in text
    assert "18:00–20:00" in text
    assert "Küche" in text and "Café" in text
    # Only confirmed dates go on the notice board: the waiting request is not there.
    assert "Sprachcafé" not in text

    width, height, pixels = _gray_image(pdf, tmp_path)
    assert width > height  # landscape
    dark = sum(1 for p in pixels if p < 128)
    assert dark / len(pixels) > 0.005, "the page is blank"
    assert dark / len(pixels) < 0.5, "the page is mostly black"


@needs_poppler
def test_turkish_letters_survive_in_the_pdf(world, tmp_path):
    from bookings import services

    services.series_confirm(user=world.staff, series=world.request, skip_clashing=True)
    grid = staff_selectors.week_plan(center=world.center, day=TUESDAYS[2])
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(weekly_pdf.render(center=world.center, grid=grid))
    if weekly_pdf.fonts()[0] == "Helvetica":
        pytest.skip("DejaVu Sans is not installed: the fallback font cannot show ğ")
    assert "Sprachcafé Çağrı" in _text(pdf)


def test_without_dejavu_the_plan_falls_back_to_helvetica_with_plain_letters(world, monkeypatch):
    monkeypatch.setattr(weekly_pdf, "fonts", lambda: ("Helvetica", "Helvetica-Bold"))
    grid = staff_selectors.week_plan(center=world.center, day=TUESDAYS[0])
    assert weekly_pdf.render(center=world.center, grid=grid).startswith(b"%PDF")
    assert weekly_pdf.printable("Sprachcafé Çağrı İş", "Helvetica") == "Sprachcafé Çagri Is"
    assert weekly_pdf.printable("Öztürk", "Helvetica") == "Öztürk"
    assert weekly_pdf.printable("Çağrı", "TreffpunktSans") == "Çağrı"


@needs_poppler
def test_a_crowded_week_still_fits_on_one_page(world, make_room, tmp_path):
    for n in range(40):
        make_room(center=world.center, name=f"Raum {n:02d}")
    grid = staff_selectors.week_plan(center=world.center, day=TUESDAYS[0])
    pdf = tmp_path / "week.pdf"
    pdf.write_bytes(weekly_pdf.render(center=world.center, grid=grid))
    assert _pages(pdf)[0] == 1


def test_the_print_view_lists_the_week(staff_client, world):
    response = staff_client.get(
        reverse("staff:week", kwargs={"slug": world.center.slug}),
        {"date": TUESDAYS[0].isoformat()},
    )
    body = response.content.decode()
    assert "Kochgruppe Zukunft" in body and "Frauenfrühstück Öztürk" in body
    # The page format comes from a print style sheet (no inline styles under the CSP).
    assert 'media="print" href="/static/css/week-print.css"' in body
    assert "week.pdf?date=2030-02-05" in body


def test_the_print_style_sheet_turns_the_page_across():
    from pathlib import Path

    css = Path(__file__).resolve().parents[2] / "static" / "css" / "week-print.css"
    assert "size: A4 landscape" in css.read_text()
