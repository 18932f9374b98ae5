"""Writes of the planning rounds (rounds: opening, answers, wishes; allocation: the sitting).

Nothing here books a room by itself: allocating a wish calls
`bookings.services` (booking_request_create, series_confirm, occurrences_decline, series_end),
so every date meets the one policy, the locks and the database's overlap guard.

A round: `round_create` proposes a continuation for every series of the ending term and asks
the leaders (one e-mail per group); leaders answer (`wish_answer`) and add wishes
(`wish_create`) until the deadline; staff allocate in one sitting (`round_allocate`: everything
that fits, in the order continuing groups, the center's priorities, request time), resolve the
clashing wishes (`wish_resolve`: the engine's alternatives, the free dates only, or a reasoned
decline) and send the results (`round_finish`: one e-mail per group).
"""

from .allocation import (
    RESOLUTIONS,
    RESOLVE_ALTERNATIVES,
    RESOLVE_DECLINE,
    RESOLVE_FREE_DATES,
    Allocation,
    engine_alternatives,
    round_allocate,
    round_allocation_start,
    round_finish,
    wish_check,
    wish_resolve,
)
from .rounds import Slot, round_create, round_update, wish_answer, wish_create

__all__ = [
    "RESOLUTIONS",
    "RESOLVE_ALTERNATIVES",
    "RESOLVE_DECLINE",
    "RESOLVE_FREE_DATES",
    "Allocation",
    "Slot",
    "engine_alternatives",
    "round_allocate",
    "round_allocation_start",
    "round_create",
    "round_finish",
    "round_update",
    "wish_answer",
    "wish_check",
    "wish_create",
    "wish_resolve",
]
