"""Services for secret calendar-feed addresses (FeedToken): create, rotate, revoke, look up.

A token is 32 random bytes (256 bits, URL-safe base64). Only its SHA-256 is stored; the plain
token is returned once, at creation, to be shown in the subscribe link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import FeedToken, User
from centers.models import Center

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything far off cannot be ours, so skip the query.
_MAX_TOKEN_LENGTH = 64


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def feed_token_create(
    *,
    user: User,
    kind: str,
    center: Center | None = None,
    expires_at: datetime | None = None,
) -> tuple[FeedToken, str]:
    """A new feed address for `user`; returns the row and the plain token (shown once).

    Earlier live tokens of the same kind (and center) are revoked: one address per feed, so a
    forgotten old link cannot keep working.
    """
    if kind == FeedToken.Kind.STAFF and center is None:
        raise ValueError("a staff feed token needs a center")
    if kind == FeedToken.Kind.LEADER:
        center = None
    _live(user=user, kind=kind, center=center).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = FeedToken.objects.create(
        user=user, kind=kind, center=center, token_hash=_digest(token), expires_at=expires_at
    )
    return row, token


@transaction.atomic
def feed_token_rotate(*, feed_token: FeedToken) -> tuple[FeedToken, str]:
    """Replace a token by a fresh one; the old one stops working at once."""
    return feed_token_create(
        user=feed_token.user,
        kind=feed_token.kind,
        center=feed_token.center,
        expires_at=feed_token.expires_at,
    )


def feed_token_revoke(*, feed_token: FeedToken) -> None:
    if feed_token.revoked_at is None:
        feed_token.revoked_at = timezone.now()
        feed_token.save(update_fields=["revoked_at"])


def feed_token_purge_expired(*, now: datetime | None = None) -> int:
    """Delete revoked and expired tokens (a periodic job); returns how many were deleted."""
    now = now or timezone.now()
    deleted, _ = FeedToken.objects.filter(
        Q(revoked_at__isnull=False) | Q(expires_at__lte=now)
    ).delete()
    return deleted


def feed_token_lookup(token: str, *, now: datetime | None = None) -> FeedToken | None:
    """The live token row for a plain token, or None (unknown, revoked, expired, inactive user).

    The row is found by its hash (an index lookup that reveals nothing about other tokens) and
    the hashes are then compared in constant time.
    """
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    digest = _digest(token)
    row = (
        FeedToken.objects.select_related("user", "center")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.expires_at is not None and row.expires_at <= (now or timezone.now()):
        return None
    return row


def _live(*, user: User, kind: str, center: Center | None) -> QuerySet[FeedToken]:
    return FeedToken.objects.filter(
        user=user, kind=kind, center=center, revoked_at__isnull=True
    ).select_for_update()
