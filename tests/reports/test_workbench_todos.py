"""The 工作台 as a list of what waits for this person's action (issue 19): each role sees exactly its
to-dos, nearest deadline first, never another region's; each row links to where the action is done."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.workflow import perform
from chainwork import kept as kept_store
from liaison.models import LiaisonAssignment
from reports.workbench import workbench_for
from tests.cases.workflow_support import NEXT_WEEK, case_in

pytestmark = pytest.mark.django_db


def kinds(user) -> list[tuple[str, str]]:
    return [(row.kind, row.number) for row in workbench_for(user).rows]


def local_confirmed(personas, chain):
    case = case_in("local", personas, chain)
    case = perform(case_id=case.pk, action="respond", actor=personas.hubei,
                   data={"response": "已协调", "closure_type": "solved"})
    return perform(case_id=case.pk, action="confirm", actor=personas.hubei,
                   data={"confirmed_by": "张经理", "method": "电话", "satisfaction": "satisfied"})


# --- each role its own to-dos -------------------------------------------------------------------------


def test_the_lead_is_asked_to_approve_a_pending_problem(personas, chain):
    case = case_in("pending_approval", personas, chain)
    assert kinds(personas.hubei_lead) == [("approve", case.number)]


def test_the_province_official_is_not_asked_to_approve(personas, chain):
    case_in("pending_approval", personas, chain)
    assert kinds(personas.hubei) == []


def test_the_approval_row_opens_the_approve_form(personas, chain):
    case = case_in("pending_approval", personas, chain)
    row = workbench_for(personas.hubei_lead).rows[0]
    assert row.url == reverse("cases-detail", args=[case.pk]) + "#action-approve"


def test_another_regions_officials_see_none_of_its_to_dos(personas, chain):
    case_in("new", personas, chain)
    case_in("pending_approval", personas, chain)
    assert kinds(personas.guangdong) == [] and kinds(personas.guangdong_lead) == []


def test_the_ministry_is_asked_to_accept_an_escalation(personas, chain):
    case = case_in("escalated", personas, chain)
    assert kinds(personas.ministry) == [("accept", case.number)]


def test_the_province_waits_while_the_ministry_holds_the_escalation(personas, chain):
    case_in("escalated", personas, chain)
    assert kinds(personas.hubei) == [] and kinds(personas.hubei_lead) == []


def test_the_ministry_is_asked_to_route_an_accepted_problem(personas, chain):
    case = case_in("accepted", personas, chain)
    assert kinds(personas.ministry) == [("route", case.number)]


def test_a_routed_problem_is_the_departments_to_do(personas, chain):
    case = case_in("routed", personas, chain)
    assert kinds(personas.dept_mot) == [("referral", case.number)] and kinds(personas.ministry) == []


def test_another_department_sees_no_referral(personas, chain):
    case_in("routed", personas, chain)
    assert kinds(personas.dept_mof) == []


def test_the_province_is_asked_for_the_enterprises_confirmation(personas, chain):
    case = case_in("responded", personas, chain)
    assert kinds(personas.hubei) == [("confirm", case.number)]


def test_the_ministry_closes_a_confirmed_escalated_problem(personas, chain):
    case = case_in("confirmed", personas, chain)
    assert kinds(personas.ministry) == [("close_ministry", case.number)] and kinds(personas.hubei_lead) == []


def test_the_lead_closes_a_confirmed_local_problem(personas, chain):
    case = local_confirmed(personas, chain)
    assert kinds(personas.hubei_lead) == [("close_local", case.number)] and kinds(personas.ministry) == []


def test_the_province_official_does_not_close_a_local_problem(personas, chain):
    local_confirmed(personas, chain)
    assert kinds(personas.hubei) == []


def test_the_province_triages_a_new_problem(personas, chain):
    case = case_in("new", personas, chain)
    assert kinds(personas.hubei) == [("triage", case.number)]


def test_the_province_supplements_a_returned_problem(personas, chain):
    case = case_in("returned", personas, chain)
    assert kinds(personas.hubei) == [("supplement", case.number)] and kinds(personas.ministry) == []


def test_a_liaison_officer_is_reminded_of_a_due_contact(personas, chain):
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei, cadence_days=3,
                                     started_on=timezone.localdate() - dt.timedelta(days=10))
    row = workbench_for(personas.liaison_hubei).rows[0]
    assert (row.kind, row.enterprise, row.light) == ("contact", chain["lead"].name, "red")
    assert row.url == reverse("enterprises-contact-create") + f"?enterprise={chain['lead'].pk}"


def test_a_contact_not_yet_due_is_no_to_do(personas, chain):
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei, cadence_days=7,
                                     started_on=timezone.localdate())
    assert kinds(personas.liaison_hubei) == []


def test_an_instruction_due_is_the_to_do_of_who_holds_the_problem(personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="instruct", actor=personas.ministry, data={"text": "请尽快协调", "due_date": NEXT_WEEK})
    assert ("instruction", case.number) in kinds(personas.ministry) and kinds(personas.hubei) == []


def test_an_instruction_on_a_local_problem_is_the_provinces(personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="instruct", actor=personas.ministry, data={"text": "请尽快协调", "due_date": NEXT_WEEK})
    assert ("instruction", case.number) in kinds(personas.hubei)


# --- order, cap, counts -------------------------------------------------------------------------------


def test_the_nearest_deadline_comes_first(personas, chain):
    normal = case_in("new", personas, chain, urgency="normal")
    critical = case_in("new", personas, chain, urgency="critical")
    assert [number for _kind, number in kinds(personas.hubei)] == [critical.number, normal.number]


def test_kinds_are_merged_by_deadline(personas, chain):
    pending = case_in("pending_approval", personas, chain, urgency="normal")
    critical = case_in("new", personas, chain, urgency="critical")
    Case.objects.filter(pk=critical.pk).update(handler=personas.hubei_lead)  # the lead took it up
    assert kinds(personas.hubei_lead)[:2] == [("triage", critical.number), ("approve", pending.number)]


def test_a_problem_another_official_holds_is_not_on_my_workbench(personas, chain):
    case_in("new", personas, chain)  # registered, so held, by hubei
    assert kinds(personas.hubei_lead) == []


def test_the_list_is_capped_and_offers_the_whole_list(personas, chain):
    for _n in range(3):
        case_in("new", personas, chain)
    bench = workbench_for(personas.hubei, limit=2)
    # A 经办人's own to-dos are counted from their rows, up to the cap (the tally knows no 经办人).
    assert len(bench.rows) == 2 and [(t.key, t.count, t.capped) for t in bench.more] == [("triage", 2, True)]


def test_each_kind_is_counted_from_the_tally(personas, chain):
    case_in("new", personas, chain)
    case_in("new", personas, chain)
    counts = {todo.key: todo.count for todo in workbench_for(personas.hubei).todos}
    assert counts["triage"] == 2 and counts["confirm"] == 0


def test_a_role_has_no_count_it_cannot_act_on(personas, chain):
    keys = {todo.key for todo in workbench_for(personas.hubei).todos}
    assert keys.isdisjoint({"approve", "accept", "route", "close_local", "close_ministry", "referral"})


# --- the ministry liaison: what a liaison can act on ------------------------------------------------------


def overdue(case):
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    return case


def test_the_ministry_liaison_is_asked_to_flag_an_overdue_problem_of_their_regions(personas, chain):
    case = overdue(case_in("local", personas, chain))
    assert kinds(personas.ministry_liaison) == [("flag", case.number)]


def test_the_flag_row_opens_the_flag_form(personas, chain):
    overdue(case_in("local", personas, chain))
    assert workbench_for(personas.ministry_liaison).rows[0].url.endswith("#action-flag")


def test_a_problem_on_time_is_no_flag_to_do(personas, chain):
    case_in("local", personas, chain)
    assert kinds(personas.ministry_liaison) == []


def test_a_flagged_problem_leaves_the_liaisons_workbench(personas, chain):
    case = overdue(case_in("local", personas, chain))
    perform(case_id=case.pk, action="flag", actor=personas.ministry_liaison, data={"note": "超期两天，请部专班关注"})
    assert kinds(personas.ministry_liaison) == []


def test_an_overdue_problem_outside_the_liaisons_regions_is_no_to_do(personas, chain):
    from cases.services import CaseData, case_create
    from chainwork.models import Category

    case = case_create(actor=personas.zhejiang, data=CaseData(
        enterprise_id=chain["zhejiang"].pk, category_id=Category.objects.get(slug="logistics").pk,
        title="宁波港运输受阻", description="运输许可未续", request="请协调运输许可"))
    overdue(case)
    assert kinds(personas.ministry_liaison) == []


def test_the_ministry_liaison_counts_their_regions_overdue_problems(personas, chain):
    overdue(case_in("local", personas, chain))
    overdue(case_in("accepted", personas, chain))
    counts = {todo.key: todo.count for todo in workbench_for(personas.ministry_liaison).todos}
    assert counts["overdue"] == 2


def test_the_ministry_liaison_has_the_liaisons_tiles_only(personas, chain):
    keys = [todo.key for todo in workbench_for(personas.ministry_liaison).todos]
    assert keys == ["flag", "contact", "overdue", "blocked"]


# --- the pages ---------------------------------------------------------------------------------------------


def test_the_province_home_offers_to_register_a_problem_at_the_top(client_for, personas, chain):
    html = client_for(personas.hubei).get("/").content.decode()
    assert f'href="{reverse("cases-create")}" data-testid="register-problem"' in html


def test_the_ministrys_waiting_count_opens_the_queue(client_for, personas, chain):
    case_in("escalated", personas, chain)
    html = client_for(personas.ministry).get("/").content.decode()
    assert f'data-testid="count-accept" href="{reverse("cases-queue")}"' in html


def test_the_home_lists_the_rows_with_their_light(client_for, personas, chain):
    case = case_in("pending_approval", personas, chain)
    html = client_for(personas.hubei_lead).get("/").content.decode()
    assert 'data-kind="approve"' in html and case.number in html and "cw-light-green" in html


def test_nothing_waiting_says_so(client_for, personas, chain):
    assert 'data-testid="todo-empty"' in client_for(personas.guangdong).get("/").content.decode()


def test_the_ministrys_home_has_no_filler(client_for, personas, chain):
    html = client_for(personas.ministry).get("/").content.decode()
    assert "我的职责" not in html


# --- the cost of each home -----------------------------------------------------------------------------

# Session, user, menu and bell, the scope's regions; then one query per kind of to-do, one tally sum, one
# overdue count and the kept 堵点 figure — the same with 2 problems a state as with 20,000.
# The 议定事项 to-do (会商) is one query more for the province, its lead and the 部专班; the department's
# home counts its open decisions and lists them (two). The 一企一策 measures are one more for the province
# and its lead.
QUERIES = {"hubei": 17, "hubei_lead": 21, "ministry": 16, "ministry_liaison": 13, "liaison_hubei": 8,
           "dept_mot": 16, "admin": 6}


@pytest.fixture
def busy(personas, chain):
    for state in ("new", "pending_approval", "escalated", "accepted", "routed", "responded", "confirmed",
                  "returned", "local"):
        case_in(state, personas, chain)
        case_in(state, personas, chain, urgency="critical")
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei, cadence_days=3,
                                     started_on=timezone.localdate() - dt.timedelta(days=10))
    return personas


@pytest.mark.parametrize("persona", sorted(QUERIES))
def test_each_home_costs_a_fixed_number_of_queries(client_for, busy, persona, django_assert_max_num_queries):
    client = client_for(getattr(busy, persona))
    with django_assert_max_num_queries(QUERIES[persona]):
        assert client.get("/").status_code == 200


def test_a_problem_waiting_for_the_enterprises_confirmation_counts_as_the_provinces_overdue(personas, chain):
    from cases.models import Case

    case = case_in("responded", personas, chain)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    counts = {todo.key: todo.count for todo in workbench_for(personas.hubei).todos}
    assert counts["overdue"] == 1 and {t.key: t.count for t in workbench_for(personas.ministry).todos}["overdue"] == 0


@pytest.fixture
def kept_figures():
    from django.core.cache import cache
    from django.test import override_settings

    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "workbench"}}
    with override_settings(DASHBOARD_CACHE_SECONDS=300, CACHES=local):
        cache.clear()
        yield


def test_the_blocked_count_is_kept_and_recounted_by_the_task(personas, chain, kept_figures):
    from chainwork.scope import scope_for
    from reports import figures

    scope = scope_for(personas.hubei)
    before = figures.blocked_enterprises(scope)["count"]
    chain["lead"].status = "no"
    chain["lead"].save()
    kept = figures.blocked_enterprises(scope)["count"]
    kept_store.refresh_kept(now=time.time() + 301)
    assert kept == before and figures.blocked_enterprises(scope)["count"] == before + 1


# --- 协办意见 and 延期审批 ------------------------------------------------------------------------------


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_asked_province_is_asked_for_its_协办意见(personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.hubei,
            data={"region": "44", "note": "请协调封装厂复产", "due_date": _in_days(2)})
    assert ("share", case.number) in kinds(personas.guangdong)


def test_the_协办_row_opens_the_reply(personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.hubei, data={"region": "44", "note": "请协调"})
    row = next(r for r in workbench_for(personas.guangdong).rows if r.kind == "share")
    assert row.url == reverse("cases-detail", args=[case.pk]) + "#share-heading"


def test_an_answered_协办_leaves_the_workbench(personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.hubei, data={"region": "44", "note": "请协调"})
    perform(case_id=case.pk, action="share-reply", actor=personas.guangdong, data={"text": "已协调复产"})
    assert [k for k, _n in kinds(personas.guangdong)] == []


def test_the_lead_is_asked_to_decide_a_local_extension(personas, chain):
    case = case_in("local", personas, chain)
    perform(case_id=case.pk, action="extend", actor=personas.hubei,
            data={"reason": "设备检修需要时间", "proposed_date": _in_days(20)})
    assert ("extension", case.number) in kinds(personas.hubei_lead)


def test_the_ministry_is_asked_to_decide_a_departments_extension(api_client, personas, chain):
    case = case_in("routed", personas, chain)
    referral = case.referrals.get()
    api_client.force_authenticate(personas.dept_mot)
    answer = api_client.post(f"/api/v1/referrals/{referral.pk}/extend/",
                             {"reason": "需协调铁路运力", "proposed_date": _in_days(30)}, format="json")
    assert answer.status_code == 201, answer.content
    assert ("extension", case.number) in kinds(personas.ministry)


def test_the_department_tiles_open_its_referrals_and_decisions(personas):
    from reports.workbench import todos_for

    assert {t.url.split("?")[0] for t in todos_for(personas.dept_mot)} == {reverse("cases-referrals"),
                                                                           reverse("meetings-decisions")}
