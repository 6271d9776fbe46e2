"""/healthz names the dependency that is down, with 503; each fault is an address where nothing answers."""

import pytest

from tests.reliability_faults.conftest import database_unreachable

UNREACHABLE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0"}}
pytestmark = pytest.mark.django_db


def test_healthz_names_the_database(client):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "broker": "ok", "cache": "ok"}


def test_healthz_names_the_cache(client, settings):
    settings.CACHES = UNREACHABLE_CACHE
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "ok", "cache": "unavailable"}


def test_healthz_names_the_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable", "cache": "ok"}


def test_healthz_answer_tells_no_more_than_the_names(client, settings):
    settings.CACHES = UNREACHABLE_CACHE
    assert "127.0.0.1" not in client.get("/healthz").content.decode()
