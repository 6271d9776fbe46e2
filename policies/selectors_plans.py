"""Reads of 应对预案, 政策储备 and 一企一策 for pages, API, exports and the report — scoped at the source,
joins declared, so a page of 50 costs what a page of 5 does."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.models import Case
from chainwork.scope import regions_in, scope_for
from enterprises import exposure
from enterprises.models import CountrySituation, Enterprise
from policies.models import (
    MEASURE_OPEN_STATES,
    MeasureState,
    PolicyReserve,
    ResponsePlan,
    ServiceMeasure,
    ServicePlan,
)


def response_plan_list(user) -> QuerySet[ResponsePlan]:
    return (ResponsePlan.objects.visible_to(user)
            .select_related("lead", "lead__list_region", "chain")
            .annotate(countries=StringAgg("situations__country", "、", distinct=True, default=""))
            .order_by("-updated_at", "-pk"))


def response_plan_detail(user) -> QuerySet[ResponsePlan]:
    return (ResponsePlan.objects.visible_to(user).select_related("lead", "lead__list_region", "chain", "recorded_by")
            .prefetch_related("situations", Prefetch("alternatives",
                                                     Enterprise.objects.select_related("region"))))


def policy_reserve_list(user) -> QuerySet[PolicyReserve]:
    return (PolicyReserve.objects.visible_to(user).select_related("policy")
            .annotate(chain_names=StringAgg("chains__name", "、", distinct=True, default=""),
                      countries=StringAgg("situations__country", "、", distinct=True, default=""))
            .order_by("-updated_at", "-pk"))


def policy_reserve_detail(user) -> QuerySet[PolicyReserve]:
    return (PolicyReserve.objects.visible_to(user).select_related("policy", "recorded_by")
            .prefetch_related("chains", "situations"))


def _measure_counts():
    today = timezone.localdate()
    return {
        "measure_count": Count("measures", distinct=True),
        "done_count": Count("measures", filter=Q(measures__state=MeasureState.DONE), distinct=True),
        "overdue_count": Count("measures", filter=Q(measures__state__in=MEASURE_OPEN_STATES,
                                                    measures__deadline__lt=today), distinct=True),
        "due_count": Count("measures", filter=Q(measures__state__in=MEASURE_OPEN_STATES,
                                                measures__deadline__gte=today), distinct=True),
        "next_deadline": Max("measures__deadline", filter=Q(measures__state__in=MEASURE_OPEN_STATES)),
    }


def service_plan_list(user) -> QuerySet[ServicePlan]:
    return (ServicePlan.objects.visible_to(user).select_related("lead", "lead__list_region")
            .annotate(**_measure_counts()).order_by("-updated_at", "-pk"))


def service_plan_detail(user) -> QuerySet[ServicePlan]:
    return (ServicePlan.objects.visible_to(user).select_related("lead", "lead__list_region", "recorded_by")
            # Only the problems the viewer may open: a plan may link one another viewer cannot see.
            .prefetch_related("measures", "policies",
                              Prefetch("cases", Case.objects.visible_to(user).order_by("-created_at"))))


@dataclass
class RegionRow:
    code: str
    name: str
    leads: int
    plans: int
    measures: int
    done: int
    due: int
    overdue: int


def service_plan_report(user) -> list[RegionRow]:
    """Per province (the user's scope): its leads, those with a 一企一策, and their measures done, due and
    overdue — two grouped queries, whatever the number of provinces."""
    scope = scope_for(user)
    today = timezone.localdate()
    regions = regions_in(scope)
    leads = dict(Enterprise.objects.visible_to(user).filter(is_lead=True, list_region__isnull=False)
                 .values_list("list_region").annotate(n=Count("pk")).values_list("list_region", "n"))
    plans = {row["lead__list_region"]: row for row in ServicePlan.objects.visible_to(user)
             .values("lead__list_region").annotate(
                 plans=Count("pk", distinct=True),
                 measure_total=Count("measures", distinct=True),
                 done=Count("measures", filter=Q(measures__state=MeasureState.DONE), distinct=True),
                 due=Count("measures", filter=Q(measures__state__in=MEASURE_OPEN_STATES,
                                                measures__deadline__gte=today), distinct=True),
                 overdue=Count("measures", filter=Q(measures__state__in=MEASURE_OPEN_STATES,
                                                    measures__deadline__lt=today), distinct=True))}
    rows = []
    for region in regions:
        found = plans.get(region.code, {})
        if not leads.get(region.code) and not found:
            continue
        rows.append(RegionRow(region.code, region.name, leads.get(region.code, 0), found.get("plans", 0),
                              found.get("measure_total", 0), found.get("done", 0), found.get("due", 0),
                              found.get("overdue", 0)))
    return rows


def overdue_measures(user) -> QuerySet[ServiceMeasure]:
    return (ServiceMeasure.objects.filter(plan__in=ServicePlan.objects.visible_to(user).values("pk"),
                                          state__in=MEASURE_OPEN_STATES, deadline__lt=timezone.localdate())
            .select_related("plan__lead").order_by("deadline", "pk"))


def suggested_alternatives(user, *, lead=None, chain=None, situations=None) -> list[exposure.Party]:
    """The domestic suppliers exposure.py found for the products the lead (or the chain's leads) draws
    from the countries in lockdown — the situations given, or those in force today (at most five)."""
    if situations is None:
        situations = list(CountrySituation.objects.in_force(timezone.localdate())[:5])
    found: dict[int, exposure.Party] = {}
    for situation in situations:
        for exposed in exposure.exposure_view(situation, user).leads:
            answers = (lead is not None and exposed.lead.id == lead.pk) \
                or (chain is not None and chain.name in exposed.chains)
            if answers:
                for parties in exposed.alternatives.values():
                    for party in parties:
                        found.setdefault(party.id, party)
    if lead is not None:
        found.pop(lead.pk, None)
    return list(found.values())
