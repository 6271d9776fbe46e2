import datetime as dt

import pytest
from django.utils import timezone

from cases.workflow import perform
from meetings import services
from tests.cases.workflow_support import ROUTE_MOT, case_in


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def escalated(personas, chain):
    """A Hubei problem escalated to the 部专班 (newly escalated: on the national agenda proposal)."""
    return case_in("escalated", personas, chain, title="跨省物流受阻")


@pytest.fixture
def routed(personas, chain):
    case = case_in("accepted", personas, chain, title="港口滞留待协调")
    return perform(case_id=case.pk, action="route", actor=personas.ministry, data=ROUTE_MOT)


@pytest.fixture
def meeting(personas):
    """Today's national 调度会, with 交通运输部 and 湖北 taking part."""
    return services.consultation_create(actor=personas.ministry, data={
        "kind": "dispatch", "starts_at": timezone.now().isoformat(), "chair": "部专班负责同志",
        "participants": [{"kind": "ministry"}, {"kind": "department", "department": "mot"},
                         {"kind": "region", "region": "42"}]})


@pytest.fixture
def guangdong_meeting(personas):
    return services.consultation_create(actor=personas.guangdong_lead, data={
        "kind": "video", "starts_at": timezone.now().isoformat(), "chair": "广东省专班负责同志"})


def decide(meeting, actor, case, owner, *, days=3, text="协调恢复运输"):
    return services.decision_record(consultation_id=meeting.pk, actor=actor, data={
        "text": text, "owner": owner, "due_date": in_days(days), "case": case.pk if case else None})
