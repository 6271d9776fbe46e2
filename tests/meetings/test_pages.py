"""会商 through the pages: the "Done when" journey of issue #21 a step at a time — the 部专班 proposes
today's agenda, holds the meeting, records decisions for 交通运输部 and 湖北; each owner sees it on its
工作台 and marks it done; the problem's timeline shows both; the 纪要 prints and exports .docx."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from chainwork.models import ExportLog
from meetings.models import AgendaItem, Consultation, Decision
from tests.meetings.conftest import decide, in_days

pytestmark = pytest.mark.django_db

MOT = {"kind": "department", "department": "mot"}
HUBEI = {"kind": "region", "region": "42"}


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ministry_calls_a_meeting_from_the_form(personas):
    answer = client_as(personas.ministry).post(reverse("meetings-create"), {
        "kind": "dispatch", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "chair": "部专班负责同志",
        "departments": ["mot"], "regions": ["42"], "associations": "中国汽车工业协会"})
    meeting = Consultation.objects.get()
    assert answer.status_code == 302
    assert set(meeting.participants.values_list("name", flat=True)) == {"部专班", "交通运输部", "湖北省",
                                                                         "中国汽车工业协会"}


def test_meeting_form_without_chair_answers_400(personas):
    answer = client_as(personas.ministry).post(reverse("meetings-create"), {
        "kind": "dispatch", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    assert answer.status_code == 400


def test_proposal_page_lists_the_escalated_problem(personas, meeting, escalated):
    answer = client_as(personas.ministry).get(reverse("meetings-proposal", args=[meeting.pk]))
    assert escalated.number in answer.content.decode()


def test_ticked_proposals_go_on_the_agenda(personas, meeting, escalated):
    client_as(personas.ministry).post(reverse("meetings-proposal", args=[meeting.pk]), {"case": [escalated.pk]})
    item = AgendaItem.objects.get(consultation=meeting)
    assert (item.case_id, item.reasons) == (escalated.pk, ["escalated"])


def test_agenda_item_minutes_are_saved(personas, meeting, routed):
    client_as(personas.ministry).post(reverse("meetings-agenda-add", args=[meeting.pk]), {"number": routed.number})
    item = AgendaItem.objects.get(consultation=meeting)
    client_as(personas.ministry).post(reverse("meetings-agenda-item", args=[meeting.pk, item.pk]),
                                      {"minutes": "交通运输部介绍了进展"})
    item.refresh_from_db()
    assert item.minutes == "交通运输部介绍了进展"


def test_unknown_problem_number_answers_400_with_the_reason(personas, meeting):
    answer = client_as(personas.ministry).post(reverse("meetings-agenda-add", args=[meeting.pk]), {"number": "鄂X"})
    assert answer.status_code == 400
    assert "鄂X" in answer.content.decode()


def test_decision_form_records_a_decision_for_the_department(personas, meeting, routed):
    client_as(personas.ministry).post(reverse("meetings-decision-create", args=[meeting.pk]), {
        "text": "开通绿色通道", "owner": "department:mot", "due_date": in_days(3), "case": routed.pk})
    assert Decision.objects.get().owner_department.slug == "mot"


def test_decision_form_with_a_past_deadline_answers_400(personas, meeting):
    answer = client_as(personas.ministry).post(reverse("meetings-decision-create", args=[meeting.pk]), {
        "text": "开通绿色通道", "owner": "department:mot", "due_date": in_days(-5)})
    assert answer.status_code == 400


def test_the_department_sees_its_decision_on_its_home(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, text="开通绿色通道")
    answer = client_as(personas.dept_mot).get(reverse("home"))
    assert "开通绿色通道" in answer.content.decode()


def test_hubei_sees_its_decision_on_its_workbench(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, HUBEI, text="组织员工返岗")
    answer = client_as(personas.hubei).get(reverse("home"))
    assert "组织员工返岗" in answer.content.decode()


def test_the_department_marks_its_decision_done(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    client_as(personas.dept_mot).post(reverse("meetings-decision-done", args=[decision.pk]), {"note": "已开通"})
    decision.refresh_from_db()
    assert (decision.state, decision.on_behalf) == ("done", False)


def test_marking_done_twice_answers_409(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    client_as(personas.dept_mot).post(reverse("meetings-decision-done", args=[decision.pk]), {"note": "已开通"})
    answer = client_as(personas.dept_mot).post(reverse("meetings-decision-done", args=[decision.pk]), {"note": "再"})
    assert answer.status_code == 409


def test_the_timeline_shows_both_decisions_in_the_meetings_words(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, text="开通绿色通道")
    decide(meeting, personas.ministry, routed, HUBEI, text="组织员工返岗")
    page = client_as(personas.hubei).get(reverse("cases-detail", args=[routed.pk])).content.decode()
    day = timezone.localtime(meeting.starts_at)
    assert f"经{day.month}月{day.day}日部专班调度会议定：开通绿色通道" in page
    assert f"经{day.month}月{day.day}日部专班调度会议定：组织员工返岗" in page


def test_the_timeline_shows_the_decision_done(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    client_as(personas.dept_mot).post(reverse("meetings-decision-done", args=[decision.pk]), {"note": "已开通"})
    page = client_as(personas.hubei).get(reverse("cases-detail", args=[routed.pk])).content.decode()
    assert "议定事项已落实" in page


def test_minutes_print_lists_the_decisions(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, text="开通绿色通道")
    page = client_as(personas.ministry).get(reverse("reports-minutes-print", args=[meeting.pk])).content.decode()
    assert "开通绿色通道" in page and "交通运输部" in page


def test_minutes_export_is_a_word_file_with_the_decisions(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, text="开通绿色通道")
    answer = client_as(personas.ministry).get(reverse("reports-minutes-docx", args=[meeting.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "开通绿色通道" in text


def test_minutes_export_is_logged(personas, meeting):
    client_as(personas.ministry).get(reverse("reports-minutes-docx", args=[meeting.pk]))
    assert ExportLog.objects.filter(kind="consultation_minutes", user=personas.ministry).exists()


def test_minutes_print_leaves_out_an_agenda_problem_the_reader_may_not_see(personas, meeting, routed):
    meeting.items.create(case=routed, added_by=personas.ministry)
    meeting.participants.create(kind="department", department=personas.dept_mof.department, name="财政部")
    page = client_as(personas.dept_mof).get(reverse("reports-minutes-print", args=[meeting.pk])).content.decode()
    assert routed.number not in page


def test_meeting_list_costs_the_same_for_more_meetings(personas, routed, django_assert_max_num_queries):
    from meetings import services

    for n in range(6):
        m = services.consultation_create(actor=personas.ministry, data={
            "starts_at": timezone.now().isoformat(), "chair": f"主持{n}"})
        decide(m, personas.ministry, routed, MOT)
    client = client_as(personas.ministry)
    with django_assert_max_num_queries(15):
        answer = client.get(reverse("meetings-list"))
    assert answer.status_code == 200


def test_decision_list_costs_the_same_for_more_decisions(personas, meeting, routed, django_assert_max_num_queries):
    for _n in range(8):
        decide(meeting, personas.ministry, routed, MOT)
    client = client_as(personas.dept_mot)
    with django_assert_max_num_queries(15):
        answer = client.get(reverse("meetings-decisions"))
    assert answer.status_code == 200


def test_open_filter_lists_only_meetings_with_open_decisions(personas, meeting, guangdong_meeting, routed):
    decide(meeting, personas.ministry, routed, MOT)
    page = client_as(personas.ministry).get(reverse("meetings-list") + "?open=true").content.decode()
    assert meeting.title in page and guangdong_meeting.title not in page


def test_meeting_page_costs_the_same_for_a_longer_agenda(personas, chain, meeting, django_assert_max_num_queries):
    from tests.cases.workflow_support import case_in

    for n in range(5):
        case = case_in("escalated", personas, chain, title=f"议题{n}")
        meeting.items.create(case=case, added_by=personas.ministry, position=n)
        decide(meeting, personas.ministry, case, MOT)
    client = client_as(personas.ministry)
    with django_assert_max_num_queries(20):
        answer = client.get(reverse("meetings-detail", args=[meeting.pk]))
    assert answer.content.decode().count('data-case="') == 5


def test_agenda_proposal_is_a_fixed_number_of_queries(personas, chain, meeting, django_assert_max_num_queries):
    from meetings.selectors import proposed_rows
    from tests.cases.workflow_support import case_in

    for n in range(5):
        case_in("escalated", personas, chain, title=f"新上报{n}")
    with django_assert_max_num_queries(10):
        rows = proposed_rows(meeting, personas.ministry)
    assert len(rows) == 5
