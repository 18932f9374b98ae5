"""Public holidays of a center's federal state, from the maintained `holidays` package."""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _holidays_for(state: str, year: int, language: str) -> dict[date, str]:
    calendar = holidays.country_holidays("DE", subdiv=state, years=year, language=language)
    return dict(calendar.items())


def public_holidays(state: str, start: date, end: date, language: str = "de") -> dict[date, str]:
    """Holidays in [start, end] for a German federal state (ISO code such as "NW"), by date."""
    language = "en_US" if language.startswith("en") else "de"
    return dict(_holidays_between(state, start, end, language))


@lru_cache(maxsize=1024)
def _holidays_between(
    state: str, start: date, end: date, language: str
) -> tuple[tuple[date, str], ...]:
    # Kept per range: every conflict check asks for its dates' range (a fresh dict each time,
    # callers may change theirs).
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _holidays_for(state, year, language).items():
            if start <= day <= end:
                found[day] = name
    return tuple(sorted(found.items()))
