"""The client's address — in the audit trail, the export log and the API throttles — is REMOTE_ADDR,
or behind PROXY_COUNT proxies the one the outermost proxy saw; a forged X-Forwarded-For changes nothing."""

import uuid

import pytest
from django.test import RequestFactory

from chainwork.audit import client_ip

FORGED = "6.6.6.6"


def test_a_forged_forwarded_header_is_ignored_without_a_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=FORGED, REMOTE_ADDR="10.0.0.9")
    assert client_ip(request) == "10.0.0.9"


def test_behind_one_proxy_the_address_it_saw_is_taken(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=f"{FORGED}, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_escape_the_token_throttle(client, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"  # a bucket of its own
    answers = [client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"},
                           REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(3)]
    assert answers[-1] == 429
