"""Every action of design.md's lifecycle: legal from each source state for the right role, and refused
in the Contract's order (404 scope, 403 role, 409 state, 400 input) otherwise."""

import pytest
from django.http import Http404
from django.utils import timezone

from cases.models import CaseEvent, Level, State
from cases.workflow import ACTIONS, InvalidState, StaleVersion, perform
from chainwork.errors import NotPermitted, ValidationError
from tests.cases.workflow_support import NEXT_WEEK, PATHS, ROUTE_MOT, case_in, new_case

pytestmark = pytest.mark.django_db

# (action, persona, start state, payload, expected state)
LEGAL = [
    ("handle-locally", "hubei", "new", PATHS["local"][0][2], "local"),
    ("submit", "hubei", "new", {}, "pending_approval"),
    ("submit", "hubei_lead", "local", {}, "pending_approval"),
    ("approve", "hubei_lead", "pending_approval", {}, "escalated"),
    ("send-back", "hubei_lead", "pending_approval", {"reason": "材料不全"}, "new"),
    ("withdraw", "hubei_lead", "escalated", {"reason": "已协调解决"}, "local"),
    ("accept", "ministry", "escalated", {}, "accepted"),
    ("return-for-info", "ministry", "escalated", {"reason": "请补充"}, "returned"),
    ("supplement", "hubei", "returned", {"note": "已补充路段"}, "pending_approval"),
    ("return-local", "ministry", "escalated", {"reason": "属地可解决"}, "local"),
    ("return-local", "ministry", "accepted", {"reason": "属地可解决"}, "local"),
    ("route", "ministry", "accepted", ROUTE_MOT, "routed"),
    ("route", "ministry", "routed", {"referrals": [{"department": "miit-raw", "role": "assist",
                                                    "due_date": NEXT_WEEK}]}, "routed"),
    ("track", "hubei", "local", {"next_review": NEXT_WEEK}, "tracking"),
    ("track", "ministry", "routed", {"next_review": NEXT_WEEK}, "tracking"),
    ("respond", "ministry", "routed", {"response": "交通运输部已开通绿色通道", "closure_type": "solved"}, "responded"),
    ("track", "ministry", "accepted", {"next_review": NEXT_WEEK}, "tracking"),
    ("respond", "hubei", "local", {"response": "已解决", "closure_type": "solved"}, "responded"),
    ("respond", "ministry", "accepted", {"response": "已协调", "closure_type": "partly_solved"}, "responded"),
    ("respond", "ministry", "tracking", {"response": "已协调", "closure_type": "explained"}, "responded"),
    ("confirm", "hubei", "responded", {"confirmed_by": "张经理", "method": "电话", "satisfaction": "satisfied"},
     "confirmed"),
    ("confirm", "hubei", "responded", {"confirmed_by": "张经理", "method": "电话",
                                       "satisfaction": "dissatisfied"}, "accepted"),
    ("close", "ministry", "confirmed", {}, "closed"),
    ("reopen", "ministry", "responded", {"reason": "企业反映未解决"}, "accepted"),
    ("reopen", "ministry", "closed", {"reason": "问题复发"}, "accepted"),
    ("close-duplicate", "hubei", "new", None, "closed"),
    ("close-duplicate", "ministry", "accepted", None, "closed"),
]


@pytest.mark.parametrize(("action", "persona", "start", "payload", "expected"), LEGAL,
                         ids=[f"{a}-{p}-from-{s}" for a, p, s, _, _e in LEGAL])
def test_legal_transition(personas, chain, action, persona, start, payload, expected):
    case = case_in(start, personas, chain)
    if payload is None:
        original = new_case(personas, chain, title="原问题")
        payload = {"original": original.number}
    case = perform(case_id=case.pk, action=action, actor=getattr(personas, persona), data=payload)
    assert case.state == expected


def test_every_transition_of_the_table_is_covered():
    covered = {action for action, *_ in LEGAL}
    transitions = {name for name, spec in ACTIONS.items() if spec.kind == CaseEvent.Kind.TRANSITION}
    assert transitions == covered


PAYLOADS = {
    "handle-locally": PATHS["local"][0][2], "send-back": {"reason": "x"}, "withdraw": {"reason": "x"},
    "return-for-info": {"reason": "x"}, "return-local": {"reason": "x"}, "track": {"next_review": NEXT_WEEK},
    "respond": {"response": "x", "closure_type": "solved"}, "reopen": {"reason": "x"},
    "confirm": {"confirmed_by": "x", "method": "电话", "satisfaction": "satisfied"},
    "close-duplicate": {"original": "none"}, "route": ROUTE_MOT,
}
STATES = [s for s in PATHS]


def _allowed_sources(action):
    return set(ACTIONS[action].sources)


@pytest.mark.parametrize("action", sorted(name for name, spec in ACTIONS.items()
                                          if spec.kind == CaseEvent.Kind.TRANSITION and name != "close-duplicate"))
def test_illegal_source_states_answer_409(personas, chain, action):
    """From every state the action does not start from, the right role gets a conflict (409)."""
    actors = {"handle-locally": "hubei", "submit": "hubei", "approve": "hubei_lead", "send-back": "hubei_lead",
              "withdraw": "hubei_lead", "accept": "ministry", "return-for-info": "ministry",
              "supplement": "hubei", "return-local": "ministry", "track": "ministry", "respond": "ministry",
              "confirm": "hubei", "close": "ministry", "reopen": "ministry", "route": "ministry"}
    refused = []
    for state in STATES:
        if state in _allowed_sources(action):
            continue
        case = case_in(state, personas, chain)
        try:
            perform(case_id=case.pk, action=action, actor=getattr(personas, actors[action]),
                    data=PAYLOADS.get(action, {}))
        except InvalidState:
            refused.append(state)
        except NotPermitted:
            # the role depends on the level (local vs escalated): that is a 403, also a refusal
            refused.append(state)
    assert set(refused) == {s for s in STATES if s not in _allowed_sources(action)}


ROLE_REFUSALS = [
    ("approve", "hubei", "pending_approval"),
    ("approve", "ministry", "pending_approval"),
    ("accept", "hubei_lead", "escalated"),
    ("accept", "ministry_liaison", "escalated"),
    ("handle-locally", "ministry", "new"),
    ("submit", "ministry_liaison", "new"),
    ("close", "hubei_lead", "confirmed"),
    ("respond", "hubei", "accepted"),
    ("confirm", "ministry", "responded"),
    ("supervise", "hubei_lead", "accepted"),
    ("share", "ministry_liaison", "accepted"),
    ("share-reply", "hubei", "accepted"),
    ("flag", "ministry", "accepted"),
    ("instruct", "ministry_liaison", "accepted"),
]


@pytest.mark.parametrize(("action", "persona", "state"), ROLE_REFUSALS,
                         ids=[f"{a}-{p}" for a, p, _s in ROLE_REFUSALS])
def test_wrong_role_answers_403(personas, chain, action, persona, state):
    case = case_in(state, personas, chain)
    with pytest.raises(NotPermitted):
        perform(case_id=case.pk, action=action, actor=getattr(personas, persona), data={})


def test_the_province_closes_its_local_problem_with_the_lead(personas, chain):
    case = case_in("local", personas, chain)
    for action, persona, payload in [
        ("respond", "hubei", {"response": "已解决", "closure_type": "solved"}),
        ("confirm", "hubei", {"confirmed_by": "张经理", "method": "电话", "satisfaction": "basically_satisfied"}),
        ("close", "hubei_lead", {}),
    ]:
        case = perform(case_id=case.pk, action=action, actor=getattr(personas, persona), data=payload)
    assert case.state == State.CLOSED


def test_a_guangdong_official_gets_404_on_a_hubei_problem(personas, chain):
    case = case_in("pending_approval", personas, chain)
    with pytest.raises(Http404):
        perform(case_id=case.pk, action="approve", actor=personas.guangdong_lead, data={})


def test_scope_is_checked_before_role(personas, chain):
    case = case_in("new", personas, chain)
    with pytest.raises(Http404):
        perform(case_id=case.pk, action="accept", actor=personas.zhejiang, data={})


def test_role_is_checked_before_state(personas, chain):
    case = case_in("new", personas, chain)
    with pytest.raises(NotPermitted):
        perform(case_id=case.pk, action="accept", actor=personas.hubei, data={})


def test_state_is_checked_before_input(personas, chain):
    case = case_in("new", personas, chain)
    with pytest.raises(InvalidState):
        perform(case_id=case.pk, action="withdraw", actor=personas.hubei_lead, data={})


def test_a_missing_reason_is_bad_input(personas, chain):
    case = case_in("escalated", personas, chain)
    with pytest.raises(ValidationError) as error:
        perform(case_id=case.pk, action="return-for-info", actor=personas.ministry, data={"reason": " "})
    assert "reason" in error.value.message_dict


def test_handle_locally_needs_the_unit(personas, chain):
    case = case_in("new", personas, chain)
    with pytest.raises(ValidationError) as error:
        perform(case_id=case.pk, action="handle-locally", actor=personas.hubei,
                data={"person": "李工", "phone": "1", "due_date": NEXT_WEEK})
    assert "unit" in error.value.message_dict


def test_an_unknown_closure_type_is_bad_input(personas, chain):
    case = case_in("accepted", personas, chain)
    with pytest.raises(ValidationError):
        perform(case_id=case.pk, action="respond", actor=personas.ministry,
                data={"response": "x", "closure_type": "fixed"})


def test_a_stale_version_is_refused(personas, chain):
    case = case_in("new", personas, chain)
    with pytest.raises(StaleVersion):
        perform(case_id=case.pk, action="submit", actor=personas.hubei, data={}, version=case.version - 1)


def test_approval_records_the_signer(personas, chain):
    case = case_in("escalated", personas, chain)
    assert (case.signed_by, case.level) == (personas.hubei_lead, Level.MINISTRY)


def test_send_back_returns_to_local_when_submitted_from_local(personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="submit", actor=personas.hubei, data={})
    case = perform(case_id=case.pk, action="send-back", actor=personas.hubei_lead, data={"reason": "先属地办理"})
    assert case.state == State.LOCAL


def test_a_dissatisfied_confirmation_counts_a_reopening(personas, chain):
    case = case_in("responded", personas, chain)
    case = perform(case_id=case.pk, action="confirm", actor=personas.hubei,
                   data={"confirmed_by": "张经理", "method": "电话", "satisfaction": "dissatisfied"})
    assert case.reopen_count == 1


def test_a_local_problem_reopens_to_local(personas, chain):
    case = case_in("local", personas, chain)
    case = perform(case_id=case.pk, action="respond", actor=personas.hubei,
                   data={"response": "x", "closure_type": "solved"})
    case = perform(case_id=case.pk, action="reopen", actor=personas.hubei, data={"reason": "复发"})
    assert (case.state, case.reopen_count) == (State.LOCAL, 1)


def test_close_duplicate_links_the_original(personas, chain):
    original = new_case(personas, chain, title="原问题")
    case = case_in("new", personas, chain)
    case = perform(case_id=case.pk, action="close-duplicate", actor=personas.hubei, data={"original": original.pk})
    assert case.duplicate_of == original


def test_close_duplicate_into_an_invisible_problem_is_refused(personas, chain):
    from tests.cases.workflow_support import CaseData, case_create
    from tests.factories import EnterpriseFactory, region

    guangdong_case = case_create(actor=personas.guangdong, data=CaseData(
        enterprise_id=EnterpriseFactory(region=region("44")).pk, category_id=chain_category(),
        title="广东问题", description="x", request="y"))
    case = case_in("new", personas, chain)
    with pytest.raises(ValidationError):
        perform(case_id=case.pk, action="close-duplicate", actor=personas.hubei,
                data={"original": guangdong_case.number})


def chain_category():
    from chainwork.models import Category

    return Category.objects.get(slug="labour").pk


def test_every_action_writes_one_timeline_event(personas, chain):
    case = case_in("escalated", personas, chain)
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "approve"]


def test_timeline_events_cannot_be_edited(personas, chain):
    from django.db import InternalError

    case = case_in("new", personas, chain)
    with pytest.raises(InternalError):
        CaseEvent.objects.filter(case=case).update(note="forged")


def test_share_lets_guangdong_see_the_problem_limited(personas, chain):
    from cases.models import Case

    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44", "note": "请协调供货"})
    assert Case.objects.shared_with(personas.guangdong).filter(pk=case.pk).exists()


def test_a_shared_region_may_comment_but_not_act(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44"})
    perform(case_id=case.pk, action="comment", actor=personas.guangdong, data={"text": "已协调企业恢复供货"})
    with pytest.raises(NotPermitted):
        perform(case_id=case.pk, action="urge", actor=personas.guangdong_lead, data={})


def test_a_shared_region_cannot_comment_internally(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44"})
    with pytest.raises(ValidationError):
        perform(case_id=case.pk, action="comment", actor=personas.guangdong,
                data={"text": "x", "visibility": "internal"})


def test_sharing_with_the_problems_own_region_is_refused(personas, chain):
    case = case_in("accepted", personas, chain)
    with pytest.raises(ValidationError):
        perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "42"})


def test_supervision_sets_a_new_deadline(personas, chain):
    case = case_in("accepted", personas, chain)
    case = perform(case_id=case.pk, action="supervise", actor=personas.ministry,
                   data={"level": "listed", "due_date": NEXT_WEEK, "note": "挂牌督办"})
    assert (case.supervision, timezone.localtime(case.due_at).date().isoformat()) == ("listed", NEXT_WEEK)


def test_an_instruction_is_pinned(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="instruct", actor=personas.ministry, data={"text": "尽快协调", "due_date": NEXT_WEEK})
    assert case.events.get(kind=CaseEvent.Kind.INSTRUCTION).pinned


def test_the_ministry_liaison_flags_a_problem_to_the_ministry(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="flag", actor=personas.ministry_liaison, data={"note": "企业反映情况紧急"})
    assert case.events.get(kind=CaseEvent.Kind.FLAG).visibility == "ministry"


def test_a_closed_problem_takes_no_urge(personas, chain):
    case = case_in("closed", personas, chain)
    with pytest.raises(InvalidState):
        perform(case_id=case.pk, action="urge", actor=personas.ministry, data={})


def test_linking_two_problems_shows_the_link_on_both(personas, chain):
    from cases.models import CaseLink

    first = new_case(personas, chain, title="第一个")
    second = new_case(personas, chain, title="第二个")
    perform(case_id=second.pk, action="link", actor=personas.hubei, data={"other": first.number})
    assert CaseLink.objects.filter(from_case=second, to_case=first, kind="related").exists()


def test_linking_the_same_problems_twice_is_refused(personas, chain):
    first = new_case(personas, chain, title="第一个")
    second = new_case(personas, chain, title="第二个")
    perform(case_id=second.pk, action="link", actor=personas.hubei, data={"other": first.number})
    with pytest.raises(ValidationError):
        perform(case_id=first.pk, action="link", actor=personas.hubei, data={"other": second.number})
