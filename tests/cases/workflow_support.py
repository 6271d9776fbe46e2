"""Building problems for the workflow tests: always through the services, never by writing states."""

import datetime as dt

from django.utils import timezone

from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category

NEXT_WEEK = (timezone.localdate() + dt.timedelta(days=7)).isoformat()

# The steps that bring a fresh problem to each state: (action, persona, payload)
PATHS = {
    "new": [],
    "local": [("handle-locally", "hubei", {"unit": "武汉市经信局", "person": "李工", "phone": "027-12345678",
                                           "due_date": NEXT_WEEK})],
    "pending_approval": [("submit", "hubei", {})],
    "escalated": [("submit", "hubei", {}), ("approve", "hubei_lead", {})],
    "returned": [("submit", "hubei", {}), ("approve", "hubei_lead", {}),
                 ("return-for-info", "ministry", {"reason": "请补充物流受阻的具体路段"})],
    "accepted": [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {})],
    "tracking": [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {}),
                 ("track", "ministry", {"next_review": NEXT_WEEK})],
    "responded": [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {}),
                  ("respond", "ministry", {"response": "已协调交通运输部开通绿色通道", "closure_type": "solved"})],
    "confirmed": [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {}),
                  ("respond", "ministry", {"response": "已协调", "closure_type": "solved"}),
                  ("confirm", "hubei", {"confirmed_by": "张经理", "method": "电话", "satisfaction": "satisfied"})],
    "closed": [("submit", "hubei", {}), ("approve", "hubei_lead", {}), ("accept", "ministry", {}),
               ("respond", "ministry", {"response": "已协调", "closure_type": "solved"}),
               ("confirm", "hubei", {"confirmed_by": "张经理", "method": "电话", "satisfaction": "satisfied"}),
               ("close", "ministry", {})],
}
ROUTE_MOT = {"referrals": [{"department": "mot", "role": "lead", "due_date": NEXT_WEEK}]}
PATHS["routed"] = [*PATHS["accepted"], ("route", "ministry", ROUTE_MOT)]


def new_case(personas, chain, *, category="logistics", named=True, urgency="normal", title="物流受阻"):
    data = CaseData(
        enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug=category).pk, title=title,
        description="深圳至武汉芯片运输受阻", request="请协调开通运输绿色通道", urgency=urgency,
        named_enterprise_ids=[chain["guangdong_supplier"].pk] if named else [],
    )
    return case_create(actor=personas.hubei, data=data)


def case_in(state, personas, chain, **kwargs):
    case = new_case(personas, chain, **kwargs)
    for action, persona, payload in PATHS[state]:
        case = perform(case_id=case.pk, action=action, actor=getattr(personas, persona), data=payload)
    assert case.state == state
    return case
