import pytest

from reports.workbench import todos_for
from tests.cases.workflow_support import case_in

pytestmark = pytest.mark.django_db


def figure(user, key):
    return next(todo.count for todo in todos_for(user) if todo.key == key)


def test_the_lead_sees_a_problem_waiting_for_approval(personas, chain):
    case_in("pending_approval", personas, chain)
    assert figure(personas.hubei_lead, "approve") == 1


def test_the_ministry_sees_an_escalation_waiting_for_acceptance(personas, chain):
    case_in("escalated", personas, chain)
    assert figure(personas.ministry, "accept") == 1


def test_a_guangdong_official_does_not_count_hubei_problems(personas, chain):
    case_in("new", personas, chain)
    assert figure(personas.guangdong, "triage") == 0


def test_the_province_counts_its_blocked_enterprises(personas, chain):
    chain["lead"].status = "no"
    chain["lead"].save()
    assert figure(personas.hubei, "blocked") == 1


def test_the_home_page_shows_the_figures(client_for, personas, chain):
    case_in("new", personas, chain)
    html = client_for(personas.hubei).get("/").content.decode()
    assert 'data-testid="todos"' in html and 'data-testid="count-triage"' in html


def test_the_department_sees_its_pending_referral(personas, chain):
    from cases.workflow import perform
    from tests.cases.workflow_support import ROUTE_MOT

    case = case_in("accepted", personas, chain)
    perform(case_id=case.pk, action="route", actor=personas.ministry, data=ROUTE_MOT)
    assert figure(personas.dept_mot, "referral") == 1
