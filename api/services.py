"""Writes of the api app: personal API tokens (create, revoke, look up) and a center's licence.

A token is `tp_` + 32 random bytes (URL-safe base64). Only its SHA-256 is stored, as for
calendar feed tokens (`accounts.tokens`): the plain token is returned once, at creation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from centers.models import Center
from centers.permissions import can_manage_center

from .models import ApiToken, Licence, OpenData

TOKEN_PREFIX = "tp_"
TOKEN_BYTES = 32
MAX_LIVE_TOKENS = 20
# tp_ + 43 characters; anything much longer cannot be ours, so no query is made for it.
_MAX_TOKEN_LENGTH = 80
# "Last used" is written at most this often per token, not on every request.
_TOUCH_EVERY = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def live_tokens(user: User):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


@transaction.atomic
def api_token_create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plain token (to be shown once)."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. the website or program that uses it.")
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Choose read only or read and write.")
    # Locks the person's row so that two parallel requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if live_tokens(user).count() >= MAX_LIVE_TOKENS:
        errors["name"] = _("You have %(n)s tokens already. Revoke one you no longer use.") % {
            "n": MAX_LIVE_TOKENS
        }
    if errors:
        raise ValidationError(errors)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken.objects.create(
        user=user,
        name=name[:100],
        scope=scope,
        token_hash=_digest(token),
        prefix=token[:10],
    )
    return row, token


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the person's own tokens; False if there is no such live token."""
    return bool(live_tokens(user).filter(pk=token_id).update(revoked_at=timezone.now()))


def api_token_lookup(token: str, *, now: datetime | None = None) -> ApiToken | None:
    """The live token row for a plain token, or None (unknown, revoked, or inactive person).

    Found by its hash (an index lookup that tells nothing about other tokens), then the hashes
    are compared in constant time.
    """
    if not token or len(token) > _MAX_TOKEN_LENGTH or not token.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(token)
    row = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    now = now or timezone.now()
    if row.last_used_at is None or row.last_used_at < now - _TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def open_data_set(*, user: User, center: Center, licence: str, attribution: str) -> OpenData:
    """Staff of the center choose the licence of its public program ("" = none chosen)."""
    if not can_manage_center(user, center):
        raise PermissionDenied
    if licence and licence not in Licence.values:
        raise ValidationError({"licence": _("Choose one of the licences listed.")})
    row, _created = OpenData.objects.update_or_create(
        center=center,
        defaults={"licence": licence, "attribution": (attribution or "").strip()[:200]},
    )
    return row
