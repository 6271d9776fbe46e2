"""统计报表 pages: the dashboard, the 日报 (定稿, exports, 零报告) and the dashboard API.

Who: the officials of the main menu (province, province lead, ministry, ministry liaison, admin).
A department or a liaison officer gets 403 here: their work is the referrals and enterprises assigned
to them, not regional statistics. A region outside the user's scope in ?region= is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chainwork.exports import Export, chinese_date, export_response
from chainwork.menu import OFFICIALS
from chainwork.models import Region, Role
from chainwork.reports import daily, figures
from chainwork.reports.docx import docx_response
from chainwork.scope import Scope, scope_for


@dataclass(frozen=True)
class ReportArea:
    """What a report covers for this request: the scope to count in, the region it is keyed by (None =
    national) and whether (region, date) names one stored 日报 (not for a liaison's set of regions)."""

    scope: Scope
    region: Region | None
    keyed: bool
    region_code: str
    choices: list[Region] | None


def report_area(request, data=None) -> ReportArea:
    user = request.user
    scope = scope_for(user)
    role = Role.ADMIN if user.is_superuser else scope.role
    if role not in OFFICIALS:
        raise PermissionDenied(_("无权查看统计报表。"))
    data = request.GET if data is None else data
    code = (data.get("region") or "").strip()
    choices = None
    if scope.is_national or len(scope.regions) > 1:
        choices = list(figures.regions_in(scope))
    if code:
        if not scope.covers(code) or not Region.objects.filter(pk=code).exists():
            raise Http404(_("不在您的地区范围内。"))
        scope = figures.narrowed(scope, code)
    region = None
    if scope.regions is not None and len(scope.regions) == 1:
        region = Region.objects.get(pk=next(iter(scope.regions)))
    keyed = scope.is_national or region is not None
    return ReportArea(scope=scope, region=region, keyed=keyed, region_code=code, choices=choices)


def report_date(data) -> dt.date:
    value = (data.get("date") or "").strip()
    today = timezone.localdate()
    if not value:
        return today
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return today
    return min(date, today)


def sees_referrals(user) -> bool:
    return user.is_superuser or user.role in figures.NATIONAL_ROLES


def _filter_query(area: ReportArea, date: dt.date) -> str:
    params = {"date": date.isoformat()}
    if area.region_code:
        params["region"] = area.region_code
    return urlencode(params)


@login_required
def dashboard(request):
    area = report_area(request)
    date = report_date(request.GET)
    data = figures.dashboard(area.scope, date, with_referrals=sees_referrals(request.user))
    chart = {
        "labels": {"yes": _("已复工"), "partly": _("部分复工"), "no": _("未复工"), "unknown": _("未填报"),
                   "rate": _("复工率"), "count": _("企业数（家）")},
        "regions": [{"name": row["abbr"], "status": row["status"], "rate": row["resumption"]["pct"]}
                    for row in data["regions"]],
        "states": [{"name": row["label"], "n": row["n"]} for row in data["cases"]["by_state"]],
    }
    return render(request, "reports/dashboard.html", {
        "data": data, "chart": chart, "area": area, "date": date, "today": timezone.localdate(),
        "query": _filter_query(area, date),
    })


@login_required
def daily_report(request):
    area = report_area(request)
    date = report_date(request.GET)
    data, report = daily.figures_for(area.scope, area.region, date, keyed=area.keyed)
    final = bool(report and report.is_final)
    user = request.user
    return render(request, "reports/daily.html", {
        "data": data, "report": report, "final": final, "area": area, "date": date, "period": "day",
        "query": _filter_query(area, date),
        "can_finalise": area.keyed and not final and daily.can_finalise(user, area.region),
        "can_zero_report": user.role in (Role.PROVINCE, Role.PROVINCE_LEAD) and area.region is not None
        and area.region.pk == user.region_id and date == timezone.localdate(),
    })


@login_required
def weekly_report(request):
    """周报: the seven days ending on the date, each figure against the week before. Always live."""
    area = report_area(request)
    date = report_date(request.GET)
    data, _report = daily.figures_for(area.scope, area.region, date, keyed=area.keyed, period="week")
    return render(request, "reports/daily.html", {
        "data": data, "final": False, "area": area, "date": date, "period": "week",
        "query": _filter_query(area, date), "can_finalise": False, "can_zero_report": False,
    })


@login_required
@require_POST
def daily_finalise(request):
    area = report_area(request, request.POST)
    date = report_date(request.POST)
    if not area.keyed:
        raise PermissionDenied(_("请选择一个地区后再定稿。"))
    daily.finalise(scope=area.scope, region=area.region, date=date, actor=request.user)
    messages.success(request, _("日报已定稿，数据不再变化。"))
    return redirect(f"{reverse('reports-daily')}?{_filter_query(area, date)}")


@login_required
@require_POST
def zero_report(request):
    user = request.user
    if user.role not in (Role.PROVINCE, Role.PROVINCE_LEAD) or user.region_id is None:
        raise PermissionDenied(_("只有省专班可以报送零报告。"))
    _report, created = daily.zero_report(region=user.region, date=timezone.localdate(), actor=user)
    if created:
        messages.success(request, _("已报送今日零报告。"))
    else:
        messages.info(request, _("今日已报送过零报告。"))
    return redirect("reports-daily")


def _title(data: dict, date: dt.date) -> str:
    if data.get("period") == "week":
        return _("%(scope)s产业链协同复工复产周报（%(start)s至%(date)s）") % {
            "scope": data["scope"], "start": chinese_date(dt.date.fromisoformat(data["start"])),
            "date": chinese_date(date)}
    return _("%(scope)s产业链协同复工复产日报（%(date)s）") % {"scope": data["scope"], "date": chinese_date(date)}


@login_required
def daily_export(request):
    area = report_area(request)
    date = report_date(request.GET)
    period = "week" if request.GET.get("period") == "week" else "day"
    data, report = daily.figures_for(area.scope, area.region, date, keyed=area.keyed, period=period)
    final = bool(report and report.is_final)
    title = _title(data, date)
    filters = {"date": date.isoformat(), "region": area.region_code, "period": period, "final": final}
    kind = "weekly_report" if period == "week" else "daily_report"
    if request.GET.get("format") == "docx":
        issuer = request.user.unit or (request.user.region.name if request.user.region else _("部专班"))
        return docx_response(request, data, title=title, issuer=issuer, filters=filters, final=final,
                             kind=kind)

    def rows():
        for row in data["rows"]:
            total = row["total"] if row["unit"] != "%" or row["total"] is None else f"{row['total']:.1f}%"
            yield [row["label"], row["new"] if row["new"] is not None else "", total,
                   row["change"] if row["change"] is not None else "", row["unit"]]

    names = daily.columns(period)
    export = Export(kind=kind, title=title, headers=[_("指标"), names["new"], _("累计"), names["change"], _("单位")],
                    rows=rows(), filters=filters)
    return export_response(request, export, "xlsx")
