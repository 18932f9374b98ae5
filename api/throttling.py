"""Rate limits: per client IP address (every request) and per token (requests with one).

Rates come from settings.API_THROTTLE_RATES at call time, so tests and deployments can change
them without re-importing DRF's settings.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class _SettingsRate(SimpleRateThrottle):
    def __init__(self) -> None:  # DRF reads the rate in __init__
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str | None:
        return getattr(settings, "API_THROTTLE_RATES", {}).get(self.scope)


class IPThrottle(_SettingsRate):
    scope = "ip"

    def get_cache_key(self, request: Request, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_SettingsRate):
    scope = "token"

    def get_cache_key(self, request: Request, view: object) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
