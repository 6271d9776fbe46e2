"""Checks behind /healthz: the database, the broker and the cache, each answered or named as failing."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to answer is "down"; the reason goes to the log
        logger.exception("healthz: database check failed")
        return False


def check_broker() -> bool:
    from kombu import Connection

    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=3,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
            if conn.transport_cls == "redis" or settings.CELERY_BROKER_URL.startswith("redis"):
                conn.default_channel.client.ping()
        return True
    except Exception:
        logger.exception("healthz: broker check failed")
        return False


def check_cache() -> bool:
    """The cache holds the API throttle counters (Redis when REDIS_URL is set): write, read, delete."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
        return answered
    except Exception:
        logger.exception("healthz: cache check failed")
        return False


def status() -> dict[str, str]:
    return {
        "database": "ok" if check_database() else "unavailable",
        "broker": "ok" if check_broker() else "unavailable",
        "cache": "ok" if check_cache() else "unavailable",
    }
