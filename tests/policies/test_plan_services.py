"""应对预案, 政策储备 and 一企一策 services: who may write what, in the Contract's order (scope 404, role 403,
state 409, input 400), and what each step changes."""

import datetime as dt

import pytest
from django.http import Http404

from chainwork.errors import InvalidState, NotPermitted, ValidationError
from policies import services_plans as services
from policies.models import ServiceMeasure
from tests.factories import EnterpriseFactory, region
from tests.policies.plans_support import TODAY, auto_chain, make_plan, make_reserve, make_service_plan, situation

pytestmark = pytest.mark.django_db


def plan_data(**extra):
    return services.ResponsePlanData(title="德国停工应对预案", actions="启用国内替代", owner_unit="武汉市经信局",
                                     **extra)


def test_a_hubei_official_draws_up_a_plan_for_a_hubei_lead(personas, chain):
    plan = services.response_plan_save(actor=personas.hubei, data=plan_data(lead_id=chain["lead"].pk))
    assert plan.state == "draft" and plan.lead == chain["lead"]


def test_a_guangdong_official_gets_404_for_a_hubei_lead(personas, chain):
    with pytest.raises(Http404):
        services.response_plan_save(actor=personas.guangdong, data=plan_data(lead_id=chain["lead"].pk))


def test_a_ministry_liaison_may_read_but_not_draw_up_a_plan(personas, chain):
    with pytest.raises(NotPermitted):
        services.response_plan_save(actor=personas.ministry_liaison, data=plan_data(lead_id=chain["lead"].pk))


def test_a_chain_plan_is_the_ministrys(personas, chain):
    auto = auto_chain(chain["lead"])
    with pytest.raises(NotPermitted):
        services.response_plan_save(actor=personas.hubei, data=plan_data(chain_id=auto.pk))
    assert services.response_plan_save(actor=personas.ministry, data=plan_data(chain_id=auto.pk)).chain == auto


def test_a_plan_names_a_lead_or_a_chain_not_both(personas, chain):
    auto = auto_chain()
    with pytest.raises(ValidationError) as error:
        services.response_plan_save(actor=personas.ministry, data=plan_data(lead_id=chain["lead"].pk,
                                                                            chain_id=auto.pk))
    assert "lead" in error.value.message_dict


def test_an_alternative_supplier_must_be_at_home(personas, chain):
    with pytest.raises(ValidationError) as error:
        services.response_plan_save(actor=personas.hubei, data=plan_data(
            lead_id=chain["lead"].pk, alternative_ids=[chain["german_supplier"].pk]))
    assert "alternatives" in error.value.message_dict


def test_a_plan_answers_countries_and_names_alternatives(personas, chain):
    germany = situation()
    plan = services.response_plan_save(actor=personas.hubei, data=plan_data(
        lead_id=chain["lead"].pk, situation_ids=[germany.pk], alternative_ids=[chain["guangdong_supplier"].pk],
        stock_days=14))
    assert list(plan.situations.all()) == [germany] and list(plan.alternatives.all()) == [chain["guangdong_supplier"]]


def test_a_plan_goes_in_force_then_is_activated_then_lifted(personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    for step in ("approve", "activate", "lift"):
        plan = services.response_plan_step(actor=personas.hubei, plan_id=plan.pk, step=step)
    assert plan.state == "lifted" and plan.lifted_on == TODAY


def test_a_draft_cannot_be_activated(personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    with pytest.raises(InvalidState):
        services.response_plan_step(actor=personas.hubei, plan_id=plan.pk, step="activate")


def test_a_lifted_plan_cannot_be_edited(personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"], state="lifted")
    with pytest.raises(InvalidState):
        services.response_plan_save(actor=personas.hubei, data=plan_data(), plan_id=plan.pk)


def test_a_province_cannot_step_the_chain_plan_it_reads(personas, chain):
    plan = make_plan(by=personas.ministry, chain=auto_chain(), state="in_force")
    with pytest.raises(NotPermitted):
        services.response_plan_step(actor=personas.guangdong, plan_id=plan.pk, step="lift")


# --- 政策储备 -------------------------------------------------------------------------------------------


def test_the_ministry_records_a_policy_proposal(personas):
    reserve = services.policy_reserve_save(actor=personas.ministry, data=services.PolicyReserveData(
        title="关税阶段性减免", summary="建议", proposing_unit="运行监测协调局", chain_ids=[auto_chain().pk]))
    assert reserve.state == "studying" and reserve.chains.count() == 1


def test_a_province_reads_but_does_not_keep_the_reserve(personas):
    reserve = make_reserve(by=personas.ministry)
    with pytest.raises(NotPermitted):
        services.policy_reserve_step(actor=personas.hubei, reserve_id=reserve.pk, step="submit")


def test_a_liaison_officer_gets_404_for_a_proposal(personas):
    reserve = make_reserve(by=personas.ministry)
    with pytest.raises(Http404):
        services.policy_reserve_step(actor=personas.liaison_hubei, reserve_id=reserve.pk, step="submit")


def test_an_issued_proposal_names_its_policy(personas, small_loan):
    reserve = make_reserve(by=personas.ministry, state="submitted")
    reserve = services.policy_reserve_step(actor=personas.ministry, reserve_id=reserve.pk, step="issue",
                                           policy_id=small_loan.pk)
    assert reserve.state == "issued" and reserve.policy == small_loan


def test_issuing_without_a_policy_is_bad_input(personas):
    reserve = make_reserve(by=personas.ministry, state="submitted")
    with pytest.raises(ValidationError):
        services.policy_reserve_step(actor=personas.ministry, reserve_id=reserve.pk, step="issue")


def test_a_proposal_in_study_cannot_be_issued(personas, small_loan):
    reserve = make_reserve(by=personas.ministry)
    with pytest.raises(InvalidState):
        services.policy_reserve_step(actor=personas.ministry, reserve_id=reserve.pk, step="issue",
                                     policy_id=small_loan.pk)


def test_shelving_needs_a_reason(personas):
    reserve = make_reserve(by=personas.ministry)
    with pytest.raises(ValidationError):
        services.policy_reserve_step(actor=personas.ministry, reserve_id=reserve.pk, step="shelve")


# --- 一企一策 -------------------------------------------------------------------------------------------


def service_data(lead, **extra):
    return services.ServicePlanData(lead_id=lead.pk, contact_unit="武汉市经信局", **extra)


def test_a_hubei_official_draws_up_a_leads_service_plan(personas, chain):
    plan = services.service_plan_save(actor=personas.hubei, data=service_data(chain["lead"]))
    assert plan.lead == chain["lead"]


def test_a_lead_has_one_service_plan(personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei)
    with pytest.raises(ValidationError):
        services.service_plan_save(actor=personas.hubei, data=service_data(chain["lead"]))


def test_a_service_plan_is_for_a_lead(personas, chain):
    with pytest.raises(ValidationError):
        services.service_plan_save(actor=personas.hubei, data=service_data(chain["hubei_customer"]))


def test_a_guangdong_official_gets_404_for_a_hubei_lead_plan(personas, chain):
    with pytest.raises(Http404):
        services.service_plan_save(actor=personas.guangdong, data=service_data(chain["lead"]))


def test_a_liaison_officer_reads_but_does_not_keep_the_plan(personas, chain):
    from liaison.models import LiaisonAssignment

    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei, cadence_days=3,
                                     started_on=TODAY)
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    with pytest.raises(NotPermitted):
        services.service_measure_add(actor=personas.liaison_hubei, plan_id=plan.pk, text="x",
                                     responsible_unit="y", deadline=TODAY)


def test_a_plan_links_only_problems_of_its_lead(personas, chain):
    from tests.cases.workflow_support import new_case

    other_lead = EnterpriseFactory(name="另一家湖北企业", region=region("42"), is_lead=True)
    other = new_case(personas, {**chain, "lead": other_lead}, named=False)
    with pytest.raises(ValidationError) as error:
        services.service_plan_save(actor=personas.hubei, data=service_data(chain["lead"], case_ids=[other.pk]))
    assert "cases" in error.value.message_dict


def test_a_done_measure_records_the_day_and_is_closed(personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(3, "in_progress")])
    measure = plan.measures.get()
    services.service_measure_update(actor=personas.hubei, measure_id=measure.pk, state="done", progress="已完成")
    with pytest.raises(InvalidState):
        services.service_measure_update(actor=personas.hubei, measure_id=measure.pk, state="in_progress")
    assert ServiceMeasure.objects.get(pk=measure.pk).done_on == TODAY


def test_a_blocked_measure_says_why(personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(3, "planned")])
    with pytest.raises(ValidationError):
        services.service_measure_update(actor=personas.hubei, measure_id=plan.measures.get().pk, state="blocked")


def test_a_measure_needs_a_deadline(personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    with pytest.raises(ValidationError) as error:
        services.service_measure_add(actor=personas.hubei, plan_id=plan.pk, text="协调", responsible_unit="经信局",
                                     deadline=None)
    assert "deadline" in error.value.message_dict


def test_moving_a_deadline_keeps_the_measure_open(personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "in_progress")])
    later = TODAY + dt.timedelta(days=7)
    measure = services.service_measure_update(actor=personas.hubei, measure_id=plan.measures.get().pk,
                                              state="in_progress", deadline=later)
    assert measure.deadline == later and not measure.is_overdue
