"""申请延期 (issue 19): a department on its referral (the 部专班 decides), a province on its local problem (the
province lead decides); the deadlines, light and timeline follow; both sides are told; the Contract's order
of answers in the API; the pages' forms."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases.extensions import extension_decide, extension_request, pending_for
from cases.models import CaseEvent, Extension, Referral
from cases.tasks import notify_case_event
from cases.timeline import timeline
from cases.workflow import perform
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Notification
from tests.cases.workflow_support import case_in

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def referral(personas, chain):
    return case_in("routed", personas, chain).referrals.get()


@pytest.fixture
def asked(personas, referral):
    return extension_request(referral_id=referral.pk, actor=personas.dept_mot,
                             data={"reason": "需协调三省交通部门", "proposed_date": day(14).isoformat()})


@pytest.fixture
def local_case(personas, chain):
    return case_in("local", personas, chain)


@pytest.fixture
def local_asked(personas, local_case):
    perform(case_id=local_case.pk, action="extend", actor=personas.hubei,
            data={"reason": "企业需等待设备到货", "proposed_date": day(20).isoformat()})
    return Extension.objects.get(case=local_case)


def notified(event_action: str) -> list[int]:
    event = CaseEvent.objects.get(action=event_action)
    notify_case_event(event.pk)
    return sorted(Notification.objects.filter(case_event_id=event.pk).values_list("user_id", flat=True))


# --- a department's request ---------------------------------------------------------------------------------

def test_a_department_asks_to_extend_its_referral(asked, referral):
    assert (asked.state, asked.old_date, asked.proposed_date) == ("pending", referral.due_date, day(14))


def test_the_request_leaves_the_deadline_as_it_was(asked, referral):
    referral.refresh_from_db()
    assert referral.due_date == asked.old_date


def test_another_department_gets_404(personas, referral):
    with pytest.raises(Http404):
        extension_request(referral_id=referral.pk, actor=personas.dept_mof,
                          data={"reason": "x", "proposed_date": day(9).isoformat()})


def test_the_ministry_may_not_ask_on_the_departments_behalf(personas, referral):
    with pytest.raises(NotPermitted):
        extension_request(referral_id=referral.pk, actor=personas.ministry,
                          data={"reason": "x", "proposed_date": day(9).isoformat()})


def test_a_second_pending_request_is_refused_with_409(personas, asked, referral):
    with pytest.raises(InvalidState):
        extension_request(referral_id=referral.pk, actor=personas.dept_mot,
                          data={"reason": "再延", "proposed_date": day(30).isoformat()})


def test_an_answered_referral_cannot_be_extended(personas, referral):
    from cases.referrals import perform_referral

    perform_referral(referral_id=referral.pk, action="respond", actor=personas.dept_mot, data={"response": "已办"})
    with pytest.raises(InvalidState):
        extension_request(referral_id=referral.pk, actor=personas.dept_mot,
                          data={"reason": "x", "proposed_date": day(30).isoformat()})


def test_the_proposed_date_must_be_after_the_deadline(personas, referral):
    with pytest.raises(ValidationError) as error:
        extension_request(referral_id=referral.pk, actor=personas.dept_mot,
                          data={"reason": "x", "proposed_date": referral.due_date.isoformat()})
    assert "proposed_date" in error.value.message_dict


def test_a_reason_is_required(personas, referral):
    with pytest.raises(ValidationError) as error:
        extension_request(referral_id=referral.pk, actor=personas.dept_mot,
                          data={"reason": " ", "proposed_date": day(30).isoformat()})
    assert "reason" in error.value.message_dict


def test_the_request_tells_the_ministry_only(personas, asked):
    assert notified("referral-extend") == [personas.ministry.pk]


def test_the_ministry_has_the_request_to_decide(personas, asked):
    assert list(pending_for(personas.ministry)) == [asked]


def test_a_province_lead_does_not_decide_a_referral_request(personas, asked):
    assert not pending_for(personas.hubei_lead).exists()


# --- the 部专班 decides ------------------------------------------------------------------------------------

def test_granting_moves_the_referral_deadline(personas, asked, referral):
    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry, data={"note": "同意"})
    referral.refresh_from_db()
    assert referral.due_date == day(14)


def test_granting_moves_the_routed_problems_deadline(personas, asked, referral):
    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry, data={})
    referral.case.refresh_from_db()
    assert timezone.localtime(referral.case.due_at).date() == day(14)


def test_the_ministry_may_grant_another_date(personas, asked, referral):
    done = extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry,
                            data={"due_date": day(10).isoformat(), "note": "给十天"})
    assert (done.state, done.granted_date) == ("granted", day(10))


def test_a_granted_date_before_today_is_refused(personas, asked):
    with pytest.raises(ValidationError):
        extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry,
                         data={"due_date": day(-1).isoformat()})


def test_refusing_needs_a_note(personas, asked):
    with pytest.raises(ValidationError):
        extension_decide(extension_id=asked.pk, decision="refuse", actor=personas.ministry, data={})


def test_refusing_keeps_the_deadline(personas, asked, referral):
    extension_decide(extension_id=asked.pk, decision="refuse", actor=personas.ministry, data={"note": "请按期办结"})
    referral.refresh_from_db()
    assert referral.due_date == asked.old_date


def test_the_department_may_not_decide_its_own_request(personas, asked):
    with pytest.raises(NotPermitted):
        extension_decide(extension_id=asked.pk, decision="grant", actor=personas.dept_mot, data={})


def test_a_decided_request_cannot_be_decided_again(personas, asked):
    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry, data={})
    with pytest.raises(InvalidState):
        extension_decide(extension_id=asked.pk, decision="refuse", actor=personas.ministry, data={"note": "x"})


def test_the_decision_tells_the_department_only(personas, asked):
    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry, data={})
    assert notified("extension-grant") == [personas.dept_mot.pk]


def test_a_refusal_tells_the_department_only(personas, asked):
    extension_decide(extension_id=asked.pk, decision="refuse", actor=personas.ministry, data={"note": "不行"})
    assert notified("extension-refuse") == [personas.dept_mot.pk]


def test_the_timeline_keeps_both_dates(personas, asked, referral):
    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry,
                     data={"due_date": day(10).isoformat()})
    entry = next(e for e in timeline(referral.case.events.all()) if e.event.action == "extension-grant")
    assert entry.details[0] == (f"原时限{asked.old_date.isoformat()}，申请延至{day(14).isoformat()}，"
                                f"批准延至{day(10).isoformat()}")


def test_the_department_reads_the_decision_in_its_timeline(personas, asked, referral):
    from cases.selectors import visible_events

    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry, data={})
    actions = set(visible_events(personas.dept_mot, referral.case, full=False).values_list("action", flat=True))
    assert {"referral-extend", "extension-grant"} <= actions


def test_a_new_request_may_follow_a_decision(personas, asked, referral):
    extension_decide(extension_id=asked.pk, decision="refuse", actor=personas.ministry, data={"note": "不行"})
    again = extension_request(referral_id=referral.pk, actor=personas.dept_mot,
                              data={"reason": "补充理由", "proposed_date": day(12).isoformat()})
    assert again.state == "pending"


# --- a local problem ------------------------------------------------------------------------------------------

def test_a_province_official_asks_to_extend_a_local_problem(local_asked, local_case):
    assert (local_asked.referral_id, local_asked.old_date, local_asked.proposed_date) == (
        None, timezone.localtime(local_case.due_at).date(), day(20))


def test_the_local_request_tells_the_province_lead_only(personas, local_asked):
    assert notified("extend") == [personas.hubei_lead.pk]


def test_the_lead_has_the_local_request_to_decide(personas, local_asked):
    assert list(pending_for(personas.hubei_lead)) == [local_asked]


def test_a_second_local_request_is_409_before_the_body_is_read(personas, local_asked, local_case):
    with pytest.raises(InvalidState):
        perform(case_id=local_case.pk, action="extend", actor=personas.hubei, data={})


def test_a_local_request_must_be_after_the_deadline(personas, local_case):
    with pytest.raises(ValidationError):
        perform(case_id=local_case.pk, action="extend", actor=personas.hubei,
                data={"reason": "x", "proposed_date": timezone.localtime(local_case.due_at).date().isoformat()})


def test_the_ministry_may_not_ask_for_a_local_extension(personas, local_case):
    with pytest.raises(NotPermitted):
        perform(case_id=local_case.pk, action="extend", actor=personas.ministry,
                data={"reason": "x", "proposed_date": day(20).isoformat()})


def test_an_escalated_problem_has_no_local_extension(personas, chain):
    case = case_in("escalated", personas, chain)
    with pytest.raises(InvalidState):
        perform(case_id=case.pk, action="extend", actor=personas.hubei,
                data={"reason": "x", "proposed_date": day(20).isoformat()})


def test_the_lead_grants_a_local_extension(personas, local_asked, local_case):
    extension_decide(extension_id=local_asked.pk, decision="grant", actor=personas.hubei_lead, data={})
    local_case.refresh_from_db()
    assert timezone.localtime(local_case.due_at).date() == day(20)


def test_a_guangdong_lead_cannot_see_a_hubei_request(personas, local_asked):
    with pytest.raises(Http404):
        extension_decide(extension_id=local_asked.pk, decision="grant", actor=personas.guangdong_lead, data={})


def test_the_ministry_does_not_decide_a_local_request(personas, local_asked):
    with pytest.raises(NotPermitted):
        extension_decide(extension_id=local_asked.pk, decision="grant", actor=personas.ministry, data={})


def test_the_official_who_asked_may_not_decide(personas, local_asked):
    with pytest.raises(NotPermitted):
        extension_decide(extension_id=local_asked.pk, decision="grant", actor=personas.hubei, data={})


def test_the_local_decision_tells_the_province_officials_not_the_lead(personas, local_asked):
    extension_decide(extension_id=local_asked.pk, decision="refuse", actor=personas.hubei_lead, data={"note": "否"})
    assert notified("extension-refuse") == [personas.hubei.pk]


def test_a_local_request_is_not_decided_once_the_problem_left_local_handling(personas, local_asked, local_case):
    perform(case_id=local_case.pk, action="submit", actor=personas.hubei, data={})
    with pytest.raises(InvalidState):
        extension_decide(extension_id=local_asked.pk, decision="grant", actor=personas.hubei_lead, data={})


# --- visibility --------------------------------------------------------------------------------------------

def test_a_department_sees_only_its_own_requests(personas, asked, local_asked):
    assert list(Extension.objects.visible_to(personas.dept_mot)) == [asked]


def test_another_department_sees_none(personas, asked):
    assert not Extension.objects.visible_to(personas.dept_mof).exists()


def test_guangdong_sees_no_hubei_request(personas, asked, local_asked):
    assert not Extension.objects.visible_to(personas.guangdong).exists()


def test_the_ministry_sees_all(personas, asked, local_asked):
    assert Extension.objects.visible_to(personas.ministry).count() == 2


# --- API ----------------------------------------------------------------------------------------------------

def test_api_department_extends_its_referral(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/extend/",
                               {"reason": "协调中", "proposed_date": day(9).isoformat()}, format="json")
    assert (response.status_code, response.json()["state"]) == (201, "pending")


def test_api_extend_bad_date_is_400_with_a_message(api_client, personas, referral):
    api_client.force_authenticate(personas.dept_mot)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/extend/",
                               {"reason": "协调中", "proposed_date": "明天"}, format="json")
    assert response.status_code == 400 and "proposed_date" in response.json()


def test_api_second_request_is_409(api_client, personas, asked, referral):
    api_client.force_authenticate(personas.dept_mot)
    response = api_client.post(f"/api/v1/referrals/{referral.pk}/extend/", {}, format="json")
    assert response.status_code == 409


def test_api_local_extend_through_the_case_action(api_client, personas, local_case):
    api_client.force_authenticate(personas.hubei)
    response = api_client.post(f"/api/v1/cases/{local_case.pk}/extend/",
                               {"reason": "设备未到", "proposed_date": day(15).isoformat()}, format="json")
    assert response.status_code == 200 and Extension.objects.filter(case=local_case).count() == 1


def test_api_list_is_scoped(api_client, personas, asked, local_asked):
    api_client.force_authenticate(personas.dept_mot)
    rows = api_client.get("/api/v1/extensions/").json()["results"]
    assert [row["id"] for row in rows] == [asked.pk]


def test_api_grant(api_client, personas, asked):
    api_client.force_authenticate(personas.ministry)
    response = api_client.post(f"/api/v1/extensions/{asked.pk}/grant/", {"note": "同意"}, format="json")
    assert (response.status_code, response.json()["granted_date"]) == (200, day(14).isoformat())


def test_api_refuse_without_note_is_400(api_client, personas, asked):
    api_client.force_authenticate(personas.ministry)
    assert api_client.post(f"/api/v1/extensions/{asked.pk}/refuse/", {}, format="json").status_code == 400


def test_api_refuse_by_the_department_is_403(api_client, personas, asked):
    api_client.force_authenticate(personas.dept_mot)
    assert api_client.post(f"/api/v1/extensions/{asked.pk}/refuse/", {"note": "x"}, format="json").status_code == 403


def test_api_grant_outside_scope_is_404(api_client, personas, asked):
    api_client.force_authenticate(personas.dept_mof)
    assert api_client.post(f"/api/v1/extensions/{asked.pk}/grant/", {}, format="json").status_code == 404


# --- pages --------------------------------------------------------------------------------------------------

def test_page_department_asks_from_its_referral(client, personas, referral):
    client.force_login(personas.dept_mot)
    response = client.post(reverse("cases-referral-extend", args=[referral.pk]),
                           {"reason": "协调中", "proposed_date": day(9).isoformat()})
    assert response.status_code == 302 and Extension.objects.filter(referral=referral).exists()


def test_page_bad_date_answers_400_with_the_message(client, personas, referral):
    client.force_login(personas.dept_mot)
    response = client.post(reverse("cases-referral-extend", args=[referral.pk]), {"reason": "x", "proposed_date": ""})
    assert response.status_code == 400 and "请填写日期" in response.content.decode()


def test_page_ministry_sees_the_pending_request_with_its_forms(client, personas, asked):
    client.force_login(personas.ministry)
    body = client.get(reverse("cases-extensions")).content.decode()
    assert f'data-testid="grant-{asked.pk}"' in body and f'data-testid="refuse-{asked.pk}"' in body


def test_page_ministry_grants(client, personas, asked, referral):
    client.force_login(personas.ministry)
    client.post(reverse("cases-extension-grant", args=[asked.pk]), {"due_date": day(11).isoformat(), "note": ""})
    assert Referral.objects.get(pk=referral.pk).due_date == day(11)


def test_page_problem_shows_the_local_request_to_the_lead(client, personas, local_asked, local_case):
    client.force_login(personas.hubei_lead)
    body = client.get(reverse("cases-detail", args=[local_case.pk])).content.decode()
    assert f'data-testid="grant-{local_asked.pk}"' in body


def test_page_problem_offers_the_extend_form_to_the_province(client, personas, local_case):
    client.force_login(personas.hubei)
    body = client.get(reverse("cases-detail", args=[local_case.pk])).content.decode()
    assert f'action="/cases/{local_case.pk}/extend/"' in body


def test_the_extension_requests_tag_lists_the_deciders_requests(rf, personas, asked):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = personas.ministry
    html = Template("{% load case_tags %}{% extension_requests %}").render(Context({"request": request}))
    assert f'data-testid="grant-{asked.pk}"' in html


def test_api_a_body_that_is_not_an_object_is_400(api_client, personas, asked):
    api_client.force_authenticate(personas.ministry)
    response = api_client.post(f"/api/v1/extensions/{asked.pk}/grant/", [1], format="json")
    assert response.status_code == 400 and Extension.objects.get(pk=asked.pk).state == "pending"
