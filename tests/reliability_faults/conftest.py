"""Faults simulated only by pointing at addresses where nothing answers (stack.md pitfall 12): the
shared PostgreSQL and Redis keep running for everyone else."""

import os
import uuid
from contextlib import contextmanager

import pytest
from django.db import connections

from tests.celery_worker import worker_on_own_queue

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def _reset_broker_pools(app) -> None:
    # The app keeps its connection and producer pools per broker URL; drop them, as Celery does after
    # a fork, so the next publish connects to the URL now configured.
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker_unreachable():
    """The project's Celery app publishes to a Redis port where nothing listens, then back."""
    from chainwork.celery import app

    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.broker_transport_options = UNREACHABLE_BROKER, {"socket_connect_timeout": 2}
    _reset_broker_pools(app)
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        _reset_broker_pools(app)


@pytest.fixture
def broker_down():
    with broker_unreachable():
        yield


@contextmanager
def database_unreachable():
    """Requests meet a PostgreSQL that does not answer: the default connection is, for the block, a
    connection to 127.0.0.1:1. The test's own connection (and its transaction) is set aside meanwhile."""
    original = connections["default"]
    unreachable = original.__class__({**original.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}, alias="default")
    connections["default"] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections["default"] = original


@contextmanager
def database_address_unreachable():
    """The default connection itself is pointed at 127.0.0.1:1 and back, so "back" means the app opens
    a new connection on its own. Transactional tests only: the open connection is closed first."""
    conn = connections["default"]
    saved = conn.settings_dict["HOST"], conn.settings_dict["PORT"]
    conn.close()
    conn.settings_dict["HOST"], conn.settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["HOST"], conn.settings_dict["PORT"] = saved


@pytest.fixture
def private_queue():
    """Tasks published during the test go to a queue of their own, deleted afterwards."""
    from chainwork.celery import app

    name = f"chainwork-faults-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    try:
        yield name
    finally:
        app.conf.task_default_queue = previous
        with app.connection_for_write() as conn:
            conn.SimpleQueue(name).queue.delete()


def published(queue_name: str) -> list[tuple[str, list]]:
    """(task name, args) of every message waiting in the queue, taken off it."""
    from chainwork.celery import app

    found = []
    with app.connection_for_write() as conn, conn.SimpleQueue(queue_name) as queue:
        while True:
            try:
                message = queue.get(timeout=1)
            except queue.Empty:
                return found
            message.ack()
            args, _kwargs, _embed = message.payload
            found.append((message.headers["task"], list(args)))


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker in a thread on the configured broker, on a queue of its own."""
    with worker_on_own_queue("faults-worker", django_db_blocker) as queue:
        yield queue
