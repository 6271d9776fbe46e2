"""Factories of 应对预案, 政策储备 and 一企一策 for the tests (written straight to the database: the services
are what the tests exercise)."""

import datetime as dt

from django.utils import timezone

from enterprises.models import CountrySituation, IndustryChain, IndustryChainLead
from policies.models import PolicyReserve, ResponsePlan, ServiceMeasure, ServicePlan

TODAY = timezone.localdate()


def auto_chain(*leads) -> IndustryChain:
    chain, _created = IndustryChain.objects.get_or_create(slug="auto", defaults={"name": "汽车"})
    for lead in leads:
        IndustryChainLead.objects.get_or_create(chain=chain, enterprise=lead)
    return chain


def situation(country="德国") -> CountrySituation:
    return CountrySituation.objects.create(country=country, kind="lockdown", severity="high",
                                           started_on=TODAY - dt.timedelta(days=3), source="通报")


def make_plan(*, by, lead=None, chain=None, state="draft", title="应对预案", situations=()) -> ResponsePlan:
    plan = ResponsePlan.objects.create(title=title, lead=lead, chain=chain, actions="启用国内替代\n增加库存",
                                       owner_unit="武汉市经信局", state=state, recorded_by=by)
    plan.situations.set(situations)
    return plan


def make_reserve(*, by, state="studying", title="首台套保险补偿", **extra) -> PolicyReserve:
    return PolicyReserve.objects.create(title=title, summary="建议内容", proposing_unit="装备工业一司", state=state,
                                        recorded_by=by, **extra)


def make_service_plan(lead, *, by, measures=()) -> ServicePlan:
    plan = ServicePlan.objects.create(lead=lead, contact_unit="武汉市经信局", recorded_by=by)
    for n, (days, state) in enumerate(measures, start=1):
        ServiceMeasure.objects.create(plan=plan, text=f"措施{n}", responsible_unit="市经信局",
                                      deadline=TODAY + dt.timedelta(days=days), state=state,
                                      done_on=TODAY if state == "done" else None, order=n)
    return plan
