import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_cannot_list_regions(api_client, reference_data):
    assert api_client.get("/api/v1/regions/").status_code in (401, 403)


def test_regions_are_addressed_by_two_digit_code(api_client, personas):
    api_client.force_authenticate(personas.hubei)
    body = api_client.get("/api/v1/regions/42/").json()
    assert (body["code"], body["abbr"]) == ("42", "鄂")


def test_xpcc_is_region_66(api_client, personas):
    api_client.force_authenticate(personas.guangdong)
    assert api_client.get("/api/v1/regions/66/").json()["name"] == "新疆生产建设兵团"


def test_region_list_has_every_region_on_one_page(api_client, personas):
    api_client.force_authenticate(personas.dept_mot)
    assert api_client.get("/api/v1/regions/").json()["count"] == 32


def test_departments_are_addressed_by_slug(api_client, personas):
    api_client.force_authenticate(personas.hubei)
    assert api_client.get("/api/v1/departments/mot/").json()["name"] == "交通运输部"


def test_departments_filter_by_kind(api_client, personas):
    api_client.force_authenticate(personas.ministry)
    assert api_client.get("/api/v1/departments/?kind=bureau").json()["count"] == 8


def test_reference_data_is_read_only_through_the_api(api_client, personas):
    api_client.force_authenticate(personas.ministry)
    assert api_client.post("/api/v1/regions/", {"code": "99"}).status_code == 405


def test_token_endpoint_returns_a_token(api_client, personas):
    response = api_client.post("/api/v1/auth/token/", {"username": "p-hubei", "password": "secret-pass-123"})
    assert "token" in response.json()


def test_token_authenticates_api_requests(api_client, personas):
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "p-hubei", "password": "secret-pass-123"}).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/regions/").status_code == 200


def test_schema_needs_a_login(api_client, reference_data):
    assert api_client.get("/api/schema/?format=json").status_code in (401, 403)


def test_schema_is_served_to_a_logged_in_user(api_client, personas):
    api_client.force_authenticate(personas.hubei)
    assert "/api/v1/regions/" in api_client.get("/api/schema/?format=json").json()["paths"]


def test_api_docs_are_served_from_local_assets(client_for, personas):
    html = client_for(personas.hubei).get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in html


def test_the_token_endpoint_allows_thirty_requests_a_minute(api_client, personas):
    from django.core.cache import cache

    cache.clear()
    answers = [api_client.post("/api/v1/auth/token/", {"username": "p-hubei", "password": "secret-pass-123"},
                               REMOTE_ADDR="10.7.7.7").status_code for _ in range(30)]
    assert set(answers) == {200}


def test_the_token_endpoint_is_throttled_past_its_rate(api_client, personas, settings):
    from django.core.cache import cache

    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    answers = [api_client.post("/api/v1/auth/token/", {"username": "p-hubei", "password": "secret-pass-123"},
                               REMOTE_ADDR="10.8.8.8").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_an_unknown_api_url_answers_json(api_client, personas):
    api_client.force_authenticate(personas.hubei)
    response = api_client.get("/api/v1/cases/-1/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
