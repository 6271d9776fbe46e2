"""Every hand-over tells the party that acts next — exactly one notice each, in-app and through the
channels they chose — and never the actor (issue 19, "Who is told"). Driven through the API and, for the
main ones, through the pages; the notices come from cases.tasks.notify_case_event, called directly
(on_commit callbacks do not run inside test transactions)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent, Referral
from cases.tasks import notify_case_event
from cases.workflow import perform
from chainwork.channels import deliver_notification
from chainwork.models import Notification, NotificationDelivery, Role
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def others(personas):
    """A second 经办人 of Hubei who does not hold the problem, and a second 部专班 member."""
    return {"hubei2": UserFactory(username="p-hubei-2", role=Role.PROVINCE, region=region("42")),
            "ministry2": UserFactory(username="p-ministry-2", role=Role.MINISTRY, region=None)}


def _notified(case: Case) -> dict[int, int]:
    """Deliver the notices of the problem's latest event; answer {user id: notices of that event}."""
    event = case.events.order_by("-pk").first()
    notify_case_event(event.pk)
    counts: dict[int, int] = {}
    for user_id in Notification.objects.filter(case_event_id=event.pk).values_list("user_id", flat=True):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def _post(api_client, user, path, body):
    api_client.force_authenticate(user)
    answer = api_client.post(path, body, format="json")
    assert answer.status_code == 200, answer.content
    return answer


def _act(api_client, user, case, action, body=None):
    _post(api_client, user, f"/api/v1/cases/{case.pk}/{action}/", body or {})
    return Case.objects.get(pk=case.pk)


def _ids(personas, others, *names):
    people = {**vars(personas), **others}
    return {people[name].pk: 1 for name in names}


# --- one row per hand-over: (state before, actor, action, body, who must hear of it) ---------------------

ROUTE = {"referrals": [{"department": "mot", "role": "lead", "due_date": _in_days(5)}]}

HANDOVERS = [
    ("new", "hubei", "submit", {}, ("hubei_lead",)),
    ("pending_approval", "hubei_lead", "approve", {}, ("ministry", "ministry2", "ministry_liaison", "hubei")),
    ("escalated", "ministry", "accept", {}, ("hubei", "hubei_lead")),
    ("escalated", "ministry", "return-for-info", {"reason": "请补充合同"}, ("hubei", "hubei_lead")),
    ("accepted", "ministry", "return-local", {"reason": "属地可以解决"}, ("hubei", "hubei_lead")),
    ("accepted", "ministry", "route", ROUTE, ("hubei", "hubei_lead", "dept_mot")),
    ("accepted", "ministry", "respond", {"response": "已协调", "closure_type": "solved"}, ("hubei", "hubei_lead")),
    ("escalated", "hubei_lead", "withdraw", {"reason": "已自行解决"}, ("ministry", "ministry2")),
    ("accepted", "ministry", "instruct", {"text": "请三日内解决", "due_date": _in_days(3)},
     ("hubei", "hubei_lead", "ministry2")),
    ("accepted", "ministry_liaison", "flag", {"note": "企业反映强烈"}, ("ministry", "ministry2")),
]


@pytest.mark.parametrize(("state", "actor", "action", "body", "told"), HANDOVERS,
                         ids=[row[2] for row in HANDOVERS])
def test_each_handover_tells_once_each_party_that_acts(api_client, personas, others, make_problem, state, actor,
                                                     action, body, told):
    case = make_problem(state)
    case = _act(api_client, getattr(personas, actor), case, action, body)
    assert _notified(case) == _ids(personas, others, *told)


@pytest.mark.parametrize(("state", "actor", "action", "body", "told"), HANDOVERS,
                         ids=[row[2] for row in HANDOVERS])
def test_no_handover_tells_the_actor(api_client, personas, others, make_problem, state, actor, action, body, told):
    case = _act(api_client, getattr(personas, actor), make_problem(state), action, body)
    assert getattr(personas, actor).pk not in _notified(case)


def test_a_handover_is_not_told_to_a_hubei_official_who_does_not_hold_the_problem(api_client, personas, others,
                                                                                make_problem):
    case = _act(api_client, personas.ministry, make_problem("escalated"), "accept")
    assert others["hubei2"].pk not in _notified(case)


def test_a_problem_nobody_has_taken_up_tells_the_whole_work_group(api_client, personas, others, make_problem):
    case = make_problem("escalated")
    Case.objects.filter(pk=case.pk).update(handler=None)
    case = _act(api_client, personas.ministry, case, "accept")
    assert _notified(case) == _ids(personas, others, "hubei", "hubei2", "hubei_lead")


def test_the_official_who_moves_a_problem_takes_it_up(api_client, personas, others, make_problem):
    case = _act(api_client, others["hubei2"], make_problem("new"), "submit")
    assert case.handler_id == others["hubei2"].pk


def test_a_lead_approving_does_not_become_its_handler(api_client, personas, make_problem):
    case = _act(api_client, personas.hubei_lead, make_problem("pending_approval"), "approve")
    assert case.handler_id == personas.hubei.pk


# --- the referral side: 转办, 催办, 督办, a department's answer, 代录 ---------------------------------------

@pytest.fixture
def routed(make_problem):
    case = make_problem("routed")
    return case, case.referrals.get()


def test_urging_a_referral_tells_the_department_and_the_province(api_client, personas, others, routed):
    case, referral = routed
    case = _act(api_client, personas.ministry, case, "urge", {"note": "请加快", "referral": referral.pk})
    assert _notified(case) == _ids(personas, others, "hubei", "hubei_lead", "dept_mot")


def test_supervising_a_referral_tells_the_department_and_the_province(api_client, personas, others, routed):
    case, referral = routed
    case = _act(api_client, personas.ministry, case, "supervise",
                {"level": "supervise", "due_date": _in_days(2), "note": "督办", "referral": referral.pk})
    assert _notified(case) == _ids(personas, others, "hubei", "hubei_lead", "dept_mot")


def test_a_departments_answer_tells_the_ministry(api_client, personas, others, routed):
    case, referral = routed
    _post(api_client, personas.dept_mot, f"/api/v1/referrals/{referral.pk}/respond/", {"response": "已协调"})
    assert _notified(case) == _ids(personas, others, "ministry", "ministry2")


def test_a_departments_send_back_tells_the_ministry(api_client, personas, others, routed):
    case, referral = routed
    _post(api_client, personas.dept_mot, f"/api/v1/referrals/{referral.pk}/send-back/", {"reason": "非本部门职责"})
    assert _notified(case) == _ids(personas, others, "ministry", "ministry2")


def test_an_answer_recorded_for_a_department_tells_it_and_the_rest_of_the_ministry(api_client, personas, others,
                                                                                   routed):
    case, referral = routed
    _post(api_client, personas.ministry, f"/api/v1/referrals/{referral.pk}/respond/",
          {"response": "电话反馈已协调", "source": "phone"})
    assert _notified(case) == _ids(personas, others, "ministry2", "dept_mot")


def test_closing_an_escalated_problem_tells_the_province(api_client, personas, others, make_problem):
    case = make_problem("routed")
    for actor, action, body in [("ministry", "respond", {"response": "已解决", "closure_type": "solved"}),
                                ("hubei", "confirm", {"confirmed_by": "王经理", "method": "电话",
                                                      "satisfaction": "satisfied"})]:
        perform(case_id=case.pk, action=action, actor=getattr(personas, actor), data=body)
    case = _act(api_client, personas.ministry, case, "close")
    assert _notified(case) == _ids(personas, others, "hubei", "hubei_lead")


# --- the channels: e-mail rows for those who must act, none for the actor ----------------------------------

def test_a_handover_writes_an_email_delivery_for_each_person_told(api_client, personas, others, routed):
    case, referral = routed
    _post(api_client, personas.dept_mot, f"/api/v1/referrals/{referral.pk}/respond/", {"response": "已协调"})
    _notified(case)
    event = case.events.order_by("-pk").first()
    emailed = set(NotificationDelivery.objects.filter(notification__case_event_id=event.pk, channel="email")
                  .values_list("notification__user_id", flat=True))
    assert emailed == {personas.ministry.pk, others["ministry2"].pk}


def test_a_handover_sends_the_email_through_the_outbox(api_client, personas, others, routed, mailoutbox):
    case, referral = routed
    for user in (personas.hubei, personas.hubei_lead, personas.dept_mot):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    case = _act(api_client, personas.ministry, case, "urge", {"note": "请加快", "referral": referral.pk})
    _notified(case)
    event = case.events.order_by("-pk").first()
    for delivery in NotificationDelivery.objects.filter(notification__case_event_id=event.pk, channel="email"):
        deliver_notification(delivery.notification_id, "email")
    assert sorted(m.to[0] for m in mailoutbox) == ["p-dept-mot@example.gov.cn", "p-hubei-lead@example.gov.cn",
                                                   "p-hubei@example.gov.cn"]


def test_running_a_handovers_notices_twice_tells_nobody_twice(api_client, personas, others, make_problem):
    case = _act(api_client, personas.ministry, make_problem("escalated"), "accept")
    _notified(case)
    assert _notified(case) == _ids(personas, others, "hubei", "hubei_lead")


# --- through the pages ------------------------------------------------------------------------------------

def test_routing_through_the_page_tells_the_department(client_for, personas, others, make_problem):
    case = make_problem("accepted")
    answer = client_for(personas.ministry).post(
        reverse("cases-action", args=[case.pk, "route"]),
        {"department_1": "mot", "role_1": "lead", "due_date_1": _in_days(5), "note": "", "version": case.version})
    assert answer.status_code == 302
    assert _notified(case) == _ids(personas, others, "hubei", "hubei_lead", "dept_mot")


def test_answering_through_the_page_tells_the_ministry(client_for, personas, others, routed):
    case, referral = routed
    answer = client_for(personas.dept_mot).post(reverse("cases-referral-respond", args=[referral.pk]),
                                                {"response": "已协调恢复运输"})
    assert answer.status_code == 302
    assert _notified(case) == _ids(personas, others, "ministry", "ministry2")


def test_accepting_through_the_page_tells_the_province(client_for, personas, others, make_problem):
    case = make_problem("escalated")
    client_for(personas.ministry).post(reverse("cases-action", args=[case.pk, "accept"]),
                                       {"note": "", "version": case.version})
    assert CaseEvent.objects.filter(case=case, action="accept").exists()
    assert _notified(case) == _ids(personas, others, "hubei", "hubei_lead")


# --- the light follows whose turn it is ---------------------------------------------------------------------

def test_a_referral_answered_in_time_leaves_the_problem_on_the_ministrys_own_clock(api_client, personas, routed):
    case, referral = routed
    Referral.objects.filter(pk=referral.pk).update(due_date=timezone.localdate())
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    _post(api_client, personas.dept_mot, f"/api/v1/referrals/{referral.pk}/respond/", {"response": "已协调"})
    case.refresh_from_db()
    assert case.due_at > timezone.now()


def test_a_problem_keeps_the_next_pending_referrals_deadline(api_client, personas, make_problem):
    case = make_problem("routed")
    perform(case_id=case.pk, action="route", actor=personas.ministry,
            data={"referrals": [{"department": "mof", "role": "assist", "due_date": _in_days(2)}]})
    mot = case.referrals.get(department__slug="mot")
    _post(api_client, personas.dept_mof, f"/api/v1/referrals/{case.referrals.get(department__slug='mof').pk}/respond/",
          {"response": "已落实资金"})
    case.refresh_from_db()
    assert timezone.localtime(case.due_at).date() == mot.due_date


def test_a_problem_waiting_for_the_enterprise_shows_that_wait(api_client, personas, routed):
    case, referral = routed
    Referral.objects.filter(pk=referral.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    case = _act(api_client, personas.ministry, case, "respond", {"response": "已协调", "closure_type": "solved"})
    assert case.state == "responded" and case.due_at > timezone.now()
