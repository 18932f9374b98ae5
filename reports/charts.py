"""Charts of a report, drawn on the server with matplotlib (Agg): SVG for the page, PNG for the
PDF, from the same `Chart` value — so the PDF shows the page's charts.

A chart is a pure function of its data, so the rendered picture is cached under a hash of that
data (and the language): a report looked at again, or exported after being looked at, draws
nothing twice. Bars are told apart by hatching as well as colour; the heatmap writes its
numbers into the cells; every chart comes with its numbers as a table (see the templates).
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .figures import PARTS_OF_DAY
from .formatting import display, plain
from .tables import Report

ACCENT, GREY, INK, MUTED = "#0b57d0", "#9e9e9e", "#1a1a1a", "#4a4a4a"
CACHE_SECONDS = 24 * 3600
CACHE_VERSION = "3"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str  # "bars" (grouped columns), "hbars" (horizontal bars) or "heatmap"
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str
    columns: tuple[str, ...] = ()  # heatmap: column labels; rows are `labels`

    @property
    def empty(self) -> bool:
        return not self.labels or not any(v for _name, values in self.series for v in values)

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the chart's numbers, as text, for screen readers."""
        if self.kind == "heatmap":
            header = ["", *self.columns]
            values = self.series[0][1]
            width = len(self.columns)
            rows = [
                [label, *(_number(v) for v in values[i * width : (i + 1) * width])]
                for i, label in enumerate(self.labels)
            ]
            return header, rows
        header = ["", *(name for name, _values in self.series)]
        rows = [
            [label, *(_number(values[i]) for _name, values in self.series)]
            for i, label in enumerate(self.labels)
        ]
        return header, rows


def _number(value: float) -> str:
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return display(float(value))


def _month(day: date) -> str:
    return date_format(day, "M y")


# --- which charts a report has ----------------------------------------------------------------


def charts_for(report: Report) -> list[Chart]:
    charts: list[Chart] = []
    trend = report.table("trend").rows
    months = tuple(_month(day) for day in report.period.months())
    this_year = str(report.period.first.year)
    before = str(report.period.first.year - 1)
    if report.period.last.year != report.period.first.year:
        this_year, before = _("this period"), _("a year before")
    charts.append(
        Chart(
            "trend_dates",
            _("Dates held per month, against the previous year"),
            "bars",
            months,
            (
                (this_year, tuple(float(r[1]) for r in trend)),
                (before, tuple(float(r[2]) for r in trend)),
            ),
            _("dates"),
        )
    )
    charts.append(
        Chart(
            "trend_people",
            _("Participants per month, against the previous year"),
            "bars",
            months,
            (
                (this_year, tuple(float(r[3]) for r in trend)),
                (before, tuple(float(r[4]) for r in trend)),
            ),
            _("people"),
        )
    )
    outcome_rows = [
        r
        for r in report.table("outcomes").rows
        if r[1] and not str(r[0]).endswith(_("all reasons"))
    ]
    charts.append(
        Chart(
            "outcomes",
            _("What became of the dates"),
            "hbars",
            tuple(str(r[0]) for r in outcome_rows),
            ((_("Dates"), tuple(float(r[1]) for r in outcome_rows)),),
            _("dates"),
        )
    )
    rooms = [r for r in report.table("rooms").rows if r[-1] is not None]
    charts.append(
        Chart(
            "rooms",
            _("Occupancy per room, share of opening hours"),
            "hbars",
            tuple(str(r[0]) for r in rooms),
            ((_("Share of opening hours (%)"), tuple(float(plain(r[-1])) for r in rooms)),),
            "%",
        )
    )
    heat = report.table("heatmap")
    charts.append(
        Chart(
            "heatmap",
            heat.title,
            "heatmap",
            tuple(str(r[0]) for r in heat.rows),
            ((_("Hours"), tuple(float(v) for r in heat.rows for v in r[1:])),),
            _("hours"),
            columns=tuple(heat.columns[1:]),
        )
    )
    unmet = report.table("unmet_rooms").rows
    parts = len(PARTS_OF_DAY)
    charts.append(
        Chart(
            "unmet_rooms",
            _("Declined dates per room and part of the day"),
            "hbars",
            tuple(str(r[0]) for r in unmet),
            tuple(
                (
                    str(report.table("unmet_rooms").columns[3 + i]),
                    tuple(float(r[3 + i]) for r in unmet),
                )
                for i in range(parts)
            ),
            _("dates"),
        )
    )
    return charts


# --- drawing ------------------------------------------------------------------------------------


def _figure(chart: Chart) -> Any:
    # Imported here: matplotlib takes a second to import, which only report pages should pay.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: smaller, selectable, readable
            "svg.hashsalt": "treffpunkt",  # stable ids: the same chart, the same bytes
            "font.size": 10,
            "font.family": "DejaVu Sans",
            "axes.edgecolor": MUTED,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "hatch.linewidth": 0.8,
        }
    )
    rows = len(chart.labels)
    if chart.kind == "hbars":
        height = max(1.6, 0.45 * rows * max(1, len(chart.series) * 0.6) + 0.9)
    elif chart.kind == "heatmap":
        height = 0.42 * rows + 1.0
    else:
        height = 3.0
    figure = Figure(figsize=(7.2, height), layout="constrained")
    axes = figure.add_subplot()
    {"bars": _bars, "hbars": _hbars, "heatmap": _heatmap}[chart.kind](axes, chart)
    return figure


def _bars(axes: Any, chart: Chart) -> None:
    count = len(chart.series)
    width = 0.8 / count
    styles = [(ACCENT, ""), (GREY, "///"), ("#5f8fd9", "...")]
    for n, (name, values) in enumerate(chart.series):
        colour, hatch = styles[n % len(styles)]
        positions = [i + (n - (count - 1) / 2) * width for i in range(len(values))]
        axes.bar(positions, values, width, label=name, color=colour, hatch=hatch, edgecolor="white")
    axes.set_xticks(range(len(chart.labels)), chart.labels)
    # A month or two alone would make slabs of bars: keep room for at least four.
    axes.set_xlim(-0.6, max(len(chart.labels), 4) - 0.4)
    axes.set_ylabel(chart.unit)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False)
    axes.yaxis.get_major_locator().set_params(integer=True)


def _hbars(axes: Any, chart: Chart) -> None:
    count = len(chart.series)
    height = 0.8 / count
    styles = [(ACCENT, ""), (GREY, "///"), ("#5f8fd9", "...")]
    for n, (name, values) in enumerate(chart.series):
        colour, hatch = styles[n % len(styles)]
        positions = [i + (n - (count - 1) / 2) * height for i in range(len(values))]
        bars = axes.barh(
            positions, values, height, label=name, color=colour, hatch=hatch, edgecolor="white"
        )
        axes.bar_label(bars, labels=[_number(v) if v else "" for v in values], padding=3)
    axes.set_yticks(range(len(chart.labels)), chart.labels)
    if all(float(v).is_integer() for _name, values in chart.series for v in values):
        axes.xaxis.get_major_locator().set_params(integer=True)  # counts: no 0.2 dates
    axes.invert_yaxis()
    axes.set_xlabel(chart.unit)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.12)
    if count > 1:
        axes.legend(frameon=False, loc="lower right")


def _heatmap(axes: Any, chart: Chart) -> None:
    width = len(chart.columns)
    values = chart.series[0][1]
    matrix = [list(values[i * width : (i + 1) * width]) for i in range(len(chart.labels))]
    top = max(values) if values else 0
    axes.imshow(matrix, aspect="auto", cmap="Blues", vmin=0, vmax=top or 1)
    axes.set_xticks(range(width), chart.columns)
    axes.set_yticks(range(len(chart.labels)), chart.labels)
    axes.tick_params(length=0)
    for row, line in enumerate(matrix):
        for column, value in enumerate(line):
            if value:
                dark = top and value > top * 0.55
                axes.text(
                    column,
                    row,
                    _number(value),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else INK,
                )
    axes.set_xlabel(_("o'clock"))


# --- output -------------------------------------------------------------------------------------


def _key(chart: Chart, fmt: str) -> str:
    raw = repr((CACHE_VERSION, fmt, get_language(), chart)).encode()
    return "reports:chart:" + hashlib.sha256(raw).hexdigest()


def _prefix_ids(svg: str, prefix: str) -> str:
    """Several charts share one page: every id (and each reference to it) gets the chart's
    prefix, so no two elements of the page have the same id."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)


# SVG presentation attributes: what matplotlib writes as inline CSS, which the page's
# Content-Security-Policy (no inline styles) would block, can be said as attributes instead.
_PRESENTATION = frozenset(
    [
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linejoin",
        "stroke-linecap",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-size",
        "font-family",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "clip-path",
    ]
)


def _declarations(css: str) -> str:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    attrs = {name.strip(): value.strip() for name, value in pairs}
    return " ".join(
        f'{name}="{value.replace(chr(34), "&quot;")}"'
        for name, value in attrs.items()
        if name in _PRESENTATION
    )


def _without_inline_css(svg: str) -> str:
    """style="…" attributes and the <style> element as presentation attributes (same look)."""
    root_rules = "".join(
        re.findall(
            r"\*\s*\{([^}]*)\}", "".join(re.findall(r"<style[^>]*>(.*?)</style>", svg, flags=re.S))
        )
    )
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r'style="([^"]*)"', lambda m: _declarations(m.group(1)), svg)
    if root_rules:
        svg = re.sub(r"<svg\b", f"<svg {_declarations(root_rules)}", svg, count=1)
    return svg


def svg(chart: Chart) -> str:
    """The chart as an inline <svg> element, titled, scaled to its container."""
    key = _key(chart, "svg")
    cached = cache.get(key)
    if cached is not None:
        return cached
    buffer = io.StringIO()
    _figure(chart).savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = _without_inline_css(text[text.index("<svg") :])
    prefix = f"chart-{chart.key}"
    text = _prefix_ids(text, prefix)
    text = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", text, count=1)
    title = chart.title.replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{prefix}-title" class="chart-svg" focusable="false"',
        1,
    )
    text = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{prefix}-title">{title}</title>', text, count=1)
    cache.set(key, text, CACHE_SECONDS)
    return text


def png(chart: Chart, *, dpi: int = 150) -> bytes:
    """The chart as a PNG picture, for the PDF."""
    key = _key(chart, f"png{dpi}")
    cached = cache.get(key)
    if cached is not None:
        return cached
    buffer = io.BytesIO()
    _figure(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    data = buffer.getvalue()
    cache.set(key, data, CACHE_SECONDS)
    return data
