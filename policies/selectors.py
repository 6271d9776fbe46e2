"""Reads of 政策落实 for pages, API, exports and the report — scoped at the source, joins declared."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from cases.models import Case
from chainwork.models import Category, Department, KeyField, Region
from policies.models import ApplicationStatus, Arrear, FinancingNeed, Policy, PolicyApplication


def policy_list() -> QuerySet[Policy]:
    """The catalogue with its related rows (API, matching): every user may read it."""
    return Policy.objects.prefetch_related("issuers", "key_fields", "categories", "regions")


def _names(model, order: str, name=None) -> ArraySubquery:
    rows = model.objects.filter(policies=OuterRef("pk")).order_by(order)
    return ArraySubquery(rows.values_list(name or "name", flat=True))


def policy_catalogue() -> QuerySet[Policy]:
    """The catalogue for pages: the names of issuers, key fields, categories and regions as arrays, in the
    one query, so a page of 50 policies costs what a page of 5 does."""
    return Policy.objects.annotate(
        issuer_names=_names(Department, "order", Coalesce(NullIf("short_name", Value("")), "name")),
        key_field_names=_names(KeyField, "order"),
        category_names=_names(Category, "order"),
        region_names=_names(Region, "order"),
    )


def application_list(user) -> QuerySet[PolicyApplication]:
    """Take-up records of the enterprises the user sees in full."""
    return (PolicyApplication.objects.visible_to(user)
            .select_related("policy", "enterprise", "enterprise__list_region", "case", "recorded_by")
            .order_by("-date", "-pk"))


@dataclass
class ReportRow:
    policy_id: int
    policy_name: str
    region_code: str
    region_name: str
    recommended: int
    applied: int
    granted: int
    refused: int
    enterprises: int
    amount_granted: Decimal


@dataclass
class Report:
    rows: list[ReportRow]
    totals: ReportRow


def _distinct_enterprises(status: str | None = None) -> Count:
    return Count("enterprise", distinct=True, filter=Q(status=status) if status else None)


def take_up_report(applications: QuerySet[PolicyApplication]) -> Report:
    """Per policy and region (the enterprise's list region): the enterprises recommended, applied, granted
    (helped) and refused, and the amount granted in 万元 — counted in the database over `applications`,
    an already scoped and filtered queryset (date range, region, policy)."""
    measures = {
        "recommended": _distinct_enterprises(ApplicationStatus.RECOMMENDED),
        "applied": _distinct_enterprises(ApplicationStatus.APPLIED),
        "granted": _distinct_enterprises(ApplicationStatus.GRANTED),
        "refused": _distinct_enterprises(ApplicationStatus.REFUSED),
        "enterprises": _distinct_enterprises(),
        "amount_granted": Sum("amount_wan", filter=Q(status=ApplicationStatus.GRANTED), default=Decimal("0")),
    }
    base = applications.order_by()
    grouped = (base.values("policy_id", "policy__name", "policy__order", "enterprise__list_region_id",
                           "enterprise__list_region__name", "enterprise__list_region__name_en",
                           "enterprise__list_region__order")
               .annotate(**measures)
               .order_by("policy__order", "policy_id", "enterprise__list_region__order"))
    rows = [ReportRow(policy_id=g["policy_id"], policy_name=g["policy__name"],
                      region_code=g["enterprise__list_region_id"],
                      region_name=Region.label(g["enterprise__list_region__name"],
                                               g["enterprise__list_region__name_en"]),
                      recommended=g["recommended"], applied=g["applied"], granted=g["granted"],
                      refused=g["refused"], enterprises=g["enterprises"], amount_granted=g["amount_granted"])
            for g in grouped]
    # Totals count each enterprise once, even when it took up several policies.
    total = base.aggregate(**measures)
    totals = ReportRow(policy_id=0, policy_name="", region_code="", region_name="", **total)
    return Report(rows=rows, totals=totals)


# --- 产融对接 and 清欠 ---------------------------------------------------------------------------------


# What the lists never show of the joined rows: a problem's texts and the enterprise's search keys.
LIST_DEFERRED = ("enterprise__name_pinyin", "enterprise__name_initials", "enterprise__address")
# The problem and the recorder of a row come in two small queries of their own: each more table in the
# list's join cost PostgreSQL more to plan (18 ms for six) than the rows cost to read.
LIST_PREFETCHED = (Prefetch("case", queryset=Case.objects.only("pk", "number", "title")), "recorded_by")


def financing_list(user) -> QuerySet[FinancingNeed]:
    """The financing needs of the enterprises the user sees in full, newest first."""
    return (FinancingNeed.objects.visible_to(user)
            .select_related("enterprise", "enterprise__list_region", "lead").prefetch_related(*LIST_PREFETCHED)
            .defer(*LIST_DEFERRED).order_by("-created_at", "-pk"))


def arrear_list(user) -> QuerySet[Arrear]:
    """The arrears owed to the enterprises the user sees in full (the 部专班: the national ledger)."""
    return (Arrear.objects.visible_to(user)
            .select_related("creditor", "creditor__list_region").prefetch_related(*LIST_PREFETCHED)
            .defer(*(name.replace("enterprise__", "creditor__") for name in LIST_DEFERRED))
            .order_by("-created_at", "-pk"))


def financing_totals(needs: QuerySet[FinancingNeed]) -> dict:
    """The sums under a filtered list: needed, credited and disbursed (万元), in one query."""
    return needs.order_by().aggregate(
        count=Count("pk"), needed=Sum("amount_wan", default=Decimal("0")),
        credited=Sum("credit_wan", default=Decimal("0")), disbursed=Sum("disbursed_wan", default=Decimal("0")))


def arrear_totals(arrears: QuerySet[Arrear]) -> dict:
    return arrears.order_by().aggregate(
        count=Count("pk"), owed=Sum("owed_wan", default=Decimal("0")),
        repaid=Sum("repaid_wan", default=Decimal("0")))
