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
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, State, Supervision, Urgency
from chainwork.exports import chinese_date
from chainwork.models import Region, Role
from chainwork.scope import Scope, role_for
from enterprises.models import StatusReport
from reports.day_figures import DAY, ByRegion, Counts, cut_off_at, day_counts, total
from reports.figures import rate, regions_in, scope_label
from reports.models import DailyReport, ZeroReport, default_daily_cut_off

GROUPS = (("all", "resumed"), ("lead", "resumed_leads"), ("core", "resumed_cores"))


def _day_counts(date: dt.date, cut_off: dt.time, step: dt.timedelta) -> tuple[dict[int, ByRegion], dt.datetime | None]:
    """The figures per region of the three cut-offs a report compares (this period's end, the previous
    one's and the one before), and when this period's were counted if that was before its cut-off."""
    counted = {offset: day_counts(date - step * offset, cut_off) for offset in (0, 1, 2)}
    return {offset: by_region for offset, (by_region, _at) in counted.items()}, counted[0][1]


def _enterprise_rows(scope: Scope, days: dict[int, ByRegion]) -> tuple[list[dict], dict]:
    """Enterprises reported resumed at the three cut-offs, from the day figures."""
    counts = {offset: total(scope, by_region) for offset, by_region in days.items()}
    labels = {"all": _("已复工企业（含部分复工）"), "lead": _("其中：龙头企业"), "core": _("其中：核心配套企业")}
    rows = []
    for group, field in GROUPS:
        today, yesterday, before = (getattr(counts[offset], field) for offset in (0, 1, 2))
        rows.append(_count_row(f"resumed_{group}", labels[group], today, yesterday, before, unit=_("家")))
    in_scope = counts[0].enterprises
    resumption_today = rate(counts[0].resumed, in_scope)
    resumption_yesterday = rate(counts[1].resumed, in_scope)
    rows.append(_rate_row("resumption", _("复工率"), resumption_today, resumption_yesterday))
    totals = {"in_scope": in_scope, "lead_in_scope": counts[0].leads,
              "core_in_scope": counts[0].cores, "resumption": resumption_today}
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


def _case_rows(scope: Scope, days: dict[int, ByRegion]) -> tuple[list[dict], dict]:
    """Problems logged and closed up to the three cut-offs, split by lead enterprise and core supplier,
    from the day figures."""
    counts = {offset: total(scope, by_region) for offset, by_region in days.items()}
    labels = {"all": _("登记问题"), "lead": _("其中：涉及龙头企业"), "core": _("其中：涉及核心配套企业")}
    fields = {"all": "logged", "lead": "logged_leads", "core": "logged_cores"}
    rows = [_count_row(f"logged_{group}", label, *(getattr(counts[o], fields[group]) for o in (0, 1, 2)),
                       unit=_("个")) for group, label in labels.items()]
    rows.append(_count_row("closed", _("办结问题"), *(counts[o].closed for o in (0, 1, 2)), unit=_("个")))
    closure_today = rate(counts[0].closed, counts[0].logged)
    closure_yesterday = rate(counts[1].closed, counts[1].logged)
    rows.append(_rate_row("closure", _("办结率"), closure_today, closure_yesterday))
    return rows, {"logged": counts[0].logged, "closed": counts[0].closed, "closure": closure_today}


def _key_problems(scope: Scope, as_of: dt.datetime) -> list[dict]:
    """特急 problems still open and 挂牌督办 problems, as of the cut-off: one query of two parts — those
    open now and those closed after the cut-off (a close always records its time) — each the first 50 read
    in order from its partial index, then merged (one condition over both read thousands of rows)."""
    key = Case.objects.filter(scope.region_q("region"), Q(urgency=Urgency.CRITICAL) | Q(supervision=Supervision.LISTED),
                              created_at__lt=as_of)
    fields = ("pk", "number", "title", "urgency", "supervision", "state", "region__name", "enterprise__name",
              "created_at")
    order = ("created_at", "pk")
    open_now = key.exclude(state=State.CLOSED)
    closed_later = key.filter(state=State.CLOSED, closed_at__gte=as_of)
    parts = [part.values(*fields).order_by(*order)[:50] for part in (open_now, closed_later)]
    rows = parts[0].union(parts[1], all=True).order_by(*order)[:50]
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


def region_table(regions: list[Region], days: dict[int, ByRegion]) -> list[dict]:
    """分地区情况 of the national 日报: per region in scope, resumed enterprises (当日新增 / 累计) and
    复工率 as of the cut-off, problems logged (当日新增 / 累计) and 办结率, and whether the region reported
    (或零报告). No query: `regions` comes from _reporting_regions, `days` from _day_counts."""
    labels = reporting_labels()
    none = Counts()
    rows = []
    for region in regions:
        now, before = days[0].get(region.code, none), days[1].get(region.code, none)
        state = _reporting_state(region)
        rows.append({
            "code": region.code, "name": region.name,
            "resumed_new": now.resumed - before.resumed, "resumed_total": now.resumed,
            "resumption": rate(now.resumed, now.enterprises),
            "logged_new": now.logged - before.logged, "logged_total": now.logged,
            "closure": rate(now.closed, now.logged),
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
    JSON-ready. From the kept day figures (reports.day_figures): four queries when the days are kept."""
    cut_off = cut_off or default_daily_cut_off()
    step = PERIODS[period]
    as_of = cut_off_at(date, cut_off)
    days, counted_at = _day_counts(date, cut_off, step)
    enterprise_rows, enterprise_totals = _enterprise_rows(scope, days)
    case_rows, case_totals = _case_rows(scope, days)
    figures = {
        "period": period,
        "start": (date - step + DAY).isoformat(),
        "columns": columns(period),
        "date": date.isoformat(),
        "cut_off": cut_off.strftime("%H:%M"),
        # Before the cut-off the figures are as of their count; the 简报 says so.
        "as_of": timezone.localtime(counted_at or min(as_of, timezone.now())).strftime("%H:%M"),
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
            figures["regions"] = region_table(regions, days)
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
