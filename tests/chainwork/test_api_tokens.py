"""API tokens die with the password that obtained them, with a deactivated account, and when idle."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "Hubei-2026-sichuan"


@pytest.fixture
def official(personas):
    personas.hubei.set_password(PASSWORD)
    personas.hubei.save()
    return personas.hubei


def obtain(user, password=PASSWORD) -> str:
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": password},
                                format="json")
    return response.json()["token"]


def status_with(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/regions/").status_code


def test_a_fresh_token_works(official):
    assert status_with(obtain(official)) == 200


def test_a_password_change_ends_the_token(official):
    token = obtain(official)
    official.set_password("Another-2026-password")
    official.save()
    assert status_with(token) == 403  # DRF: 403, as session authentication comes first


def test_a_password_change_by_the_page_ends_the_token(official, client):
    token = obtain(official)
    client.force_login(official)
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Another-2026-password",
                                        "new_password2": "Another-2026-password"})
    assert status_with(token) == 403  # DRF: 403, as session authentication comes first


def test_deactivating_the_user_ends_the_token(official):
    token = obtain(official)
    official.is_active = False
    official.save()
    official.is_active = True
    official.save()
    assert status_with(token) == 403  # DRF: 403, as session authentication comes first


def test_saving_the_user_otherwise_keeps_the_token(official):
    token = obtain(official)
    official.first_name = "健"
    official.save()
    assert status_with(token) == 200


def test_another_users_token_survives_the_password_change(official, personas):
    other = Token.objects.create(user=personas.guangdong).key
    official.set_password("Another-2026-password")
    official.save()
    assert status_with(other) == 200


@override_settings(API_TOKEN_IDLE_SECONDS=3600)
def test_an_idle_token_expires(official):
    token = obtain(official)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)):
        assert status_with(token) == 403  # DRF: 403, as session authentication comes first


@override_settings(API_TOKEN_IDLE_SECONDS=3600)
def test_a_token_in_use_does_not_expire(official):
    token = obtain(official)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start + dt.timedelta(minutes=50)):
        status_with(token)
    with time_machine.travel(start + dt.timedelta(minutes=100)):
        assert status_with(token) == 200


@override_settings(API_TOKEN_IDLE_SECONDS=3600)
def test_the_token_endpoint_replaces_an_idle_token(official):
    token = obtain(official)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)):
        assert obtain(official) != token


def test_the_expiry_message_is_in_english_for_an_english_client(official):
    token = obtain(official)
    with override_settings(API_TOKEN_IDLE_SECONDS=1), \
            time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert "unused" in client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
