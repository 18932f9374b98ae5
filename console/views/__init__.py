"""Staff pages (the console): one module per page family; URLs in console/urls.py."""

from .closures import closure_delete, closure_edit, closures
from .plan import board, overview, week, week_pdf
from .requests import (
    date_decline,
    date_move,
    index,
    request_confirm,
    request_dates,
    request_decline,
    request_detail,
    request_message,
    request_use_room,
    requests,
)

__all__ = [
    "board",
    "closure_delete",
    "closure_edit",
    "closures",
    "date_decline",
    "date_move",
    "index",
    "overview",
    "request_confirm",
    "request_dates",
    "request_decline",
    "request_detail",
    "request_message",
    "request_use_room",
    "requests",
    "week",
    "week_pdf",
]
