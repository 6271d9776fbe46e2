import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3" in out.getvalue()
