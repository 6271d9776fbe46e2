"""Helpers for the problem and notification API tests (imported explicitly; not a conftest).

Problems are built through the services — `case_create` and `workflow.perform` — never by writing states.
"""

import datetime as dt

from django.utils import timezone

from cases.models import Case
from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, SupplyLinkFactory, region

CASES = "/api/v1/cases/"
NOTIFICATIONS = "/api/v1/notifications/"

NEXT_WEEK = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
LOCAL_HANDLING = {"unit": "武汉市经信局", "person": "李工", "phone": "027-12345678", "due_date": NEXT_WEEK}
RESPONSE = {"response": "已协调交通运输部开通绿色通道", "closure_type": "solved"}
SATISFIED = {"confirmed_by": "张经理", "method": "电话", "satisfaction": "satisfied"}
DISSATISFIED = {**SATISFIED, "satisfaction": "dissatisfied"}

# The steps that bring a fresh Hubei problem to each state: (action, persona, body).
ESCALATION = [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {}),
              ("respond", "ministry", RESPONSE), ("confirm", "hubei", SATISFIED), ("close", "ministry", {})]
LOCAL = [("handle-locally", "hubei", LOCAL_HANDLING), ("respond", "hubei", RESPONSE), ("confirm", "hubei", SATISFIED),
         ("close", "hubei_lead", {})]
PATHS = {
    "new": [],
    "pending_approval": ESCALATION[:1],
    "escalated": ESCALATION[:2],
    "accepted": ESCALATION[:3],
    "responded": ESCALATION[:4],
    "confirmed": ESCALATION[:5],
    "closed": ESCALATION,
    "local": LOCAL[:1],
    "local_responded": LOCAL[:2],
    "local_confirmed": LOCAL[:3],
    "local_closed": LOCAL,
}


def make_chain() -> dict:
    """A Hubei lead with a Guangdong core supplier and a German supplier; a Guangdong and a Zhejiang lead."""
    lead = EnterpriseFactory(name="东湖光电科技集团有限公司", is_lead=True, contact_name="王总",
                             contact_phone="027-88880000")
    guangdong_supplier = EnterpriseFactory(name="深圳鹏城芯片封装有限公司", region=region("44"),
                                           contact_phone="0755-12345678")
    german_supplier = AbroadEnterpriseFactory(name="Rheinland Maschinenbau GmbH")
    guangdong_lead = EnterpriseFactory(name="广州珠江纺织服装股份有限公司", region=region("44"), is_lead=True)
    zhejiang_lead = EnterpriseFactory(name="宁波港城化工有限公司", region=region("33"), is_lead=True)
    SupplyLinkFactory(lead=lead, partner=guangdong_supplier, single_source=True)
    SupplyLinkFactory(lead=lead, partner=german_supplier, criticality="important")
    return {"lead": lead, "guangdong_supplier": guangdong_supplier, "german_supplier": german_supplier,
            "guangdong_lead": guangdong_lead, "zhejiang_lead": zhejiang_lead}


def new_case(actor, enterprise, *, named=(), title="芯片运输受阻", category="logistics") -> Case:
    data = CaseData(
        enterprise_id=enterprise.pk, category_id=Category.objects.get(slug=category).pk, title=title,
        description="深圳至武汉芯片运输受阻，库存仅够三天", request="请协调开通运输绿色通道",
        named_enterprise_ids=[e.pk for e in named],
    )
    return case_create(actor=actor, data=data)


def hubei_case(personas, chain, state="new", **kwargs) -> Case:
    """A problem of the Hubei lead naming its Guangdong supplier, brought to `state` step by step."""
    case = new_case(personas.hubei, chain["lead"], named=[chain["guangdong_supplier"]], **kwargs)
    for action, persona, body in PATHS[state]:
        case = perform(case_id=case.pk, action=action, actor=getattr(personas, persona), data=body)
    return case


def act(case, action, actor, body=None) -> Case:
    """Take an action through the service (arranging a test, not the thing under test)."""
    return perform(case_id=case.pk, action=action, actor=actor, data=body or {})


def url(case, action=None) -> str:
    return f"{CASES}{case.pk}/" + (f"{action}/" if action else "")


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}
