"""A supply link may name an enterprise of another region (chains cross provinces); linking reveals no
more of it than its name, region and status. By id only an enterprise the user already sees (in scope, or
linked to their enterprises): ids are sequential, so anything else would let an official read every
enterprise by trying ids one by one. Any other partner is named by its credit code — knowing the code is
the proof. An enterprise that exists answers a duplicate credit code by name only to a user who may see it."""

import pytest
from django.urls import reverse

from enterprises.models import SupplyLink
from tests.factories import EnterpriseFactory, SupplyLinkFactory, make_credit_code, region

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"
LINKS = "/api/v1/supply-links/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def hubei_lead(personas):
    return EnterpriseFactory(name="武汉整车制造有限公司", is_lead=True)


@pytest.fixture
def zhejiang_partner(personas):
    return EnterpriseFactory(name="宁波港城化工有限公司", region=region("33"), contact_name="王五",
                             contact_phone="0574-12345678")


def link(client, lead, **partner):
    return client.post(LINKS, {"lead": lead.pk, "direction": "upstream", **partner}, format="json")


@pytest.fixture
def linked_zhejiang_partner(zhejiang_partner):
    """A Zhejiang supplier already linked to another Hubei lead: the Hubei official sees it (limited)."""
    SupplyLinkFactory(lead=EnterpriseFactory(name="襄阳车桥有限公司", is_lead=True), partner=zhejiang_partner)
    return zhejiang_partner


def test_a_linked_partner_of_another_region_is_linked_by_id(as_user, personas, hubei_lead, linked_zhejiang_partner):
    assert link(as_user(personas.hubei), hubei_lead, partner=linked_zhejiang_partner.pk).status_code == 201


def test_an_unlinked_partner_of_another_region_is_refused_by_id(as_user, personas, hubei_lead, zhejiang_partner):
    assert link(as_user(personas.hubei), hubei_lead, partner=zhejiang_partner.pk).status_code == 400


def test_a_hidden_partner_id_answers_as_a_nonexistent_one(as_user, personas, hubei_lead, zhejiang_partner):
    client = as_user(personas.hubei)
    hidden = link(client, hubei_lead, partner=zhejiang_partner.pk).json()
    assert hidden == link(client, hubei_lead, partner=10**9).json()


def test_a_hidden_partner_id_leaves_no_link(as_user, personas, hubei_lead, zhejiang_partner):
    link(as_user(personas.hubei), hubei_lead, partner=zhejiang_partner.pk)
    assert not SupplyLink.objects.filter(partner=zhejiang_partner).exists()


def test_the_zhejiang_official_links_its_own_enterprise_by_id(as_user, personas, zhejiang_partner):
    zhejiang_lead = EnterpriseFactory(region=region("33"), is_lead=True)
    assert link(as_user(personas.zhejiang), zhejiang_lead, partner=zhejiang_partner.pk).status_code == 201


def test_the_link_page_takes_no_partner_id(client_for, personas, hubei_lead, zhejiang_partner):
    client_for(personas.hubei).post(reverse("enterprises-link-create", args=[hubei_lead.pk]), {
        "partner": zhejiang_partner.pk, "direction": "upstream", "criticality": "core"})
    assert not SupplyLink.objects.filter(partner=zhejiang_partner).exists()


def test_a_partner_of_another_region_is_linked_by_credit_code(as_user, personas, hubei_lead, zhejiang_partner):
    response = link(as_user(personas.hubei), hubei_lead, partner_credit_code=zhejiang_partner.credit_code)
    assert response.status_code == 201


def test_a_partner_linked_by_id_shows_only_name_region_and_status(as_user, personas, hubei_lead,
                                                                  linked_zhejiang_partner):
    client = as_user(personas.hubei)
    link(client, hubei_lead, partner=linked_zhejiang_partner.pk)
    shown = client.get(f"{ENTERPRISES}{linked_zhejiang_partner.pk}/").json()
    assert "contact_phone" not in shown and "credit_code" not in shown and shown["name"] == "宁波港城化工有限公司"


def test_a_partner_linked_by_credit_code_shows_only_name_region_and_status(as_user, personas, hubei_lead,
                                                                           zhejiang_partner):
    client = as_user(personas.hubei)
    link(client, hubei_lead, partner_credit_code=zhejiang_partner.credit_code)
    shown = client.get(f"{ENTERPRISES}{zhejiang_partner.pk}/").json()
    assert "contact_phone" not in shown and "credit_code" not in shown and shown["name"] == "宁波港城化工有限公司"


def test_an_unknown_partner_id_is_400_on_partner(as_user, personas, hubei_lead):
    assert "partner" in link(as_user(personas.hubei), hubei_lead, partner=10**9).json()


def new_enterprise(code) -> dict:
    return {"name": "湖北新登记企业有限公司", "region": "42", "credit_code": code, "contact_phone": "027-87654321"}


def test_a_duplicate_code_of_an_unseen_enterprise_does_not_name_it(as_user, personas, zhejiang_partner):
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(zhejiang_partner.credit_code), format="json")
    assert response.status_code == 400 and "宁波港城化工有限公司" not in response.json()["credit_code"][0]


def test_a_duplicate_code_of_an_unseen_enterprise_says_it_is_registered(as_user, personas, zhejiang_partner):
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(zhejiang_partner.credit_code), format="json")
    assert "已登记" in response.json()["credit_code"][0]


def test_a_duplicate_code_of_a_seen_enterprise_names_it(as_user, personas, hubei_lead):
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(hubei_lead.credit_code), format="json")
    assert hubei_lead.name in response.json()["credit_code"][0]


def test_the_zhejiang_official_is_told_the_name_of_its_own_enterprise(as_user, personas, zhejiang_partner):
    response = as_user(personas.zhejiang).post(ENTERPRISES, {**new_enterprise(zhejiang_partner.credit_code),
                                                             "region": "33"}, format="json")
    assert zhejiang_partner.name in response.json()["credit_code"][0]


def test_a_fresh_code_is_registered(as_user, personas):
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(make_credit_code("420100", 901)),
                                            format="json")
    assert response.status_code == 201
