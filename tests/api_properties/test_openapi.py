"""Property-based run over the whole API from its OpenAPI schema (issue 10, stack.md pitfall 11).

Every operation of /api/schema/ gets generated requests (valid and invalid) as the ministry and as a Hubei
province user, through the Django WSGI app in-process; each response must not be a 5xx, must conform to the
schema where the schema describes that status, and an error must be a JSON body (design.md Contract). Every
other demo role gets a few requests per operation too, which must meet no server error.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api_properties.conftest import FULL_ROLES, OTHER_ROLES, PROFILE, ROLE_PROFILE

APP = get_wsgi_application()

# Operations left out of the run, each with its reason.
EXCLUDED: dict[tuple[str, str], str] = {}


def openapi_document() -> dict:
    """The document /api/schema/?format=json serves, generated in-process with drf-spectacular."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


CONFIG = SchemathesisConfig.from_dict({
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"deterministic": True},
})
schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)
for method, path in EXCLUDED:
    schema = schema.exclude(method=method, path=path)


def resource_of(path: str) -> str:
    """/api/v1/cases/{id}/accept/ → "cases"."""
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def routed(path: str) -> bool:
    """Whether Django's URL conf routes the path to a view at all. A generated id the lookup regex refuses
    (negative, fractional, more than 18 digits) never reaches DRF: Django's own 404 page answers it."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def is_json_error(response, path: str) -> bool:
    if response.status_code < 400 or (response.status_code == 404 and not routed(path)):
        return True
    if not response.headers.get("content-type", [""])[0].startswith("application/json"):
        return False
    try:
        json.loads(response.text)
    except ValueError:
        return False
    return True


def name_a_known_object(case, known: int, api_world) -> None:
    """Half of the requests name an object that exists (a case in each state, the chain's enterprises, ...)."""
    ids = api_world["known"].get(resource_of(case.path), [])
    if case.path_parameters and ids and known % 2:
        name = next(iter(case.path_parameters))
        case.path_parameters[name] = ids[known // 2 % len(ids)]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", FULL_ROLES)
@schema.given(known=st.integers(min_value=0, max_value=5))
@schema.parametrize()
@settings(PROFILE)
def test_api_conforms_to_its_schema(case, known, persona, api_world):
    name_a_known_object(case, known, api_world)
    headers = {"Authorization": f"Token {api_world['tokens'][persona]}"}
    response = case.call(app=APP, headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance], headers=headers)
    assert is_json_error(response, case.formatted_path), (
        f"{case.method} {case.formatted_path} → {response.status_code} "
        f"{response.headers.get('content-type')}: {response.text[:300]}")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OTHER_ROLES)
@schema.given(known=st.integers(min_value=0, max_value=5))
@schema.parametrize()
@settings(ROLE_PROFILE)
def test_no_role_meets_a_server_error(case, known, persona, api_world):
    name_a_known_object(case, known, api_world)
    headers = {"Authorization": f"Token {api_world['tokens'][persona]}"}
    response = case.call(app=APP, headers=headers)
    case.validate_response(response, checks=[not_a_server_error], headers=headers)
