"""Problems for the 问题台账 tests, each brought to its state the way users do it: registered with
cases.services.case_create and moved on with cases.workflow.perform — never by writing the state."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


LOCAL = [("hubei", "handle-locally", {"unit": "武汉市经济和信息化局", "person": "李明", "phone": "027-66668888",
                                      "due_date": _in_days(5)})]
ESCALATED = [("hubei", "submit", {}), ("hubei_lead", "approve", {})]
RESPONDED = [*LOCAL, ("hubei", "respond", {"response": "已协调恢复供货", "closure_type": "solved"})]
CONFIRMED = [*RESPONDED, ("hubei", "confirm", {"confirmed_by": "王经理", "method": "电话",
                                               "satisfaction": "satisfied"})]

PATHS = {
    "new": [],
    "local": LOCAL,
    "pending_approval": [("hubei", "submit", {})],
    "escalated": ESCALATED,
    "returned": [*ESCALATED, ("ministry", "return-for-info", {"reason": "请补充供货合同"})],
    "accepted": [*ESCALATED, ("ministry", "accept", {})],
    "routed": [*ESCALATED, ("ministry", "accept", {}),
               ("ministry", "route", {"referrals": [{"department": "mot", "role": "lead", "due_date": _in_days(5)}]})],
    "tracking": [*LOCAL, ("hubei", "track", {"next_review": _in_days(7)})],
    "responded": RESPONDED,
    "confirmed": CONFIRMED,
    "closed": [*CONFIRMED, ("hubei_lead", "close", {})],
}

DESCRIPTION = "深圳鹏城芯片封装有限公司停产，光芯片封装库存仅够三天，影响整机交付。"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded attachments go to a temporary directory, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def make_problem(personas, chain):
    """make_problem("escalated") → a Hubei problem of the lead enterprise naming the Guangdong supplier."""

    def make(state: str = "new", *, title: str = "核心供应商停产导致光芯片断供", reporter=None, enterprise=None,
             named=None, category: str = "supply-chain"):
        data = CaseData(
            enterprise_id=(enterprise or chain["lead"]).pk,
            category_id=Category.objects.get(slug=category).pk,
            title=title, description=DESCRIPTION, request="请协调广东方面尽快恢复封装产能。",
            named_enterprise_ids=[e.pk for e in named] if named is not None else [chain["guangdong_supplier"].pk],
        )
        case = case_create(actor=reporter or personas.hubei, data=data)
        for persona, action, payload in PATHS[state]:
            case = perform(case_id=case.pk, action=action, actor=getattr(personas, persona), data=payload)
        return case

    return make


@pytest.fixture
def problem(make_problem):
    return make_problem("new")


@pytest.fixture
def hubei_problems(make_problem):
    """A Hubei problem in each state the workflow can reach today."""
    return {state: make_problem(state, title=f"问题-{state}") for state in PATHS}


@pytest.fixture
def guangdong_problem(personas, chain):
    data = CaseData(enterprise_id=chain["guangdong_lead"].pk, category_id=Category.objects.get(slug="labour").pk,
                    title="广州纺织用工缺口", description="缺工三百人。", request="请协助招工。")
    return case_create(actor=personas.guangdong, data=data)


@pytest.fixture
def shared_with_guangdong(problem, personas):
    """The Hubei problem after the 部专班 asked Guangdong for help (协办)."""
    return perform(case_id=problem.pk, action="share", actor=personas.ministry,
                   data={"region": "44", "note": "请广东协调封装厂尽快复产"})
