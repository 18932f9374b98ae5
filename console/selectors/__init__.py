"""Reads for the staff console, by page: plan (board, weekly plan), overview (clashes, room
use, closures), queue (requests with their reports). Each runs a fixed number of queries."""

from .overview import (
    Clash,
    ClosurePage,
    Overview,
    RoomUse,
    clashes_between,
    closure_change_preview,
    closure_preview,
    closure_release_preview,
    closures_page,
    overview,
    pending_requests,
    room_use,
)
from .plan import (
    BOARD_VIEWS,
    Board,
    board,
    center_rooms,
    entries_between,
    holidays_between,
    local_text,
    request_url,
    week_plan,
)
from .queue import DateLine, RequestCard, queue, request_card

__all__ = [
    "BOARD_VIEWS",
    "Board",
    "Clash",
    "ClosurePage",
    "DateLine",
    "Overview",
    "RequestCard",
    "RoomUse",
    "board",
    "center_rooms",
    "clashes_between",
    "closure_change_preview",
    "closure_preview",
    "closure_release_preview",
    "closures_page",
    "entries_between",
    "holidays_between",
    "local_text",
    "overview",
    "pending_requests",
    "queue",
    "request_card",
    "request_url",
    "room_use",
    "week_plan",
]
