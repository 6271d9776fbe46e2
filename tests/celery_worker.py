"""A real Celery worker in a thread for the tests that need one, on the configured broker (Redis in CI,
the filesystem transport locally) and on a queue of its own per pytest-xdist process (stack.md pitfall 7)."""

from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager

from django.db import connection


@contextmanager
def worker_on_own_queue(name: str, django_db_blocker):
    """Start the worker, make its queue the default of every task sent meanwhile, yield the queue."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from chainwork.celery import app

    queue = f"chainwork-{name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue

    def close_connection(**kwargs):
        # The worker thread's connection would outlive the test database otherwise (CONN_MAX_AGE).
        if threading.current_thread() is not threading.main_thread():
            connection.close()

    task_postrun.connect(close_connection, weak=False)
    try:
        with django_db_blocker.unblock(), start_worker(app, pool="solo", perform_ping_check=False, queues=[queue],
                                                       loglevel="WARNING", shutdown_timeout=10):
            yield queue
    finally:
        task_postrun.disconnect(close_connection)
        app.conf.task_default_queue = previous
