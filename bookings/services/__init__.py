"""Every write of the booking app. Keyword-only functions named `<entity>_<verb>`, each owning
its transaction; split by sub-domain (requests, decisions, changes) as Zulip's actions are."""

from ._core import ConfirmResult
from .changes import closure_create, occurrence_cancel, occurrence_move, series_withdraw
from .decisions import occurrence_decline, occurrences_confirm, series_confirm, series_decline
from .requests import booking_request_create, horizons_extend, series_end, series_update

__all__ = [
    "ConfirmResult",
    "booking_request_create",
    "closure_create",
    "horizons_extend",
    "occurrence_cancel",
    "occurrence_decline",
    "occurrence_move",
    "occurrences_confirm",
    "series_confirm",
    "series_decline",
    "series_end",
    "series_update",
    "series_withdraw",
]
