import os
import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection

from chainwork import embedded


def test_healthz_answers_ok_with_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


def test_healthz_names_the_broker_when_it_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


def test_the_database_is_postgresql(db):
    assert connection.vendor == "postgresql"


def test_in_ci_the_database_is_the_one_database_url_names(db):
    url = os.environ["DATABASE_URL"]  # set by CI, or by the test run's local defaults (tests/environment.py)
    if os.environ.get("CI"):
        assert url != embedded.database_url(), "CI must set DATABASE_URL"
    parsed = urlparse(url)
    in_use = settings.DATABASES["default"]
    assert (in_use["HOST"], int(in_use["PORT"] or 5432)) == (parsed.hostname, parsed.port or 5432)


def test_in_ci_the_broker_is_the_one_redis_url_names():
    url = os.environ.get("REDIS_URL")
    if os.environ.get("CI"):
        assert url, "CI must set REDIS_URL"
    expected = url or "filesystem://"
    assert settings.CELERY_BROKER_URL == expected


def test_a_message_goes_through_the_broker_in_use():
    from chainwork.celery import app

    queue_name = f"chainwork-test-{uuid.uuid4().hex}"
    with app.connection_for_write() as conn, conn.SimpleQueue(queue_name) as queue:
        queue.put({"hello": "鄂"})
        message = queue.get(timeout=5)
        message.ack()
        queue.queue.delete()
    assert message.payload == {"hello": "鄂"}
