"""转办督办 pages: who may open them, what the board counts, and the small forms they post."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.referrals import perform_referral
from cases.workflow import perform
from tests.cases.workflow_support import case_in
from tests.coordination.support import in_days, referral_of, route, routed, routed_zhejiang

pytestmark = pytest.mark.django_db

BOARD = "cases-referrals"
LISTED = "cases-listed-board"


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("ministry_liaison", 200), ("admin", 200), ("dept_mot", 200), ("hubei_lead", 200),
    ("guangdong_lead", 200), ("hubei", 403), ("guangdong", 403), ("liaison_hubei", 403),
])
def test_who_may_open_the_referral_board(client_for, personas, persona, status):
    assert client_for(getattr(personas, persona)).get(reverse(BOARD)).status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("ministry_liaison", 200), ("admin", 200),
    ("dept_mot", 403), ("hubei", 403), ("guangdong_lead", 403), ("liaison_hubei", 403),
])
def test_who_may_open_the_listed_board(client_for, personas, persona, status):
    assert client_for(getattr(personas, persona)).get(reverse(LISTED)).status_code == status


def test_the_board_counts_a_departments_pending_referrals(client_for, personas, chain):
    routed(personas, chain)
    routed(personas, chain, title="第二个问题")
    page = client_for(personas.ministry).get(reverse(BOARD))
    mot = next(row for row in page.context["board"] if row["slug"] == "mot")
    assert mot["pending"] == 2


def test_the_board_counts_overdue_referrals_red(client_for, personas, chain):
    routed(personas, chain)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        page = client_for(personas.ministry).get(reverse(BOARD))
    mot = next(row for row in page.context["board"] if row["slug"] == "mot")
    assert (mot["overdue"], mot["light"]) == (1, "red")


def test_the_board_counts_answers_and_send_backs(client_for, personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=referral_of(case, "mof").pk, action="send-back", actor=personas.dept_mof,
                     data={"reason": "非本部门职责"})
    page = client_for(personas.ministry).get(reverse(BOARD))
    mof = next(row for row in page.context["board"] if row["slug"] == "mof")
    assert (mof["pending"], mof["sent_back"]) == (0, 1)


def test_the_ministry_liaison_board_leaves_out_other_regions(client_for, personas, chain):
    routed_zhejiang(personas, chain)
    page = client_for(personas.ministry_liaison).get(reverse(BOARD))
    assert page.context["board"] == []


def test_a_province_lead_board_counts_their_regions_referrals(client_for, personas, chain):
    routed(personas, chain)
    page = client_for(personas.hubei_lead).get(reverse(BOARD))
    assert {row["slug"]: row["pending"] for row in page.context["board"]} == {"mot": 1, "mof": 1}


def test_a_province_lead_board_leaves_out_other_regions_problems(client_for, personas, chain):
    routed(personas, chain)
    page = client_for(personas.guangdong_lead).get(reverse(BOARD))
    assert page.context["board"] == []


def test_a_province_lead_board_leaves_out_problems_shared_with_them(client_for, personas, chain):
    case = routed(personas, chain)
    perform(case_id=case.pk, action="share", actor=personas.ministry, data={"region": "44", "note": "请协助"})
    page = client_for(personas.guangdong_lead).get(reverse(BOARD), {"status": "pending"})
    assert (page.context["board"], page.context["page"].paginator.count) == ([], 0)


def test_a_province_lead_may_chase_from_the_board(client_for, personas, chain):
    routed(personas, chain)
    page = client_for(personas.hubei_lead).get(reverse(BOARD), {"department": "mot"})
    assert page.context["can_chase"] and page.context["page"].paginator.count == 1


def test_the_province_lead_menu_has_the_board(client_for, personas):
    page = client_for(personas.hubei_lead).get(reverse("home"))
    assert "coordination" in [entry["key"] for entry in page.context["main_menu"]]


def test_clicking_a_department_lists_its_referrals_with_their_problems(client_for, personas, chain):
    case = routed(personas, chain)
    page = client_for(personas.ministry).get(reverse(BOARD), {"department": "mof"})
    assert [r.pk for r in page.context["page"].object_list] == [referral_of(case, "mof").pk]


def test_the_overdue_filter_keeps_only_late_referrals(client_for, personas, chain):
    routed(personas, chain)
    page = client_for(personas.ministry).get(reverse(BOARD), {"department": "mot", "status": "overdue"})
    assert page.context["page"].paginator.count == 0


def test_the_board_query_count_does_not_grow_with_referrals(client_for, personas, chain,
                                                            django_assert_max_num_queries):
    for n in range(6):
        routed(personas, chain, title=f"问题{n}")
    client = client_for(personas.ministry)
    with django_assert_max_num_queries(12):
        client.get(reverse(BOARD), {"department": "mot"})


def test_the_department_list_query_count_does_not_grow(client_for, personas, chain, django_assert_max_num_queries):
    for n in range(6):
        routed(personas, chain, title=f"问题{n}")
    client = client_for(personas.dept_mot)
    with django_assert_max_num_queries(12):
        client.get(reverse(BOARD))


def test_a_department_sees_only_its_own_referrals(client_for, personas, chain):
    case = routed(personas, chain)
    page = client_for(personas.dept_mot).get(reverse(BOARD))
    assert [r.pk for r in page.context["page"].object_list] == [referral_of(case).pk]


def test_a_department_sees_pending_referrals_first(client_for, personas, chain):
    answered, waiting = routed(personas, chain), routed(personas, chain, title="第二个问题")
    perform_referral(referral_id=referral_of(answered).pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已办理"})
    page = client_for(personas.dept_mot).get(reverse(BOARD))
    assert page.context["page"].object_list[0].pk == referral_of(waiting).pk


def test_the_ministry_urges_a_referral_from_the_board(client_for, personas, chain):
    case = routed(personas, chain)
    client_for(personas.ministry).post(reverse("cases-referral-urge", args=[referral_of(case).pk]))
    assert referral_of(case).urged_count == 1


def test_a_department_cannot_urge(client_for, personas, chain):
    case = routed(personas, chain)
    response = client_for(personas.dept_mot).post(reverse("cases-referral-urge", args=[referral_of(case).pk]))
    assert response.status_code == 403


def test_another_department_gets_404_urging(client_for, personas, chain):
    case = routed(personas, chain)
    response = client_for(personas.dept_mof).post(reverse("cases-referral-urge", args=[referral_of(case).pk]))
    assert response.status_code == 404


def test_urging_an_answered_referral_from_the_board_counts_nothing(client_for, personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=referral_of(case).pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已办理"})
    client_for(personas.ministry).post(reverse("cases-referral-urge", args=[referral_of(case).pk]))
    assert referral_of(case).urged_count == 0


def test_the_department_responds_from_its_page(client_for, personas, chain):
    case = routed(personas, chain)
    client_for(personas.dept_mot).post(reverse("cases-referral-respond", args=[referral_of(case).pk]),
                                       {"response": "已开通绿色通道"})
    assert referral_of(case).state == Referral.State.RESPONDED


def test_an_empty_response_is_400_with_the_form_kept(client_for, personas, chain):
    case = routed(personas, chain)
    response = client_for(personas.dept_mot).post(reverse("cases-referral-respond", args=[referral_of(case).pk]),
                                                  {"response": " "})
    assert response.status_code == 400


def test_responding_twice_is_409(client_for, personas, chain):
    case = routed(personas, chain)
    client = client_for(personas.dept_mot)
    url = reverse("cases-referral-respond", args=[referral_of(case).pk])
    client.post(url, {"response": "已办理"})
    assert client.post(url, {"response": "再次办理"}).status_code == 409


def test_another_department_cannot_respond(client_for, personas, chain):
    case = routed(personas, chain)
    response = client_for(personas.dept_mof).post(reverse("cases-referral-respond", args=[referral_of(case).pk]),
                                                  {"response": "已办理"})
    assert response.status_code == 404


def test_the_hubei_official_cannot_respond_for_a_department(client_for, personas, chain):
    case = routed(personas, chain)
    response = client_for(personas.hubei).post(reverse("cases-referral-respond", args=[referral_of(case).pk]),
                                               {"response": "已办理"})
    assert response.status_code == 403


def test_the_ministry_records_a_response_with_its_source(client_for, personas, chain):
    case = routed(personas, chain)
    client_for(personas.ministry).post(reverse("cases-referral-respond", args=[referral_of(case).pk]),
                                       {"response": "电话告知已办理", "source": "letter"})
    referral = referral_of(case)
    assert (referral.on_behalf, referral.source) == (True, "letter")


def test_the_department_sends_a_referral_back(client_for, personas, chain):
    case = routed(personas, chain)
    client_for(personas.dept_mof).post(reverse("cases-referral-send-back", args=[referral_of(case, "mof").pk]),
                                       {"reason": "不属于财政部职责"})
    assert referral_of(case, "mof").state == Referral.State.SENT_BACK


def test_a_send_back_without_reason_is_400(client_for, personas, chain):
    case = routed(personas, chain)
    response = client_for(personas.dept_mof).post(
        reverse("cases-referral-send-back", args=[referral_of(case, "mof").pk]), {"reason": ""})
    assert response.status_code == 400


def listed(personas, chain, **kwargs):
    case = case_in("accepted", personas, chain, **kwargs)
    return perform(case_id=case.pk, action="supervise", actor=personas.ministry,
                   data={"level": "listed", "due_date": in_days(5)})


def test_the_listed_board_shows_listed_problems(client_for, personas, chain):
    case = listed(personas, chain)
    page = client_for(personas.ministry).get(reverse(LISTED))
    assert [c.pk for c in page.context["page"].object_list] == [case.pk]


def test_the_listed_board_leaves_out_plain_supervision(client_for, personas, chain):
    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="supervise", actor=personas.ministry,
            data={"level": "supervise", "due_date": in_days(5)})
    page = client_for(personas.ministry).get(reverse(LISTED))
    assert page.context["page"].paginator.count == 0


def test_the_listed_board_shows_the_latest_instruction(client_for, personas, chain):
    case = listed(personas, chain)
    for text in ("第一次批示", "请本周内解决"):
        perform(case_id=case.pk, action="instruct", actor=personas.ministry, data={"text": text})
    page = client_for(personas.ministry).get(reverse(LISTED))
    assert page.context["page"].object_list[0].instruction == "请本周内解决"


def test_the_ministry_liaison_listed_board_leaves_out_other_regions(client_for, personas, chain):
    case = routed_zhejiang(personas, chain)
    perform(case_id=case.pk, action="supervise", actor=personas.ministry,
            data={"level": "listed", "due_date": in_days(5)})
    page = client_for(personas.ministry_liaison).get(reverse(LISTED))
    assert page.context["page"].paginator.count == 0


def test_the_board_renders_quick_urge_buttons_for_the_ministry(client_for, personas, chain):
    case = routed(personas, chain)
    page = client_for(personas.ministry).get(reverse(BOARD), {"department": "mot"})
    assert f'data-testid="urge-{referral_of(case).pk}"' in page.content.decode()


def test_the_liaison_board_has_no_urge_buttons(client_for, personas, chain):
    case = routed(personas, chain)
    page = client_for(personas.ministry_liaison).get(reverse(BOARD), {"department": "mot"})
    assert f'data-testid="urge-{referral_of(case).pk}"' not in page.content.decode()


def test_route_again_after_a_send_back_shows_on_the_board(client_for, personas, chain):
    case = routed(personas, chain)
    perform_referral(referral_id=referral_of(case, "mof").pk, action="send-back", actor=personas.dept_mof,
                     data={"reason": "非本部门职责"})
    route(personas, case, [{"department": "ndrc", "role": "assist", "due_date": in_days(6)}])
    page = client_for(personas.ministry).get(reverse(BOARD))
    assert "ndrc" in [row["slug"] for row in page.context["board"]]
