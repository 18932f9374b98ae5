"""Charts are drawn by matplotlib; inline on the page they must keep the Content-Security-Policy
(no inline CSS), look the same and keep their accessible name."""

from __future__ import annotations

import re

import pytest

from reports.charts import Chart, svg

CHARTS = [
    Chart(
        key="dates",
        title="Termine je Monat",
        kind="bars",
        labels=("Jan", "Feb", "Mär"),
        series=(("2026", (12.0, 9.0, 14.0)), ("2025", (10.0, 11.0, 8.0))),
        unit="Termine",
    ),
    Chart(
        key="rooms",
        title="Auslastung",
        kind="hbars",
        labels=("Saal", "Küche"),
        series=(("Anteil", (0.4, 0.7)),),
        unit="%",
    ),
    Chart(
        key="heat",
        title="Wochentag und Stunde",
        kind="heatmap",
        labels=("Mo", "Di"),
        series=(("Stunden", (1.0, 2.0, 0.0, 3.0)),),
        unit="Stunden",
        columns=("9", "10"),
    ),
]


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.kind)
def test_an_inline_chart_carries_no_inline_css_but_keeps_its_colours(chart, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    text = svg(chart)

    assert "style=" not in text and "<style" not in text  # CSP: style-src without 'unsafe-inline'
    assert re.search(r'<svg [^>]*stroke-linejoin="round"', text)  # the sheet's rule, on the root
    assert re.search(r'fill="#[0-9a-f]{6}"', text)  # colours now as attributes
    assert 'font-family="' in text or "<text" not in text
    assert f'aria-labelledby="chart-{chart.key}-title"' in text
    assert text.count("<svg") == 1 and text.rstrip().endswith("</svg>")
