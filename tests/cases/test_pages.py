"""The 问题台账 pages: list, queue, registering, the detail page and its actions, attachments, export,
saved views, bulk actions and the printable 问题交办单."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Attachment, Case, CaseEvent, SavedView, State
from cases.workflow import perform
from chainwork.models import Category, ExportLog
from tests.cases.conftest import DESCRIPTION

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def detail(case):
    return reverse("cases-detail", args=[case.pk])


def action_url(case, action):
    return reverse("cases-action", args=[case.pk, action])


def html_of(response):
    return response.content.decode()


# --- the list -----------------------------------------------------------------------------------------


def test_the_list_shows_a_hubei_problem_to_the_hubei_official(client_for, personas, problem):
    response = client_for(personas.hubei).get(reverse("cases-list"))
    assert response.status_code == 200 and problem.number in html_of(response)


def test_the_list_is_empty_not_forbidden_for_a_department_user(client_for, personas, problem):
    response = client_for(personas.dept_mot).get(reverse("cases-list"))
    assert response.status_code == 200 and problem.number not in html_of(response)


def test_the_list_hides_hubei_problems_from_a_zhejiang_official(client_for, personas, problem):
    assert problem.number not in html_of(client_for(personas.zhejiang).get(reverse("cases-list")))


def test_anonymous_is_sent_to_login(client, problem):
    response = client.get(reverse("cases-list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_list_shows_the_light_as_a_word(client_for, personas, problem):
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        html = html_of(client_for(personas.hubei).get(reverse("cases-list")))
    assert "cw-light-red" in html and "超期" in html


def test_the_list_filters_by_state(client_for, personas, make_problem):
    local = make_problem("local", title="属地办理的问题")
    make_problem("new", title="待研判的问题")
    html = html_of(client_for(personas.hubei).get(reverse("cases-list"), {"state": "local"}))
    assert local.number in html and "待研判的问题" not in html


def test_the_list_counts_the_filtered_problems(client_for, personas, make_problem):
    make_problem("local", title="属地办理的问题")
    make_problem("new", title="待研判的问题")
    html = html_of(client_for(personas.hubei).get(reverse("cases-list"), {"state": "local"}))
    assert "共1个问题" in html


def test_htmx_gets_only_the_table(client_for, personas, problem):
    response = client_for(personas.hubei).get(reverse("cases-list"), HTTP_HX_REQUEST="true")
    assert 'data-testid="case-table"' in html_of(response) and "<nav" not in html_of(response).split("<table")[0]


def test_the_lead_sees_the_pending_tab_first(client_for, personas, problem):
    html = html_of(client_for(personas.hubei_lead).get(reverse("cases-list")))
    tabs = html.split('data-testid="case-tabs"')[1]
    assert tabs.index("待审核") < tabs.index("待研判")


def test_the_ministry_has_a_waiting_tab(client_for, personas, problem):
    assert "待受理" in html_of(client_for(personas.ministry).get(reverse("cases-list")))


def test_an_empty_list_says_what_to_do(client_for, personas):
    assert "请点击“登记问题”登记" in html_of(client_for(personas.hubei).get(reverse("cases-list")))


def test_a_province_sees_its_shared_problems_in_their_own_section(client_for, personas, shared_with_guangdong):
    html = html_of(client_for(personas.guangdong).get(reverse("cases-list")))
    assert shared_with_guangdong.number in html.split('data-testid="shared-cases"')[1]


def test_the_list_costs_the_same_queries_for_more_rows(client_for, personas, make_problem,
                                                      django_assert_max_num_queries):
    client = client_for(personas.hubei)
    for n in range(3):
        make_problem(title=f"问题{n}")
    client.get(reverse("cases-list"))
    for n in range(27):
        make_problem(title=f"更多问题{n}")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases-list"))
    assert response.content.decode().count('data-case="') == 30


def test_the_ministry_list_costs_no_more_queries(client_for, personas, make_problem, django_assert_max_num_queries):
    client = client_for(personas.ministry)
    for n in range(30):
        make_problem(title=f"问题{n}")
    with django_assert_max_num_queries(12):
        client.get(reverse("cases-list"))


# --- saved views -----------------------------------------------------------------------------------------


def test_a_saved_view_appears_in_the_list(client_for, personas, problem):
    client = client_for(personas.hubei)
    client.post(reverse("cases-view-save"), {"name": "待研判超期", "query": "state=new&light=red&page=3"})
    html = html_of(client.get(reverse("cases-list")))
    assert "待研判超期" in html and "state=new&amp;light=red" in html


def test_a_saved_view_keeps_only_the_filters(client_for, personas):
    client_for(personas.hubei).post(reverse("cases-view-save"), {"name": "视图", "query": "state=new&page=3&x=1"})
    assert SavedView.objects.get(name="视图").query == "state=new"


def test_a_shared_view_appears_to_the_lead_of_the_same_region(client_for, personas):
    client_for(personas.hubei).post(reverse("cases-view-save"), {"name": "共享视图", "query": "state=new",
                                                                 "shared": "on"})
    html = html_of(client_for(personas.hubei_lead).get(reverse("cases-list")))
    assert "共享视图" in html.split('data-testid="saved-views"')[1]


def test_a_shared_view_does_not_appear_in_another_region(client_for, personas):
    client_for(personas.hubei).post(reverse("cases-view-save"), {"name": "共享视图", "query": "state=new",
                                                                 "shared": "on"})
    assert 'data-testid="saved-views"' not in html_of(client_for(personas.guangdong).get(reverse("cases-list")))


def test_a_personal_view_does_not_appear_to_colleagues(client_for, personas):
    client_for(personas.hubei).post(reverse("cases-view-save"), {"name": "我的视图", "query": "state=new"})
    assert 'data-testid="saved-views"' not in html_of(client_for(personas.hubei_lead).get(reverse("cases-list")))


def test_the_owner_deletes_a_saved_view(client_for, personas):
    view = SavedView.objects.create(owner=personas.hubei, name="旧视图", query="state=new")
    client_for(personas.hubei).post(reverse("cases-view-delete", args=[view.pk]))
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_nobody_deletes_a_colleagues_view(client_for, personas):
    view = SavedView.objects.create(owner=personas.hubei, name="共享", query="state=new", shared=True)
    response = client_for(personas.hubei_lead).post(reverse("cases-view-delete", args=[view.pk]))
    assert response.status_code == 404 and SavedView.objects.filter(pk=view.pk).exists()


# --- export ---------------------------------------------------------------------------------------------


def test_the_export_is_logged(client_for, personas, problem):
    client_for(personas.hubei).get(reverse("cases-export"), {"format": "xlsx", "state": "new"})
    log = ExportLog.objects.get()
    assert log.kind == "cases" and log.rows == 1 and log.filters == {"state": "new"}


def test_the_export_contains_only_the_users_problems(client_for, personas, problem, guangdong_problem):
    response = client_for(personas.hubei).get(reverse("cases-export"), {"format": "xlsx"})
    values = [c for row in load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True)
              for c in row]
    assert problem.number in values and guangdong_problem.number not in values


def test_the_csv_export_has_the_columns(client_for, personas, problem):
    response = client_for(personas.hubei).get(reverse("cases-export"), {"format": "csv"})
    text = response.getvalue().decode("utf-8-sig")
    assert "序号,编号,标题,企业,地区,类别,紧急程度,状态,办理时限,时限状态,登记时间,登记人" in text and problem.number in text


# --- bulk actions ---------------------------------------------------------------------------------------------


def test_bulk_approval_by_the_lead_reports_how_many_succeeded(client_for, personas, make_problem):
    pending = [make_problem("pending_approval", title=f"待审核{n}") for n in range(2)]
    local = make_problem("local", title="属地办理中")
    ids = [f"{c.pk}:{c.version}" for c in [*pending, local]]
    response = client_for(personas.hubei_lead).post(reverse("cases-bulk"), {"action": "approve", "ids": ids},
                                                    follow=True)
    html = html_of(response)
    assert "已审核并上报2个问题" in html and f"1个问题未能审核并上报：{local.number}" in html


def test_bulk_approval_moves_the_problems(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    client_for(personas.hubei_lead).post(reverse("cases-bulk"), {"action": "approve",
                                                                 "ids": [f"{pending.pk}:{pending.version}"]})
    assert Case.objects.get(pk=pending.pk).state == State.ESCALATED


def test_bulk_approval_reports_a_problem_changed_meanwhile(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    response = client_for(personas.hubei_lead).post(
        reverse("cases-bulk"), {"action": "approve", "ids": [f"{pending.pk}:{pending.version - 1}"]}, follow=True)
    assert "已被他人更新" in html_of(response)


def test_bulk_approval_is_403_for_a_province_official(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    response = client_for(personas.hubei).post(reverse("cases-bulk"), {"action": "approve",
                                                                       "ids": [f"{pending.pk}:{pending.version}"]})
    assert response.status_code == 403


def test_bulk_acceptance_by_the_ministry(client_for, personas, make_problem):
    escalated = make_problem("escalated")
    client_for(personas.ministry).post(reverse("cases-bulk"), {"action": "accept",
                                                               "ids": [f"{escalated.pk}:{escalated.version}"]})
    assert Case.objects.get(pk=escalated.pk).state == State.ACCEPTED


def test_the_lead_gets_checkboxes_only_for_pending_problems(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    make_problem("local")
    html = html_of(client_for(personas.hubei_lead).get(reverse("cases-list")))
    assert html.count('name="ids"') == 1 and f'value="{pending.pk}:{pending.version}"' in html


# --- the queue -------------------------------------------------------------------------------------------


def test_the_queue_is_403_for_a_province(client_for, personas):
    assert client_for(personas.hubei).get(reverse("cases-queue")).status_code == 403


def test_the_queue_lists_escalated_problems_for_the_ministry(client_for, personas, make_problem):
    escalated = make_problem("escalated", title="等待受理")
    make_problem("local", title="属地办理中")
    html = html_of(client_for(personas.ministry).get(reverse("cases-queue")))
    assert escalated.number in html and "属地办理中" not in html


def test_the_queue_answers_the_ministry_liaison(client_for, personas, make_problem):
    escalated = make_problem("escalated")
    assert escalated.number in html_of(client_for(personas.ministry_liaison).get(reverse("cases-queue")))


def test_the_queue_filters_by_days_waiting(client_for, personas, make_problem):
    with time_machine.travel(timezone.now() - dt.timedelta(days=5)):
        old = make_problem("escalated", title="等了五天")
    make_problem("escalated", title="刚上报")
    html = html_of(client_for(personas.ministry).get(reverse("cases-queue"), {"age": "3"}))
    assert old.number in html and "刚上报" not in html


def test_accepting_from_the_queue_returns_to_the_queue(client_for, personas, make_problem):
    escalated = make_problem("escalated")
    queue = reverse("cases-queue")
    response = client_for(personas.ministry).post(action_url(escalated, "accept"),
                                                  {"version": escalated.version, "next": queue})
    assert response.status_code == 302 and response.url == queue


# --- registering ------------------------------------------------------------------------------------------


def test_the_create_page_answers_a_hubei_official(client_for, personas, chain):
    assert client_for(personas.hubei).get(reverse("cases-create")).status_code == 200


def test_the_create_page_answers_a_liaison_officer(client_for, personas):
    assert client_for(personas.liaison_hubei).get(reverse("cases-create")).status_code == 200


def test_the_create_page_is_403_for_the_ministry(client_for, personas):
    assert client_for(personas.ministry).get(reverse("cases-create")).status_code == 403


def test_the_create_page_is_403_for_a_department_user(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("cases-create")).status_code == 403


def test_the_enterprise_search_finds_by_initials(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("cases-enterprise-search"), {"q": "dhgd"})
    assert "东湖光电科技集团有限公司" in html_of(response)


def test_the_enterprise_search_leaves_out_other_regions(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("cases-enterprise-search"), {"q": "广州"})
    assert "广州珠江纺织服装股份有限公司" not in html_of(response)


def test_the_enterprise_search_is_403_for_the_ministry(client_for, personas, chain):
    assert client_for(personas.ministry).get(reverse("cases-enterprise-search"), {"q": "东湖"}).status_code == 403


def test_the_enterprise_can_be_prefilled_with_its_chain(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("cases-create"), {"enterprise": chain["lead"].pk})
    html = html_of(response)
    assert f'name="enterprise" value="{chain["lead"].pk}"' in html and "深圳鹏城芯片封装有限公司" in html


def test_an_enterprise_of_another_region_is_not_prefilled(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("cases-create"), {"enterprise": chain["guangdong_lead"].pk})
    assert 'data-testid="picked-enterprise"' not in html_of(response)


def test_picking_an_enterprise_of_another_region_is_404(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("cases-enterprise-pick"),
                                              {"enterprise": chain["guangdong_lead"].pk})
    assert response.status_code == 404


def _registration(chain, **extra):
    return {"enterprise": chain["lead"].pk, "category": Category.objects.get(slug="supply-chain").pk,
            "urgency": "normal", "source": "contact", "title": "光芯片断供", "request": "请协调恢复供货。",
            "description": "封装厂停产。", **extra}


def test_registering_gives_the_problem_a_hubei_number(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("cases-create"), _registration(chain))
    assert Case.objects.get().number == f"鄂〔{timezone.localdate().year}〕第0001号"


def test_registering_leads_to_the_detail_page_with_the_number(client_for, personas, chain):
    response = client_for(personas.hubei).post(reverse("cases-create"), _registration(chain), follow=True)
    assert response.redirect_chain[-1][0] == detail(Case.objects.get()) and "第0001号" in html_of(response)


def test_registering_names_the_ticked_supplier(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("cases-create"),
                                    _registration(chain, named_enterprises=[chain["guangdong_supplier"].pk]))
    assert list(Case.objects.get().named_enterprises.all()) == [chain["guangdong_supplier"]]


def test_ticking_a_named_supplier_also_sets_the_supply_link_it_concerns(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("cases-create"),
                                    _registration(chain, named_enterprises=[chain["guangdong_supplier"].pk]))
    assert Case.objects.get().supply_link == chain["links"]["guangdong"]


def test_the_first_ticked_partner_gives_the_supply_link(client_for, personas, chain):
    ticked = [chain["german_supplier"].pk, chain["guangdong_supplier"].pk]
    client_for(personas.hubei).post(reverse("cases-create"), _registration(chain, named_enterprises=ticked))
    assert Case.objects.get().supply_link == chain["links"]["german"]


def test_nothing_ticked_sets_no_supply_link(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("cases-create"), _registration(chain))
    assert Case.objects.get().supply_link is None


def test_the_chain_offers_one_control_per_partner(client_for, personas, chain):
    html = html_of(client_for(personas.hubei).get(reverse("cases-create"), {"enterprise": chain["lead"].pk}))
    assert 'name="named_enterprises"' in html and 'name="supply_link"' not in html.split('data-testid="picked-enterprise"')[1]


def test_registering_without_a_title_is_refused_beside_the_field(client_for, personas, chain):
    response = client_for(personas.hubei).post(reverse("cases-create"), _registration(chain, title=""))
    assert response.status_code == 400 and 'id="id_title-errors"' in html_of(response)


def test_registering_keeps_the_chosen_enterprise_after_an_error(client_for, personas, chain):
    response = client_for(personas.hubei).post(reverse("cases-create"), _registration(chain, title=""))
    assert 'data-testid="picked-enterprise"' in html_of(response)


# --- the 转办 form ----------------------------------------------------------------------------------------


def test_the_route_form_starts_with_one_row_and_offers_more(client_for, personas, chain):
    from tests.cases.workflow_support import case_in

    case = case_in("accepted", personas, chain)
    html = html_of(client_for(personas.ministry).get(detail(case)))
    form = html[html.index('id="action-route"'):]
    assert '<details class="cw-route-row mb-2" data-route-row="2">' in form and "添加承办部门" in form


@pytest.mark.parametrize(("urgency", "days"), [("critical", 1), ("urgent", 3)])
def test_the_route_form_proposes_the_deadline_from_the_urgency(client_for, personas, chain, urgency, days):
    from cases.forms import action_form
    from tests.cases.workflow_support import case_in

    case = case_in("accepted", personas, chain, urgency=urgency)
    form = action_form("route", case=case, user=personas.ministry)
    assert form["due_date_1"].value() == timezone.localdate() + dt.timedelta(days=days)


def test_a_filled_second_row_stays_open_after_an_error(client_for, personas, chain):
    from cases.forms import action_form
    from tests.cases.workflow_support import case_in

    case = case_in("accepted", personas, chain)
    form = action_form("route", {"department_1": "", "department_2": "mof", "role_2": "assist"}, case=case,
                       user=personas.ministry)
    assert [row["open"] for row in form.rows()] == [True, True, False]


# --- the detail page --------------------------------------------------------------------------------------


def test_the_detail_page_answers_the_ministry_liaison_covering_hubei(client_for, personas, problem):
    assert client_for(personas.ministry_liaison).get(detail(problem)).status_code == 200


def test_the_detail_page_is_404_for_a_zhejiang_official(client_for, personas, problem):
    assert client_for(personas.zhejiang).get(detail(problem)).status_code == 404


def test_the_detail_page_is_404_for_a_department_user(client_for, personas, problem):
    assert client_for(personas.dept_mot).get(detail(problem)).status_code == 404


def test_the_detail_page_is_404_for_guangdong_before_a_share(client_for, personas, problem):
    assert client_for(personas.guangdong).get(detail(problem)).status_code == 404


def test_the_detail_page_shows_the_escalation_suggestion_naming_the_guangdong_supplier(client_for, personas,
                                                                                       problem):
    html = html_of(client_for(personas.hubei).get(detail(problem)))
    suggestion = html.split('data-testid="escalation-suggestion"')[1].split("</section>")[0]
    assert "深圳鹏城芯片封装有限公司" in suggestion and "广东" in suggestion


def test_the_suggestion_is_gone_once_escalated(client_for, personas, make_problem):
    escalated = make_problem("escalated")
    assert 'data-testid="escalation-suggestion"' not in html_of(client_for(personas.hubei).get(detail(escalated)))


def test_the_detail_page_shows_the_enterprise_contact_in_the_full_view(client_for, personas, problem):
    assert "027-88880000" in html_of(client_for(personas.hubei).get(detail(problem)))


def test_the_detail_page_works_in_every_state(client_for, personas, hubei_problems):
    client = client_for(personas.ministry)
    assert {state: client.get(detail(case)).status_code for state, case in hubei_problems.items()} == \
        {state: 200 for state in hubei_problems}


def test_a_leaders_instruction_is_pinned_with_its_due_date(client_for, personas, problem):
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    perform(case_id=problem.pk, action="instruct", actor=personas.ministry, data={"text": "请尽快协调解决", "due_date": due})
    html = html_of(client_for(personas.hubei).get(detail(problem)))
    assert "请尽快协调解决" in html.split('data-testid="instructions"')[1].split("</section>")[0] and due in html


def test_the_page_offers_the_province_its_actions(client_for, personas, problem):
    html = html_of(client_for(personas.hubei).get(detail(problem)))
    assert 'data-testid="action-handle-locally"' in html and 'data-testid="action-approve"' not in html


def test_the_page_offers_the_lead_approval_with_a_confirmation(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    html = html_of(client_for(personas.hubei_lead).get(detail(pending)))
    assert 'data-testid="action-approve" data-confirm=' in html


def test_an_action_via_the_page_moves_the_state(client_for, personas, problem):
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client_for(personas.hubei).post(action_url(problem, "handle-locally"), {
        "unit": "武汉市经信局", "person": "李明", "phone": "027-66668888", "due_date": due,
        "version": problem.version})
    assert response.status_code == 302 and Case.objects.get(pk=problem.pk).state == State.LOCAL


def test_a_stale_version_gets_409_and_keeps_the_users_text(client_for, personas, problem):
    client = client_for(personas.hubei)
    response = client.post(action_url(problem, "submit"), {"note": "请负责人尽快审核签发", "version": problem.version - 1})
    assert response.status_code == 409 and "请负责人尽快审核签发" in html_of(response)


def test_a_stale_version_offers_the_current_version_to_resubmit(client_for, personas, problem):
    response = client_for(personas.hubei).post(action_url(problem, "submit"), {"note": "x", "version": 0})
    assert f'name="version" value="{problem.version}"' in html_of(response)


def test_a_missing_reason_gets_400_with_the_message_beside_the_field(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    response = client_for(personas.hubei_lead).post(action_url(pending, "send-back"),
                                                    {"reason": "", "version": pending.version})
    assert response.status_code == 400 and 'id="id_send-back_reason-errors">请填写理由。' in html_of(response)


def test_a_wrong_state_gets_409_with_the_state_named(client_for, personas, problem):
    response = client_for(personas.ministry).post(action_url(problem, "accept"), {"version": problem.version})
    assert response.status_code == 409 and "待研判" in html_of(response)


def test_an_action_of_another_role_is_403(client_for, personas, make_problem):
    pending = make_problem("pending_approval")
    assert client_for(personas.hubei).post(action_url(pending, "approve"),
                                           {"version": pending.version}).status_code == 403


def test_an_action_outside_the_scope_is_404(client_for, personas, problem):
    assert client_for(personas.zhejiang).post(action_url(problem, "submit"),
                                              {"version": problem.version}).status_code == 404


def test_an_unknown_action_is_404(client_for, personas, problem):
    assert client_for(personas.hubei).post(action_url(problem, "explode"), {}).status_code == 404


def test_routing_via_the_page_refers_the_problem(client_for, personas, make_problem):
    accepted = make_problem("accepted")
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    client_for(personas.ministry).post(action_url(accepted, "route"), {
        "department_1": "mot", "role_1": "lead", "due_date_1": due, "version": accepted.version})
    assert Case.objects.get(pk=accepted.pk).state == State.ROUTED


def test_routing_without_a_department_gets_400_with_the_message(client_for, personas, make_problem):
    accepted = make_problem("accepted")
    response = client_for(personas.ministry).post(action_url(accepted, "route"), {"version": accepted.version})
    assert response.status_code == 400 and "请至少选择一个承办部门" in html_of(response)


def test_a_referred_department_sees_the_limited_view_with_the_description(client_for, personas, make_problem):
    # design.md "A department's view" (issue 19): a department reads the description too.
    routed = make_problem("routed")
    html = html_of(client_for(personas.dept_mot).get(detail(routed)))
    assert 'data-testid="limited-view"' in html and 'data-testid="referrals"' in html and DESCRIPTION in html


# --- 协办 (limited view) and internal comments -----------------------------------------------------------


def test_the_guangdong_region_sees_the_limited_view_after_share(client_for, personas, shared_with_guangdong):
    response = client_for(personas.guangdong).get(detail(shared_with_guangdong))
    html = html_of(response)
    assert response.status_code == 200 and 'data-testid="limited-view"' in html and "请广东协调封装厂尽快复产" in html


def test_the_limited_view_has_no_description_nor_contact_phone(client_for, personas, shared_with_guangdong):
    html = html_of(client_for(personas.guangdong).get(detail(shared_with_guangdong)))
    assert DESCRIPTION not in html and "027-88880000" not in html


def test_the_guangdong_region_can_comment_on_a_shared_problem(client_for, personas, shared_with_guangdong):
    client_for(personas.guangdong).post(action_url(shared_with_guangdong, "comment"),
                                        {"text": "已联系封装厂，预计周五复产", "version": shared_with_guangdong.version})
    assert CaseEvent.objects.filter(case=shared_with_guangdong, kind="comment", actor=personas.guangdong).exists()


def test_the_guangdong_comment_is_shown_to_hubei(client_for, personas, shared_with_guangdong):
    perform(case_id=shared_with_guangdong.pk, action="comment", actor=personas.guangdong, data={"text": "预计周五复产"})
    assert "预计周五复产" in html_of(client_for(personas.hubei).get(detail(shared_with_guangdong)))


def test_the_shared_region_cannot_take_other_actions(client_for, personas, shared_with_guangdong):
    response = client_for(personas.guangdong).post(action_url(shared_with_guangdong, "submit"),
                                                   {"version": shared_with_guangdong.version})
    assert response.status_code == 403


def test_internal_ministry_comments_are_not_shown_to_the_province(client_for, personas, problem):
    perform(case_id=problem.pk, action="comment", actor=personas.ministry,
            data={"text": "部专班内部研判意见", "visibility": "internal"})
    assert "部专班内部研判意见" not in html_of(client_for(personas.hubei).get(detail(problem)))


def test_internal_ministry_comments_are_shown_to_the_ministry_liaison(client_for, personas, problem):
    perform(case_id=problem.pk, action="comment", actor=personas.ministry,
            data={"text": "部专班内部研判意见", "visibility": "internal"})
    assert "部专班内部研判意见" in html_of(client_for(personas.ministry_liaison).get(detail(problem)))


def test_internal_province_comments_are_not_shown_to_a_shared_region(client_for, personas, shared_with_guangdong):
    perform(case_id=shared_with_guangdong.pk, action="comment", actor=personas.hubei,
            data={"text": "省内掌握：企业资金紧张", "visibility": "internal"})
    assert "省内掌握：企业资金紧张" not in html_of(client_for(personas.guangdong).get(detail(shared_with_guangdong)))


def test_a_comment_from_a_page_loaded_before_a_change_is_kept(client_for, personas, problem):
    perform(case_id=problem.pk, action="submit", actor=personas.hubei_lead, data={})
    response = client_for(personas.hubei).post(action_url(problem, "comment"), {"text": "补充情况",
                                                                                "version": problem.version})
    assert response.status_code == 302 and CaseEvent.objects.filter(case=problem, kind="comment").exists()


def test_an_internal_comment_via_the_page_is_internal(client_for, personas, problem):
    client_for(personas.hubei).post(action_url(problem, "comment"), {"text": "内部备注", "visibility": "internal",
                                                                     "version": problem.version})
    assert CaseEvent.objects.get(case=problem, kind="comment").visibility == "province"


# --- attachments ------------------------------------------------------------------------------------------


def upload(client, case, name, content, visibility="shared"):
    return client.post(reverse("cases-attachment-upload", args=[case.pk]),
                       {"file": SimpleUploadedFile(name, content), "visibility": visibility})


def test_a_valid_pdf_is_stored(client_for, personas, problem):
    upload(client_for(personas.hubei), problem, "情况说明.pdf", PDF)
    attachment = Attachment.objects.get()
    assert attachment.name == "情况说明.pdf" and attachment.file.name.endswith(f"{attachment.token}.pdf")


def test_an_upload_writes_a_timeline_line(client_for, personas, problem):
    upload(client_for(personas.hubei), problem, "情况说明.pdf", PDF)
    assert CaseEvent.objects.filter(case=problem, kind="attachment", note="情况说明.pdf").exists()


def test_the_hubei_official_downloads_the_pdf(client_for, personas, problem):
    client = client_for(personas.hubei)
    upload(client, problem, "情况说明.pdf", PDF)
    response = client.get(reverse("cases-attachment-download", args=[Attachment.objects.get().token]))
    assert b"".join(response.streaming_content) == PDF and "attachment;" in response["Content-Disposition"]


def test_a_download_is_not_sniffed(client_for, personas, problem):
    client = client_for(personas.hubei)
    upload(client, problem, "a.pdf", PDF)
    response = client.get(reverse("cases-attachment-download", args=[Attachment.objects.get().token]))
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_download_is_404_for_the_zhejiang_official(client_for, personas, problem):
    upload(client_for(personas.hubei), problem, "a.pdf", PDF)
    response = client_for(personas.zhejiang).get(reverse("cases-attachment-download",
                                                         args=[Attachment.objects.get().token]))
    assert response.status_code == 404


def test_an_internal_attachment_is_404_for_the_shared_region(client_for, personas, shared_with_guangdong):
    upload(client_for(personas.hubei), shared_with_guangdong, "a.pdf", PDF, visibility="internal")
    response = client_for(personas.guangdong).get(reverse("cases-attachment-download",
                                                          args=[Attachment.objects.get().token]))
    assert response.status_code == 404


def test_a_shared_attachment_is_downloadable_by_the_shared_region(client_for, personas, shared_with_guangdong):
    upload(client_for(personas.hubei), shared_with_guangdong, "a.pdf", PDF)
    response = client_for(personas.guangdong).get(reverse("cases-attachment-download",
                                                          args=[Attachment.objects.get().token]))
    assert response.status_code == 200


def test_a_too_large_file_is_refused_with_a_message(client_for, personas, problem):
    response = upload(client_for(personas.hubei), problem, "big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400 and "不能超过10 MB" in html_of(response) and not Attachment.objects.exists()


def test_a_wrong_type_is_refused_with_a_message(client_for, personas, problem):
    response = upload(client_for(personas.hubei), problem, "tool.exe", b"MZ\x90\x00")
    assert response.status_code == 400 and "不支持该文件类型" in html_of(response) and not Attachment.objects.exists()


def test_a_renamed_file_is_refused_by_its_content(client_for, personas, problem):
    response = upload(client_for(personas.hubei), problem, "report.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400 and "文件内容与扩展名" in html_of(response)


def test_a_docx_that_is_a_real_office_file_is_accepted(client_for, personas, problem):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    upload(client_for(personas.hubei), problem, "说明.docx", buffer.getvalue())
    assert Attachment.objects.get().extension == ".docx"


def test_the_shared_region_cannot_upload(client_for, personas, shared_with_guangdong):
    response = upload(client_for(personas.guangdong), shared_with_guangdong, "a.pdf", PDF)
    assert response.status_code == 404


# --- the printable 问题交办单 ---------------------------------------------------------------------------


def test_the_print_page_has_the_number_and_its_title(client_for, personas, make_problem):
    local = make_problem("local")
    html = html_of(client_for(personas.hubei).get(reverse("cases-print", args=[local.pk])))
    assert local.number in html and "问题交办单" in html and "武汉市经济和信息化局" in html


def test_the_print_page_is_404_for_a_zhejiang_official(client_for, personas, problem):
    assert client_for(personas.zhejiang).get(reverse("cases-print", args=[problem.pk])).status_code == 404


def test_the_print_page_is_404_in_the_limited_view(client_for, personas, shared_with_guangdong):
    response = client_for(personas.guangdong).get(reverse("cases-print", args=[shared_with_guangdong.pk]))
    assert response.status_code == 404


def test_pages_carry_no_inline_script_or_style(client_for, personas, problem):
    html = html_of(client_for(personas.hubei).get(detail(problem)))
    assert "<script>" not in html and "style=" not in html
