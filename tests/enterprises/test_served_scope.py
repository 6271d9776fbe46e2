"""Which leads an enterprise serves, as each viewer may see them: the leads in the viewer's full or
linked view are named; the rest are only counted (the enterprise's limited view and its served/ page)."""

import pytest
from django.urls import reverse

from tests.factories import EnterpriseFactory, SupplyLinkFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(personas):
    """A Guangdong supplier serving a Hubei lead and a Zhejiang lead."""
    supplier = EnterpriseFactory(name="深圳鹏城芯片封装有限公司", region=region("44"))
    SupplyLinkFactory(lead=EnterpriseFactory(name="东湖光电科技集团有限公司", is_lead=True), partner=supplier)
    SupplyLinkFactory(lead=EnterpriseFactory(name="宁波港城化工有限公司", region=region("33"), is_lead=True),
                      partner=supplier)
    return supplier


def html(client, name, supplier):
    return client.get(reverse(name, args=[supplier.pk])).content.decode()


@pytest.mark.parametrize("page", ["enterprises-detail", "enterprises-served"])
def test_the_hubei_official_sees_the_hubei_lead_it_serves(client_for, personas, supplier, page):
    assert "东湖光电科技集团有限公司" in html(client_for(personas.hubei), page, supplier)


@pytest.mark.parametrize("page", ["enterprises-detail", "enterprises-served"])
def test_the_hubei_official_does_not_see_the_zhejiang_lead_it_serves(client_for, personas, supplier, page):
    assert "宁波港城化工有限公司" not in html(client_for(personas.hubei), page, supplier)


@pytest.mark.parametrize("page", ["enterprises-detail", "enterprises-served"])
def test_the_hubei_official_is_told_how_many_other_leads_it_serves(client_for, personas, supplier, page):
    assert 'data-testid="served-hidden">1<' in html(client_for(personas.hubei), page, supplier).replace(" ", "")


@pytest.mark.parametrize("page", ["enterprises-detail", "enterprises-served"])
def test_the_guangdong_official_sees_every_lead_its_supplier_serves(client_for, personas, supplier, page):
    assert "宁波港城化工有限公司" in html(client_for(personas.guangdong), page, supplier)
