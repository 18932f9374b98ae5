"""API authentication: `Authorization: Bearer tp_…`, a personal token from the profile page.

No session authentication: the API never reads cookies, so no CSRF token is needed and a
page on another site cannot act for someone who is signed in to Treffpunkt.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import ApiToken
from .services import api_token_lookup


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[object, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            token = ""
        row = api_token_lookup(token)
        if row is None:
            raise exceptions.AuthenticationFailed(
                _("This token does not work: it is unknown or was revoked, or its account is off.")
            )
        return row.user, row

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 when a token is missing.
        return 'Bearer realm="treffpunkt"'
