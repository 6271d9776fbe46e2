"""/api/v1/policies/ and /api/v1/policy-applications/: read for all, writes by role, scope 404."""

import pytest

from policies.models import Policy, PolicyApplication
from tests.cases.workflow_support import new_case
from tests.policies.conftest import days_ago, record

pytestmark = pytest.mark.django_db

POLICIES = "/api/v1/policies/"
APPLICATIONS = "/api/v1/policy-applications/"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def body(policy, enterprise, **extra):
    return {"policy": policy.pk, "enterprise": enterprise.pk, "status": "recommended",
            "date": days_ago(1).isoformat(), **extra}


def test_a_department_user_reads_the_catalogue(api_client, personas, catalogue):
    response = as_user(api_client, personas.dept_mot).get(POLICIES)
    assert response.status_code == 200 and response.json()["count"] == 8


def test_the_catalogue_names_issuers_by_slug(api_client, personas, catalogue):
    data = as_user(api_client, personas.hubei).get(f"{POLICIES}{catalogue['loan-deferral'].pk}/").json()
    assert {"nfra", "pbc", "miit"} <= set(data["issuers"]) and data["sizes"] == ["medium", "small", "micro"]


def test_a_province_official_cannot_add_a_policy(api_client, personas, catalogue):
    assert as_user(api_client, personas.hubei).post(POLICIES, {"name": "测试"}, format="json").status_code == 403


def test_the_ministry_adds_a_policy(api_client, personas, catalogue):
    response = as_user(api_client, personas.ministry).post(
        POLICIES, {"name": "测试新政策", "issuers": ["miit"], "categories": ["funding"], "sizes": ["small"]},
        format="json")
    assert response.status_code == 201 and Policy.objects.get(name="测试新政策").sizes == ["small"]


def test_the_ministry_changes_a_policys_validity(api_client, personas, catalogue):
    url = f"{POLICIES}{catalogue['relending'].pk}/"
    response = as_user(api_client, personas.ministry).patch(url, {"valid_to": days_ago(1).isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["is_current"] is False


def test_a_validity_ending_before_it_starts_is_400(api_client, personas, catalogue):
    url = f"{POLICIES}{catalogue['relending'].pk}/"
    response = as_user(api_client, personas.ministry).patch(url, {"valid_to": "2019-01-01"}, format="json")
    assert response.status_code == 400 and "valid_to" in response.json()


def test_the_matches_of_a_problem_say_why(api_client, personas, chain, small_loan):
    chain["lead"].size = "medium"
    chain["lead"].save()
    case = new_case(personas, chain, category="funding")
    data = as_user(api_client, personas.hubei).get(f"{POLICIES}matches/", {"case": case.pk}).json()
    reasons = {m["policy"]["name"]: m["reasons"] for m in data}
    assert "问题类别“资金”适用" in reasons["测试中小企业贷款"]


def test_the_matches_of_a_hubei_enterprise_are_404_to_guangdong(api_client, personas, hubei_medium):
    response = as_user(api_client, personas.guangdong).get(f"{POLICIES}matches/", {"enterprise": hubei_medium.pk})
    assert response.status_code == 404


def test_a_hubei_official_records_take_up(api_client, personas, small_loan, hubei_medium):
    response = as_user(api_client, personas.hubei).post(APPLICATIONS, body(small_loan, hubei_medium), format="json")
    assert response.status_code == 201 and response.json()["region"] == "42"


def test_a_guangdong_official_cannot_record_for_hubei(api_client, personas, small_loan, hubei_medium):
    response = as_user(api_client, personas.guangdong).post(APPLICATIONS, body(small_loan, hubei_medium), format="json")
    assert response.status_code == 404 and not PolicyApplication.objects.exists()


def test_a_ministry_liaison_may_not_record(api_client, personas, small_loan, hubei_medium):
    response = as_user(api_client, personas.ministry_liaison).post(
        APPLICATIONS, body(small_loan, hubei_medium), format="json")
    assert response.status_code == 403


def test_an_amount_on_a_recommendation_is_400(api_client, personas, small_loan, hubei_medium):
    response = as_user(api_client, personas.hubei).post(
        APPLICATIONS, body(small_loan, hubei_medium, amount_wan="5"), format="json")
    assert response.status_code == 400 and "amount_wan" in response.json()


def test_a_negative_amount_is_400(api_client, personas, small_loan, hubei_medium):
    response = as_user(api_client, personas.hubei).post(
        APPLICATIONS, body(small_loan, hubei_medium, status="granted", amount_wan="-5"), format="json")
    assert response.status_code == 400


def test_a_guangdong_official_does_not_list_hubei_records(api_client, personas, small_loan, hubei_medium,
                                                          guangdong_small):
    record(small_loan, hubei_medium, "recommended", 1, by=personas.hubei)
    record(small_loan, guangdong_small, "recommended", 1, by=personas.guangdong)
    names = [r["enterprise_name"] for r in as_user(api_client, personas.guangdong).get(APPLICATIONS).json()["results"]]
    assert names == ["佛山小型五金有限公司"]


def test_a_guangdong_official_gets_404_for_a_hubei_record(api_client, personas, small_loan, hubei_medium):
    application = record(small_loan, hubei_medium, "recommended", 1, by=personas.hubei)
    assert as_user(api_client, personas.guangdong).get(f"{APPLICATIONS}{application.pk}/").status_code == 404


def test_a_department_user_lists_no_records(api_client, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "recommended", 1, by=personas.hubei)
    assert as_user(api_client, personas.dept_mot).get(APPLICATIONS).json()["count"] == 0


def test_records_filter_by_status(api_client, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "recommended", 2, by=personas.hubei)
    record(small_loan, hubei_medium, "granted", 1, "10", by=personas.hubei)
    data = as_user(api_client, personas.ministry).get(APPLICATIONS, {"status": "granted"}).json()
    assert [r["status"] for r in data["results"]] == ["granted"]


def test_the_records_list_costs_the_same_for_more_rows(api_client, personas, small_loan,
                                                       django_assert_max_num_queries):
    from tests.factories import EnterpriseFactory

    client = as_user(api_client, personas.hubei)
    for n in range(40):
        record(small_loan, EnterpriseFactory(), "granted", n, "1", by=personas.hubei)
    with django_assert_max_num_queries(12):
        client.get(APPLICATIONS)
