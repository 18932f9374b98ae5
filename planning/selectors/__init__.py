"""Reads of the planning pages (reports: the series of the ending term and every wish with its
conflict report, from the one conflict core; pages: the round, the sitting, terms, holidays)."""

from .pages import (
    Clash,
    RoundPage,
    clashes,
    group_wishes,
    leader_rounds,
    pending_answers,
    round_page,
    rounds_of,
    school_holidays_of,
    terms_of,
)
from .reports import (
    WishReport,
    day_bounds,
    ending_series,
    ordered,
    round_wishes,
    term_window,
    wish_reports,
)

__all__ = [
    "Clash",
    "RoundPage",
    "WishReport",
    "clashes",
    "day_bounds",
    "ending_series",
    "group_wishes",
    "leader_rounds",
    "ordered",
    "pending_answers",
    "round_page",
    "round_wishes",
    "rounds_of",
    "school_holidays_of",
    "term_window",
    "terms_of",
    "wish_reports",
]
