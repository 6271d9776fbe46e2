"""融资跟进到期 in the reminder sweep: reminded like contacts, once per need, state and date."""

import datetime as dt

import pytest
from django.utils import timezone

from chainwork.models import Notification
from policies.models import FinancingNeed
from policies.services import financing_need_step
from reports.digest import sweep
from tests.policies.conftest import make_need

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def due(need, days_ago: int) -> None:
    FinancingNeed.objects.filter(pk=need.pk).update(next_follow_up=TODAY - dt.timedelta(days=days_ago))


def reminders(user):
    return Notification.objects.filter(user=user, kind="financing_follow_up")


def test_an_overdue_follow_up_reminds_the_recorder(personas, hubei_supplier):
    due(make_need(hubei_supplier, by=personas.hubei), 2)
    sweep()
    assert reminders(personas.hubei).get().title.endswith("已超过跟进日期2天")


def test_a_follow_up_not_yet_due_reminds_nobody(personas, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei)
    sweep()
    assert not reminders(personas.hubei).exists()


def test_a_second_sweep_claims_nothing(personas, hubei_supplier):
    due(make_need(hubei_supplier, by=personas.hubei), 1)
    sweep()
    assert sweep()["financing_follow_up"] == 0 and reminders(personas.hubei).count() == 1


def test_a_closed_need_is_not_followed_up(personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    financing_need_step(actor=personas.hubei, need_id=need.pk, step="refuse", reason="不符合授信条件")
    FinancingNeed.objects.filter(pk=need.pk).update(next_follow_up=TODAY - dt.timedelta(days=3))
    sweep()
    assert not reminders(personas.hubei).exists()


def test_the_work_group_follows_up_when_the_recorder_left(personas, hubei_supplier):
    due(make_need(hubei_supplier, by=personas.hubei), 1)
    personas.hubei.is_active = False
    personas.hubei.save()
    sweep()
    assert reminders(personas.hubei_lead).count() == 1
