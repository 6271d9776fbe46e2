"""With the database unreachable every request fails cleanly — 503, a Chinese page or JSON under /api/,
no traceback — and the same browser or token is served again once it is back. The app's connection is
pointed at 127.0.0.1:1; the shared PostgreSQL keeps running."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from chainwork.reference import load_reference_data
from tests.base import make_personas
from tests.reliability_faults.conftest import database_address_unreachable, database_unreachable


@pytest.fixture
def official(client, personas):
    client.force_login(personas.hubei)  # the session row is written while the database is up
    return client


@pytest.fixture
def token_client(api_client, personas):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.hubei).key}")
    return api_client


@pytest.mark.django_db
def test_a_page_answers_503_in_chinese(official):
    with database_unreachable():
        response = official.get(reverse("cases-list"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode() and "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_a_form_post_answers_503(official):
    with database_unreachable():
        response = official.post(reverse("cases-create"), {"title": "光芯片断供"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_a_signed_in_user_keeps_the_session_cookie(official):
    with database_unreachable():
        response = official.get(reverse("cases-list"))
    assert "sessionid" not in response.cookies  # neither renewed nor deleted


@pytest.mark.django_db
def test_a_login_answers_503(client, personas):
    with database_unreachable():
        response = client.post(reverse("login"), {"username": "p-hubei", "password": "secret-pass-123"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_the_api_answers_503_with_json(token_client):
    with database_unreachable():
        response = token_client.get("/api/v1/cases/")
    assert response.status_code == 503
    assert response.json() == {"detail": "数据库暂时无法访问，请稍后再试。"}


@pytest.mark.django_db
def test_the_api_speaks_english_when_asked(token_client):
    with database_unreachable():
        response = token_client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"].startswith("The database")


@pytest.mark.django_db(transaction=True)
def test_the_same_browser_is_served_again_once_the_database_is_back(client):
    load_reference_data()  # truncation removed the reference rows (stack.md pitfall 6)
    client.force_login(make_personas().hubei)
    with database_address_unreachable():
        assert client.get(reverse("cases-list")).status_code == 503
    assert client.get(reverse("cases-list")).status_code == 200
