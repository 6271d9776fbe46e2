"""议定事项到期: reminded to its owner when due, once (claimed), and lit 正常/临期/超期 like a referral."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.deadlines import Light
from chainwork.models import Notification
from meetings.selectors import decision_light
from reports.digest import sweep
from tests.meetings.conftest import decide

pytestmark = pytest.mark.django_db
MOT = {"kind": "department", "department": "mot"}


def test_a_decision_due_is_reminded_to_its_owner(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT, days=1)
    sweep(now=timezone.now() + dt.timedelta(days=1))
    assert Notification.objects.filter(user=personas.dept_mot, kind="decision_due").count() == 1
    assert decision.pk


def test_a_second_sweep_reminds_nobody_again(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, days=1)
    later = timezone.now() + dt.timedelta(days=1)
    sweep(now=later)
    counts = sweep(now=later)
    assert counts["decision_due"] == 0


def test_a_decision_not_due_is_not_reminded(personas, meeting, routed):
    decide(meeting, personas.ministry, routed, MOT, days=5)
    assert sweep()["decision_due"] == 0


def test_a_done_decision_is_not_reminded(personas, meeting, routed):
    from meetings.services import decision_done

    decision = decide(meeting, personas.ministry, routed, MOT, days=1)
    decision_done(decision_id=decision.pk, actor=personas.dept_mot, data={"note": "已落实"})
    assert sweep(now=timezone.now() + dt.timedelta(days=2))["decision_due"] == 0


def test_an_open_decision_past_its_deadline_is_lit_red(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT, days=1)
    assert decision_light(decision, now=timezone.now() + dt.timedelta(days=3)) == Light.RED


def test_an_open_decision_due_within_a_day_is_lit_yellow(personas, meeting, routed):
    decision = decide(meeting, personas.ministry, routed, MOT, days=0)
    assert decision_light(decision) == Light.YELLOW
