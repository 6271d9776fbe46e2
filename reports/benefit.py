"""整体效益: what the work brought, per province or per chain (a lead and its suppliers), beside policy
take-up — enterprises served, the amounts of relief (policies granted) and credit (授信, 放款), arrears
repaid, problems solved, and the 复工率 before and after the period.

Every figure is counted per enterprise first (an enterprise's region is its list region), so the region
rows add up to the totals; a supplier serving several leads counts in each of their chains, and the
totals count it once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from cases.models import Case, ClosureType, State
from chainwork.scope import Scope
from enterprises.models import Enterprise, StatusReport, SupplyLink
from policies.models import ApplicationStatus, Arrear, ArrearRepayment, FinancingNeed, PolicyApplication
from reports import figures
from reports.figures import RESUMED, day_end, rate

ZERO = Decimal("0.00")
AMOUNTS = ("relief", "credit", "disbursed", "arrears_repaid")
SOLVED = (ClosureType.SOLVED, ClosureType.PARTLY_SOLVED)
# The chains a page shows (the export has them all), the most credit first.
CHAIN_ROWS = 50


@dataclass
class Row:
    key: str
    name: str
    enterprises: int = 0
    relief: Decimal = ZERO
    credit: Decimal = ZERO
    disbursed: Decimal = ZERO
    arrears_repaid: Decimal = ZERO
    problems_solved: int = 0
    before: dict = field(default_factory=dict)  # 复工率 at the day before the period: {"num", "den", "pct"}
    after: dict = field(default_factory=dict)  # … and at its last day

    @property
    def change(self) -> float | None:
        if self.before.get("pct") is None or self.after.get("pct") is None:
            return None
        return round(self.after["pct"] - self.before["pct"], 1)


@dataclass
class Benefit:
    start: dt.date
    end: dt.date
    by: str
    rows: list[Row]
    totals: Row
    chains_total: int = 0  # chains with any figure (the page shows the first CHAIN_ROWS)
    counted_at: dt.datetime | None = None


def _sums(queryset, enterprise: str, amount: str) -> dict[int, Decimal]:
    return {pk: total for pk, total in queryset.order_by().values_list(enterprise).annotate(total=Sum(amount))
            if total}


class Counts:
    """The period's figures per enterprise in the scope: five grouped queries."""

    def __init__(self, scope: Scope, start: dt.date, end: dt.date):
        in_scope = Enterprise.objects.filter(scope.region_q("list_region")).values("pk")
        applications = PolicyApplication.objects.filter(enterprise__in=in_scope, date__range=(start, end))
        self.relief = _sums(applications.filter(status=ApplicationStatus.GRANTED, amount_wan__isnull=False),
                            "enterprise_id", "amount_wan")
        needs = FinancingNeed.objects.filter(enterprise__in=in_scope)
        self.credit = _sums(needs.filter(credited_on__range=(start, end)), "enterprise_id", "credit_wan")
        self.disbursed = _sums(needs.filter(disbursed_on__range=(start, end)), "enterprise_id", "disbursed_wan")
        repayments = ArrearRepayment.objects.filter(arrear__creditor__in=in_scope, date__range=(start, end))
        self.arrears_repaid = _sums(repayments, "arrear__creditor_id", "amount_wan")
        solved = Case.objects.filter(enterprise__in=in_scope, state=State.CLOSED, closure_type__in=SOLVED,
                                     closed_at__gte=day_end(start - dt.timedelta(days=1)), closed_at__lt=day_end(end))
        self.problems_solved: dict[int, int] = defaultdict(int)
        for enterprise_id in solved.values_list("enterprise_id", flat=True):
            self.problems_solved[enterprise_id] += 1
        # Served: any support record of the period — a take-up step, a financing need recorded or moved, an
        # arrear recorded or repaid, a problem solved.
        period = Q(created_at__gte=day_end(start - dt.timedelta(days=1)), created_at__lt=day_end(end))
        self.served: set[int] = set(applications.values_list("enterprise_id", flat=True))
        self.served |= set(needs.filter(period | Q(matched_on__range=(start, end)) | Q(credited_on__range=(start, end))
                                        | Q(disbursed_on__range=(start, end)) | Q(refused_on__range=(start, end)))
                           .values_list("enterprise_id", flat=True))
        self.served |= set(Arrear.objects.filter(creditor__in=in_scope).filter(period)
                           .values_list("creditor_id", flat=True))
        self.served |= set(self.arrears_repaid) | set(self.problems_solved)

    def enterprises(self) -> set[int]:
        return self.served | set(self.relief) | set(self.credit) | set(self.disbursed)

    def add_to(self, row: Row, enterprise_ids) -> None:
        ids = set(enterprise_ids)
        row.enterprises = len(ids & self.enterprises())
        for name in AMOUNTS:
            values = getattr(self, name)
            setattr(row, name, sum((values.get(pk, ZERO) for pk in ids), ZERO))
        row.problems_solved = sum(self.problems_solved.get(pk, 0) for pk in ids)


def _resumed_on(enterprise_ids: set[int], date: dt.date) -> set[int]:
    """Of these enterprises, those resumed (fully or partly) by their latest report on or before `date`."""
    if not enterprise_ids:
        return set()
    latest = (StatusReport.objects.filter(enterprise_id__in=enterprise_ids, date__lte=date)
              .order_by("enterprise_id", "-date").distinct("enterprise_id").values_list("enterprise_id", "resumed"))
    return {pk for pk, resumed in latest if resumed in RESUMED}


def _resumption(scope: Scope, date: dt.date, with_referrals: bool) -> tuple[dict[str, dict], dict]:
    """The 复工率 per region and in all on `date`: the dashboard's figures of that scope and date, kept and
    recounted in the background like the dashboard's (counting them afresh takes seconds nationally)."""
    data = figures.dashboard(scope, date, with_referrals=with_referrals)
    return {row["code"]: row["resumption"] for row in data["regions"]}, data["enterprises"]["resumption"]


def _region_benefit(scope: Scope, counts: Counts, start: dt.date, end: dt.date,
                    with_referrals: bool) -> tuple[list[Row], Row]:
    before, before_total = _resumption(scope, start - dt.timedelta(days=1), with_referrals)
    after, after_total = _resumption(scope, end, with_referrals)
    region_of = dict(Enterprise.objects.filter(pk__in=counts.enterprises()).values_list("pk", "list_region_id"))
    members: dict[str, list[int]] = defaultdict(list)
    for pk, code in region_of.items():
        members[code].append(pk)
    rows = []
    for region in figures.regions_in(scope):
        row = Row(key=region.code, name=str(region))
        counts.add_to(row, members.get(region.code, ()))
        row.before = before.get(region.code, rate(0, 0))
        row.after = after.get(region.code, rate(0, 0))
        if row.enterprises or row.after["den"]:
            rows.append(row)
    totals = Row(key="", name="")
    counts.add_to(totals, counts.enterprises())
    totals.before, totals.after = before_total, after_total
    return rows, totals


def _chain_benefit(scope: Scope, counts: Counts, start: dt.date, end: dt.date,
                   limit: int | None) -> tuple[list[Row], Row, int]:
    leads = dict(Enterprise.objects.filter(scope.region_q("list_region"), is_lead=True).values_list("pk", "name"))
    active = counts.enterprises()
    chains: dict[int, set[int]] = {pk: {pk} for pk in leads}
    for lead_id, partner_id in SupplyLink.objects.filter(lead__in=leads.keys()).values_list("lead_id", "partner_id"):
        chains[lead_id].add(partner_id)
    rows = []
    for lead_id, ids in chains.items():
        if not ids & active:
            continue
        row = Row(key=str(lead_id), name=leads[lead_id])
        counts.add_to(row, ids)
        rows.append(row)
    rows.sort(key=lambda row: (-(row.credit + row.relief + row.arrears_repaid), row.name))
    total_chains = len(rows)
    rows = rows[:limit] if limit else rows
    # 复工率 of the chains listed: their members (in the user's scope) by their latest report.
    in_scope = set(Enterprise.objects.filter(scope.region_q("list_region"),
                                             pk__in={pk for row in rows for pk in chains[int(row.key)]})
                   .values_list("pk", flat=True))
    resumed_before = _resumed_on(in_scope, start - dt.timedelta(days=1))
    resumed_after = _resumed_on(in_scope, end)
    for row in rows:
        ids = chains[int(row.key)] & in_scope
        row.before = rate(len(ids & resumed_before), len(ids))
        row.after = rate(len(ids & resumed_after), len(ids))
    totals = Row(key="", name="")
    counts.add_to(totals, active)
    return rows, totals, total_chains


def benefit(scope: Scope, start: dt.date, end: dt.date, *, by: str = "region", limit: int | None = CHAIN_ROWS,
            with_referrals: bool = False) -> Benefit:
    """`with_referrals` says which of the dashboard's kept figures the 复工率 come from (the user's own, so a
    page they have seen costs nothing more)."""
    counted_at = timezone.now()
    counts = Counts(scope, start, end)
    if by == "chain":
        rows, totals, chains = _chain_benefit(scope, counts, start, end, limit)
        totals.before = _resumption(scope, start - dt.timedelta(days=1), with_referrals)[1]
        totals.after = _resumption(scope, end, with_referrals)[1]
        return Benefit(start=start, end=end, by=by, rows=rows, totals=totals, chains_total=chains,
                       counted_at=counted_at)
    rows, totals = _region_benefit(scope, counts, start, end, with_referrals)
    return Benefit(start=start, end=end, by=by, rows=rows, totals=totals, counted_at=counted_at)


def kept_benefit(scope: Scope, start: dt.date, end: dt.date, *, by: str = "region", limit: int | None = CHAIN_ROWS,
                 with_referrals: bool = False) -> Benefit:
    """benefit(), kept per scope, period, view and language and recounted in the background like the
    dashboard's figures (chainwork.kept): a year of the nation's support records takes about a second."""
    spec = {"kind": "benefit", "role": scope.role, "regions": None if scope.regions is None else sorted(scope.regions),
            "start": start.isoformat(), "end": end.isoformat(), "by": by, "limit": limit,
            "referrals": with_referrals}
    return figures.kept(benefit_key(spec), spec, lambda: benefit(scope, start, end, by=by, limit=limit,
                                                                 with_referrals=with_referrals))


def benefit_key(spec: dict) -> str:
    return "benefit:v1:" + ":".join(str(spec[name]) for name in sorted(spec)) + f":{get_language()}"


def period_totals(scope: Scope, start: dt.date, end: dt.date) -> Row:
    """The period's totals without the 复工率 (the 周报 has its own): what the work brought in the week."""
    counts = Counts(scope, start, end)
    totals = Row(key="", name="")
    counts.add_to(totals, counts.enterprises())
    return totals


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """This year up to today, as the 政策落实 report."""
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today
