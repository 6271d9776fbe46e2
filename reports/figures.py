"""The dashboard's aggregates (统计报表), one function per block, each taking a scope.

Every figure is counted in the database (Count / Sum / Avg / Min with filters) in a fixed, small
number of queries whatever the data size. Rates keep their numerator and denominator (domain.md
"Measures of resumption"): 复工率 counts 部分复工 as resumed; 员工到岗率 and 达产率 are sums over each
enterprise's latest report on or before the date. A problem counts in the region that logged it
(`Case.region`), never in a region it is shared with for 协办.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.deadlines import WARNING_WINDOW
from cases.models import Case, Level, Referral, Satisfaction, State
from chainwork.kept import kept
from chainwork.models import Region, User
from chainwork.scope import Scope, regions_in
from enterprises.filters import blocked_q
from enterprises.models import Enterprise, Resumption, StatusReport, SupplyLink
from liaison import services as contacts

RESUMED = (Resumption.YES, Resumption.PARTLY)


def narrowed(scope: Scope, region_code: str) -> Scope:
    """The scope drilled into one region it covers."""
    return replace(scope, regions=frozenset([region_code]))


def rate(numerator, denominator) -> dict:
    """A rate with what it is made of: {"num", "den", "pct"} (pct None when there is no denominator)."""
    num = numerator or 0
    den = denominator or 0
    pct = None
    if den:
        pct = float((Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1")))
    return {"num": _plain(num), "den": _plain(den), "pct": pct}


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def day_end(date: dt.date) -> dt.datetime:
    """The first instant after `date` in local time."""
    return timezone.make_aware(dt.datetime.combine(date + dt.timedelta(days=1), dt.time.min))


def latest_report(date: dt.date, before: dt.datetime | None = None):
    """Each enterprise's latest StatusReport on or before `date` (and, for the 日报, logged before the
    cut-off), as a subquery correlated on the enterprise."""
    reports = StatusReport.objects.filter(enterprise=OuterRef("pk"), date__lte=date)
    if before is not None:
        reports = reports.filter(created_at__lt=before)
    # One report per enterprise and day (a unique constraint): "-date" alone is deterministic, and lets
    # PostgreSQL read the (enterprise, date) index backwards instead of sorting each enterprise's rows.
    return reports.order_by("-date")


# --- enterprises ----------------------------------------------------------------------------------


def own_list(scope: Scope) -> Q:
    """Enterprises on the lists of the regions in scope, the figures' denominator. Enterprises abroad
    (listed by a region, but on no province's own list) are counted apart: abroad_list()."""
    return scope.region_q("list_region") & Q(region__isnull=False)


def abroad_list(scope: Scope) -> Q:
    """Enterprises abroad that the regions in scope listed for their chains."""
    return scope.region_q("list_region") & Q(region__isnull=True)


def is_supporting():
    return Exists(SupplyLink.objects.filter(partner=OuterRef("pk")))


def enterprise_figures(scope: Scope, date: dt.date) -> dict:
    """Enterprises in scope by status (as of their latest report on or before `date`), 复工率, 员工到岗率,
    达产率, lead and supporting enterprises apart, and the same per region. Two queries."""
    enterprises = Enterprise.objects.filter(own_list(scope))
    # The latest report of each enterprise in scope, then aggregated by the enterprise's region.
    latest_ids = enterprises.annotate(
        report_id=Subquery(latest_report(date).values("pk")[:1])).filter(report_id__isnull=False).values("report_id")
    counted_staff = Q(staff_at_work__isnull=False, staff_normal__isnull=False)
    counted_output = Q(output__isnull=False, output_normal__isnull=False)
    resumed = Q(resumed__in=RESUMED)
    supporting = Exists(SupplyLink.objects.filter(partner=OuterRef("enterprise")))
    reports = (
        StatusReport.objects.filter(pk__in=latest_ids)
        .annotate(supporting=supporting)
        .values("enterprise__list_region")
        .annotate(
            yes=Count("pk", filter=Q(resumed=Resumption.YES)),
            partly=Count("pk", filter=Q(resumed=Resumption.PARTLY)),
            no=Count("pk", filter=Q(resumed=Resumption.NO)),
            lead_resumed=Count("pk", filter=resumed & Q(enterprise__is_lead=True)),
            supporting_resumed=Count("pk", filter=resumed & Q(supporting=True)),
            sum_staff_at_work=Sum("staff_at_work", filter=counted_staff),
            sum_staff_normal=Sum("staff_normal", filter=counted_staff),
            sum_output=Sum("output", filter=counted_output),
            sum_output_normal=Sum("output_normal", filter=counted_output),
        )
        .order_by()
    )
    listed = (
        enterprises.values("list_region")
        .annotate(total=Count("pk"), lead=Count("pk", filter=Q(is_lead=True)),
                  supporting=Count("pk", filter=Q(is_supporting())))
        .order_by()
    )
    by_region: dict[str, dict] = {}
    keys = ("total", "lead", "supporting", "yes", "partly", "no", "lead_resumed", "supporting_resumed",
            "staff_at_work", "staff_normal", "output", "output_normal")
    for row in listed:
        by_region[row["list_region"]] = {key: 0 for key in keys} | {
            "total": row["total"], "lead": row["lead"], "supporting": row["supporting"]}
    for row in reports:
        counts = by_region.setdefault(row["enterprise__list_region"], {key: 0 for key in keys})
        for key in ("yes", "partly", "no", "lead_resumed", "supporting_resumed"):
            counts[key] = row[key]
        for key in ("staff_at_work", "staff_normal", "output", "output_normal"):
            counts[key] = row[f"sum_{key}"] or 0
    totals = {key: sum(counts[key] for counts in by_region.values()) for key in keys}
    return {"totals": _enterprise_block(totals), "by_region": {code: _enterprise_block(counts)
                                                               for code, counts in by_region.items()}}


def _enterprise_block(counts: dict) -> dict:
    resumed = counts["yes"] + counts["partly"]
    return {
        "total": counts["total"],
        "status": {"yes": counts["yes"], "partly": counts["partly"], "no": counts["no"],
                   "unknown": counts["total"] - counts["yes"] - counts["partly"] - counts["no"]},
        "resumption": rate(resumed, counts["total"]),
        "staff": rate(counts["staff_at_work"], counts["staff_normal"]),
        "output": rate(counts["output"], counts["output_normal"]),
        "lead": rate(counts["lead_resumed"], counts["lead"]),
        "supporting": rate(counts["supporting_resumed"], counts["supporting"]),
    }


def region_rows(scope: Scope, enterprise_block: dict) -> list[dict]:
    """The per-region table and chart rows, in the regions' order (one query for the names)."""
    rows = []
    for region in regions_in(scope):
        block = enterprise_block["by_region"].get(region.code)
        if block is None:
            continue
        rows.append({"code": region.code, "name": str(region), "abbr": region.abbr, **block})
    return rows


# --- problems -------------------------------------------------------------------------------------


def _cases(scope: Scope, date: dt.date):
    return Case.objects.filter(scope.region_q("region"), created_at__lt=day_end(date))


def _days(value: dt.timedelta | None) -> float | None:
    if value is None:
        return None
    return round(value.total_seconds() / 86400, 1)


def case_figures(scope: Scope, date: dt.date, now: dt.datetime | None = None) -> dict:
    """Problems logged in the scope's regions up to `date`: by state, category and light, 办结率,
    reopenings, 满意度, escalations awaiting acceptance and their age, average days to respond and to
    close (属地 vs 部专班). Four queries."""
    now = now or min(timezone.now(), day_end(date))
    cases = _cases(scope, date)
    open_ = ~Q(state=State.CLOSED)
    to_respond = ExpressionWrapper(F("responded_at") - F("created_at"), output_field=DurationField())
    to_close = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    escalated = Q(state=State.ESCALATED)
    summary = cases.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
        reopened_cases=Count("pk", filter=Q(reopen_count__gt=0)),
        reopenings=Sum("reopen_count"),
        red=Count("pk", filter=open_ & Q(due_at__lt=now)),
        yellow=Count("pk", filter=open_ & Q(due_at__gte=now, due_at__lte=now + WARNING_WINDOW)),
        green=Count("pk", filter=open_ & Q(due_at__gt=now + WARNING_WINDOW)),
        no_deadline=Count("pk", filter=open_ & Q(due_at__isnull=True)),
        awaiting=Count("pk", filter=escalated),
        oldest_escalated=Min("escalated_at", filter=escalated),
        **{f"satisfaction_{value}": Count("pk", filter=Q(satisfaction=value)) for value in Satisfaction.values},
        respond_local=Avg(to_respond, filter=Q(level=Level.LOCAL, responded_at__isnull=False)),
        respond_ministry=Avg(to_respond, filter=Q(level=Level.MINISTRY, responded_at__isnull=False)),
        close_local=Avg(to_close, filter=Q(level=Level.LOCAL, closed_at__isnull=False)),
        close_ministry=Avg(to_close, filter=Q(level=Level.MINISTRY, closed_at__isnull=False)),
    )
    states = dict(cases.values_list("state").annotate(n=Count("pk")).order_by())
    categories = list(cases.values("category__slug", "category__name").annotate(n=Count("pk"))
                      .order_by("-n", "category__slug"))
    awaiting = list(
        cases.filter(escalated).select_related("region").order_by("escalated_at", "pk")
        .values("pk", "number", "title", "region__name", "region__name_en", "escalated_at")[:10]
    )
    oldest = summary["oldest_escalated"]
    return {
        "total": summary["total"],
        "closed": summary["closed"],
        "closure": rate(summary["closed"], summary["total"]),
        "reopened_cases": summary["reopened_cases"],
        "reopenings": summary["reopenings"] or 0,
        "by_state": [{"value": value, "label": str(label), "n": states.get(value, 0)}
                     for value, label in State.choices],
        "by_category": [{"slug": row["category__slug"], "label": row["category__name"], "n": row["n"]}
                        for row in categories],
        "by_light": {"red": summary["red"], "yellow": summary["yellow"], "green": summary["green"],
                     "none": summary["no_deadline"]},
        "satisfaction": [{"value": value, "label": str(label), "n": summary[f"satisfaction_{value}"]}
                         for value, label in Satisfaction.choices],
        "awaiting": {
            "count": summary["awaiting"],
            "oldest_days": _days(now - oldest) if oldest else None,
            "rows": [{"pk": row["pk"], "number": row["number"], "title": row["title"],
                      "region": Region.label(row["region__name"], row["region__name_en"]),
                      "days": _days(now - row["escalated_at"])}
                     for row in awaiting],
        },
        "days": {
            "respond": {"local": _days(summary["respond_local"]), "ministry": _days(summary["respond_ministry"])},
            "close": {"local": _days(summary["close_local"]), "ministry": _days(summary["close_ministry"])},
        },
    }


# --- referrals (ministry only) --------------------------------------------------------------------


def referral_figures(scope: Scope, date: dt.date) -> list[dict]:
    """转办 by department: all, pending, responded, sent back and overdue (pending past the due date).
    One query; shown to the ministry side only."""
    referrals = Referral.objects.filter(scope.region_q("case__region"), created_at__lt=day_end(date))
    rows = (
        referrals.values("department__slug", "department__name")
        .annotate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(state=Referral.State.PENDING)),
            responded=Count("pk", filter=Q(state=Referral.State.RESPONDED)),
            sent_back=Count("pk", filter=Q(state=Referral.State.SENT_BACK)),
            overdue=Count("pk", filter=Q(state=Referral.State.PENDING, due_date__lt=date)),
        )
        .order_by("-overdue", "-pending", "department__name")
    )
    return [{"slug": row["department__slug"], "name": row["department__name"], "total": row["total"],
             "pending": row["pending"], "responded": row["responded"], "sent_back": row["sent_back"],
             "overdue": row["overdue"]} for row in rows]


# --- the whole dashboard --------------------------------------------------------------------------


def dashboard(scope: Scope, date: dt.date, *, with_referrals: bool) -> dict:
    """Every block of the dashboard as plain data (the page, its chart and the API all read this).

    Counted over the whole country's data it takes seconds, so the figures are kept per scope, date and
    language and recounted in the background (see `kept`); the page says when they were counted."""
    key = dashboard_key(scope, date, with_referrals)
    spec = {"kind": "dashboard", "role": scope.role, "regions": _regions(scope), "date": date.isoformat(),
            "referrals": with_referrals}
    return kept(key, spec, lambda: _dashboard(scope, date, with_referrals=with_referrals))


def dashboard_key(scope: Scope, date: dt.date, with_referrals: bool) -> str:
    """Where the figures are kept: by scope, date, referral block and the active language."""
    return f"dashboard:v2:{scope_key(scope, date, with_referrals)}:{get_language()}"


def scope_key(scope: Scope, date: dt.date, with_referrals: bool) -> str:
    """What the dashboard's figures depend on besides the language: the regions, the date, and whether
    the referral block is shown."""
    regions = "all" if scope.regions is None else ",".join(sorted(scope.regions))
    return f"{regions}:{date.isoformat()}:{int(with_referrals)}"


def _regions(scope: Scope) -> list[str] | None:
    return None if scope.regions is None else sorted(scope.regions)


def _scope(spec: dict) -> Scope:
    return Scope(role=spec["role"], regions=None if spec["regions"] is None else frozenset(spec["regions"]))


# --- kept figures (chainwork.kept) ----------------------------------------------------------------


def _recount_dashboard(spec: dict) -> dict:
    return _dashboard(_scope(spec), dt.date.fromisoformat(spec["date"]), with_referrals=spec["referrals"])


def _recount_coverage(spec: dict) -> dict | None:
    user = User.objects.filter(pk=spec["user"], is_active=True).first()
    if user is None:
        return None
    return _liaison_coverage(user, _scope(spec), dt.date.fromisoformat(spec["date"]))


def _dashboard(scope: Scope, date: dt.date, *, with_referrals: bool) -> dict:
    enterprises = enterprise_figures(scope, date)
    return {
        "counted_at": timezone.now().isoformat(),
        "date": date.isoformat(),
        "scope": scope_label(scope),
        "enterprises": enterprises["totals"],
        "regions": region_rows(scope, enterprises),
        "cases": case_figures(scope, date),
        "referrals": referral_figures(scope, date) if with_referrals else None,
    }


def scope_label(scope: Scope, names: dict[str, str] | None = None) -> str:
    if scope.regions is None:
        return _("全国")
    if len(scope.regions) == 1:
        code = next(iter(scope.regions))
        if names and code in names:
            return names[code]
        region = Region.objects.filter(pk=code).first()
        return str(region) if region else code
    return _("联系地区（%(count)s个）") % {"count": len(scope.regions)}


# --- 一对一联系 coverage ----------------------------------------------------------------------------


def liaison_coverage(user, scope: Scope, today: dt.date | None = None) -> dict:
    """Per region in scope: enterprises with a current 驻企联络员, how many were contacted within their
    cadence (the follow-up not yet past), and the share; from liaison.services.coverage_counts (what
    the user sees, as of today), counted in the database in two queries and kept like the dashboard."""
    today = today or timezone.localdate()
    regions = "all" if scope.regions is None else ",".join(sorted(scope.regions))
    key = f"coverage:v2:{user.pk}:{regions}:{today.isoformat()}"
    spec = {"kind": "coverage", "user": user.pk, "role": scope.role, "regions": _regions(scope),
            "date": today.isoformat()}
    return kept(key, spec, lambda: _liaison_coverage(user, scope, today))


def _liaison_coverage(user, scope: Scope, today: dt.date | None) -> dict:
    rows = []
    names = {region.code: str(region) for region in regions_in(scope)}
    for entry in contacts.coverage_counts(user, today):
        code = entry["region"]
        if code not in names:
            continue
        rows.append({"code": code, "name": names[code], "assigned": entry["assigned"],
                     "on_time": entry["on_time"], "late": entry["assigned"] - entry["on_time"],
                     "share": rate(entry["on_time"], entry["assigned"])})
    assigned = sum(row["assigned"] for row in rows)
    on_time = sum(row["on_time"] for row in rows)
    return {"rows": rows, "assigned": assigned, "on_time": on_time, "late": assigned - on_time,
            "share": rate(on_time, assigned)}


# --- 堵点 ------------------------------------------------------------------------------------------------


def blocked_enterprises(scope: Scope) -> dict:
    """How many enterprises of the scope's regions are 堵点 (enterprises.filters.blocked_q, which reads
    the kept open-problem count), kept like the dashboard: the 工作台 shows it on every visit."""
    regions = "all" if scope.regions is None else ",".join(sorted(scope.regions))
    spec = {"kind": "blocked", "role": scope.role, "regions": _regions(scope)}
    return kept(f"blocked:v1:{regions}", spec, lambda: _blocked(scope))


def _blocked(scope: Scope) -> dict:
    enterprises = Enterprise.objects.filter(scope.region_q("list_region"))
    return {"count": enterprises.filter(blocked_q(settings.CHAIN_BLOCKER_THRESHOLD)).count()}


def _recount_blocked(spec: dict) -> dict:
    return _blocked(_scope(spec))


def _recount_benefit(spec: dict):
    from reports.benefit import benefit

    return benefit(_scope(spec), dt.date.fromisoformat(spec["start"]), dt.date.fromisoformat(spec["end"]),
                   by=spec["by"], limit=spec["limit"], with_referrals=spec["referrals"])


def _recount_day_so_far(spec: dict) -> dict:
    from reports.day_figures import so_far

    return so_far(dt.date.fromisoformat(spec["date"]), dt.time.fromisoformat(spec["cut_off"]))


# How the task recounts each kind of kept figures from its spec (None: nothing to count, the user is gone).
# How the task recounts each kind of these figures (chainwork.kept; registered in ReportsConfig.ready).
COUNTERS = {
    "dashboard": _recount_dashboard,
    "coverage": _recount_coverage,
    "blocked": _recount_blocked,
    "day_so_far": _recount_day_so_far,
    "benefit": _recount_benefit,
}
