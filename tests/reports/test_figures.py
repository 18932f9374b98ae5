"""Every figure of the May 2025 report of the small center, worked out by hand (conftest.py
describes the center and its dates)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reports import period
from reports.figures import compute
from reports.formatting import display, plain
from reports.scope import Filters, Scope
from reports.tables import build

MAY = period.month(2025, 5)

# Table by table, row by row, as CSV and XLSX carry them (plain values; "< 3" for 1–2 people).
EXPECTED = {
    "key": [
        ["Dates held", 7],  # Strickcafé 5, 19, 26 May; Deutschkurs 8, 15; Jugendtreff 6, 27
        ["Hours held", Decimal("17.0")],  # 3 × 2 + 2 × 2 + 2 × 3.5
        ["Hours booked", Decimal("30.5")],  # held 17 + cancelled 13.5
        ["Dates still to come", 0],
        ["Dates cancelled", 6],
        ["Dates declined", 2],
        ["Participants", 69],  # 8 + 10 + 12 + 14 + 20 + 5
        ["Dates with a count", 6],
        ["Average participants per date with a count", Decimal("11.5")],
        ["Volunteer hours", Decimal("7.0")],  # 1.5 + 3 + 2.5
        ["Requests withdrawn", 1],
    ],
    "outcomes": [
        ["Held", 7, Decimal("17.0")],
        ["Still to come", 0, Decimal("0.0")],
        ["Cancelled: cancelled by the group", 1, Decimal("2.0")],
        ["Cancelled: closure", 2, Decimal("5.5")],
        ["Cancelled: public holiday", 2, Decimal("4.0")],
        ["Cancelled: request withdrawn", 1, Decimal("2.0")],
        ["Cancelled, all reasons", 6, Decimal("13.5")],
        ["Declined: decided by staff", 1, Decimal("3.5")],
        ["Declined: another booking was confirmed", 1, Decimal("2.0")],
        ["Declined, all reasons", 2, Decimal("5.5")],
        ["Requested, never decided", 1, Decimal("1.0")],
    ],
    "breakdown": [
        ["Age", "under 18", 24],  # 1 + 18 + 5
        ["Age", "18–64", 30],  # 2 + 1 + 12 + 13 + 2
        ["Age", "65 and older", 15],  # 6 + 9
        ["Gender", "female", 28],  # 6 + 8 + 5 + 9
        ["Gender", "diverse", "< 3"],  # 1 + 1
        ["First visit", "first time here", 12],  # 1 + 4 + 2 + 5
    ],
    "groups": [
        # group, organisation, held, hours, people, average, volunteer h, cancelled, declined
        [
            "Deutschkurs",
            "AWO Ortsverein",
            2,
            Decimal("4.0"),
            26,
            Decimal("13.0"),
            Decimal("3.0"),
            4,
            0,
        ],
        ["Jugendtreff", "Caritas", 2, Decimal("7.0"), 25, Decimal("12.5"), Decimal("2.5"), 1, 2],
        [
            "Strickcafé",
            "AWO Ortsverein",
            3,
            Decimal("6.0"),
            18,
            Decimal("9.0"),
            Decimal("1.5"),
            1,
            0,
        ],
    ],
    "rooms": [
        # room, opening hours, booked, held, share (%)
        ["Küche", Decimal("140.0"), Decimal("7.0"), Decimal("7.0"), Decimal("5.0")],
        ["Saal", Decimal("144.0"), Decimal("6.0"), Decimal("6.0"), Decimal("4.2")],
        ["Seminarraum", Decimal("144.0"), Decimal("4.0"), Decimal("4.0"), Decimal("2.8")],
    ],
    "heatmap": [
        # weekday, 09 … 16 o'clock
        ["Monday", *map(Decimal, ["0.0", "3.0", "3.0", "0.0", "0.0", "0.0", "0.0", "0.0"])],
        ["Tuesday", *map(Decimal, ["0.0", "0.0", "0.0", "0.0", "2.0", "2.0", "2.0", "1.0"])],
        ["Wednesday", *[Decimal("0.0")] * 8],
        ["Thursday", *map(Decimal, ["0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "2.0", "2.0"])],
        ["Friday", *[Decimal("0.0")] * 8],
        ["Saturday", *[Decimal("0.0")] * 8],
        ["Sunday", *[Decimal("0.0")] * 8],
    ],
    "unmet": [
        ["Declined: decided by staff", 1, Decimal("3.5")],
        ["Declined: another booking was confirmed", 1, Decimal("2.0")],
        ["Declined, all reasons", 2, Decimal("5.5")],
        ["Requested, never decided", 1, Decimal("1.0")],
        ["Dates of withdrawn requests", 1, Decimal("2.0")],
        ["Requests withdrawn", 1, "–"],
        ["Alternative taken: another room", 1, "–"],  # Strickcafé on 19 May, in the hall
        ["Alternative taken: another time", 0, "–"],
    ],
    "unmet_rooms": [
        # room, dates, hours, morning, afternoon, evening
        ["Küche", 1, Decimal("3.5"), 0, 1, 0],
        ["Saal", 1, Decimal("2.0"), 1, 0, 0],
    ],
    "unmet_times": [
        ["Monday", 0, 0, 0],
        ["Tuesday", 0, 1, 0],
        ["Wednesday", 0, 0, 0],
        ["Thursday", 0, 0, 0],
        ["Friday", 1, 0, 0],
        ["Saturday", 0, 0, 0],
        ["Sunday", 0, 0, 0],
    ],
    "trend": [["May 2025", 7, 2, 69, 13]],
}


def report_for(scope: Scope, language: str = "en"):
    with translation.override(language):
        return build(compute(scope, MAY))


def rows_of(report, key: str) -> list[list[object]]:
    return [[plain(cell) for cell in row] for row in report.table(key).rows]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_every_figure_of_the_month_matches_the_hand_computed_one(world, key):
    report = report_for(Scope(center=world.center))
    assert rows_of(report, key) == EXPECTED[key]


def test_german_figures_read_with_a_decimal_comma(world):
    with translation.override("de"):
        report = build(compute(Scope(center=world.center), MAY))
        key = {row[0]: display(row[1]) for row in report.table("key").rows}
        rooms = {row[0]: display(row[-1]) for row in report.table("rooms").rows}
    assert key["Teilnehmende"] == "69"
    assert key["Durchschnittlich Teilnehmende je Termin mit Zählung"] == "11,5"
    assert rooms["Saal"] == "4,2 %"


def test_a_filter_narrows_every_figure(world):
    report = report_for(Scope(center=world.center, filters=Filters(organisation=world.caritas)))
    assert rows_of(report, "groups") == [EXPECTED["groups"][1]]
    key = dict(rows_of(report, "key"))
    assert key["Dates held"] == 2
    assert key["Participants"] == 25
    report = report_for(Scope(center=world.center, filters=Filters(room=world.saal)))
    key = dict(rows_of(report, "key"))
    # Deutschkurs 8 and 15 May, Strickcafé 19 May (moved into the hall).
    assert key["Dates held"] == 3
    assert [row[0] for row in rows_of(report, "rooms")] == ["Saal"]


@pytest.mark.parametrize(
    ("filters", "held"),
    [
        ({"kind": "cafe"}, 3),
        ({"audience": "youth"}, 2),
        ({"language": "ar"}, 2),
        ({"language": "de"}, 5),  # Strickcafé and Deutschkurs (which is also in Arabic): once each
    ],
)
def test_filters_by_kind_audience_and_language(world, filters, held):
    from groups.models import Language

    if "language" in filters:
        filters["language"] = Language.objects.get(code=filters["language"])
    report = report_for(Scope(center=world.center, filters=Filters(**filters)))
    assert dict(rows_of(report, "key"))["Dates held"] == held


def test_a_coordinator_report_holds_only_the_organisation_s_groups(world):
    report = report_for(Scope(organisation=world.caritas))
    groups = rows_of(report, "groups")
    # Jugendtreff here, Chor Süd in the other center; nothing of the AWO's groups.
    assert [row[0] for row in groups] == ["Chor Süd", "Jugendtreff"]
    key = dict(rows_of(report, "key"))
    assert key["Participants"] == 25 + 40


def test_queries_do_not_grow_with_the_number_of_groups(world, make_group):
    scope = Scope(center=world.center)
    with CaptureQueriesContext(connection) as few:
        report_for(scope)
    for n in range(6):
        group = make_group(center=world.center, name=f"Neue Gruppe {n}")
        from tests.reports.conftest import C, _date, _series

        series = _series(
            group,
            world.saal,
            weekdays=[2],
            start_date=MAY.first,
            start_time=world.strick.series.first().start_time,
            end_time=world.strick.series.first().end_time,
        )
        _date(series, MAY.first.replace(day=7 + n % 3), C)
    with CaptureQueriesContext(connection) as many:
        report = report_for(scope)
    assert len(rows_of(report, "groups")) == 9
    assert len(many) == len(few)
