"""A report as tables: the one shape the page, the charts, CSV, XLSX and the PDF all read, so
every export shows exactly the figures of the page.

Cell values keep their kind: `int` (a count), `float`/`Decimal` (hours, averages), `Share`
(a part of 1, shown as a percentage), `Private` (a breakdown count: 1 or 2 people show as
"< 3"), `str` and None ("–"). `formatting` turns them into text or spreadsheet values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bookings.models import Cause
from centers.models import Weekday

from .figures import NOT_RECORDED, PARTS_OF_DAY, Figures, Outcome
from .period import Period
from .scope import Scope


class Share(float):
    """A part of the whole (0.455 = 45.5 %)."""


class Private(int):
    """A count of people in a breakdown cell: below 3 it is not shown."""

    THRESHOLD = 3


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    note: str = ""
    # Tables that repeat what a chart shows only as its screen-reader text are not exported.
    exported: bool = True


@dataclass
class Report:
    scope: Scope
    period: Period
    generated_at: datetime
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def has(self, key: str) -> bool:
        return any(t.key == key for t in self.tables)


def cause_label(cause: str) -> str:
    if cause == NOT_RECORDED:
        return _("reason not recorded")
    return str(Cause(cause).label)


def part_label(part: str) -> str:
    return {
        "morning": _("morning (until 12:00)"),
        "afternoon": _("afternoon (12:00–17:00)"),
        "evening": _("evening (from 17:00)"),
    }[part]


def _cause_order(causes: dict[str, Outcome]) -> list[str]:
    """The causes with dates, in the order of `Cause` (the engine's), "not recorded" last."""
    known = [c.value for c in Cause]
    rank = {cause: n for n, cause in enumerate(known)}
    return sorted(
        (c for c, o in causes.items() if o.dates), key=lambda c: (rank.get(c, len(known)), c)
    )


def build(figures: Figures) -> Report:
    report = Report(scope=figures.scope, period=figures.period, generated_at=figures.now)
    report.tables = [
        key_figures(figures),
        outcomes(figures),
        *([breakdown(figures)] if figures.categories else []),
        groups(figures),
        rooms(figures),
        heatmap(figures),
        unmet(figures),
        unmet_rooms(figures),
        unmet_times(figures),
        trend(figures),
    ]
    return report


def key_figures(f: Figures) -> Table:
    cancelled, declined = f.cancelled_total, f.declined_total
    rows: list[list[object]] = [
        [_("Dates held"), f.held.dates],
        [_("Hours held"), f.held.hours],
        [_("Hours booked"), f.booked_hours],
        [_("Dates still to come"), f.upcoming.dates],
        [_("Dates cancelled"), cancelled.dates],
        [_("Dates declined"), declined.dates],
        [_("Participants"), f.participants],
        [_("Dates with a count"), f.counted],
        [_("Average participants per date with a count"), f.average],
        [_("Volunteer hours"), f.volunteer_hours],
        [_("Requests withdrawn"), f.withdrawn_requests],
    ]
    return Table(
        "key",
        _("Key figures"),
        [_("Figure"), _("Value")],
        rows,
        note=_(
            "Held: confirmed dates that have started. Booked: held, still to come and "
            "cancelled dates."
        ),
    )


def outcomes(f: Figures) -> Table:
    rows: list[list[object]] = [
        [_("Held"), f.held.dates, f.held.hours],
        [_("Still to come"), f.upcoming.dates, f.upcoming.hours],
    ]
    for cause in _cause_order(f.cancelled):
        o = f.cancelled[cause]
        rows.append([_("Cancelled: %(cause)s") % {"cause": cause_label(cause)}, o.dates, o.hours])
    total = f.cancelled_total
    rows.append([_("Cancelled, all reasons"), total.dates, total.hours])
    for cause in _cause_order(f.declined):
        o = f.declined[cause]
        rows.append([_("Declined: %(cause)s") % {"cause": cause_label(cause)}, o.dates, o.hours])
    total = f.declined_total
    rows.append([_("Declined, all reasons"), total.dates, total.hours])
    if f.undecided.dates:
        rows.append([_("Requested, never decided"), f.undecided.dates, f.undecided.hours])
    if f.waiting.dates:
        rows.append([_("Requested, waiting for a decision"), f.waiting.dates, f.waiting.hours])
    return Table("outcomes", _("Dates by outcome"), [_("Outcome"), _("Dates"), _("Hours")], rows)


def breakdown(f: Figures) -> Table:
    rows = [[c.dimension_label, c.label, Private(f.breakdown.get(c.key, 0))] for c in f.categories]
    if f.scope.center is None:
        # Several centers may count by the same labels: one row per label, summed.
        merged: dict[tuple[str, str], int] = {}
        for dimension, label, value in rows:
            merged[(dimension, label)] = merged.get((dimension, label), 0) + value
        rows = [[d, label, Private(v)] for (d, label), v in merged.items()]
    return Table(
        "breakdown",
        _("Participants by category"),
        [_("Counted by"), _("Category"), _("People")],
        rows,
        note=_("Counts only. Fewer than 3 people in a category are shown as “< 3”."),
    )


def groups(f: Figures) -> Table:
    across = f.scope.center is None
    columns = [_("Group"), _("Organisation")]
    if across:
        columns.append(_("Center"))
    columns += [
        _("Dates held"),
        _("Hours held"),
        _("Participants"),
        _("Average per date"),
        _("Volunteer hours"),
        _("Cancelled"),
        _("Declined"),
    ]
    rows = []
    for g in f.groups:
        row: list[object] = [g.name, g.organisation or "–"]
        if across:
            row.append(g.center)
        row += [
            g.held,
            g.hours_held,
            g.participants,
            g.participants / g.counted if g.counted else None,
            g.volunteer_hours,
            g.cancelled,
            g.declined,
        ]
        rows.append(row)
    return Table("groups", _("Groups"), columns, rows)


def rooms(f: Figures) -> Table:
    across = f.scope.center is None
    columns = [_("Room")] + ([_("Center")] if across else [])
    columns += [
        _("Opening hours"),
        _("Hours booked"),
        _("Hours held"),
        _("Share of opening hours (%)"),
    ]
    rows = []
    for r in f.rooms:
        share = r.share
        row: list[object] = [r.room.name] + ([r.room.center.name] if across else [])
        row += [r.open_hours, r.booked_hours, r.held_hours, None if share is None else Share(share)]
        rows.append(row)
    return Table(
        "rooms",
        _("Occupancy per room"),
        columns,
        rows,
        note=_("Confirmed hours against the opening hours, without public holidays and closures."),
    )


def hour_columns(f: Figures) -> list[int]:
    first, last = f.opening_range
    used = [hour for (_day, hour), value in f.heatmap.items() if value]
    if used:
        first, last = min(first, min(used)), max(last, max(used) + 1)
    return list(range(first, last))


def heatmap(f: Figures) -> Table:
    hours = hour_columns(f)
    rows = [
        [str(day.label)] + [f.heatmap.get((day.value, hour), 0.0) for hour in hours]
        for day in Weekday
    ]
    return Table(
        "heatmap",
        _("Booked hours by weekday and hour"),
        [_("Weekday")] + [f"{hour:02d}" for hour in hours],
        rows,
        note=_("Hours of confirmed dates in each clock hour, added up over the period."),
    )


def unmet(f: Figures) -> Table:
    rows: list[list[object]] = []
    for cause in _cause_order(f.declined):
        o = f.declined[cause]
        rows.append([_("Declined: %(cause)s") % {"cause": cause_label(cause)}, o.dates, o.hours])
    total = f.declined_total
    rows.append([_("Declined, all reasons"), total.dates, total.hours])
    rows.append([_("Requested, never decided"), f.undecided.dates, f.undecided.hours])
    withdrawn = f.cancelled.get(Cause.WITHDRAWN.value, Outcome())
    rows.append([_("Dates of withdrawn requests"), withdrawn.dates, withdrawn.hours])
    rows.append([_("Requests withdrawn"), f.withdrawn_requests, None])
    rows.append([_("Alternative taken: another room"), f.other_room, None])
    rows.append([_("Alternative taken: another time"), f.other_time, None])
    return Table(
        "unmet",
        _("Unmet demand"),
        [_("What"), _("Dates"), _("Hours")],
        rows,
        note=_(
            "Dates asked for but not given, and dates held in another room or at another time "
            "than asked."
        ),
    )


def unmet_rooms(f: Figures) -> Table:
    parts = [name for name, _lo, _hi in PARTS_OF_DAY]
    rows = [
        [r.name, r.dates, r.hours] + [r.by_part.get(p, 0) for p in parts] for r in f.unmet_rooms
    ]
    return Table(
        "unmet_rooms",
        _("Declined dates per room"),
        [_("Room"), _("Dates"), _("Hours")] + [part_label(p) for p in parts],
        rows,
    )


def unmet_times(f: Figures) -> Table:
    parts = [name for name, _lo, _hi in PARTS_OF_DAY]
    rows = [
        [str(day.label)] + [f.unmet_times.get((day.value, p), 0) for p in parts] for day in Weekday
    ]
    return Table(
        "unmet_times",
        _("Declined dates by time of week"),
        [_("Weekday")] + [part_label(p) for p in parts],
        rows,
    )


def trend(f: Figures) -> Table:
    rows = [
        [
            date_format(t.month, "YEAR_MONTH_FORMAT"),
            t.held,
            t.held_before,
            t.participants,
            t.participants_before,
        ]
        for t in f.trend
    ]
    return Table(
        "trend",
        _("Trend by month against the previous year"),
        [
            _("Month"),
            _("Dates held"),
            pgettext("report column", "Dates held a year before"),
            _("Participants"),
            pgettext("report column", "Participants a year before"),
        ],
        rows,
    )
