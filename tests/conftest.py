import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from chainwork.reference import load_reference_data
from tests.base import make_personas
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, SupplyLinkFactory, region


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in English leaves English active in the
    thread (LocaleMiddleware activates, nothing deactivates), and the next test would read English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(db):
    """Reference rows, also after a transactional test truncated the tables (stack.md pitfall 6)."""
    load_reference_data()


@pytest.fixture
def personas(reference_data):
    return make_personas()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(client):
    """A Django test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def chain(personas):
    return build_chain(personas)


def build_chain(personas):
    """A Hubei lead with a Guangdong core supplier (single source), a Hubei customer and a German supplier;
    a Guangdong lead of its own; a Zhejiang enterprise outside the ministry liaison's regions."""
    lead = EnterpriseFactory(name="东湖光电科技集团有限公司", is_lead=True, contact_phone="027-88880000")
    guangdong_supplier = EnterpriseFactory(name="深圳鹏城芯片封装有限公司", region=region("44"),
                                           contact_phone="0755-12345678", status="no")
    hubei_customer = EnterpriseFactory(name="荆楚现代物流有限公司")
    german_supplier = AbroadEnterpriseFactory(name="Rheinland Maschinenbau GmbH")
    guangdong_lead = EnterpriseFactory(name="广州珠江纺织服装股份有限公司", region=region("44"), is_lead=True)
    zhejiang = EnterpriseFactory(name="宁波港城化工有限公司", region=region("33"), is_lead=True)
    links = {
        "guangdong": SupplyLinkFactory(lead=lead, partner=guangdong_supplier, single_source=True),
        "customer": SupplyLinkFactory(lead=lead, partner=hubei_customer, direction="downstream",
                                      criticality="general"),
        "german": SupplyLinkFactory(lead=lead, partner=german_supplier, criticality="important"),
    }
    return {"lead": lead, "guangdong_supplier": guangdong_supplier, "hubei_customer": hubei_customer,
            "german_supplier": german_supplier, "guangdong_lead": guangdong_lead, "zhejiang": zhejiang,
            "links": links}
