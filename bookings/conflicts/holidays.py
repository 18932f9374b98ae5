"""The holiday facts a series' policy needs beyond the public holidays: the school holidays of
the center's state, and whether the center is open on public holidays.

Read only when the policy asks (nothing for the default policy), one small query each, so that
`fetch` stays a constant number of queries for any number of dates.
"""

from __future__ import annotations

from datetime import date

from centers.models import Center
from centers.school_holidays import school_holidays

from ..policy import HolidayPolicy


def holiday_facts(
    *, center_id: int, state: str, first: date, last: date, policy: HolidayPolicy
) -> tuple[dict[date, str], bool]:
    """(school holiday days in [first, last] by date, center open on public holidays)."""
    school = school_holidays(state, first, last) if policy.pauses_in_school_holidays else {}
    is_open = False
    if policy.meets_on_public_holidays:
        is_open = bool(
            Center.objects.filter(pk=center_id)
            .values_list("open_on_public_holidays", flat=True)
            .first()
        )
    return school, is_open
