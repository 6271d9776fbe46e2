"""Redis as a cache that may be down (settings.CACHES).

What the cache holds can always be worked out again: the API throttles' recent requests, the dashboard's
figures, rendered fragments. So when Redis cannot be reached, or does not answer within its socket
timeout, a read is a miss and a write is skipped, and the request goes on: the API answers (throttling
is off meanwhile), the dashboard is computed afresh. After a failure the process leaves the cache alone
for PAUSE_SECONDS, so an outage costs one timeout per pause, not one per call. A warning is logged at
most once a minute per process. Errors that mean a bug (a wrong type, a bad command) are raised.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60


# After a failure the cache is left alone for this long: a page that reads it ten times pays one timeout,
# not ten, and the next request after the pause tries again.
PAUSE_SECONDS = 10


class ForgivingRedisCache(RedisCache):
    _last_warning = 0.0  # per process

    def __init__(self, server, params):
        super().__init__(server, params)
        self._paused_until = 0.0  # per cache object: Django keeps one per thread
        # One attempt per call: redis-py otherwise retries with back-off, seconds per call when it is down.
        self._options = {"retry": Retry(NoBackoff(), 0), **self._options}

    def _unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self._paused_until = now + PAUSE_SECONDS
        if now - ForgivingRedisCache._last_warning >= WARN_EVERY_SECONDS:
            ForgivingRedisCache._last_warning = now
            log.warning("cache unreachable (%s: %s): serving without it", operation, error)


def _forgiving(name: str, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if time.monotonic() < self._paused_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(name, error)
            return fallback(*args, **kwargs)

    return call


def _default(key, default=None, *args, **kwargs):
    return default


# Reads miss; writes are skipped. `add` reports success: without a cache nobody else can hold the key, so
# a caller using it as a claim (the recount of the kept dashboard figures) goes ahead instead of skipping
# work for a holder that does not exist.
for _name, _fallback in {
    "get": _default,
    "get_many": lambda *a, **k: {},
    "has_key": lambda *a, **k: False,
    "add": lambda *a, **k: True,
    "set": lambda *a, **k: None,
    "set_many": lambda *a, **k: [],
    "touch": lambda *a, **k: False,
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: None,
    "clear": lambda *a, **k: None,
}.items():
    setattr(ForgivingRedisCache, _name, _forgiving(_name, _fallback))
