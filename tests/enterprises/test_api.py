"""The enterprise API (design.md Contract): /api/v1/enterprises/, supply-links/, status-reports/."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chainwork.models import KeyField, User
from enterprises.credit_code import ALPHABET, check_character
from enterprises.models import Enterprise, StatusReport, SupplyLink
from liaison.models import LiaisonAssignment
from tests.factories import (
    AbroadEnterpriseFactory,
    EnterpriseFactory,
    SupplyLinkFactory,
    make_credit_code,
    region,
)

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"
LINKS = "/api/v1/supply-links/"
REPORTS = "/api/v1/status-reports/"


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def hubei_lead(personas):
    return EnterpriseFactory(name="武汉整车制造有限公司", is_lead=True, contact_name="李四")


@pytest.fixture
def guangdong_supplier(hubei_lead):
    partner = EnterpriseFactory(name="深圳芯片有限公司", region=region("44"), contact_name="张三",
                                contact_phone="0755-12345678", notes="内部备注")
    SupplyLinkFactory(lead=hubei_lead, partner=partner)
    return partner


@pytest.fixture
def guangdong_enterprise(personas):
    return EnterpriseFactory(region=region("44"))


@pytest.fixture
def zhejiang_enterprise(personas):
    return EnterpriseFactory(region=region("33"))


def new_enterprise(**fields) -> dict:
    return {"name": "湖北新登记企业有限公司", "region": "42", "credit_code": make_credit_code("420100", 77),
            "contact_phone": "027-87654321", **fields}


# --- reading: who sees what ------------------------------------------------------------------------


def test_hubei_official_lists_hubei_enterprises(as_user, personas, hubei_lead):
    assert hubei_lead.pk in ids(as_user(personas.hubei).get(ENTERPRISES))


def test_hubei_official_does_not_list_guangdong_enterprises(as_user, personas, guangdong_enterprise):
    assert guangdong_enterprise.pk not in ids(as_user(personas.hubei).get(ENTERPRISES))


def test_hubei_official_does_not_list_linked_guangdong_supplier(as_user, personas, guangdong_supplier):
    assert guangdong_supplier.pk not in ids(as_user(personas.hubei).get(ENTERPRISES))


def test_hubei_official_sees_own_enterprise_in_full_view(as_user, personas, hubei_lead):
    body = as_user(personas.hubei).get(f"{ENTERPRISES}{hubei_lead.pk}/").json()
    assert (body["view"], body["credit_code"], body["contact_name"]) == ("full", hubei_lead.credit_code, "李四")


def test_enterprise_region_is_its_two_digit_code(as_user, personas, hubei_lead):
    body = as_user(personas.hubei).get(f"{ENTERPRISES}{hubei_lead.pk}/").json()
    assert (body["region"], body["list_region"]) == ("42", "42")


def test_hubei_official_sees_linked_guangdong_supplier_in_limited_view(as_user, personas, guangdong_supplier):
    body = as_user(personas.hubei).get(f"{ENTERPRISES}{guangdong_supplier.pk}/").json()
    assert (body["view"], body["name"], body["region"]) == ("limited", "深圳芯片有限公司", "44")


def test_limited_view_has_no_contacts_code_or_notes(as_user, personas, guangdong_supplier):
    body = as_user(personas.hubei).get(f"{ENTERPRISES}{guangdong_supplier.pk}/").json()
    assert not {"contact_name", "contact_phone", "credit_code", "notes", "address"} & body.keys()


def test_zhejiang_official_gets_404_for_linked_guangdong_supplier(as_user, personas, guangdong_supplier):
    assert as_user(personas.zhejiang).get(f"{ENTERPRISES}{guangdong_supplier.pk}/").status_code == 404


def test_ministry_lists_enterprises_of_every_region(as_user, personas, hubei_lead, guangdong_enterprise,
                                                    zhejiang_enterprise):
    listed = ids(as_user(personas.ministry).get(ENTERPRISES))
    assert {hubei_lead.pk, guangdong_enterprise.pk, zhejiang_enterprise.pk} <= listed


def test_ministry_liaison_lists_hubei_and_guangdong(as_user, personas, hubei_lead, guangdong_enterprise):
    listed = ids(as_user(personas.ministry_liaison).get(ENTERPRISES))
    assert {hubei_lead.pk, guangdong_enterprise.pk} <= listed


def test_ministry_liaison_does_not_list_zhejiang(as_user, personas, zhejiang_enterprise):
    assert zhejiang_enterprise.pk not in ids(as_user(personas.ministry_liaison).get(ENTERPRISES))


def test_ministry_liaison_gets_404_for_zhejiang_enterprise(as_user, personas, zhejiang_enterprise):
    assert as_user(personas.ministry_liaison).get(f"{ENTERPRISES}{zhejiang_enterprise.pk}/").status_code == 404


def test_liaison_officer_lists_only_assigned_enterprises(as_user, personas, hubei_lead):
    assigned = EnterpriseFactory()
    LiaisonAssignment.objects.create(enterprise=assigned, officer=personas.liaison_hubei)
    assert ids(as_user(personas.liaison_hubei).get(ENTERPRISES)) == {assigned.pk}


def test_liaison_officer_gets_404_for_unassigned_enterprise_of_own_region(as_user, personas, hubei_lead):
    assert as_user(personas.liaison_hubei).get(f"{ENTERPRISES}{hubei_lead.pk}/").status_code == 404


def test_department_user_lists_no_enterprises(as_user, personas, hubei_lead, guangdong_enterprise):
    assert as_user(personas.dept_mot).get(ENTERPRISES).json()["count"] == 0


def test_anonymous_cannot_list_enterprises(api_client, hubei_lead):
    assert api_client.get(ENTERPRISES).status_code in (401, 403)


def test_anonymous_cannot_read_an_enterprise(api_client, hubei_lead):
    assert api_client.get(f"{ENTERPRISES}{hubei_lead.pk}/").status_code in (401, 403)


def test_enterprise_list_filters_by_region_code(as_user, personas, hubei_lead, guangdong_enterprise):
    assert ids(as_user(personas.ministry).get(ENTERPRISES, {"region": "44"})) == {guangdong_enterprise.pk}


def test_enterprise_list_searches_by_name(as_user, personas, hubei_lead):
    EnterpriseFactory(name="襄阳轴承有限公司")
    assert ids(as_user(personas.hubei).get(ENTERPRISES, {"q": "整车"})) == {hubei_lead.pk}


def test_enterprise_list_is_paginated_with_next(as_user, personas):
    EnterpriseFactory.create_batch(3)
    body = as_user(personas.hubei).get(ENTERPRISES, {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert "page=2" in body["next"]


def _list_query_count(as_user, user) -> int:
    # A fresh user object per request, as in production: the scope is computed once per request.
    client = as_user(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ENTERPRISES, {"page_size": 50}).status_code == 200
    return len(queries)


def test_enterprise_list_query_count_does_not_grow_with_rows(as_user, personas, django_assert_max_num_queries):
    fields = list(KeyField.objects.all()[:2])
    for enterprise in EnterpriseFactory.create_batch(5):
        enterprise.key_fields.set(fields)
    few = _list_query_count(as_user, personas.ministry_liaison)
    for enterprise in EnterpriseFactory.create_batch(25, region=region("44")):
        enterprise.key_fields.set(fields)
    with django_assert_max_num_queries(12):
        many = _list_query_count(as_user, personas.ministry_liaison)
    assert many == few


def test_enterprise_lists_key_fields_by_slug(as_user, personas, hubei_lead):
    field = KeyField.objects.first()
    hubei_lead.key_fields.set([field])
    body = as_user(personas.hubei).get(f"{ENTERPRISES}{hubei_lead.pk}/").json()
    assert body["key_fields"] == [field.slug]


# --- the chain ---------------------------------------------------------------------------------------


def test_chain_lists_the_leads_suppliers(as_user, personas, guangdong_supplier, hubei_lead):
    body = as_user(personas.hubei).get(f"{ENTERPRISES}{hubei_lead.pk}/chain/").json()
    assert [node["id"] for node in body["upstream"]] == [guangdong_supplier.pk]


def test_chain_shows_other_region_supplier_without_credit_code(as_user, personas, guangdong_supplier, hubei_lead):
    node = as_user(personas.hubei).get(f"{ENTERPRISES}{hubei_lead.pk}/chain/").json()["upstream"][0]
    assert (node["full_view"], "credit_code" in node) == (False, False)


def test_chain_of_a_limited_view_enterprise_is_404(as_user, personas, guangdong_supplier):
    assert as_user(personas.hubei).get(f"{ENTERPRISES}{guangdong_supplier.pk}/chain/").status_code == 404


def test_chain_of_hubei_lead_is_404_for_guangdong_official(as_user, personas, hubei_lead):
    assert as_user(personas.guangdong).get(f"{ENTERPRISES}{hubei_lead.pk}/chain/").status_code == 404


# --- writing enterprises -----------------------------------------------------------------------------


def test_create_normalises_spaced_full_width_credit_code(as_user, personas):
    code = make_credit_code("420100", 501)
    spelled = full_width(f"{code[:6]} {code[6:12]}-{code[12:]}").lower()
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(credit_code=spelled), format="json")
    assert response.status_code == 201
    assert response.json()["credit_code"] == code


def test_create_duplicate_in_another_spelling_is_400_on_credit_code(as_user, personas, hubei_lead):
    spelled = " ".join(full_width(hubei_lead.credit_code))
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(credit_code=spelled), format="json")
    assert response.status_code == 400
    assert hubei_lead.name in response.json()["credit_code"][0]


def test_create_with_wrong_check_character_names_the_expected_one(as_user, personas):
    code = make_credit_code("420100", 502)
    wrong = code[:17] + next(ch for ch in ALPHABET if ch != code[17])
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(credit_code=wrong), format="json")
    assert response.status_code == 400
    assert f"应为{check_character(code[:17])}" in response.json()["credit_code"][0]


def test_create_without_credit_code_is_400_on_credit_code(as_user, personas):
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(credit_code=""), format="json")
    assert "credit_code" in response.json()


def test_create_with_division_mismatch_is_201_with_a_warning(as_user, personas):
    code = make_credit_code("440300", 503)  # a Shenzhen code for a Hubei enterprise
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(credit_code=code), format="json")
    assert response.status_code == 201
    assert "440300" in response.json()["warnings"][0]


def test_create_without_mismatch_has_no_warnings(as_user, personas):
    response = as_user(personas.hubei).post(ENTERPRISES, new_enterprise(), format="json")
    assert response.json()["warnings"] == []


def test_create_abroad_enterprise_with_country_and_no_code(as_user, personas):
    response = as_user(personas.hubei).post(
        ENTERPRISES, {"name": "Bosch GmbH", "region": None, "country": "德国"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["region"], body["list_region"], body["credit_code"]) == (None, None, None)


def test_an_enterprise_abroad_a_province_creates_is_added_by_that_province(as_user, personas):
    response = as_user(personas.hubei).post(
        ENTERPRISES, {"name": "Bosch GmbH", "region": None, "country": "德国"}, format="json")
    assert response.json()["added_by_region"] == "42"


def test_the_ministry_names_the_region_that_added_an_enterprise_abroad(as_user, personas):
    response = as_user(personas.ministry).post(
        ENTERPRISES, {"name": "Bosch GmbH", "country": "德国", "added_by_region": "44"}, format="json")
    assert response.json()["added_by_region"] == "44"


def test_an_enterprise_abroad_another_province_added_is_only_seen_limited_through_a_link(as_user, personas):
    abroad = AbroadEnterpriseFactory(added_by_region=region("44"))
    SupplyLinkFactory(lead=EnterpriseFactory(is_lead=True), partner=abroad)
    assert as_user(personas.hubei).get(f"{ENTERPRISES}{abroad.pk}/").json()["view"] == "limited"


def test_a_province_cannot_edit_an_enterprise_abroad_another_province_added(as_user, personas):
    abroad = AbroadEnterpriseFactory(added_by_region=region("44"))
    SupplyLinkFactory(lead=EnterpriseFactory(is_lead=True), partner=abroad)
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{abroad.pk}/", {"city": "慕尼黑"}, format="json")
    assert response.status_code == 404


def test_the_province_that_added_an_enterprise_abroad_edits_it(as_user, personas):
    abroad = AbroadEnterpriseFactory(added_by_region=region("42"))
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{abroad.pk}/", {"city": "慕尼黑"}, format="json")
    assert response.status_code == 200


def test_the_ministry_edits_an_enterprise_abroad_a_province_added(as_user, personas):
    abroad = AbroadEnterpriseFactory(added_by_region=region("42"))
    response = as_user(personas.ministry).patch(f"{ENTERPRISES}{abroad.pk}/", {"city": "慕尼黑"}, format="json")
    assert response.status_code == 200


def test_ministry_confirms_an_org_code_mismatch(as_user, personas):
    body = "91420100" + "12345678" + "0"  # GB 11714 wants 8 at position 17
    code = body + check_character(body)
    response = as_user(personas.ministry).post(
        ENTERPRISES, new_enterprise(credit_code=code, confirm_org_code=True), format="json")
    assert response.json()["org_code_confirmed"] is True


def test_province_official_cannot_confirm_an_org_code_mismatch(as_user, personas):
    body = "91420100" + "12345678" + "0"
    code = body + check_character(body)
    response = as_user(personas.hubei).post(
        ENTERPRISES, new_enterprise(credit_code=code, confirm_org_code=True), format="json")
    assert response.status_code == 400


def test_hubei_official_cannot_register_a_guangdong_enterprise(as_user, personas):
    data = new_enterprise(region="44", credit_code=make_credit_code("440300", 504))
    assert as_user(personas.hubei).post(ENTERPRISES, data, format="json").status_code == 403


def test_department_user_cannot_register_an_enterprise(as_user, personas):
    assert as_user(personas.dept_mot).post(ENTERPRISES, new_enterprise(), format="json").status_code == 403


def test_hubei_official_patches_a_contact(as_user, personas, hubei_lead):
    response = as_user(personas.hubei).patch(f"{ENTERPRISES}{hubei_lead.pk}/", {"contact_name": "王五"}, format="json")
    assert response.status_code == 200
    assert Enterprise.objects.get(pk=hubei_lead.pk).contact_name == "王五"


def test_patch_keeps_the_fields_not_sent(as_user, personas, hubei_lead):
    as_user(personas.hubei).patch(f"{ENTERPRISES}{hubei_lead.pk}/", {"contact_name": "王五"}, format="json")
    hubei_lead.refresh_from_db()
    assert (hubei_lead.is_lead, hubei_lead.name) == (True, "武汉整车制造有限公司")


def test_guangdong_official_patch_on_hubei_enterprise_is_404(as_user, personas, hubei_lead):
    response = as_user(personas.guangdong).patch(f"{ENTERPRISES}{hubei_lead.pk}/", {"notes": "x"}, format="json")
    assert response.status_code == 404


def test_ministry_liaison_patch_is_403(as_user, personas, hubei_lead):
    response = as_user(personas.ministry_liaison).patch(
        f"{ENTERPRISES}{hubei_lead.pk}/", {"notes": "x"}, format="json")
    assert response.status_code == 403


def test_ministry_liaison_patch_with_bad_input_is_still_403(as_user, personas, hubei_lead):
    response = as_user(personas.ministry_liaison).patch(
        f"{ENTERPRISES}{hubei_lead.pk}/", {"size": "huge"}, format="json")
    assert response.status_code == 403


def test_patch_with_bad_phone_is_400_on_contact_phone(as_user, personas, hubei_lead):
    response = as_user(personas.hubei).patch(
        f"{ENTERPRISES}{hubei_lead.pk}/", {"contact_phone": "call me"}, format="json")
    assert "contact_phone" in response.json()


def test_enterprises_cannot_be_deleted_through_the_api(as_user, personas, hubei_lead):
    assert as_user(personas.ministry).delete(f"{ENTERPRISES}{hubei_lead.pk}/").status_code == 405


# --- supply links ------------------------------------------------------------------------------------


def test_hubei_official_adds_a_supplier_by_id(as_user, personas, hubei_lead):
    partner = EnterpriseFactory()
    response = as_user(personas.hubei).post(
        LINKS, {"lead": hubei_lead.pk, "partner": partner.pk, "direction": "upstream"}, format="json")
    assert response.status_code == 201
    assert SupplyLink.objects.filter(lead=hubei_lead, partner=partner).exists()


def test_supplier_of_another_region_is_added_by_credit_code(as_user, personas, hubei_lead, guangdong_enterprise):
    response = as_user(personas.hubei).post(LINKS, {
        "lead": hubei_lead.pk, "partner_credit_code": full_width(guangdong_enterprise.credit_code),
        "direction": "upstream"}, format="json")
    assert response.json()["partner"] == guangdong_enterprise.pk


def test_unknown_partner_credit_code_is_400_on_partner_credit_code(as_user, personas, hubei_lead):
    response = as_user(personas.hubei).post(LINKS, {
        "lead": hubei_lead.pk, "partner_credit_code": make_credit_code("440300", 505),
        "direction": "upstream"}, format="json")
    assert "partner_credit_code" in response.json()


def test_supply_link_to_itself_is_400(as_user, personas, hubei_lead):
    response = as_user(personas.hubei).post(
        LINKS, {"lead": hubei_lead.pk, "partner": hubei_lead.pk, "direction": "upstream"}, format="json")
    assert response.status_code == 400
    assert "partner" in response.json()


def test_duplicate_supply_link_is_400(as_user, personas, guangdong_supplier, hubei_lead):
    response = as_user(personas.hubei).post(
        LINKS, {"lead": hubei_lead.pk, "partner": guangdong_supplier.pk, "direction": "upstream"}, format="json")
    assert response.status_code == 400
    assert "partner" in response.json()


def test_supply_link_for_a_lead_outside_the_scope_is_400_on_lead(as_user, personas, hubei_lead):
    guangdong_lead = EnterpriseFactory(region=region("44"), is_lead=True)
    response = as_user(personas.hubei).post(
        LINKS, {"lead": guangdong_lead.pk, "partner": hubei_lead.pk, "direction": "upstream"}, format="json")
    assert response.status_code == 400
    assert "lead" in response.json()


def test_ministry_liaison_cannot_add_a_supply_link(as_user, personas, hubei_lead):
    partner = EnterpriseFactory()
    response = as_user(personas.ministry_liaison).post(
        LINKS, {"lead": hubei_lead.pk, "partner": partner.pk, "direction": "upstream"}, format="json")
    assert response.status_code == 403


def test_supply_link_list_shows_links_of_leads_in_scope(as_user, personas, guangdong_supplier, hubei_lead):
    link = SupplyLink.objects.get(lead=hubei_lead)
    assert ids(as_user(personas.hubei).get(LINKS)) == {link.pk}


def test_supply_link_list_hides_links_of_leads_outside_the_scope(as_user, personas, guangdong_supplier):
    assert as_user(personas.guangdong).get(LINKS).json()["count"] == 0


def test_supply_links_filter_by_partner(as_user, personas, guangdong_supplier, hubei_lead):
    SupplyLinkFactory(lead=hubei_lead)
    body = as_user(personas.hubei).get(LINKS, {"partner": guangdong_supplier.pk}).json()
    assert [row["partner"] for row in body["results"]] == [guangdong_supplier.pk]


def test_supply_link_shows_partner_without_contacts(as_user, personas, guangdong_supplier, hubei_lead):
    row = as_user(personas.hubei).get(LINKS).json()["results"][0]
    assert (row["partner_name"], row["partner_region"], "contact_name" in row) == ("深圳芯片有限公司", "44", False)


def test_guangdong_official_cannot_delete_a_hubei_link(as_user, personas, guangdong_supplier, hubei_lead):
    link = SupplyLink.objects.get(lead=hubei_lead)
    assert as_user(personas.guangdong).delete(f"{LINKS}{link.pk}/").status_code == 404


def test_ministry_liaison_cannot_delete_a_link(as_user, personas, guangdong_supplier, hubei_lead):
    link = SupplyLink.objects.get(lead=hubei_lead)
    assert as_user(personas.ministry_liaison).delete(f"{LINKS}{link.pk}/").status_code == 403


def test_hubei_official_deletes_a_link(as_user, personas, guangdong_supplier, hubei_lead):
    link = SupplyLink.objects.get(lead=hubei_lead)
    assert as_user(personas.hubei).delete(f"{LINKS}{link.pk}/").status_code == 204
    assert not SupplyLink.objects.filter(pk=link.pk).exists()


# --- status reports ----------------------------------------------------------------------------------


def status(enterprise, **fields) -> dict:
    return {"enterprise": enterprise.pk, "date": timezone.localdate().isoformat(), "resumed": "partly",
            "staff_at_work": 80, "staff_normal": 100, "output": "30.00", "output_normal": "60.00",
            "capacity": "120.00", **fields}


def test_status_report_derives_its_rates(as_user, personas, hubei_lead):
    body = as_user(personas.hubei).post(REPORTS, status(hubei_lead), format="json").json()
    assert (body["staff_rate"], body["output_rate"], body["capacity_utilisation"]) == ("0.8000", "0.5000", "0.2500")


def test_status_report_ignores_rates_sent_as_input(as_user, personas, hubei_lead):
    body = as_user(personas.hubei).post(REPORTS, status(hubei_lead, staff_rate="1.0"), format="json").json()
    assert body["staff_rate"] == "0.8000"


def test_status_report_creating_a_day_answers_201(as_user, personas, hubei_lead):
    assert as_user(personas.hubei).post(REPORTS, status(hubei_lead), format="json").status_code == 201


def test_status_report_correcting_a_day_answers_200(as_user, personas, hubei_lead):
    client = as_user(personas.hubei)
    client.post(REPORTS, status(hubei_lead), format="json")
    response = client.post(REPORTS, status(hubei_lead, staff_at_work=90), format="json")
    assert response.status_code == 200
    assert StatusReport.objects.get(enterprise=hubei_lead).staff_at_work == 90


def test_status_report_updates_the_enterprise_status(as_user, personas, hubei_lead):
    as_user(personas.hubei).post(REPORTS, status(hubei_lead, resumed="yes"), format="json")
    assert Enterprise.objects.get(pk=hubei_lead.pk).status == "yes"


def test_status_report_source_is_api(as_user, personas, hubei_lead):
    assert as_user(personas.hubei).post(REPORTS, status(hubei_lead), format="json").json()["source"] == "api"


def test_status_report_for_a_future_date_is_400(as_user, personas, hubei_lead):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = as_user(personas.hubei).post(REPORTS, status(hubei_lead, date=tomorrow), format="json")
    assert response.status_code == 400
    assert "date" in response.json()


def test_status_report_not_resumed_with_staff_is_400_on_resumed(as_user, personas, hubei_lead):
    response = as_user(personas.hubei).post(REPORTS, status(hubei_lead, resumed="no"), format="json")
    assert "resumed" in response.json()


def test_status_report_for_an_enterprise_outside_the_scope_is_400(as_user, personas, guangdong_supplier):
    response = as_user(personas.hubei).post(REPORTS, status(guangdong_supplier), format="json")
    assert response.status_code == 400
    assert "enterprise" in response.json()


def test_ministry_liaison_cannot_report_status(as_user, personas, hubei_lead):
    assert as_user(personas.ministry_liaison).post(REPORTS, status(hubei_lead), format="json").status_code == 403


def test_liaison_officer_reports_status_of_an_assigned_enterprise(as_user, personas, hubei_lead):
    LiaisonAssignment.objects.create(enterprise=hubei_lead, officer=personas.liaison_hubei)
    assert as_user(personas.liaison_hubei).post(REPORTS, status(hubei_lead), format="json").status_code == 201


def _report(enterprise, days_ago=0, resumed="yes"):
    return StatusReport.objects.create(enterprise=enterprise, resumed=resumed,
                                       date=timezone.localdate() - dt.timedelta(days=days_ago))


def test_status_report_list_hides_other_regions(as_user, personas, hubei_lead, guangdong_enterprise):
    mine = _report(hubei_lead)
    _report(guangdong_enterprise)
    assert ids(as_user(personas.hubei).get(REPORTS)) == {mine.pk}


def test_status_reports_filter_by_date_range(as_user, personas, hubei_lead):
    _report(hubei_lead, days_ago=10)
    recent = _report(hubei_lead, days_ago=2)
    since = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    assert ids(as_user(personas.hubei).get(REPORTS, {"date_after": since})) == {recent.pk}


def test_status_reports_filter_by_resumed(as_user, personas, hubei_lead):
    _report(hubei_lead, days_ago=1, resumed="no")
    partly = _report(hubei_lead, days_ago=0, resumed="partly")
    assert ids(as_user(personas.hubei).get(REPORTS, {"resumed": "partly"})) == {partly.pk}


def test_status_reports_filter_by_region(as_user, personas, hubei_lead, guangdong_enterprise):
    _report(hubei_lead)
    theirs = _report(guangdong_enterprise)
    assert ids(as_user(personas.ministry).get(REPORTS, {"region": "44"})) == {theirs.pk}


def test_department_user_sees_no_status_reports(as_user, personas, hubei_lead):
    _report(hubei_lead)
    assert as_user(personas.dept_mot).get(REPORTS).json()["count"] == 0


def test_anonymous_cannot_list_status_reports(api_client, reference_data):
    assert api_client.get(REPORTS).status_code in (401, 403)


# --- the schema --------------------------------------------------------------------------------------


def test_schema_lists_the_enterprise_endpoints(as_user, personas):
    paths = as_user(personas.hubei).get("/api/schema/?format=json").json()["paths"]
    assert {"/api/v1/enterprises/{id}/chain/", "/api/v1/supply-links/", "/api/v1/status-reports/"} <= paths.keys()


def test_abroad_enterprise_shows_its_country(as_user, personas):
    abroad = AbroadEnterpriseFactory(country="日本")
    assert as_user(personas.hubei).get(f"{ENTERPRISES}{abroad.pk}/").json()["country"] == "日本"
