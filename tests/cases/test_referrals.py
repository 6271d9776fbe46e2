import pytest
from django.http import Http404

from cases.models import Case, Referral
from cases.referrals import perform_referral
from cases.selectors import visible_events
from cases.workflow import InvalidState, perform
from chainwork.errors import NotPermitted, ValidationError
from tests.cases.workflow_support import NEXT_WEEK, case_in

pytestmark = pytest.mark.django_db


def routed(personas, chain, *referrals):
    case = case_in("accepted", personas, chain)
    items = list(referrals) or [{"department": "mot", "role": "lead", "due_date": NEXT_WEEK}]
    return perform(case_id=case.pk, action="route", actor=personas.ministry, data={"referrals": items})


def test_routing_creates_a_referral_with_its_deadline(personas, chain):
    case = routed(personas, chain)
    referral = case.referrals.get()
    assert (referral.department.slug, referral.role, referral.due_date.isoformat()) == ("mot", "lead", NEXT_WEEK)


def test_routing_to_a_lead_and_assisting_departments(personas, chain):
    case = routed(personas, chain, {"department": "mot", "role": "lead", "due_date": NEXT_WEEK},
                  {"department": "gacc", "role": "assist", "due_date": NEXT_WEEK})
    assert sorted(case.referrals.values_list("role", flat=True)) == ["assist", "lead"]


def test_two_lead_departments_are_refused(personas, chain):
    case = case_in("accepted", personas, chain)
    with pytest.raises(ValidationError):
        perform(case_id=case.pk, action="route", actor=personas.ministry, data={"referrals": [
            {"department": "mot", "role": "lead", "due_date": NEXT_WEEK},
            {"department": "gacc", "role": "lead", "due_date": NEXT_WEEK}]})


def test_routing_without_a_lead_is_refused(personas, chain):
    case = case_in("accepted", personas, chain)
    with pytest.raises(ValidationError):
        perform(case_id=case.pk, action="route", actor=personas.ministry,
                data={"referrals": [{"department": "mot", "role": "assist", "due_date": NEXT_WEEK}]})


def test_the_department_sees_the_referred_problem_in_the_limited_view(personas, chain):
    case = routed(personas, chain)
    assert Case.objects.shared_with(personas.dept_mot).filter(pk=case.pk).exists()


def test_another_department_does_not_see_it(personas, chain):
    case = routed(personas, chain)
    assert not Case.objects.seen_by(personas.dept_mof).filter(pk=case.pk).exists()


def test_the_department_responds(personas, chain):
    referral = routed(personas, chain).referrals.get()
    referral = perform_referral(referral_id=referral.pk, action="respond", actor=personas.dept_mot,
                                data={"response": "已开通武汉至广州绿色通道"})
    assert (referral.state, referral.source, referral.on_behalf) == ("responded", "online", False)


def test_the_department_sends_back_a_referral_outside_its_remit(personas, chain):
    referral = routed(personas, chain).referrals.get()
    referral = perform_referral(referral_id=referral.pk, action="send-back", actor=personas.dept_mot,
                                data={"reason": "属于海关职责"})
    assert referral.state == "sent_back"


def test_send_back_needs_a_reason(personas, chain):
    referral = routed(personas, chain).referrals.get()
    with pytest.raises(ValidationError):
        perform_referral(referral_id=referral.pk, action="send-back", actor=personas.dept_mot, data={})


def test_the_ministry_records_a_response_on_the_departments_behalf(personas, chain):
    referral = routed(personas, chain).referrals.get()
    referral = perform_referral(referral_id=referral.pk, action="respond", actor=personas.ministry,
                                data={"response": "电话确认已办理", "source": "phone"})
    assert (referral.on_behalf, referral.source, referral.responded_by) == (True, "phone", personas.ministry)


def test_recording_on_behalf_needs_the_source(personas, chain):
    referral = routed(personas, chain).referrals.get()
    with pytest.raises(ValidationError):
        perform_referral(referral_id=referral.pk, action="respond", actor=personas.ministry,
                         data={"response": "x", "source": "online"})


def test_another_department_gets_404_on_the_referral(personas, chain):
    referral = routed(personas, chain).referrals.get()
    with pytest.raises(Http404):
        perform_referral(referral_id=referral.pk, action="respond", actor=personas.dept_mof, data={"response": "x"})


def test_the_province_may_not_answer_a_referral(personas, chain):
    referral = routed(personas, chain).referrals.get()
    with pytest.raises(NotPermitted):
        perform_referral(referral_id=referral.pk, action="respond", actor=personas.hubei, data={"response": "x"})


def test_an_answered_referral_is_not_answered_again(personas, chain):
    referral = routed(personas, chain).referrals.get()
    perform_referral(referral_id=referral.pk, action="respond", actor=personas.dept_mot, data={"response": "x"})
    with pytest.raises(InvalidState):
        perform_referral(referral_id=referral.pk, action="respond", actor=personas.dept_mot, data={"response": "y"})


def test_rerouting_after_a_send_back(personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=case.referrals.get().pk, action="send-back", actor=personas.dept_mot,
                     data={"reason": "属于海关职责"})
    case = perform(case_id=case.pk, action="route", actor=personas.ministry,
                   data={"referrals": [{"department": "gacc", "role": "lead", "due_date": NEXT_WEEK}]})
    assert case.referrals.filter(state=Referral.State.PENDING).get().department.slug == "gacc"


def test_the_last_answer_says_all_referrals_are_answered(personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=case.referrals.get().pk, action="respond", actor=personas.dept_mot,
                     data={"response": "x"})
    assert case.events.get(action="referral-respond").data["all_answered"] is True


def test_the_department_sees_its_referral_event_in_the_timeline(personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=case.referrals.get().pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已办理"})
    notes = list(visible_events(personas.dept_mot, case, full=False).values_list("note", flat=True))
    assert "已办理" in notes


def test_the_department_may_comment_but_not_act_on_the_problem(personas, chain):
    case = routed(personas, chain)
    perform(case_id=case.pk, action="comment", actor=personas.dept_mot, data={"text": "正在协调"})
    with pytest.raises(NotPermitted):
        perform(case_id=case.pk, action="respond", actor=personas.dept_mot,
                data={"response": "x", "closure_type": "solved"})
