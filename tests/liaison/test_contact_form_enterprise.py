"""The contact form's enterprise is typed (credit code or full name) and found in the user's own scope,
instead of a select of every enterprise the user sees (tens of thousands for a ministry liaison)."""

import pytest
from django.urls import reverse

from liaison import views
from liaison.models import ContactRecord
from tests.factories import EnterpriseFactory, region
from tests.liaison.conftest import assign

pytestmark = pytest.mark.django_db


def post(client, enterprise: str):
    return client.post(reverse("enterprises-contact-create"),
                       {"enterprise": enterprise, "channel": "phone", "summary": "电话了解情况"})


def test_an_officer_records_an_enterprise_typed_by_its_credit_code(personas, client_for):
    a = assign(personas.liaison_hubei)
    post(client_for(personas.liaison_hubei), a.enterprise.credit_code.lower())
    assert ContactRecord.objects.get().enterprise == a.enterprise


def test_an_officer_records_an_enterprise_typed_by_its_full_name(personas, client_for):
    a = assign(personas.liaison_hubei)
    post(client_for(personas.liaison_hubei), f" {a.enterprise.name} ")
    assert ContactRecord.objects.get().enterprise == a.enterprise


def test_an_enterprise_not_assigned_is_not_found(personas, client_for):
    assign(personas.liaison_hubei)
    other = EnterpriseFactory(region=region("42"))
    response = post(client_for(personas.liaison_hubei), other.credit_code)
    assert "请填写您负责联系的企业的全称或统一社会信用代码" in response.content.decode()
    assert not ContactRecord.objects.exists()


def test_a_ministry_liaison_cannot_record_outside_the_covered_regions(personas, client_for):
    EnterpriseFactory(region=region("42"))
    zhejiang = EnterpriseFactory(region=region("33"))
    response = post(client_for(personas.ministry_liaison), zhejiang.name)
    assert response.status_code == 200 and not ContactRecord.objects.exists()


def test_a_ministry_liaison_records_a_covered_enterprise_by_name(personas, client_for):
    hubei = EnterpriseFactory(region=region("42"))
    post(client_for(personas.ministry_liaison), hubei.name)
    assert ContactRecord.objects.get().enterprise == hubei


def test_a_name_two_enterprises_bear_asks_for_the_credit_code(personas, client_for):
    first = EnterpriseFactory(region=region("42"), name="武汉同名机械有限公司")
    EnterpriseFactory(region=region("42"), name="武汉同名机械有限公司")
    client = client_for(personas.ministry_liaison)
    post(client, first.name)
    post(client, first.credit_code)
    assert list(ContactRecord.objects.values_list("enterprise", flat=True)) == [first.pk]


def test_the_link_from_a_reminder_prefills_the_enterprise(personas, client_for):
    a = assign(personas.liaison_hubei)
    assign(personas.liaison_hubei)
    page = client_for(personas.liaison_hubei).get(
        reverse("enterprises-contact-create") + f"?enterprise={a.enterprise.pk}")
    assert page.context["form"].initial["enterprise"] == a.enterprise.name


def test_a_link_to_an_enterprise_out_of_scope_prefills_nothing(personas, client_for):
    assign(personas.liaison_hubei)
    assign(personas.liaison_hubei)
    other = EnterpriseFactory(region=region("44"))
    page = client_for(personas.liaison_hubei).get(
        reverse("enterprises-contact-create") + f"?enterprise={other.pk}")
    assert "enterprise" not in page.context["form"].initial


def test_an_officer_is_offered_their_enterprises_under_the_field(personas, client_for):
    a = assign(personas.liaison_hubei)
    page = client_for(personas.liaison_hubei).get(reverse("enterprises-contact-create")).content.decode()
    assert 'list="contact-enterprises"' in page and f'<option value="{a.enterprise.name}">' in page


def test_a_ministry_liaison_is_offered_no_list_when_the_regions_hold_many(personas, client_for, monkeypatch):
    for _ in range(3):
        EnterpriseFactory(region=region("42"))
    monkeypatch.setattr(views, "SUGGESTED", 2)
    page = client_for(personas.ministry_liaison).get(reverse("enterprises-contact-create")).content.decode()
    assert "<datalist" not in page


def test_the_form_costs_the_same_queries_for_many_enterprises(personas, client_for, django_assert_max_num_queries):
    for _ in range(30):
        EnterpriseFactory(region=region("42"))
    client = client_for(personas.ministry_liaison)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("enterprises-contact-create")).status_code == 200
