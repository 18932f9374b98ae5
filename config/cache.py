"""A Redis cache that may go away: every error is a miss, never a 500.

Django's RedisCache raises when Redis is unreachable, and every page or feed that touches the
cache fails with it. Here a failed operation answers as an empty cache would (get: the default,
add/touch/has_key: False, incr: "no such key"), is logged once per outage, and for
`RETRY_AFTER` seconds Redis is not asked at all, so a Redis that hangs instead of refusing costs
one socket timeout, not one per cache call. Used when REDIS_URL is set (config/settings/base.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a broken connection raises: redis-py's own errors, and the socket's.
FAILURES = (RedisError, OSError)
RETRY_AFTER = 5.0
_MISSING = object()


def _guard(name: str, missing: Any) -> Callable[..., Any]:
    """RedisCache.<name>, answering `missing` while Redis fails."""

    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        parent = getattr(super(ResilientRedisCache, self), name)
        return self._guarded(lambda: parent(*args, **kwargs), missing)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    _lock = threading.Lock()
    _down_until = 0.0  # per process: one outage, one log line

    def _guarded(self, operation: Callable[[], Any], missing: Any) -> Any:
        if time.monotonic() < ResilientRedisCache._down_until:
            return missing
        try:
            result = operation()
        except FAILURES as error:
            with self._lock:
                first = ResilientRedisCache._down_until == 0.0
                ResilientRedisCache._down_until = time.monotonic() + RETRY_AFTER
            if first:
                logger.warning("Cache unavailable, answering as a miss: %s", error)
            return missing
        if ResilientRedisCache._down_until:
            with self._lock:
                ResilientRedisCache._down_until = 0.0
            logger.warning("Cache available again")
        return result

    add = _guard("add", False)
    set = _guard("set", None)
    touch = _guard("touch", False)
    delete = _guard("delete", False)
    get_many = _guard("get_many", {})
    has_key = _guard("has_key", False)
    delete_many = _guard("delete_many", None)
    clear = _guard("clear", False)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        parent = super().get
        return self._guarded(lambda: parent(key, default, version), default)

    def set_many(self, data: dict[Any, Any], *args: Any, **kwargs: Any) -> list[Any]:
        parent = super().set_many
        return self._guarded(lambda: parent(data, *args, **kwargs), list(data))

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        parent = super().incr
        result = self._guarded(lambda: parent(key, delta, version), _MISSING)
        if result is _MISSING:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable)")
        return result
