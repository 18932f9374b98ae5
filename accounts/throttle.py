"""Brute-force brakes: failed logins (django-axes) and password-reset requests (the cache).

Logins: after AXES_FAILURE_LIMIT wrong passwords for one account, or LOGIN_ADDRESS_FAILURE_LIMIT
from one address (higher: a center's Wi-Fi is one address for many people), logging in is paused
for AXES_COOLOFF_TIME — even with the right password. Staff unlock an account in the admin.

Password resets: at most PASSWORD_RESET_ADDRESS_LIMIT e-mails per e-mail address and hour, and
PASSWORD_RESET_IP_LIMIT requests per client address and hour. Both count whether or not an
account exists, so the answer never tells who has one.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our own proxy the address the proxy saw.

    Only the last X-Forwarded-For entry is the proxy's: earlier ones are whatever the client
    sent. Without BEHIND_PROXY the header is ignored, so nobody can pick their own address.
    None when there is no valid address (axes stores it in an IP address column).
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        proxied = _address(forwarded.rsplit(",", 1)[-1])
        if proxied:
            return proxied
    return _address(request.META.get("REMOTE_ADDR") or "")


def _recent_failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit per address than per account."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _recent_failures(recent.filter(username=username)) if username else 0
        by_address = _recent_failures(recent.filter(ip_address=request.axes_ip_address))
        # Axes compares one number with AXES_FAILURE_LIMIT: scale the address's count so that
        # reaching LOGIN_ADDRESS_FAILURE_LIMIT reads as reaching that limit.
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)


def login_wait(request: HttpRequest, username: str | None) -> timedelta:
    """How long until logging in is possible again (an upper bound, never shorter)."""
    cool_off = get_cool_off(request) or timedelta(0)
    match = Q(ip_address=client_ip(request)) if client_ip(request) else Q(pk__in=[])
    if username:
        match |= Q(username=username)
    latest = AccessAttempt.objects.filter(match).aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return timedelta(0)
    return max(timedelta(0), latest + cool_off - timezone.now())


def minutes(wait: timedelta) -> int:
    """A waiting time as whole minutes, rounded up (at least one)."""
    return max(1, math.ceil(wait.total_seconds() / 60))


# --- password resets ---------------------------------------------------------------------------

HOUR = 3600


def _count(scope: str, value: str, *, limit: int, window: int = HOUR) -> int:
    """Count one request for `value`; 0 if within `limit` this window, else seconds to wait.

    A fixed window in the cache, keyed by a hash (no addresses in cache keys). Without a
    working cache the count is lost and the request allowed: a brake, not a lock.
    """
    now = int(time.time())
    start = now - now % window
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{digest}:{start}"
    cache.add(key, 0, window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted (or no cache) between add and incr
        cache.set(key, 1, window + 60)
        count = 1
    return 0 if count <= limit else start + window - now


def password_reset_ip_wait(request: HttpRequest) -> int:
    """Count a reset request from this client; seconds to wait if it asked too often."""
    address = client_ip(request) or "unknown"
    return _count("reset-ip", address, limit=settings.PASSWORD_RESET_IP_LIMIT)


def password_reset_address_allowed(email: str) -> bool:
    """Count a reset e-mail to this address; False once it got enough this hour."""
    return _count("reset-address", email, limit=settings.PASSWORD_RESET_ADDRESS_LIMIT) == 0


def reset_limit() -> int:
    return settings.PASSWORD_RESET_ADDRESS_LIMIT
