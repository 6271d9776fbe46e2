"""Many-to-many changes are audited like every other change, and the 变更记录 says them in words:
重点领域: 汽车 → 防疫物资、汽车 — whichever door made them (a service, the admin, the API, a bulk write)."""

import pghistory
import pytest
from django.urls import reverse
from pghistory.models import Events

from chainwork.audit import history_for
from chainwork.models import Category, Department, KeyField, Region
from tests.factories import EnterpriseFactory, automotive, region

pytestmark = pytest.mark.django_db


def in_a_request():
    """A change of its own, as one request makes it: a test runs in one transaction, so without a context of
    its own each change would share the first one's timestamp and read as the same edit."""
    return pghistory.context(url="/test/")


def key_field(slug: str) -> KeyField:
    return KeyField.objects.get(slug=slug)


@pytest.fixture
def enterprise(personas):
    enterprise = EnterpriseFactory(name="武汉整车制造有限公司")
    enterprise.key_fields.set([automotive()])
    return enterprise


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def test_adding_a_key_field_is_recorded(enterprise):
    enterprise.key_fields.add(key_field("epidemic"))
    assert Events.objects.filter(pgh_model="enterprises.EnterpriseKeyFieldEvent", pgh_label="add").exists()


def test_an_enterprises_key_fields_show_before_and_after_in_words(enterprise):
    with in_a_request():
        enterprise.key_fields.add(key_field("epidemic"))
    assert history_for(enterprise)[0].changes["重点领域"] == ["汽车", "防疫物资、汽车"]


def test_removing_the_last_key_field_shows_empty_after(enterprise):
    with in_a_request():
        enterprise.key_fields.clear()
    assert history_for(enterprise)[0].changes["重点领域"] == ["汽车", None]


def test_setting_the_same_key_fields_again_shows_no_change(enterprise):
    with in_a_request():
        enterprise.key_fields.clear()
        enterprise.key_fields.add(automotive())
    assert [entry.label for entry in history_for(enterprise)] == ["创建"]


def test_key_fields_edited_through_the_api_name_the_official(as_user, personas, enterprise):
    as_user(personas.hubei).patch(f"/api/v1/enterprises/{enterprise.pk}/", {"key_fields": ["automotive", "epidemic"]},
                                  format="json")
    assert history_for(enterprise)[0].user == str(personas.hubei)


def test_a_form_edit_shows_fields_and_key_fields_in_one_entry(client_for, personas, enterprise):
    client_for(personas.hubei).post(reverse("enterprises-edit", args=[enterprise.pk]), {
        "name": "武汉整车集团有限公司", "location": "domestic", "credit_code": enterprise.credit_code, "region": "42",
        "key_fields": [automotive().pk, key_field("epidemic").pk], "version": enterprise.version})
    changes = history_for(enterprise)[0].changes
    assert changes["企业名称"] == ["武汉整车制造有限公司", "武汉整车集团有限公司"] and "重点领域" in changes


def test_a_problems_named_enterprises_are_audited_in_words(personas, chain):
    from tests.cases.fixtures_api import new_case

    case = new_case(personas.hubei, chain["lead"])
    with in_a_request():
        case.named_enterprises.add(chain["guangdong_supplier"])
    assert history_for(case)[0].changes["涉及的其他企业"] == [None, chain["guangdong_supplier"].name]


def test_a_categorys_departments_are_audited_in_words(reference_data):
    category = Category.objects.get(slug="logistics")
    with in_a_request():
        category.departments.add(Department.objects.get(slug="ndrc"))
    old, new = history_for(category)[0].changes["常用责任部门"]
    assert old == str(Department.objects.get(slug="mot")) and str(Department.objects.get(slug="ndrc")) in new


def test_a_categorys_departments_changed_in_the_admin_name_the_user(client_for, personas):
    category = Category.objects.get(slug="logistics")
    client_for(personas.ministry).post(reverse("admin:chainwork_category_change", args=[category.pk]), {
        "slug": "logistics", "name": "物流运输", "departments": [Department.objects.get(slug="ndrc").pk],
        "needs_national": "on", "is_active": "on", "order": "3"})
    assert history_for(category)[0].user == str(personas.ministry)


def test_a_policys_eligible_regions_are_audited_in_words(reference_data):
    from tests.policies.conftest import make_policy

    policy = make_policy("测试稳岗补贴", regions=["42"])
    with in_a_request():
        policy.regions.add(region("44"))
    assert history_for(policy)[0].changes["适用地区"] == [str(region("42")), "、".join(
        str(r) for r in Region.objects.filter(code__in=["42", "44"]))]


def test_a_policys_key_fields_are_audited(reference_data):
    from tests.policies.conftest import make_policy

    policy = make_policy("测试汽车补贴")
    with in_a_request():
        policy.key_fields.add(automotive())
    assert history_for(policy)[0].changes["适用重点领域"] == [None, "汽车"]


def test_the_countries_a_response_plan_answers_are_audited_in_words(personas, chain):
    from tests.policies.plans_support import make_plan, situation

    plan = make_plan(by=personas.ministry, lead=chain["lead"])
    japan = situation("日本")
    with in_a_request():
        plan.situations.add(japan)
    assert history_for(plan)[0].changes["应对的国外疫情形势"] == [None, str(japan)]


def test_the_problems_a_service_plan_serves_are_audited(personas, chain):
    from tests.cases.fixtures_api import new_case
    from tests.policies.plans_support import make_service_plan

    plan = make_service_plan(chain["lead"], by=personas.hubei)
    case = new_case(personas.hubei, chain["lead"])
    with in_a_request():
        plan.cases.add(case)
    assert history_for(plan)[0].changes["相关问题"] == [None, str(case)]
