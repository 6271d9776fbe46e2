"""A 行业协会 sees the enterprises of its industry sections or key fields (design.md "Users"), nationwide or
in its region, by name, region and status only: EnterpriseQuerySet.covered_by, its 覆盖企业 page and the
enterprise API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chainwork.models import IndustrySection, Role, User
from enterprises.models import Enterprise
from tests.factories import (
    AbroadEnterpriseFactory,
    EnterpriseFactory,
    UserFactory,
    auto_association,
    automotive,
    region,
)

pytestmark = pytest.mark.django_db

COVERED = "/enterprises/covered/"
API = "/api/v1/enterprises/"


def automotive_enterprise(**kwargs) -> Enterprise:
    enterprise = EnterpriseFactory(**kwargs)
    enterprise.key_fields.add(automotive())
    return enterprise


def covered_ids(user) -> set[int]:
    return set(Enterprise.objects.covered_by(User.objects.get(pk=user.pk)).values_list("pk", flat=True))


def test_a_national_association_covers_enterprises_of_its_key_field_in_every_region(personas):
    hubei = automotive_enterprise()
    guangdong = automotive_enterprise(region=region("44"))
    assert covered_ids(personas.association) == {hubei.pk, guangdong.pk}


def test_an_association_does_not_cover_enterprises_outside_its_key_fields(personas):
    EnterpriseFactory()
    assert covered_ids(personas.association) == set()


def test_an_association_covers_the_enterprises_of_its_industry_sections(personas):
    association = auto_association(name="测试物流协会")
    association.key_fields.clear()
    association.industries.set([IndustrySection.objects.get(code="G")])
    user = UserFactory(role=Role.ASSOCIATION, region=None, association=association)
    logistics = EnterpriseFactory(industry_id="G")
    EnterpriseFactory(industry_id="C")
    assert covered_ids(user) == {logistics.pk}


def test_a_provincial_association_covers_its_region_only(personas):
    association = auto_association(region_code="42", name="湖北省汽车行业协会")
    user = UserFactory(role=Role.ASSOCIATION, region=None, association=association)
    hubei = automotive_enterprise()
    automotive_enterprise(region=region("44"))
    assert covered_ids(user) == {hubei.pk}


def test_an_association_covers_no_enterprise_abroad(personas):
    abroad = AbroadEnterpriseFactory()
    abroad.key_fields.add(automotive())
    assert covered_ids(personas.association) == set()


def test_an_inactive_association_covers_nothing(personas):
    automotive_enterprise()
    personas.association.association.is_active = False
    personas.association.association.save()
    assert covered_ids(personas.association) == set()


@pytest.mark.parametrize("persona", ["hubei", "ministry", "dept_mot", "liaison_hubei"])
def test_no_other_role_has_covered_enterprises(personas, persona):
    automotive_enterprise()
    assert covered_ids(getattr(personas, persona)) == set()


def test_an_association_sees_no_enterprise_in_full(personas):
    automotive_enterprise()
    assert not Enterprise.objects.visible_to(personas.association).exists()


# --- the 覆盖企业 page --------------------------------------------------------------------------------------


def test_the_covered_page_lists_the_association_enterprises_by_name(client_for, personas):
    automotive_enterprise(name="江城汽车零部件股份有限公司")
    EnterpriseFactory(name="荆楚现代物流有限公司")
    page = client_for(personas.association).get(COVERED).content.decode()
    assert "江城汽车零部件股份有限公司" in page and "荆楚现代物流有限公司" not in page


def test_the_covered_page_shows_no_contact_of_an_enterprise(client_for, personas):
    automotive_enterprise(contact_name="王经理", contact_phone="027-88889999")
    page = client_for(personas.association).get(COVERED).content.decode()
    assert "027-88889999" not in page and "王经理" not in page


def test_the_covered_page_filters_by_region(client_for, personas):
    automotive_enterprise(name="江城汽车零部件股份有限公司")
    automotive_enterprise(name="广州南沙汽车电子有限公司", region=region("44"))
    page = client_for(personas.association).get(COVERED, {"region": "44"}).content.decode()
    assert "广州南沙汽车电子有限公司" in page and "江城汽车零部件股份有限公司" not in page


def test_the_covered_page_says_when_a_filter_is_not_valid(client_for, personas):
    response = client_for(personas.association).get(COVERED, {"region": "99"})
    assert "筛选条件有误" in response.content.decode()


def test_the_covered_page_is_refused_to_a_province_official(client_for, personas):
    assert client_for(personas.hubei).get(COVERED).status_code == 403


def _page_queries(client, user) -> int:
    client.force_login(User.objects.get(pk=user.pk))
    client.get(COVERED)  # warms the per-process caches (reference data) the first request fills
    with CaptureQueriesContext(connection) as queries:
        assert client.get(COVERED).status_code == 200
    return len(queries)


def test_the_covered_page_costs_the_same_for_50_rows_as_for_5(client, personas):
    for _n in range(5):
        automotive_enterprise()
    few = _page_queries(client, personas.association)
    for _n in range(45):
        automotive_enterprise(region=region("44"))
    assert _page_queries(client, personas.association) == few


def test_the_covered_page_shows_rows_as_cards_on_a_phone(client_for, personas):
    automotive_enterprise()
    page = client_for(personas.association).get(COVERED).content.decode()
    assert "cw-table-cards" in page and 'data-label="所属地区"' in page


# --- the enterprise API -------------------------------------------------------------------------------------


def test_the_api_lists_the_covered_enterprises_in_the_limited_view(api_client, personas):
    enterprise = automotive_enterprise(contact_phone="027-88889999")
    api_client.force_authenticate(personas.association)
    rows = api_client.get(API).json()["results"]
    assert rows == [{"id": enterprise.pk, "name": enterprise.name, "region": "42", "country": "",
                     "status": enterprise.status, "status_date": None, "view": "limited"}]


def test_the_api_shows_a_covered_enterprise_in_the_limited_view(api_client, personas):
    enterprise = automotive_enterprise()
    api_client.force_authenticate(personas.association)
    assert api_client.get(f"{API}{enterprise.pk}/").json()["view"] == "limited"


def test_the_api_answers_404_for_an_enterprise_the_association_does_not_cover(api_client, personas):
    enterprise = EnterpriseFactory()
    api_client.force_authenticate(personas.association)
    assert api_client.get(f"{API}{enterprise.pk}/").status_code == 404


def test_the_api_list_costs_the_same_for_50_rows_as_for_5(api_client, personas):
    def queries() -> int:
        api_client.force_authenticate(User.objects.get(pk=personas.association.pk))
        api_client.get(API)  # warms the per-process caches the first request fills
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(API, {"page_size": 50}).status_code == 200
        return len(captured)

    for _n in range(5):
        automotive_enterprise()
    few = queries()
    for _n in range(45):
        automotive_enterprise()
    assert queries() == few


def test_the_enterprise_detail_page_shows_no_chain_to_an_association(client_for, personas, chain):
    chain["guangdong_supplier"].key_fields.add(automotive())
    page = client_for(personas.association).get(f"/enterprises/{chain['guangdong_supplier'].pk}/").content.decode()
    assert chain["lead"].name not in page
