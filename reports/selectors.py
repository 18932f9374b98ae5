"""Reads of the report pages: a report for a scope and period, its charts, and what the
reports landing page lists for a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from centers.models import Center
from centers.permissions import managed_centers
from groups.models import Organisation

from . import charts as chart_module
from . import html
from .figures import compute
from .formatting import display_rows
from .period import Period
from .permissions import coordinated_organisations
from .scope import Scope
from .tables import Report, Table, build


def report(scope: Scope, period: Period, *, now: datetime | None = None) -> Report:
    return build(compute(scope, period, now=now))


@dataclass(frozen=True)
class RenderedChart:
    chart: chart_module.Chart
    svg: str
    header: list[str]
    rows: list[list[str]]


def rendered_charts(report: Report) -> list[RenderedChart]:
    """The report's charts with data, as inline SVG with their numbers for screen readers."""
    rendered = []
    for chart in chart_module.charts_for(report):
        if chart.empty:
            continue
        header, rows = chart.table()
        rendered.append(RenderedChart(chart, chart_module.svg(chart), header, rows))
    return rendered


@dataclass(frozen=True)
class ShownTable:
    table: Table
    rows: list[list[tuple[str, bool]]]  # (text, is a number) per cell

    @property
    def body(self) -> str:
        return html.table_body(self.rows)


def shown_tables(report: Report) -> list[ShownTable]:
    """The report's tables with every cell as text, formatted once for the page."""
    return [ShownTable(t, display_rows(t.rows)) for t in report.tables]


@dataclass(frozen=True)
class Landing:
    centers: QuerySet[Center]
    organisations: QuerySet[Organisation]

    @property
    def empty(self) -> bool:
        return not self.centers and not self.organisations


def landing(user: User) -> Landing:
    return Landing(
        centers=managed_centers(user).order_by("name"),
        organisations=coordinated_organisations(user).order_by("name"),
    )
