"""What `make bench` measures: one URL per endpoint, read as the persona who uses it.

URLs are chosen from the loaded data (a Hubei problem with a long timeline, a lead with its chain), so
the same command measures the same kind of page at `small` and at `w1`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    user: str  # demo username
    path: str
    api: bool = False  # authenticated by token instead of the session
    target_ms: int = 150


def endpoints() -> list[Endpoint]:
    from cases.models import Case
    from enterprises.models import CountrySituation, Enterprise, IndustryChain
    from meetings.models import Consultation

    problem = (Case.objects.filter(region_id="42").annotate(n=Count("events")).order_by("-n", "pk")
               .values_list("pk", flat=True).first())
    lead = (Enterprise.objects.filter(list_region_id="42", is_lead=True).annotate(n=Count("supply_links"))
            .order_by("-n", "pk").first())
    # The national chain with the most leads, and the lockdown of the country with the most suppliers.
    chain = IndustryChain.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    country = (Enterprise.objects.filter(region__isnull=True).values("country").annotate(n=Count("pk"))
               .order_by("-n", "country").values_list("country", flat=True).first())
    situation = CountrySituation.objects.filter(country=country).order_by("pk").first()
    some_name = lead.name[2:4]  # the brand in the middle of a name: a real substring search
    initials = lead.name_initials[:4]
    # seed_demo's 调度会 of today (national, planned): its agenda proposal reads the 300,000 problems.
    meeting = (Consultation.objects.filter(region__isnull=True, state="planned").order_by("-starts_at")
               .values_list("pk", flat=True).first())
    province_filter = urlencode([("state", "routed"), ("state", "accepted"), ("state", "local"), ("urgency", "urgent")])
    return [
        Endpoint("case_list", "省专班 问题台账（筛选，50行）", "hubei", f"/cases/?{province_filter}"),
        Endpoint("ministry_queue", "部专班 待办队列", "ministry", "/cases/queue/"),
        Endpoint("case_detail", "问题详情及动态", "hubei", f"/cases/{problem}/"),
        Endpoint("chain", "产业链图谱", "hubei", f"/enterprises/{lead.pk}/chain/"),
        Endpoint("search_name", "企业搜索（名称）", "ministry", "/enterprises/?" + urlencode({"q": some_name})),
        Endpoint("search_initials", "企业搜索（拼音首字母）", "ministry",
                 "/enterprises/?" + urlencode({"q": initials})),
        Endpoint("dashboard", "全国统计看板", "ministry", "/reports/", target_ms=300),
        *([Endpoint("industry_chain", "重点产业链（全国）", "ministry", f"/enterprises/chains/industry/{chain.pk}/",
                    target_ms=300),
           Endpoint("api_chain_impact", "API 产业链薄弱环节", "ministry",
                    f"/api/v1/industry-chains/{chain.pk}/impact/", api=True, target_ms=300)] if chain else []),
        *([Endpoint("country_exposure", "国外疫情形势的影响", "ministry",
                    f"/api/v1/country-situations/{situation.pk}/exposure/", api=True, target_ms=300)]
          if situation else []),
        Endpoint("api_cases", "API 问题列表", "ministry", "/api/v1/cases/?" + urlencode({"open": "true"}), api=True),
        Endpoint("meetings", "监测会商列表", "ministry", "/consultations/"),
        Endpoint("agenda_proposal", "会商建议议题", "ministry", f"/consultations/{meeting}/proposal/"),

        Endpoint("financing_list", "省专班 产融对接（融资需求，50行）", "hubei", "/policies/financing/"),
        Endpoint("financing_chain", "产融对接（按产业链）", "hubei", f"/policies/financing/?lead={lead.pk}"),
        Endpoint("arrears_national", "部专班 全国清欠台账", "ministry", "/policies/arrears/"),
        Endpoint("api_financing", "API 融资需求列表", "ministry", "/api/v1/financing-needs/", api=True),
        Endpoint("api_arrears", "API 拖欠账款列表", "ministry", "/api/v1/arrears/", api=True),
        Endpoint("benefit", "全国整体效益（按地区）", "ministry", "/reports/benefit/", target_ms=1000),
        Endpoint("response_plans", "部专班 应对预案", "ministry", "/policies/plans/"),
        Endpoint("policy_reserves", "部专班 政策储备", "ministry", "/policies/reserves/"),
        Endpoint("service_plans", "省专班 一企一策", "hubei", "/policies/service-plans/"),
        Endpoint("service_plan_report", "全国一企一策分地区情况", "ministry", "/policies/service-plans/report/"),
        Endpoint("api_service_plans", "API 一企一策列表", "ministry", "/api/v1/service-plans/", api=True),
    ]
