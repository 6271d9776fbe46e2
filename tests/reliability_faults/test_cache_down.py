"""With Redis unreachable as a cache, or not answering, the pages and the API work without it
(chainwork.cache.ForgivingRedisCache): a read misses, a write is skipped, throttling is off meanwhile,
and /healthz still names the cache as down."""

import logging
import socket
import time

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def forgiving(location: str) -> dict:
    return {"default": {"BACKEND": "chainwork.cache.ForgivingRedisCache", "LOCATION": location,
                        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}


@pytest.fixture
def cache_down(settings):
    settings.CACHES = forgiving("redis://127.0.0.1:1/0")  # nothing listens there


@pytest.fixture
def cache_silent(settings):
    """A server that takes the connection and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    settings.CACHES = forgiving(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    yield
    listener.close()


def test_a_read_misses_and_a_write_is_skipped(cache_down):
    cache.set("k", "v")
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}


def test_a_silent_cache_answers_within_its_timeout(cache_silent):
    started = time.monotonic()
    assert cache.get("k") is None
    assert time.monotonic() - started < 3


def test_the_api_list_answers_without_the_cache(cache_down, personas):
    client = APIClient()
    client.force_authenticate(personas.hubei)
    assert client.get("/api/v1/cases/").status_code == 200


def test_the_dashboard_answers_without_the_cache(cache_down, client_for, personas, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300  # its figures and fragment go through the cache
    assert client_for(personas.ministry).get("/reports/").status_code == 200


def test_a_page_answers_when_the_cache_does_not(cache_silent, client_for, personas, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    assert client_for(personas.ministry).get("/reports/").status_code == 200


def test_healthz_still_names_the_cache(cache_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "unavailable"


def test_the_outage_is_logged_once_a_minute_not_once_a_call(cache_down, caplog):
    from chainwork.cache import ForgivingRedisCache

    ForgivingRedisCache._last_warning = 0.0
    with caplog.at_level(logging.WARNING, logger="chainwork.cache"):
        for _ in range(5):
            cache.get("k")
    assert len([r for r in caplog.records if "cache unreachable" in r.message]) == 1


def test_after_a_failure_the_cache_is_left_alone_for_a_pause(cache_silent):
    cache.get("k")  # pays the timeout once
    started = time.monotonic()
    for _ in range(20):
        cache.get("k")
    assert time.monotonic() - started < 0.5


def test_add_goes_ahead_so_that_nobody_waits_for_a_lock_no_one_holds(cache_down):
    assert cache.add("lock", 1) is True
