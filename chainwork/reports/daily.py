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
from chainwork.models import DailyReport, Region, Role, ZeroReport, default_daily_cut_off
from chainwork.reports.figures import RESUMED, latest_report, rate, regions_in, scope_label
from chainwork.scope import Scope
from enterprises.models import Criticality, Direction, Enterprise, StatusReport, SupplyLink

DAY = dt.timedelta(days=1)


def cut_off_at(date: dt.date, cut_off: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, cut_off))


def _core_supplier(prefix: str = ""):
    return Exists(SupplyLink.objects.filter(partner=OuterRef(f"{prefix}pk"), direction=Direction.UPSTREAM,
                                            criticality=Criticality.CORE))


GROUPS = (("all", Q()), ("lead", Q(is_lead=True)), ("core", Q(core=True)))


def _enterprise_rows(scope: Scope, date: dt.date, cut_off: dt.time, step: dt.timedelta) -> tuple[list[dict], dict]:
    """Enterprises reported resumed at three cut-offs (this period's end, the previous one's and the one
    before): one query."""
    marks = {offset: cut_off_at(date - step * offset, cut_off) for offset in (0, 1, 2)}
    enterprises = Enterprise.objects.filter(scope.region_q("list_region")).annotate(
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
    labels = {"all": _("已复工企业（含部分复工）"), "lead": _("其中：龙头企业"), "core": _("其中：核心配套企业")}
    rows = []
    for group, _condition in GROUPS:
        today, yesterday, before = (counts[f"{group}_{offset}"] for offset in (0, 1, 2))
        rows.append(_count_row(f"resumed_{group}", labels[group], today, yesterday, before, unit=_("家")))
    in_scope = counts["all_in_scope"]
    resumption_today = rate(counts["all_0"], in_scope)
    resumption_yesterday = rate(counts["all_1"], in_scope)
    rows.append(_rate_row("resumption", _("复工率"), resumption_today, resumption_yesterday))
    totals = {"in_scope": in_scope, "lead_in_scope": counts["lead_in_scope"],
              "core_in_scope": counts["core_in_scope"], "resumption": resumption_today}
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


def reporting(scope: Scope, date: dt.date) -> dict:
    """Which regions in scope have reported for the day: a StatusReport of one of their enterprises
    dated that day, or a 零报告. One query."""
    regions = regions_in(scope).annotate(
        has_report=Exists(StatusReport.objects.filter(enterprise__list_region=OuterRef("pk"), date=date)),
        zero=Exists(ZeroReport.objects.filter(region=OuterRef("pk"), date=date)),
    )
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
        "reporting": reporting(scope, date) if period == "day" else None,
    }
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
    if report is None:
        pass
    elif report["total"] > 1:
        missing = "、".join(report["missing"]) if report["missing"] else _("无")
        parts.append(_("已报送地区%(count)s个（含零报告%(zero)s个），未报送地区：%(missing)s。") % {
            "count": report["count"], "zero": len(report["zero"]), "missing": missing})
    elif report["total"] == 1:
        parts.append(_("本地区今日已报送。") if report["count"] else _("本地区今日尚未报送。"))
    return "".join(parts)


# --- the stored report ------------------------------------------------------------------------------


def stored(region: Region | None, date: dt.date) -> DailyReport | None:
    return DailyReport.objects.filter(region=region, date=date).select_related("finalised_by").first()


def figures_for(scope: Scope, region: Region | None, date: dt.date, *, keyed: bool,
                period: str = "day") -> tuple[dict, DailyReport | None]:
    """A 定稿 日报's frozen figures, else the live ones. `keyed` says whether (region, date) names a
    stored report for this scope (national, or one region); a liaison's set of regions never does.
    The 周报 is always live (it has no 定稿 yet)."""
    if period != "day":
        return build(scope, date, period=period), None
    report = stored(region, date) if keyed else None
    if report is not None and report.is_final:
        return report.figures, report
    return build(scope, date, report.cut_off if report else None), report


def can_finalise(user, region: Region | None) -> bool:
    role = Role.ADMIN if user.is_superuser else user.role
    if region is None:
        return role in (Role.MINISTRY, Role.ADMIN)
    return role == Role.PROVINCE_LEAD and user.region_id == region.pk


def finalise(*, scope: Scope, region: Region | None, date: dt.date, actor) -> DailyReport:
    """定稿: compute the figures once, store them and mark the report final. A final report stays as it is."""
    if not can_finalise(actor, region):
        raise PermissionDenied(_("无权定稿该日报。"))
    with transaction.atomic():
        report, _created = DailyReport.objects.select_for_update().get_or_create(region=region, date=date)
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
