"""/api/v1/response-plans/, /policy-reserves/, /service-plans/: scope 404, role 403, state 409, input 400, in
that order, and errors in the user's language."""

import pytest

from policies.models import ResponsePlan
from tests.policies.plans_support import TODAY, auto_chain, make_plan, make_reserve, make_service_plan, situation

pytestmark = pytest.mark.django_db

PLANS, RESERVES, SERVICE = "/api/v1/response-plans/", "/api/v1/policy-reserves/", "/api/v1/service-plans/"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def plan_body(**extra):
    return {"title": "德国停工应对预案", "actions": ["启用国内替代", "增加库存"], "owner_unit": "武汉市经信局", **extra}


def test_a_hubei_official_creates_a_plan_with_actions_as_rows(api_client, personas, chain):
    germany = situation()
    response = as_user(api_client, personas.hubei).post(
        PLANS, plan_body(lead=chain["lead"].pk, situations=[germany.pk], stock_days=12), format="json")
    assert response.status_code == 201 and response.json()["actions"] == ["启用国内替代", "增加库存"]


def test_a_plan_shows_its_state_in_words(api_client, personas, chain):
    make_plan(by=personas.hubei, lead=chain["lead"], state="in_force")
    assert as_user(api_client, personas.hubei).get(PLANS).json()["results"][0]["state_label"] == "已生效"


def test_creating_a_plan_for_another_provinces_lead_is_404_before_the_body(api_client, personas, chain):
    response = as_user(api_client, personas.guangdong).post(PLANS, {"lead": chain["lead"].pk}, format="json")
    assert response.status_code == 404


def test_a_department_may_not_create_a_plan(api_client, personas):
    assert as_user(api_client, personas.dept_mot).post(PLANS, {}, format="json").status_code == 403


def test_a_plan_body_without_owner_is_400(api_client, personas, chain):
    response = as_user(api_client, personas.hubei).post(PLANS, {"lead": chain["lead"].pk, "title": "x",
                                                                 "actions": "y"}, format="json")
    assert response.status_code == 400 and "owner_unit" in response.json()


def test_a_chain_plan_by_a_province_is_403(api_client, personas):
    response = as_user(api_client, personas.hubei).post(PLANS, plan_body(chain=auto_chain().pk), format="json")
    assert response.status_code == 403 and ResponsePlan.objects.count() == 0


def test_a_guangdong_official_lists_the_chain_plan_but_not_hubeis(api_client, personas, chain):
    make_plan(by=personas.hubei, lead=chain["lead"])
    make_plan(by=personas.ministry, chain=auto_chain())
    results = as_user(api_client, personas.guangdong).get(PLANS).json()["results"]
    assert [r["chain_name"] for r in results] == ["汽车"]


def test_activating_a_draft_is_409_in_chinese(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    response = as_user(api_client, personas.hubei).post(f"{PLANS}{plan.pk}/activate/", {}, format="json")
    assert response.status_code == 409 and "起草中" in response.json()["detail"]


def test_an_error_is_in_english_for_an_english_reader(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    response = as_user(api_client, personas.hubei).post(f"{PLANS}{plan.pk}/activate/", {}, format="json",
                                                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "Draft" in response.json()["detail"]


def test_the_ministry_submits_a_proposal(api_client, personas):
    reserve = make_reserve(by=personas.ministry)
    response = as_user(api_client, personas.ministry).post(f"{RESERVES}{reserve.pk}/submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "submitted"


def test_a_province_may_not_create_a_proposal(api_client, personas):
    assert as_user(api_client, personas.hubei).post(RESERVES, {}, format="json").status_code == 403


def test_issuing_a_proposal_names_the_policy(api_client, personas, small_loan):
    reserve = make_reserve(by=personas.ministry, state="submitted")
    response = as_user(api_client, personas.ministry).post(f"{RESERVES}{reserve.pk}/issue/",
                                                           {"policy": small_loan.pk}, format="json")
    assert response.json()["policy_name"] == small_loan.name


def test_a_hubei_official_adds_and_completes_a_measure(api_client, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    client = as_user(api_client, personas.hubei)
    added = client.post(f"{SERVICE}{plan.pk}/measures/", {"text": "协调模具", "responsible_unit": "宜昌市经信局",
                                                          "deadline": TODAY.isoformat()}, format="json").json()
    measure = added["measures"][0]["id"]
    done = client.post(f"{SERVICE}{plan.pk}/progress/", {"measure": measure, "state": "done"}, format="json").json()
    assert done["measures"][0]["state_label"] == "已完成"


def test_progress_on_a_done_measure_is_409(api_client, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(1, "done")])
    response = as_user(api_client, personas.hubei).post(
        f"{SERVICE}{plan.pk}/progress/", {"measure": plan.measures.get().pk, "state": "in_progress"}, format="json")
    assert response.status_code == 409


def test_a_guangdong_official_gets_404_on_a_hubei_service_plan(api_client, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    assert as_user(api_client, personas.guangdong).get(f"{SERVICE}{plan.pk}/").status_code == 404


def test_the_service_plan_list_costs_the_same_for_many_plans(api_client, personas, django_assert_max_num_queries):
    from tests.factories import EnterpriseFactory

    for _ in range(10):
        make_service_plan(EnterpriseFactory(is_lead=True), by=personas.hubei, measures=[(1, "planned")])
    client = as_user(api_client, personas.ministry)
    with django_assert_max_num_queries(10):
        assert client.get(SERVICE).status_code == 200


def test_a_hubei_official_changes_only_the_fields_given(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    response = as_user(api_client, personas.hubei).patch(f"{PLANS}{plan.pk}/", {"stock_days": 9}, format="json")
    assert response.status_code == 200 and (response.json()["stock_days"], response.json()["title"]) == (9, "应对预案")


def test_changing_another_provinces_plan_is_404(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    response = as_user(api_client, personas.guangdong).patch(f"{PLANS}{plan.pk}/", {"stock_days": 9}, format="json")
    assert response.status_code == 404


def test_a_ministry_liaison_may_not_change_a_plan(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    response = as_user(api_client, personas.ministry_liaison).patch(f"{PLANS}{plan.pk}/", {"title": ""},
                                                                    format="json")
    assert response.status_code == 403


def test_changing_a_lifted_plan_is_409_before_the_input(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"], state="lifted")
    response = as_user(api_client, personas.hubei).patch(f"{PLANS}{plan.pk}/", {"title": ""}, format="json")
    assert response.status_code == 409


def test_an_empty_title_is_400(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    response = as_user(api_client, personas.hubei).patch(f"{PLANS}{plan.pk}/", {"title": ""}, format="json")
    assert response.status_code == 400 and "title" in response.json()


def test_a_province_may_not_change_a_proposal(api_client, personas):
    reserve = make_reserve(by=personas.ministry)
    response = as_user(api_client, personas.hubei).patch(f"{RESERVES}{reserve.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 403


def test_the_ministry_links_a_proposal_to_a_chain(api_client, personas):
    reserve = make_reserve(by=personas.ministry)
    auto = auto_chain()
    response = as_user(api_client, personas.ministry).patch(f"{RESERVES}{reserve.pk}/", {"chains": [auto.pk]},
                                                            format="json")
    assert response.json()["chains"] == [auto.pk]


def test_a_service_plan_is_changed_without_touching_its_problems(api_client, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    response = as_user(api_client, personas.hubei).patch(f"{SERVICE}{plan.pk}/", {"goal": "恢复满产"}, format="json")
    assert response.status_code == 200 and response.json()["goal"] == "恢复满产"


def test_put_is_not_offered(api_client, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    assert as_user(api_client, personas.hubei).put(f"{PLANS}{plan.pk}/", {}, format="json").status_code == 405
