"""日报: the day's figures as of the cut-off, the reporting panel, the 简报 paragraph, and 定稿.

As of the cut-off means rows logged before date + cut-off (local time). For each count the report
shows 当日新增 (the change over the day: cut-off to cut-off), 累计 (the total at the cut-off) and 较上日
(today's 新增 minus yesterday's); for a rate, 较上日 is the change in percentage points. Enterprises are
counted in all, lead enterprises (龙头企业) and core suppliers (核心配套企业: an upstream link of
criticality core) apart. Once 定稿 the figures JSON is frozen and never recalculated.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, State, Supervision, Urgency
from chainwork.exports import chinese_date
from chainwork.models import Region, Role
from chainwork.scope import Scope, role_for
from enterprises.models import Criticality, Direction, Enterprise, StatusReport, SupplyLink
from reports.figures import RESUMED, abroad_list, latest_report, own_list, rate, regions_in, scope_label
from reports.models import DailyReport, ZeroReport, default_daily_cut_off

DAY = dt.timedelta(days=1)


def cut_off_at(date: dt.date, cut_off: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, cut_off))


def _core_supplier(prefix: str = ""):
    return Exists(SupplyLink.objects.filter(partner=OuterRef(f"{prefix}pk"), direction=Direction.UPSTREAM,
                                            criticality=Criticality.CORE))


DOMESTIC = Q(region__isnull=False)
# The first three count the enterprises on the regions' own lists; "abroad" those abroad, apart.
GROUPS = (("all", DOMESTIC), ("lead", DOMESTIC & Q(is_lead=True)), ("core", DOMESTIC & Q(core=True)),
          ("abroad", Q(region__isnull=True)))


def _enterprise_rows(scope: Scope, date: dt.date, cut_off: dt.time, step: dt.timedelta) -> tuple[list[dict], dict]:
    """Enterprises reported resumed at three cut-offs (this period's end, the previous one's and the one
    before): one query."""
    marks = {offset: cut_off_at(date - step * offset, cut_off) for offset in (0, 1, 2)}
    enterprises = Enterprise.objects.filter(own_list(scope) | abroad_list(scope)).annotate(
        core=_core_supplier(),
        **{f"status_{offset}": Subquery(latest_report(date - step * offset, before=mark).values("resumed")[:1])
           for offset, mark in marks.items()},
    )
    aggregates = {}
    for group, condition in GROUPS:
        aggregates[f"{group}_in_scope"] = Count("pk", filter=condition)
        for offset in marks:
            aggregates[f"{group}_{offset}"] = Count("pk", filter=condition & Q(**{f"status_{offset}__in": RESUMED}))
    counts = enterprises.aggregate(**aggregates)
    labels = {"all": _("已复工企业（含部分复工）"), "lead": _("其中：龙头企业"), "core": _("其中：核心配套企业"),
              "abroad": _("境外企业已复工（单列，不计入复工率）")}
    rows = []
    for group, _condition in GROUPS:
        if group == "abroad" and not counts["abroad_in_scope"]:
            continue
        today, yesterday, before = (counts[f"{group}_{offset}"] for offset in (0, 1, 2))
        rows.append(_count_row(f"resumed_{group}", labels[group], today, yesterday, before, unit=_("家")))
    in_scope = counts["all_in_scope"]
    resumption_today = rate(counts["all_0"], in_scope)
    resumption_yesterday = rate(counts["all_1"], in_scope)
    rows.append(_rate_row("resumption", _("复工率"), resumption_today, resumption_yesterday))
    totals = {"in_scope": in_scope, "lead_in_scope": counts["lead_in_scope"],
              "core_in_scope": counts["core_in_scope"], "abroad_in_scope": counts["abroad_in_scope"],
              "resumption": resumption_today}
    return rows, totals


def _count_row(key, label, today, yesterday, before, unit) -> dict:
    new = today - yesterday
    new_before = yesterday - before
    return {"key": key, "label": str(label), "unit": str(unit), "new": new, "total": today,
            "change": new - new_before, "rate": None}


def _rate_row(key, label, today: dict, yesterday: dict) -> dict:
    change = None
    if today["pct"] is not None and yesterday["pct"] is not None:
        change = round(today["pct"] - yesterday["pct"], 1)
    return {"key": key, "label": str(label), "unit": "%", "new": None, "total": today["pct"], "change": change,
            "rate": today}


def _case_rows(scope: Scope, date: dt.date, cut_off: dt.time, step: dt.timedelta) -> tuple[list[dict], dict]:
    """Problems logged and closed up to three cut-offs, split by lead enterprise and core supplier: one query."""
    marks = [cut_off_at(date - step * offset, cut_off) for offset in (0, 1, 2)]
    cases = Case.objects.filter(scope.region_q("region")).annotate(core=_core_supplier("enterprise__"))
    groups = (("all", Q()), ("lead", Q(enterprise__is_lead=True)), ("core", Q(core=True)))
    aggregates = {}
    for group, condition in groups:
        for offset, mark in enumerate(marks):
            aggregates[f"logged_{group}_{offset}"] = Count("pk", filter=condition & Q(created_at__lt=mark))
    for offset, mark in enumerate(marks):
        aggregates[f"closed_{offset}"] = Count("pk", filter=Q(created_at__lt=mark, closed_at__lt=mark))
    counts = cases.aggregate(**aggregates)
    labels = {"all": _("登记问题"), "lead": _("其中：涉及龙头企业"), "core": _("其中：涉及核心配套企业")}
    rows = [_count_row(f"logged_{group}", labels[group], *(counts[f"logged_{group}_{o}"] for o in (0, 1, 2)),
                       unit=_("个")) for group, _condition in groups]
    rows.append(_count_row("closed", _("办结问题"), *(counts[f"closed_{o}"] for o in (0, 1, 2)), unit=_("个")))
    closure_today = rate(counts["closed_0"], counts["logged_all_0"])
    closure_yesterday = rate(counts["closed_1"], counts["logged_all_1"])
    rows.append(_rate_row("closure", _("办结率"), closure_today, closure_yesterday))
    return rows, {"logged": counts["logged_all_0"], "closed": counts["closed_0"], "closure": closure_today}


def _key_problems(scope: Scope, as_of: dt.datetime) -> list[dict]:
    """特急 problems still open and 挂牌督办 problems, as of the cut-off: one query."""
    rows = (
        Case.objects.filter(scope.region_q("region"), created_at__lt=as_of)
        .filter(Q(urgency=Urgency.CRITICAL) | Q(supervision=Supervision.LISTED))
        .exclude(Q(state=State.CLOSED) & Q(closed_at__lt=as_of))
        .order_by("created_at", "pk")
        .values("pk", "number", "title", "urgency", "supervision", "state", "region__name", "enterprise__name")[:50]
    )
    states = dict(State.choices)
    return [{"pk": row["pk"], "number": row["number"], "title": row["title"], "region": row["region__name"],
             "enterprise": row["enterprise__name"], "state": str(states.get(row["state"], row["state"])),
             "critical": row["urgency"] == Urgency.CRITICAL, "listed": row["supervision"] == Supervision.LISTED}
            for row in rows]


def _reporting_regions(scope: Scope, date: dt.date) -> list[Region]:
    """The regions in scope, in order, each with `has_report` and `zero` for the day. One query."""
    return list(regions_in(scope).annotate(
        has_report=Exists(StatusReport.objects.filter(enterprise__list_region=OuterRef("pk"), date=date)),
        zero=Exists(ZeroReport.objects.filter(region=OuterRef("pk"), date=date)),
    ))


def reporting(scope: Scope, date: dt.date, regions: list[Region] | None = None) -> dict:
    """Which regions in scope have reported for the day: a StatusReport of one of their enterprises
    dated that day, or a 零报告. One query (none when `regions` comes from _reporting_regions)."""
    if regions is None:
        regions = _reporting_regions(scope, date)
    reported, zero, missing = [], [], []
    for region in regions:
        if region.has_report:
            reported.append(region.name)
        elif region.zero:
            zero.append(region.name)
        else:
            missing.append(region.name)
    return {"reported": reported, "zero": zero, "missing": missing,
            "count": len(reported) + len(zero), "total": len(reported) + len(zero) + len(missing)}


def _reporting_state(region: Region) -> str:
    if region.has_report:
        return "reported"
    return "zero" if region.zero else "missing"


def reporting_labels() -> dict:
    return {"reported": _("已报送"), "zero": _("零报告"), "missing": _("未报送")}


def region_table(scope: Scope, date: dt.date, cut_off: dt.time, regions: list[Region]) -> list[dict]:
    """分地区情况 of the national 日报: per region in scope, resumed enterprises (当日新增 / 累计) and
    复工率 as of the cut-off, problems logged (当日新增 / 累计) and 办结率, and whether the region reported
    (或零报告). Two queries; `regions` comes from _reporting_regions."""
    today, yesterday = cut_off_at(date, cut_off), cut_off_at(date - DAY, cut_off)
    enterprises = (
        Enterprise.objects.filter(own_list(scope))
        .annotate(status_0=Subquery(latest_report(date, before=today).values("resumed")[:1]),
                  status_1=Subquery(latest_report(date - DAY, before=yesterday).values("resumed")[:1]))
        .values("list_region")
        .annotate(total=Count("pk"), resumed_0=Count("pk", filter=Q(status_0__in=RESUMED)),
                  resumed_1=Count("pk", filter=Q(status_1__in=RESUMED)))
        .order_by()
    )
    by_region = {row["list_region"]: row for row in enterprises}
    cases = (
        Case.objects.filter(scope.region_q("region")).values("region")
        .annotate(logged_0=Count("pk", filter=Q(created_at__lt=today)),
                  logged_1=Count("pk", filter=Q(created_at__lt=yesterday)),
                  closed_0=Count("pk", filter=Q(created_at__lt=today, closed_at__lt=today)))
        .order_by()
    )
    case_counts = {row["region"]: row for row in cases}
    labels = reporting_labels()
    rows = []
    for region in regions:
        ent = by_region.get(region.code, {"total": 0, "resumed_0": 0, "resumed_1": 0})
        case = case_counts.get(region.code, {"logged_0": 0, "logged_1": 0, "closed_0": 0})
        state = _reporting_state(region)
        rows.append({
            "code": region.code, "name": region.name,
            "resumed_new": ent["resumed_0"] - ent["resumed_1"], "resumed_total": ent["resumed_0"],
            "resumption": rate(ent["resumed_0"], ent["total"]),
            "logged_new": case["logged_0"] - case["logged_1"], "logged_total": case["logged_0"],
            "closure": rate(case["closed_0"], case["logged_0"]),
            "reporting": state, "reporting_label": str(labels[state]),
        })
    return rows


PERIODS = {"day": DAY, "week": DAY * 7}


def columns(period: str) -> dict:
    if period == "week":
        return {"new": _("本周新增"), "change": _("较上周"), "previous": _("上周"), "name": _("周报")}
    return {"new": _("当日新增"), "change": _("较上日"), "previous": _("上日"), "name": _("日报")}


def build(scope: Scope, date: dt.date, cut_off: dt.time | None = None, period: str = "day") -> dict:
    """The live figures of the 日报 (or, with period "week", the 周报 of the seven days ending on `date`),
    JSON-ready. Six queries."""
    cut_off = cut_off or default_daily_cut_off()
    step = PERIODS[period]
    as_of = cut_off_at(date, cut_off)
    enterprise_rows, enterprise_totals = _enterprise_rows(scope, date, cut_off, step)
    case_rows, case_totals = _case_rows(scope, date, cut_off, step)
    figures = {
        "period": period,
        "start": (date - step + DAY).isoformat(),
        "columns": columns(period),
        "date": date.isoformat(),
        "cut_off": cut_off.strftime("%H:%M"),
        # Before the cut-off the figures are as of now; the 简报 says so.
        "as_of": timezone.localtime(min(as_of, timezone.now())).strftime("%H:%M"),
        "scope": scope_label(scope),
        "rows": enterprise_rows + case_rows,
        "enterprises": enterprise_totals,
        "cases": case_totals,
        "key_problems": _key_problems(scope, as_of),
        "reporting": None,
        "regions": None,
    }
    if period == "day":
        regions = _reporting_regions(scope, date)
        figures["reporting"] = reporting(scope, date, regions)
        # 分地区情况: the national 日报 (and a liaison's set of regions), not a single region's.
        if scope.regions is None or len(scope.regions) > 1:
            figures["regions"] = region_table(scope, date, cut_off, regions)
    figures["brief"] = brief(figures)
    return figures


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _trend(change, previous: str) -> str:
    if change is None:
        return ""
    if change > 0:
        return _("，较%(previous)s提高%(points).1f个百分点") % {"previous": previous, "points": change}
    if change < 0:
        return _("，较%(previous)s下降%(points).1f个百分点") % {"previous": previous, "points": -change}
    return _("，与%(previous)s持平") % {"previous": previous}


def brief(figures: dict) -> str:
    """简报: one paragraph for leaders, written from the figures only (so a frozen report keeps its text)."""
    rows = {row["key"]: row for row in figures["rows"]}
    date = dt.date.fromisoformat(figures["date"])
    ent = figures["enterprises"]
    critical = sum(1 for row in figures["key_problems"] if row["critical"])
    listed = sum(1 for row in figures["key_problems"] if row["listed"])
    report = figures["reporting"]
    previous = figures.get("columns", {}).get("previous") or _("上日")
    new = _("本周") if figures.get("period") == "week" else _("当日")
    parts = [
        _("截至%(date)s%(time)s，%(scope)s纳入监测的重点企业%(total)s家，已复工（含部分复工）%(resumed)s家，"
          "复工率%(rate)s%(trend)s；%(new_label)s新增复工企业%(new)s家。") % {
            "date": chinese_date(date), "time": figures.get("as_of", figures["cut_off"]), "scope": figures["scope"],
            "total": ent["in_scope"], "resumed": rows["resumed_all"]["total"],
            "rate": _pct(rows["resumption"]["total"]), "trend": _trend(rows["resumption"]["change"], previous),
            "new_label": new, "new": rows["resumed_all"]["new"]},
        _("其中龙头企业%(lead_total)s家、已复工%(lead)s家，核心配套企业%(core_total)s家、已复工%(core)s家。") % {
            "lead_total": ent["lead_in_scope"], "lead": rows["resumed_lead"]["total"],
            "core_total": ent["core_in_scope"], "core": rows["resumed_core"]["total"]},
        _("%(new_label)s新增登记问题%(new)s个，累计%(total)s个；%(new_label)s办结%(closed_new)s个，累计办结%(closed)s个，"
          "办结率%(rate)s%(trend)s。") % {
            "new_label": new, "new": rows["logged_all"]["new"], "total": rows["logged_all"]["total"],
            "closed_new": rows["closed"]["new"], "closed": rows["closed"]["total"],
            "rate": _pct(rows["closure"]["total"]), "trend": _trend(rows["closure"]["change"], previous)},
        _("特急未办结问题%(critical)s个，挂牌督办问题%(listed)s个。") % {"critical": critical, "listed": listed},
    ]
    if ent.get("abroad_in_scope"):
        parts.insert(2, _("另有境外企业%(total)s家，已复工%(resumed)s家，单列统计，不计入复工率。") % {
            "total": ent["abroad_in_scope"], "resumed": rows["resumed_abroad"]["total"]})
    if report is not None and report["total"] > 1:
        missing = "、".join(report["missing"]) if report["missing"] else _("无")
        parts.append(_("已报送地区%(count)s个（含零报告%(zero)s个），未报送地区：%(missing)s。") % {
            "count": report["count"], "zero": len(report["zero"]), "missing": missing})
    elif report is not None and report["total"] == 1:
        parts.append(_("本地区今日已报送。") if report["count"] else _("本地区今日尚未报送。"))
    return "".join(parts)


# --- the stored report ------------------------------------------------------------------------------


def stored(region: Region | None, date: dt.date) -> DailyReport | None:
    return DailyReport.objects.filter(region=region, date=date).select_related("finalised_by").first()


def figures_for(scope: Scope, region: Region | None, date: dt.date, *, keyed: bool,
                period: str = "day") -> tuple[dict, DailyReport | None]:
    """A 定稿 日报's (or 周报's) frozen figures, else the live ones. `keyed` says whether (region, date)
    names a stored report for this scope (national, or one region); a liaison's set of regions never
    does. The 周报 of the seven days ending on `date` is stored on that date's row (`weekly`)."""
    report = stored(region, date) if keyed else None
    if period == "week":
        if report is not None and report.weekly:
            return report.weekly["figures"], report
        return build(scope, date, report.cut_off if report else None, period="week"), report
    if report is not None and report.is_final:
        return report.figures, report
    return build(scope, date, report.cut_off if report else None), report


def is_final(report: DailyReport | None, period: str = "day") -> bool:
    if report is None:
        return False
    return bool(report.weekly) if period == "week" else report.is_final


def final_info(report: DailyReport | None, period: str = "day") -> dict | None:
    """Who finalised the report and when (for the page), or None while it is live."""
    if not is_final(report, period):
        return None
    if period == "week":
        return {"by": report.weekly.get("finalised_by_name", ""),
                "at": dt.datetime.fromisoformat(report.weekly["finalised_at"])}
    return {"by": str(report.finalised_by), "at": report.finalised_at}


def can_finalise(user, region: Region | None) -> bool:
    role = role_for(user)
    if region is None:
        return role in (Role.MINISTRY, Role.ADMIN)
    return role == Role.PROVINCE_LEAD and user.region_id == region.pk


def finalise(*, scope: Scope, region: Region | None, date: dt.date, actor, period: str = "day") -> DailyReport:
    """定稿: compute the figures once, store them and mark the report final. A final report stays as it is.
    With period "week" the 周报 ending on `date` is frozen in the row's `weekly` (the 日报 untouched)."""
    if not can_finalise(actor, region):
        raise PermissionDenied(_("无权定稿该周报。") if period == "week" else _("无权定稿该日报。"))
    with transaction.atomic():
        report, _created = DailyReport.objects.select_for_update().get_or_create(region=region, date=date)
        if period == "week":
            if not report.weekly:
                report.weekly = {"figures": build(scope, date, report.cut_off, period="week"),
                                 "finalised_by": actor.pk, "finalised_by_name": str(actor),
                                 "finalised_at": timezone.now().isoformat()}
                report.save(update_fields=["weekly"])
            return report
        if report.is_final:
            return report
        report.figures = build(scope, date, report.cut_off)
        report.state = DailyReport.State.FINAL
        report.finalised_by = actor
        report.finalised_at = timezone.now()
        report.save(update_fields=["figures", "state", "finalised_by", "finalised_at"])
    return report


def zero_report(*, region: Region, date: dt.date, actor) -> tuple[ZeroReport, bool]:
    """零报告 for the actor's own region; a second one the same day is a no-op."""
    if actor.role not in (Role.PROVINCE, Role.PROVINCE_LEAD) or actor.region_id != region.pk:
        raise PermissionDenied(_("只能为本地区报送零报告。"))
    return ZeroReport.objects.get_or_create(region=region, date=date, defaults={"user": actor})
