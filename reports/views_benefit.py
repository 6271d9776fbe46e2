"""整体效益 pages: the report per province or per chain over a period, with charts, and its .xlsx export.
Who: the officials of the 统计报表 (reports.views.report_area: 403 for other roles, 404 for a region
outside the scope)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chainwork.exports import Export, export_response
from reports import benefit
from reports.figures import scope_label
from reports.views import report_area, sees_referrals


def _period(data) -> tuple[dt.date, dt.date, str]:
    """The period of ?date_after= and ?date_before= (this year up to today by default), or an error."""
    start, end = benefit.default_period()
    today = end
    try:
        if data.get("date_after"):
            start = dt.date.fromisoformat(data["date_after"])
        if data.get("date_before"):
            end = min(dt.date.fromisoformat(data["date_before"]), today)
    except ValueError:
        return (*benefit.default_period(), _("日期格式不正确，请按年-月-日填写。"))
    if end < start:
        return (*benefit.default_period(), _("截止日期不能早于起始日期。"))
    return start, end, ""


def _labels() -> dict:
    return {"relief": _("政策兑现（万元）"), "credit": _("授信（万元）"), "disbursed": _("放款（万元）"),
            "arrears_repaid": _("清欠（万元）"), "before": _("期初复工率"), "after": _("期末复工率"),
            "amount": _("金额（万元）"), "rate": _("复工率")}


@login_required
@require_GET
def benefit_report(request):
    area = report_area(request)
    start, end, error = _period(request.GET)
    by = "chain" if request.GET.get("by") == "chain" else "region"
    result = benefit.kept_benefit(area.scope, start, end, by=by, with_referrals=sees_referrals(request.user))
    chart = {
        "labels": _labels(),
        "rows": [{"name": row.name, "relief": float(row.relief), "credit": float(row.credit),
                  "disbursed": float(row.disbursed), "arrears_repaid": float(row.arrears_repaid),
                  "before": row.before.get("pct"), "after": row.after.get("pct")} for row in result.rows],
    }
    params = {"date_after": start.isoformat(), "date_before": end.isoformat(), "by": by}
    if area.region_code:
        params["region"] = area.region_code
    return render(request, "reports/benefit.html", {
        "result": result, "chart": chart, "area": area, "scope_name": scope_label(area.scope), "error": error,
        "query": urlencode(params), "by": by, "date": end, "cache_minutes": settings.DASHBOARD_CACHE_SECONDS // 60,
    }, status=400 if error else 200)


@login_required
@require_GET
def benefit_export(request):
    area = report_area(request)
    start, end, _error = _period(request.GET)
    by = "chain" if request.GET.get("by") == "chain" else "region"
    result = benefit.kept_benefit(area.scope, start, end, by=by, limit=None,
                                  with_referrals=sees_referrals(request.user))

    def pct(value: dict):
        return "" if value.get("pct") is None else f"{value['pct']}%"

    rows = [[row.name, row.enterprises, row.relief, row.credit, row.disbursed, row.arrears_repaid,
             row.problems_solved, pct(row.before), pct(row.after)] for row in result.rows]
    t = result.totals
    rows.append([_("合计（企业不重复计）"), t.enterprises, t.relief, t.credit, t.disbursed, t.arrears_repaid,
                 t.problems_solved, pct(t.before), pct(t.after)])
    title = _("%(scope)s产业链协同复工复产整体效益统计表（%(start)s至%(end)s）") % {
        "scope": scope_label(area.scope), "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    export = Export(
        kind="benefit-report", title=title, rows=rows,
        headers=[_("产业链（龙头企业）") if by == "chain" else _("地区"), _("服务企业数"), _("政策兑现金额（万元）"),
                 _("授信金额（万元）"), _("放款金额（万元）"), _("清欠金额（万元）"), _("解决问题数"),
                 _("期初复工率"), _("期末复工率")],
        filters={"date_after": start.isoformat(), "date_before": end.isoformat(), "by": by,
                 "region": area.region_code},
    )
    return export_response(request, export, "xlsx")
