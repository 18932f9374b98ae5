"""The printable door sign: an A4 PDF of the room's week whose QR code leads to the room's
public page (decoded with zbar, as a phone would), and the QR code on the tablet's door sign."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno

from config.site import site_url
from display import qr
from tests.display.conftest import cancel

pytestmark = pytest.mark.django_db
ZBAR = shutil.which("zbarimg")
PDFTOPPM = shutil.which("pdftoppm")
needs_tools = pytest.mark.skipif(
    not (ZBAR and PDFTOPPM), reason="needs zbar-tools and poppler-utils (apt-get install)"
)


def decode(image: Path) -> list[str]:
    found = subprocess.run(
        [ZBAR, "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
    )
    return found.stdout.split()


def test_room_url_is_the_public_room_page(house):
    url = qr.room_url("brunnenplatz", house.kitchen.pk)
    assert url == f"{site_url()}/centers/brunnenplatz/rooms/{house.kitchen.pk}/"


@needs_tools
def test_the_pdf_is_an_a4_week_whose_qr_code_decodes_to_the_room_page(
    client, house, clock, tmp_path
):
    clock(8)
    cancel(house.cook, house.cooking_evening, reason="Krank")
    response = client.get(f"/display/brunnenplatz/room/{house.kitchen.pk}/week.pdf?date=2030-02-06")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "brunnenplatz-room-" in response["Content-Disposition"]
        and "2030-W06" in response["Content-Disposition"]
    )
    pdf = tmp_path / "door.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    assert "595.276 x 841.89" in info  # A4 portrait, in points
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "Küche" in text and "Kochgruppe Zukunft" in text and "Entfällt" in text
    assert "Sprachcafé" not in text  # another room
    subprocess.run([PDFTOPPM, "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    assert decode(page) == [qr.room_url("brunnenplatz", house.kitchen.pk)]


@needs_tools
def test_the_door_signs_svg_encodes_the_same_address(client, house, clock, tmp_path):
    clock(10)
    body = client.get(f"/display/brunnenplatz/room/{house.kitchen.pk}/").content.decode()
    label = re.search(r'aria-label="QR-Code: ([^"]+)"', body).group(1)
    assert label == qr.room_url("brunnenplatz", house.kitchen.pk)
    # The SVG's modules are segno's for that address: re-encode and decode the same matrix.
    png = tmp_path / "door.png"
    qr.png(label, str(png))
    assert decode(png) == [label]
    assert segno.make(label, error="m").matrix == qr._make(label).matrix


def test_a_bad_week_is_this_week_and_a_foreign_room_is_404(client, house, clock):
    clock(10)
    ok = client.get(f"/display/brunnenplatz/room/{house.kitchen.pk}/week.pdf?date=99999-01-01")
    assert ok.status_code == 200 and "2030-W06" in ok["Content-Disposition"]
    foreign = client.get(f"/display/haus-der-kulturen/room/{house.kitchen.pk}/week.pdf")
    assert foreign.status_code == 404
