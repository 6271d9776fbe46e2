"""A PostgreSQL ``statement_timeout`` for one unit of work: a web request, a Celery task.

A query that runs past the gunicorn worker timeout keeps burning a core after gunicorn gave up on the
worker; with a shorter statement timeout the database gives up first, the query ends with its request,
and the request can still answer (a 503, chainwork.middleware.DatabaseUnavailableMiddleware).

Connections persist across requests (CONN_MAX_AGE) and ATOMIC_REQUESTS is off, so the limit is a
session ``SET`` that must not outlive its unit of work: it is lifted with ``RESET`` at the end, in a
finally. The ``SET`` is sent lazily, just before the first query of the unit, so a request that never
touches the database (an anonymous login page) costs no round trip and opens no connection. Both go
through the raw driver connection: they are not part of what a page asks of the database, and the
query-count tests do not see them.

A ``SET`` inside a transaction is undone when that transaction (or savepoint) rolls back; the limit is
therefore sent again after leaving the atomic level it was sent in. Nested units share the outermost
limit: a task run inline by a request (chainwork.enqueue) is part of that request.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager

from django.db import connection

logger = logging.getLogger(__name__)

_local = threading.local()

QUERY_CANCELED = "57014"  # SQLSTATE of a statement cancelled by statement_timeout (or pg_cancel_backend)


def is_statement_timeout(exception: BaseException) -> bool:
    """True for a Django database error whose cause is a cancelled statement (psycopg2 QueryCanceled)."""
    return getattr(exception.__cause__, "pgcode", None) == QUERY_CANCELED


def _atomic_depth(conn) -> int:
    return len(conn.savepoint_ids) + 1 if conn.in_atomic_block else 0


class _Limit:
    """An execute wrapper that sets the limit on the connection before the unit's first query."""

    def __init__(self, milliseconds: int):
        self.milliseconds = milliseconds
        self.applied_on = None  # the driver connection the SET went to (a reconnect needs it again)
        self.applied_at_depth = 0

    def __call__(self, execute, sql, params, many, context):
        conn = context["connection"]
        if conn.connection is not self.applied_on or _atomic_depth(conn) < self.applied_at_depth:
            with conn.connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [self.milliseconds])
            self.applied_on = conn.connection
            self.applied_at_depth = _atomic_depth(conn)
        return execute(sql, params, many, context)

    def lift(self) -> None:
        if self.applied_on is None or connection.connection is not self.applied_on:
            return  # never set, or set on a driver connection that has been closed since
        try:
            with connection.connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        except Exception:
            # A connection whose limit is unknown must serve nothing else.
            logger.warning("could not lift the statement timeout; closing the connection", exc_info=True)
            connection.close()


@contextmanager
def statement_timeout(milliseconds: int):
    """Run the block's queries on the default database under ``statement_timeout``; 0 means no limit."""
    if not milliseconds or getattr(_local, "active", False):
        yield
        return
    limit = _Limit(milliseconds)
    _local.active = True
    try:
        with connection.execute_wrapper(limit):
            yield
    finally:
        _local.active = False
        limit.lift()
