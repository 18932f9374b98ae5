"""Every write of the booking engine. Keyword-only functions named `<entity>_<verb>`, each owning
its transaction (`bookings.locking`), split by sub-domain as Zulip's actions are:

- requests: a new request, the rolling horizon;        series: change, end or delete a series;
- decisions: staff confirm and decline;                 changes: move, cancel, reinstate, withdraw;
- closures: close a center or room, change or remove a closure;
- school_holidays: import a state's school holidays, change a series' holiday policy;
- terms: a center's terms, whose last day series "for the term" end on;
- transitions (internal): the one function per row transition that all of the above share.
"""

from .changes import (
    occurrence_cancel,
    occurrence_move,
    occurrence_reinstate,
    occurrences_move,
    series_withdraw,
)
from .closures import ClosureChange, closure_create, closure_delete, closure_update
from .decisions import (
    occurrence_decline,
    occurrences_confirm,
    occurrences_decline,
    series_confirm,
    series_decline,
)
from .requests import booking_request_create, horizons_extend
from .school_holidays import (
    HolidayChange,
    can_import_school_holidays,
    center_holiday_opening_update,
    school_holidays_import,
    series_holiday_policy_update,
)
from .series import series_delete, series_end, series_update
from .terms import TermChange, term_create, term_delete, term_update
from .transitions import ConfirmResult

__all__ = [
    "ClosureChange",
    "ConfirmResult",
    "HolidayChange",
    "TermChange",
    "booking_request_create",
    "can_import_school_holidays",
    "center_holiday_opening_update",
    "closure_create",
    "closure_delete",
    "closure_update",
    "horizons_extend",
    "occurrence_cancel",
    "occurrence_decline",
    "occurrence_move",
    "occurrence_reinstate",
    "occurrences_confirm",
    "occurrences_decline",
    "occurrences_move",
    "school_holidays_import",
    "series_confirm",
    "series_decline",
    "series_delete",
    "series_end",
    "series_holiday_policy_update",
    "series_update",
    "series_withdraw",
    "term_create",
    "term_delete",
    "term_update",
]
