"""Two officials editing one enterprise: the second, who loaded it before the first saved, is told so
(409) and asked to reload, as on a problem — in the page (a hidden version) and the API (`version` in the
body or If-Match)."""

import pytest
from django.conf import settings
from django.urls import reverse

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"


@pytest.fixture
def enterprise(personas):
    return EnterpriseFactory(name="武汉光谷电子有限公司", contact_name="张三")


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def edit_fields(enterprise, **changes) -> dict:
    return {"name": enterprise.name, "location": "domestic", "credit_code": enterprise.credit_code, "region": "42",
            "version": enterprise.version, **changes}


def saved_elsewhere(enterprise) -> None:
    Enterprise.objects.filter(pk=enterprise.pk).update(version=enterprise.version + 1, contact_name="李四")


def test_the_api_shows_the_version(as_user, personas, enterprise):
    assert as_user(personas.hubei).get(f"{ENTERPRISES}{enterprise.pk}/").json()["version"] == 1


def test_an_api_edit_bumps_the_version(as_user, personas, enterprise):
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{enterprise.pk}/", {"contact_name": "王五", "version": 1},
                                             format="json")
    assert response.json()["version"] == 2


def test_a_stale_version_in_the_body_is_409(as_user, personas, enterprise):
    saved_elsewhere(enterprise)
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{enterprise.pk}/", {"contact_name": "王五", "version": 1},
                                             format="json")
    assert response.status_code == 409


def test_a_stale_if_match_is_409(as_user, personas, enterprise):
    saved_elsewhere(enterprise)
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{enterprise.pk}/", {"contact_name": "王五"},
                                             format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409


def test_a_stale_api_edit_changes_nothing(as_user, personas, enterprise):
    saved_elsewhere(enterprise)
    as_user(personas.hubei).patch(f"{ENTERPRISES}{enterprise.pk}/", {"contact_name": "王五", "version": 1},
                                  format="json")
    assert Enterprise.objects.get(pk=enterprise.pk).contact_name == "李四"


def test_a_version_that_is_not_a_number_is_400(as_user, personas, enterprise):
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{enterprise.pk}/", {"version": "abc"}, format="json")
    assert "version" in response.json()


def test_the_stale_version_of_an_unseen_enterprise_is_still_404(as_user, personas, enterprise):
    response = as_user(personas.guangdong).patch(f"{ENTERPRISES}{enterprise.pk}/", {"version": 99}, format="json")
    assert response.status_code == 404


def test_the_edit_page_carries_the_version(client_for, personas, enterprise):
    page = client_for(personas.hubei).get(reverse("enterprises-edit", args=[enterprise.pk])).content.decode()
    assert 'name="version" value="1"' in page


def test_a_stale_edit_page_is_409_with_a_reload_prompt(client_for, personas, enterprise):
    form = edit_fields(enterprise, contact_name="王五")
    saved_elsewhere(enterprise)
    response = client_for(personas.hubei).post(reverse("enterprises-edit", args=[enterprise.pk]), form)
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()


def test_a_stale_edit_page_keeps_what_the_user_typed(client_for, personas, enterprise):
    form = edit_fields(enterprise, contact_name="王五")
    saved_elsewhere(enterprise)
    response = client_for(personas.hubei).post(reverse("enterprises-edit", args=[enterprise.pk]), form)
    assert 'value="王五"' in response.content.decode()


def test_a_stale_edit_page_saves_nothing(client_for, personas, enterprise):
    form = edit_fields(enterprise, contact_name="王五")
    saved_elsewhere(enterprise)
    client_for(personas.hubei).post(reverse("enterprises-edit", args=[enterprise.pk]), form)
    assert Enterprise.objects.get(pk=enterprise.pk).contact_name == "李四"


def test_the_stale_prompt_is_in_english_for_an_english_user(client_for, personas, enterprise):
    form = edit_fields(enterprise, contact_name="王五")
    saved_elsewhere(enterprise)
    client = client_for(personas.hubei)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("enterprises-edit", args=[enterprise.pk]), form)
    assert "changed by someone else" in response.content.decode()
