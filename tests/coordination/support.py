"""Problems referred to departments for the coordination tests, built through the services only."""

import datetime as dt

from django.utils import timezone

from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category, Role
from tests.cases.workflow_support import case_in
from tests.factories import UserFactory, region


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


MOT_LEAD_MOF_ASSIST = [{"department": "mot", "role": "lead", "due_date": in_days(7)},
                       {"department": "mof", "role": "assist", "due_date": in_days(10)}]


def route(personas, case, referrals=None):
    return perform(case_id=case.pk, action="route", actor=personas.ministry,
                   data={"referrals": referrals or MOT_LEAD_MOF_ASSIST})


def routed(personas, chain, referrals=None, **kwargs):
    """A Hubei problem routed to 交通运输部 (主办) and 财政部 (协办)."""
    return route(personas, case_in("accepted", personas, chain, **kwargs), referrals)


def routed_zhejiang(personas, chain, referrals=None):
    """A Zhejiang problem (outside the ministry liaison's regions) routed the same way."""
    lead = UserFactory(username="p-zhejiang-lead", role=Role.PROVINCE_LEAD, region=region("33"))
    data = CaseData(enterprise_id=chain["zhejiang"].pk, category_id=Category.objects.get(slug="logistics").pk,
                    title="宁波港危化品运输受阻", description="运输许可未续", request="请协调运输许可")
    case = case_create(actor=personas.zhejiang, data=data)
    for action, actor in (("submit", personas.zhejiang), ("approve", lead), ("accept", personas.ministry)):
        case = perform(case_id=case.pk, action=action, actor=actor, data={})
    return route(personas, case, referrals)


def referral_of(case, slug="mot"):
    return case.referrals.get(department__slug=slug)
