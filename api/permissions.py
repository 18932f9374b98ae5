"""Who may call what through the API. Objects are scoped by the apps' own permission modules
(`bookings.permissions`, `centers.permissions`): what is not yours answers 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


def _token(request: Request):
    return getattr(request, "auth", None)


class TokenScope(BasePermission):
    """Reads are open (the views scope them); writes need a read-and-write token.

    A view may mark a POST that changes nothing (a preview) with `read_only_post = True`.
    """

    message = _("This token is read-only: make a read-and-write token to change bookings.")

    def has_permission(self, request: Request, view: object) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "read_only_post", False):
            return True
        token = _token(request)
        if token is None:
            return False  # DRF answers 401 with the Bearer challenge
        return bool(token.can_write)


class SignedIn(BasePermission):
    """A valid token (its person active) for personal endpoints; 401 otherwise."""

    message = _("Send a personal API token (Authorization: Bearer …).")

    def has_permission(self, request: Request, view: object) -> bool:
        return _token(request) is not None and request.user.is_authenticated


PERSONAL = [SignedIn, TokenScope]
