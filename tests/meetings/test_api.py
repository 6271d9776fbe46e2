"""会商 through the API: the "Done when" journey of issue #21 a step at a time, and the Contract's answers
(404 scope, 403 role, 409 state, 400 input)."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import CaseEvent
from chainwork.models import Notification
from meetings.models import Decision
from tests.meetings.conftest import decide, in_days

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


MOT = {"kind": "department", "department": "mot"}
HUBEI = {"kind": "region", "region": "42"}


def test_ministry_creates_todays_dispatch_meeting(personas):
    answer = api(personas.ministry).post("/api/v1/consultations/", {
        "kind": "dispatch", "starts_at": timezone.now().isoformat(), "chair": "部专班负责同志",
        "participants": [MOT, HUBEI]}, format="json")
    assert answer.status_code == 201, answer.data
    assert answer.data["title"] == "部专班调度会"


def test_bad_kind_is_a_400_on_its_field(personas):
    answer = api(personas.ministry).post("/api/v1/consultations/", {
        "kind": "party", "starts_at": timezone.now().isoformat(), "chair": "某"}, format="json")
    assert answer.status_code == 400
    assert "kind" in answer.data


def test_department_may_not_call_a_meeting(personas):
    answer = api(personas.dept_mot).post("/api/v1/consultations/", {
        "starts_at": timezone.now().isoformat(), "chair": "某"}, format="json")
    assert answer.status_code == 403


def test_proposal_lists_the_newly_escalated_problem(personas, meeting, escalated):
    answer = api(personas.ministry).get(f"/api/v1/consultations/{meeting.pk}/proposal/")
    assert answer.status_code == 200
    row = next(r for r in answer.data if r["case"] == escalated.pk)
    assert "escalated" in row["reasons"]


def test_adopting_the_proposal_puts_it_on_the_agenda(personas, meeting, escalated):
    answer = api(personas.ministry).post(f"/api/v1/consultations/{meeting.pk}/proposal/")
    assert [item["case"] for item in answer.data["agenda"]] == [escalated.pk]


def test_participating_department_may_not_read_the_proposal(personas, meeting):
    assert api(personas.dept_mot).get(f"/api/v1/consultations/{meeting.pk}/proposal/").status_code == 403


def test_minutes_are_recorded_by_update(personas, meeting, routed):
    answer = api(personas.ministry).patch(f"/api/v1/consultations/{meeting.pk}/", {
        "state": "held", "minutes": "会议听取了各方汇报。", "agenda": [{"case": routed.pk, "minutes": "交通运输部介绍进展"}]},
        format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["agenda"][0]["minutes"] == "交通运输部介绍进展"


def test_decision_for_the_department_is_told_to_it(personas, meeting, routed):
    answer = api(personas.ministry).post(f"/api/v1/consultations/{meeting.pk}/decisions/", {
        "text": "交通运输部协调开通绿色通道", "owner": MOT, "due_date": in_days(3), "case": routed.pk}, format="json")
    assert answer.status_code == 201, answer.data
    assert Notification.objects.filter(user=personas.dept_mot, kind="decision").exists()


def test_decision_for_hubei_is_told_to_its_work_group(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, HUBEI)
    assert set(Notification.objects.filter(kind="decision").values_list("user__username", flat=True)) == {
        "p-hubei", "p-hubei-lead"}


def test_decision_without_owner_is_a_400(personas, meeting):
    answer = api(personas.ministry).post(f"/api/v1/consultations/{meeting.pk}/decisions/", {
        "text": "研究", "due_date": in_days(3)}, format="json")
    assert answer.status_code == 400
    assert "owner" in answer.data


def test_decision_shows_on_the_problem_timeline(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, text="开通绿色通道")
    event = CaseEvent.objects.get(case=routed, action="decision")
    assert event.kind == CaseEvent.Kind.DECISION


def test_owner_marks_its_decision_done(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    answer = api(personas.dept_mot).post(f"/api/v1/decisions/{decision.pk}/done/", {"note": "已开通"}, format="json")
    assert answer.status_code == 200, answer.data
    assert answer.data["state"] == "done"


def test_done_twice_is_a_409(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    api(personas.dept_mot).post(f"/api/v1/decisions/{decision.pk}/done/", {"note": "已开通"}, format="json")
    answer = api(personas.dept_mot).post(f"/api/v1/decisions/{decision.pk}/done/", {"note": "再次"}, format="json")
    assert answer.status_code == 409


def test_done_needs_a_note(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    answer = api(personas.dept_mot).post(f"/api/v1/decisions/{decision.pk}/done/", {}, format="json")
    assert answer.status_code == 400
    assert "note" in answer.data


def test_other_department_gets_404_on_the_decision(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    answer = api(personas.dept_mof).post(f"/api/v1/decisions/{decision.pk}/done/", {"note": "x"}, format="json")
    assert answer.status_code == 404


def test_participating_province_may_not_mark_the_departments_decision_done(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT)
    answer = api(personas.hubei).post(f"/api/v1/decisions/{decision.pk}/done/", {"note": "x"}, format="json")
    assert answer.status_code == 403


def test_done_shows_on_the_timeline_and_tells_the_ministry(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, HUBEI)
    api(personas.hubei).post(f"/api/v1/decisions/{decision.pk}/done/", {"note": "已落实"}, format="json")
    assert CaseEvent.objects.filter(case=routed, action="decision-done").exists()
    assert Notification.objects.filter(user=personas.ministry, kind="decision").exists()


def test_guangdong_does_not_see_a_national_meeting_it_is_not_part_of(personas, meeting):
    assert api(personas.guangdong).get(f"/api/v1/consultations/{meeting.pk}/").status_code == 404


def test_hubei_sees_the_national_meeting_it_takes_part_in(personas, meeting):
    assert api(personas.hubei).get(f"/api/v1/consultations/{meeting.pk}/").status_code == 200


def test_hubei_does_not_see_guangdongs_own_meeting(personas, guangdong_meeting):
    assert api(personas.hubei).get(f"/api/v1/consultations/{guangdong_meeting.pk}/").status_code == 404


def test_ministry_sees_a_provinces_meeting(personas, guangdong_meeting):
    assert api(personas.ministry).get(f"/api/v1/consultations/{guangdong_meeting.pk}/").status_code == 200


def test_ministry_may_not_edit_a_provinces_meeting(personas, guangdong_meeting):
    answer = api(personas.ministry).patch(f"/api/v1/consultations/{guangdong_meeting.pk}/", {"minutes": "x"},
                                          format="json")
    assert answer.status_code == 403


def test_agenda_hides_a_problem_the_viewer_may_not_see(personas, meeting, routed):
    api(personas.ministry).patch(f"/api/v1/consultations/{meeting.pk}/", {"agenda": [{"case": routed.pk}]},
                                 format="json")
    meeting.participants.create(kind="department", department=personas.dept_mof.department, name="财政部")
    answer = api(personas.dept_mof).get(f"/api/v1/consultations/{meeting.pk}/")
    assert answer.data["agenda"] == []


def test_decision_owner_outside_the_problem_sees_no_problem_number(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, {"kind": "department", "department": "mof"})
    answer = api(personas.dept_mof).get(f"/api/v1/decisions/{decision.pk}/")
    assert answer.data["case"] is None


def test_decision_list_mine_shows_the_owner_its_own(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT)
    decide(meeting, personas.ministry, routed, HUBEI)
    answer = api(personas.dept_mot).get("/api/v1/decisions/?mine=true")
    assert [row["owner"]["department"] for row in answer.data["results"]] == ["mot"]


def test_meeting_list_pages_cost_the_same(personas, routed, django_assert_max_num_queries):
    from meetings import services

    for n in range(8):
        m = services.consultation_create(actor=personas.ministry, data={
            "starts_at": timezone.now().isoformat(), "chair": f"主持{n}"})
        decide(m, personas.ministry, routed, MOT)
    with django_assert_max_num_queries(8):
        answer = api(personas.ministry).get("/api/v1/consultations/")
    assert answer.data["count"] == 8


def test_decision_list_pages_cost_the_same(personas, meeting, routed, django_assert_max_num_queries):
    for _n in range(8):
        decide(meeting, personas.ministry, routed, MOT)
    with django_assert_max_num_queries(8):
        answer = api(personas.dept_mot).get("/api/v1/decisions/")
    assert answer.data["count"] == Decision.objects.count()
