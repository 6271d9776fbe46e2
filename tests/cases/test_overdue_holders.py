"""A late problem tells those who hold it (cases/holders.py), not every official of its province: its
经办人, the leads once it is escalated or late by more than a day, the 部专班 for its own work; a routed
problem late on a pending referral is chased as that referral, once."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, Referral
from cases.reminders import CASE_OVERDUE, REFERRAL_OVERDUE
from chainwork.models import Notification, Role
from reports.digest import sweep
from tests.factories import UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def hubei2(personas):
    return UserFactory(username="p-hubei-2", role=Role.PROVINCE, region=region("42"))


def _late(case, hours: float) -> Case:
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=hours))
    return Case.objects.get(pk=case.pk)


def _told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_a_problem_late_by_hours_tells_its_handler_alone(personas, hubei2, make_problem):
    _late(make_problem("local"), hours=3)
    sweep()
    assert _told(CASE_OVERDUE) == {personas.hubei.pk}


def test_a_problem_late_by_more_than_a_day_tells_the_leads_too(personas, hubei2, make_problem):
    _late(make_problem("local"), hours=30)
    sweep()
    assert _told(CASE_OVERDUE) == {personas.hubei.pk, personas.hubei_lead.pk}


def test_an_escalated_problem_late_tells_the_ministry_the_handler_and_the_leads(personas, hubei2, make_problem):
    _late(make_problem("escalated"), hours=3)
    sweep()
    assert _told(CASE_OVERDUE) == {personas.ministry.pk, personas.hubei.pk, personas.hubei_lead.pk}


def test_a_late_problem_waiting_for_approval_tells_the_leads(personas, hubei2, make_problem):
    _late(make_problem("pending_approval"), hours=3)
    sweep()
    assert _told(CASE_OVERDUE) == {personas.hubei_lead.pk}


def test_a_routed_problem_late_on_its_referral_is_chased_as_the_referral_only(personas, make_problem):
    case = _late(make_problem("routed"), hours=30)
    Referral.objects.filter(case=case).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    sweep()
    assert (_told(CASE_OVERDUE), _told(REFERRAL_OVERDUE)) == (set(), {personas.dept_mot.pk, personas.ministry.pk})


def test_a_second_sweep_tells_nobody_again(personas, hubei2, make_problem):
    _late(make_problem("local"), hours=30)
    sweep()
    sweep()
    assert Notification.objects.filter(kind=CASE_OVERDUE).count() == 2
