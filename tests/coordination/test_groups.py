"""共性问题: grouping problems of several regions, routing, chasing and answering them together."""

import pytest
from django.urls import reverse

from cases import groups
from cases.models import ProblemGroup, State
from chainwork.errors import NotPermitted, ValidationError
from chainwork.models import Category
from tests.cases.workflow_support import case_in
from tests.coordination.support import MOT_LEAD_MOF_ASSIST, routed

pytestmark = pytest.mark.django_db

RESPONSE = "已协调开通全国运输绿色通道"


@pytest.fixture
def group(personas, reference_data):
    return groups.group_create(title="跨省运输受阻", description="多地反映芯片运输受阻",
                               category=Category.objects.get(slug="logistics"), actor=personas.ministry)


def add(personas, group, *cases):
    for case in cases:
        groups.group_add_case(group_id=group.pk, number=case.number, actor=personas.ministry)


def test_a_province_cannot_create_a_group(personas, reference_data):
    with pytest.raises(NotPermitted):
        groups.group_create(title="x", description="", category=Category.objects.get(slug="logistics"),
                            actor=personas.hubei_lead)


def test_the_ministry_adds_a_problem_by_number(personas, chain, group):
    case = case_in("accepted", personas, chain)
    add(personas, group, case)
    assert list(group.cases.all()) == [case]


def test_an_unknown_number_is_refused(personas, group):
    with pytest.raises(ValidationError):
        groups.group_add_case(group_id=group.pk, number="鄂〔2099〕第9999号", actor=personas.ministry)


def test_a_problem_is_added_once(personas, chain, group):
    case = case_in("accepted", personas, chain)
    add(personas, group, case)
    with pytest.raises(ValidationError):
        add(personas, group, case)


def test_routing_the_group_routes_every_accepted_member(personas, chain, group):
    first, second = case_in("accepted", personas, chain), case_in("accepted", personas, chain, title="第二个")
    add(personas, group, first, second)
    result = groups.group_route(group_id=group.pk, referrals=MOT_LEAD_MOF_ASSIST, actor=personas.ministry)
    assert sorted(result.done) == sorted([first.number, second.number])


def test_routing_the_group_skips_members_not_yet_accepted(personas, chain, group):
    waiting = case_in("escalated", personas, chain)
    add(personas, group, waiting)
    result = groups.group_route(group_id=group.pk, referrals=MOT_LEAD_MOF_ASSIST, actor=personas.ministry)
    assert result.skipped == [(waiting.number, "已上报部专班")]


def test_routing_the_group_reports_a_member_that_refuses(personas, chain, group):
    busy = routed(personas, chain)  # 交通运输部 already has the lead: a second lead is refused
    add(personas, group, busy)
    result = groups.group_route(group_id=group.pk, referrals=MOT_LEAD_MOF_ASSIST, actor=personas.ministry)
    assert [number for number, _reason in result.failed] == [busy.number]


def test_routing_the_group_is_recorded_on_the_group(personas, chain, group):
    add(personas, group, case_in("accepted", personas, chain))
    groups.group_route(group_id=group.pk, referrals=MOT_LEAD_MOF_ASSIST, actor=personas.ministry)
    assert group.events.filter(action="route").count() == 1


def test_bad_routing_input_is_refused_for_the_whole_group(personas, chain, group):
    add(personas, group, case_in("accepted", personas, chain))
    with pytest.raises(ValidationError):
        groups.group_route(group_id=group.pk, referrals=[{"department": "nope", "role": "lead",
                                                          "due_date": "2099-01-01"}], actor=personas.ministry)


def test_urging_the_group_urges_every_open_member(personas, chain, group):
    add(personas, group, case_in("routed", personas, chain), case_in("accepted", personas, chain, title="二"))
    result = groups.group_urge(group_id=group.pk, note="请加快", actor=personas.ministry)
    assert len(result.done) == 2


def test_the_answer_flows_back_to_every_member(personas, chain, group):
    first, second = routed(personas, chain), case_in("accepted", personas, chain, title="第二个")
    add(personas, group, first, second)
    groups.group_respond(group, RESPONSE, "solved", personas.ministry)
    assert set(group.cases.values_list("state", flat=True)) == {State.RESPONDED}


def test_a_complete_answer_closes_the_group(personas, chain, group):
    add(personas, group, routed(personas, chain))
    groups.group_respond(group, RESPONSE, "solved", personas.ministry)
    group.refresh_from_db()
    assert group.state == ProblemGroup.State.CLOSED


def test_a_member_handled_locally_is_reported_not_answered(personas, chain, group):
    local = case_in("local", personas, chain)  # the province answers its own local problems
    escalated = routed(personas, chain, title="已转办")
    add(personas, group, local, escalated)
    result = groups.group_respond(group, RESPONSE, "solved", personas.ministry)
    assert (result.done, [n for n, _r in result.failed]) == ([escalated.number], [local.number])


def test_a_partial_answer_keeps_the_group_open(personas, chain, group):
    add(personas, group, case_in("local", personas, chain), routed(personas, chain, title="已转办"))
    groups.group_respond(group, RESPONSE, "solved", personas.ministry)
    group.refresh_from_db()
    assert group.state == ProblemGroup.State.OPEN


def test_a_member_already_answered_is_skipped(personas, chain, group):
    answered = case_in("responded", personas, chain)
    add(personas, group, answered)
    result = groups.group_respond(group, RESPONSE, "solved", personas.ministry)
    assert [n for n, _s in result.skipped] == [answered.number]


def test_a_bad_closure_type_is_refused_before_any_member_changes(personas, chain, group):
    case = routed(personas, chain)
    add(personas, group, case)
    with pytest.raises(ValidationError):
        groups.group_respond(group, RESPONSE, "maybe", personas.ministry)
    case.refresh_from_db()
    assert case.state == State.ROUTED


def test_the_summary_names_the_refused_members(personas, chain, group):
    local = case_in("local", personas, chain)
    add(personas, group, local)
    result = groups.group_respond(group, RESPONSE, "solved", personas.ministry)
    assert any(local.number in line for level, line in groups.summary(result, "录入办理情况") if level == "error")


# --- pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("ministry_liaison", 403), ("admin", 403), ("dept_mot", 403), ("hubei", 403),
    ("guangdong_lead", 403),
])
def test_who_may_open_the_group_list(client_for, personas, persona, status):
    assert client_for(getattr(personas, persona)).get(reverse("cases-groups")).status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("ministry_liaison", 403), ("admin", 403), ("dept_mot", 403), ("hubei", 403),
])
def test_who_may_open_a_group(client_for, personas, group, persona, status):
    response = client_for(getattr(personas, persona)).get(reverse("cases-group-detail", args=[group.pk]))
    assert response.status_code == status


def test_the_ministry_creates_a_group_from_the_page(client_for, personas, reference_data):
    client_for(personas.ministry).post(reverse("cases-groups"), {"title": "用工缺口", "category": "labour"})
    assert ProblemGroup.objects.filter(title="用工缺口").exists()


def test_a_group_without_category_is_400(client_for, personas, reference_data):
    response = client_for(personas.ministry).post(reverse("cases-groups"), {"title": "用工缺口"})
    assert response.status_code == 400


def test_adding_an_unknown_number_on_the_page_is_400(client_for, personas, group):
    response = client_for(personas.ministry).post(reverse("cases-group-add", args=[group.pk]), {"number": "无此号"})
    assert response.status_code == 400


def test_removing_a_member_on_the_page(client_for, personas, chain, group):
    case = case_in("accepted", personas, chain)
    add(personas, group, case)
    client_for(personas.ministry).post(reverse("cases-group-remove", args=[group.pk, case.pk]))
    assert not group.cases.exists()


def test_the_page_routes_all_members(client_for, personas, chain, group):
    case = case_in("accepted", personas, chain)
    add(personas, group, case)
    client_for(personas.ministry).post(reverse("cases-group-route", args=[group.pk]), {
        "department_1": "mot", "role_1": "lead", "due_date_1": MOT_LEAD_MOF_ASSIST[0]["due_date"]})
    case.refresh_from_db()
    assert case.state == State.ROUTED


def test_the_page_answers_all_and_says_what_failed(client_for, personas, chain, group):
    local = case_in("local", personas, chain)
    add(personas, group, local, routed(personas, chain, title="已转办"))
    response = client_for(personas.ministry).post(reverse("cases-group-respond", args=[group.pk]),
                                                  {"response": RESPONSE, "closure_type": "solved"}, follow=True)
    assert "1个问题未能录入办理情况" in response.content.decode()


def test_a_province_cannot_post_to_a_group(client_for, personas, group):
    response = client_for(personas.hubei_lead).post(reverse("cases-group-urge", args=[group.pk]), {"note": "x"})
    assert response.status_code == 403
