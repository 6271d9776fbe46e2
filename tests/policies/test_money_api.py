"""/api/v1/financing-needs/ and /api/v1/arrears/ (产融对接, 清欠): scope 404, role 403, state 409, input 400."""

from decimal import Decimal

import pytest

from chainwork.models import Notification
from policies.models import FinancingNeed
from tests.cases.workflow_support import new_case
from tests.factories import EnterpriseFactory, region
from tests.policies.conftest import days_ago, make_arrear, make_need

pytestmark = pytest.mark.django_db

NEEDS = "/api/v1/financing-needs/"
ARREARS = "/api/v1/arrears/"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def need_body(enterprise, **extra):
    return {"enterprise": enterprise.pk, "amount_wan": "500.00", "purpose": "working_capital", "urgency": "urgent",
            "banks": ["中国工商银行武汉分行", "湖北银行"], **extra}


def arrear_body(creditor, **extra):
    return {"creditor": creditor.pk, "debtor_name": "某区城市建设投资有限公司", "debtor_kind": "state_owned",
            "contract": "2025-采购-017", "owed_wan": "200", **extra}


# --- 融资需求 ------------------------------------------------------------------------------------------


def test_a_hubei_official_records_a_suppliers_financing_need(api_client, personas, chain, hubei_supplier):
    response = as_user(api_client, personas.hubei).post(
        NEEDS, need_body(hubei_supplier, lead=chain["lead"].pk), format="json")
    assert response.status_code == 201
    assert response.json()["state_label"] == "待对接" and response.json()["region"] == "42"


def test_a_guangdong_official_cannot_record_a_need_of_a_hubei_enterprise(api_client, personas, hubei_supplier):
    response = as_user(api_client, personas.guangdong).post(NEEDS, need_body(hubei_supplier), format="json")
    assert response.status_code == 404


def test_the_ministry_reads_but_does_not_record_needs(api_client, personas, hubei_supplier):
    response = as_user(api_client, personas.ministry).post(NEEDS, need_body(hubei_supplier), format="json")
    assert response.status_code == 403


def test_a_lead_whose_chain_lacks_the_enterprise_is_400_on_lead(api_client, personas, chain, hubei_supplier):
    response = as_user(api_client, personas.hubei).post(
        NEEDS, need_body(hubei_supplier, lead=chain["hubei_customer"].pk), format="json")
    assert response.status_code == 400 and "lead" in response.json()


def test_a_zero_amount_is_400_on_amount(api_client, personas, hubei_supplier):
    response = as_user(api_client, personas.hubei).post(NEEDS, need_body(hubei_supplier, amount_wan="0"),
                                                         format="json")
    assert response.status_code == 400 and "amount_wan" in response.json()


def test_a_need_goes_from_matched_to_disbursed_with_amounts(api_client, personas, chain, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei, lead=chain["lead"])
    client = as_user(api_client, personas.hubei)
    client.post(f"{NEEDS}{need.pk}/match/", {"banks": ["湖北银行"]}, format="json")
    client.post(f"{NEEDS}{need.pk}/credit/", {"amount_wan": "400"}, format="json")
    data = client.post(f"{NEEDS}{need.pk}/disburse/", {"amount_wan": "350.50"}, format="json").json()
    assert (data["state"], data["credit_wan"], data["disbursed_wan"]) == ("disbursed", "400.00", "350.50")


def test_disbursing_before_credit_is_409(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = as_user(api_client, personas.hubei).post(f"{NEEDS}{need.pk}/disburse/", {"amount_wan": "1"},
                                                         format="json")
    assert response.status_code == 409


def test_wrong_state_answers_409_before_bad_input(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = as_user(api_client, personas.hubei).post(f"{NEEDS}{need.pk}/disburse/", {"amount_wan": "x"},
                                                         format="json")
    assert response.status_code == 409


def test_credit_without_an_amount_is_400_on_amount(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    client = as_user(api_client, personas.hubei)
    client.post(f"{NEEDS}{need.pk}/match/", {}, format="json")
    response = client.post(f"{NEEDS}{need.pk}/credit/", {}, format="json")
    assert response.status_code == 400 and "amount_wan" in response.json()


def test_disbursing_more_than_the_credit_is_400(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    client = as_user(api_client, personas.hubei)
    client.post(f"{NEEDS}{need.pk}/match/", {}, format="json")
    client.post(f"{NEEDS}{need.pk}/credit/", {"amount_wan": "100"}, format="json")
    response = client.post(f"{NEEDS}{need.pk}/disburse/", {"amount_wan": "100.01"}, format="json")
    assert response.status_code == 400 and "amount_wan" in response.json()


def test_not_supported_needs_a_reason(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = as_user(api_client, personas.hubei).post(f"{NEEDS}{need.pk}/refuse/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_a_closed_need_has_no_follow_up(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    as_user(api_client, personas.hubei).post(f"{NEEDS}{need.pk}/refuse/", {"reason": "缺少抵押物"}, format="json")
    assert FinancingNeed.objects.get(pk=need.pk).next_follow_up is None


def test_a_guangdong_official_gets_404_on_a_hubei_need(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    assert as_user(api_client, personas.guangdong).get(f"{NEEDS}{need.pk}/").status_code == 404


def test_the_ministry_liaison_cannot_move_a_need(api_client, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = as_user(api_client, personas.ministry_liaison).post(f"{NEEDS}{need.pk}/match/", {}, format="json")
    assert response.status_code == 403


def test_the_chain_filter_lists_the_leads_suppliers(api_client, personas, chain, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei)
    make_need(EnterpriseFactory(name="孝感其他企业有限公司"), by=personas.hubei)
    data = as_user(api_client, personas.hubei).get(NEEDS, {"lead": chain["lead"].pk}).json()
    assert [row["enterprise"] for row in data["results"]] == [hubei_supplier.pk]


def test_a_step_by_the_liaison_officer_tells_the_province_work_group(api_client, personas, chain, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    from liaison.models import LiaisonAssignment

    LiaisonAssignment.objects.create(enterprise=hubei_supplier, officer=personas.liaison_hubei, cadence_days=7,
                                     started_on=days_ago(10))
    as_user(api_client, personas.liaison_hubei).post(f"{NEEDS}{need.pk}/match/", {}, format="json")
    assert Notification.objects.filter(user=personas.hubei_lead, title__contains="已对接").exists()


def test_the_need_list_costs_the_same_for_many_rows(api_client, personas, chain, hubei_supplier,
                                                    django_assert_max_num_queries):
    for _ in range(12):
        make_need(hubei_supplier, by=personas.hubei, lead=chain["lead"])
    client = as_user(api_client, personas.ministry)
    with django_assert_max_num_queries(6):
        assert client.get(NEEDS).status_code == 200


# --- 拖欠账款 ------------------------------------------------------------------------------------------


def test_a_hubei_official_records_an_arrear(api_client, personas, hubei_supplier):
    response = as_user(api_client, personas.hubei).post(ARREARS, arrear_body(hubei_supplier), format="json")
    assert response.status_code == 201 and response.json()["state_label"] == "未清偿"


def test_an_arrear_is_repaid_in_two_steps(api_client, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei, owed="200")
    client = as_user(api_client, personas.hubei)
    first = client.post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "80", "date": days_ago(3).isoformat()},
                        format="json").json()
    second = client.post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "120"}, format="json").json()
    assert (first["state"], second["state"], second["repaid_wan"]) == ("partly", "paid", "200.00")


def test_repaying_more_than_is_outstanding_is_400(api_client, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei, owed="200")
    response = as_user(api_client, personas.hubei).post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "200.01"},
                                                         format="json")
    assert response.status_code == 400 and "amount_wan" in response.json()


def test_repaying_a_paid_arrear_is_409(api_client, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei, owed="10")
    client = as_user(api_client, personas.hubei)
    client.post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "10"}, format="json")
    assert client.post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "1"}, format="json").status_code == 409


def test_a_repayment_settles_a_dispute(api_client, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei, owed="100")
    client = as_user(api_client, personas.hubei)
    client.post(f"{ARREARS}{arrear.pk}/dispute/", {"reason": "对验收结果有异议"}, format="json")
    assert client.post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "30"}, format="json").json()["state"] == "partly"


def test_only_a_funding_problem_carries_an_arrear(api_client, personas, chain):
    case = new_case(personas, chain, category="logistics")
    response = as_user(api_client, personas.hubei).post(ARREARS, arrear_body(chain["lead"], case=case.pk),
                                                         format="json")
    assert response.status_code == 400 and "case" in response.json()


def test_a_guangdong_official_gets_404_on_a_hubei_arrear(api_client, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei)
    assert as_user(api_client, personas.guangdong).get(f"{ARREARS}{arrear.pk}/").status_code == 404


def test_the_ministry_sees_the_national_ledger(api_client, personas, hubei_supplier):
    make_arrear(hubei_supplier, by=personas.hubei)
    make_arrear(EnterpriseFactory(name="东莞小型模具有限公司", region=region("44"), size="small"),
                by=personas.guangdong)
    assert as_user(api_client, personas.ministry).get(ARREARS).json()["count"] == 2


def test_the_ministry_cannot_record_a_repayment(api_client, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei)
    response = as_user(api_client, personas.ministry).post(f"{ARREARS}{arrear.pk}/repay/", {"amount_wan": "1"},
                                                            format="json")
    assert response.status_code == 403


def test_the_arrear_list_costs_the_same_for_many_rows(api_client, personas, hubei_supplier,
                                                      django_assert_max_num_queries):
    for _ in range(12):
        arrear = make_arrear(hubei_supplier, by=personas.hubei)
        from policies.services import arrear_repay

        arrear_repay(actor=personas.hubei, arrear_id=arrear.pk, amount_wan=Decimal("5"))
    client = as_user(api_client, personas.ministry)
    with django_assert_max_num_queries(7):
        assert client.get(ARREARS).status_code == 200
