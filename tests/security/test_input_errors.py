"""Input a client may send answers a 4xx — JSON under /api/, in the user's language — never a 500."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from chainwork import health
from chainwork.api import RegionViewSet
from tests.cases.fixtures_api import make_chain, new_case

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture
def hubei_case(personas):
    return new_case(personas.hubei, make_chain()["lead"])


@pytest.fixture
def api(personas):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(personas.hubei)
    return client


@pytest.fixture
def page(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.hubei)
    return client


@pytest.mark.parametrize("url", ["/api/v1/cases/{case}.json", "/api/v1/cases/{case}/timeline.json",
                                 "/api/v1/enterprises/{lead}/chain.json", "/api/v1/reports/dashboard.json",
                                 "/api/v1/cases.json"])
def test_a_format_suffix_on_a_get_route_is_a_json_404(api, hubei_case, url):
    response = api.get(url.format(case=hubei_case.pk, lead=hubei_case.enterprise_id))
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


@pytest.mark.parametrize("url", ["/api/v1/notifications/read-all.json", "/api/v1/cases/{case}/comment.json"])
def test_a_format_suffix_on_a_post_route_is_a_json_404(api, hubei_case, url):
    response = api.post(url.format(case=hubei_case.pk), {"text": "好", "visibility": "shared"}, format="json")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_deeply_nested_json_is_a_400(api):
    response = api.post("/api/v1/cases/", DEEP, content_type="application/json")
    assert response.status_code == 400


def test_deeply_nested_json_to_the_token_endpoint_is_a_400(personas):
    response = APIClient(raise_request_exception=False).post("/api/v1/auth/token/", DEEP,
                                                             content_type="application/json")
    assert response.status_code == 400


def test_the_parse_error_is_in_english_for_an_english_client(api):
    response = api.post("/api/v1/cases/", DEEP, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert "nested" in response.json()["detail"]


def test_shared_problems_ordered_by_urgency_are_listed(api, hubei_case):
    assert api.get("/api/v1/cases/?shared=true&ordering=urgency").status_code == 200


@pytest.mark.parametrize("body", ["null", "[null]", '"x"', "1"])
def test_a_json_body_that_is_not_an_object_is_a_400(api, body):
    response = api.post("/api/v1/policy-applications/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/cases/export/?q=%00", "/cases/export/?region=%00", "/cases/export/?state=%00",
                                 "/cases/export/?ordering=%00", "/cases/export/?category=%00",
                                 "/enterprises/export/?q=%00", "/cases/attachments/a%00b/",
                                 "/enterprises/contacts/photos/a%00b/"])
def test_a_nul_in_a_page_url_is_a_400(page, url):
    assert page.get(url).status_code == 400


def test_a_nul_in_an_api_query_is_a_json_400(api):
    response = api.get("/api/v1/cases/?q=%00")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")


def test_a_server_error_under_api_answers_json(api, monkeypatch):
    monkeypatch.setattr(RegionViewSet, "list", boom)
    response = api.get("/api/v1/regions/")
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")


def test_a_server_error_of_a_page_answers_the_error_page(page, monkeypatch):
    monkeypatch.setattr(health, "status", boom)
    response = page.get("/healthz")
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (500, "text/html")


def boom(*args, **kwargs):
    raise RuntimeError("unexpected")
