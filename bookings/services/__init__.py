"""Every write of the booking engine. Keyword-only functions named `<entity>_<verb>`, each owning
its transaction (`bookings.locking`), split by sub-domain as Zulip's actions are:

- requests: a new request, the rolling horizon;        series: change, end or delete a series;
- decisions: staff confirm and decline;                 changes: move, cancel, reinstate, withdraw;
- closures: close a center or room, change or remove a closure;
- transitions (internal): the one function per row transition that all of the above share.
"""

from .changes import occurrence_cancel, occurrence_move, occurrence_reinstate, series_withdraw
from .closures import ClosureChange, closure_create, closure_delete, closure_update
from .decisions import (
    occurrence_decline,
    occurrences_confirm,
    occurrences_decline,
    series_confirm,
    series_decline,
)
from .requests import booking_request_create, horizons_extend
from .series import series_delete, series_end, series_update
from .transitions import ConfirmResult

__all__ = [
    "ClosureChange",
    "ConfirmResult",
    "booking_request_create",
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
    "series_confirm",
    "series_decline",
    "series_delete",
    "series_end",
    "series_update",
    "series_withdraw",
]
