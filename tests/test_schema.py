import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()


# The Contract's action bodies (design.md "Action bodies"): every field it names is in the documented body.
CONTRACT_BODIES = {
    "handle-locally": {"unit", "person", "phone", "due_date"}, "submit": {"note"}, "approve": {"note"},
    "send-back": {"reason"}, "withdraw": {"reason"}, "accept": {"note"}, "return-for-info": {"reason"},
    "supplement": {"note"}, "return-local": {"reason"}, "route": {"referrals"}, "track": {"next_review", "note"},
    "respond": {"response", "closure_type"}, "confirm": {"confirmed_by", "method", "satisfaction"},
    "close": {"note"}, "close-duplicate": {"original"}, "reopen": {"reason"}, "comment": {"text", "visibility"},
    "urge": {"note", "referral"}, "supervise": {"level", "due_date", "note"}, "instruct": {"text", "due_date"},
    "share": {"region", "note", "due_date"}, "share-reply": {"text"}, "flag": {"note"},
}


@pytest.fixture(scope="module")
def document():
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _body_properties(document, name: str) -> set[str]:
    body = document["paths"][f"/api/v1/cases/{{id}}/{name}/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return set(document["components"]["schemas"][ref]["properties"])


@pytest.mark.parametrize("name", sorted(CONTRACT_BODIES))
def test_the_schema_shows_the_contracts_fields_of_each_action_body(document, name):
    assert CONTRACT_BODIES[name] <= _body_properties(document, name)


def test_the_route_body_documents_each_referrals_department_role_and_deadline(document):
    items = document["components"]["schemas"]["RouteBody"]["properties"]["referrals"]["items"]
    ref = items["$ref"].rsplit("/", 1)[1]
    assert set(document["components"]["schemas"][ref]["properties"]) == {"department", "role", "due_date"}
