"""统计报表 pages: the dashboard, the 日报 (定稿, exports, 零报告) and the dashboard API.

Who: the officials of the main menu (province, province lead, ministry, ministry liaison, admin).
A department or a liaison officer gets 403 here: their work is the referrals and enterprises assigned
to them, not regional statistics. A region outside the user's scope in ?region= is a 404.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
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
from openpyxl import load_workbook
from openpyxl.styles import Font

from chainwork.exports import Export, chinese_date, export_response, safe_cell, watermark_text
from chainwork.menu import OFFICIALS
from chainwork.models import NATIONAL_ROLES, Region, Role
from chainwork.scope import Scope, role_for, scope_for
from reports import benefit, daily, figures
from reports.docx import docx_response


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
    role = scope.role
    if role not in OFFICIALS:
        raise PermissionDenied(_("无权查看统计报表。"))
    data = request.GET if data is None else data
    code = (data.get("region") or "").strip()
    if "\x00" in code:  # PostgreSQL refuses the character in any query: no region has it
        raise Http404(_("不在您的地区范围内。"))
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
    return role_for(user) in NATIONAL_ROLES


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
        "data": data, "chart": chart, "coverage": figures.liaison_coverage(request.user, area.scope),
        "area": area, "date": date, "today": timezone.localdate(),
        "counted_at": dt.datetime.fromisoformat(data["counted_at"]),
        "cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
        "fragment_key": figures.scope_key(area.scope, date, sees_referrals(request.user)),
        "cache_minutes": settings.DASHBOARD_CACHE_SECONDS // 60,
        "query": _filter_query(area, date),
    })


def _period(data) -> str:
    return "week" if data.get("period") == "week" else "day"


def _report_context(request, period: str) -> dict:
    """What the 日报 / 周报 page and its print view show: the figures (frozen once 定稿), who finalised
    them, and the actions the user may take."""
    area = report_area(request)
    date = report_date(request.GET)
    data, report = daily.figures_for(area.scope, area.region, date, keyed=area.keyed, period=period)
    final = daily.is_final(report, period)
    user = request.user
    return {
        "data": data, "report": report, "final": final, "final_info": daily.final_info(report, period),
        "area": area, "date": date, "period": period, "query": _filter_query(area, date),
        "title": _title(data, date),
        "can_finalise": area.keyed and not final and daily.can_finalise(user, area.region),
        "can_zero_report": period == "day" and user.role in (Role.PROVINCE, Role.PROVINCE_LEAD)
        and area.region is not None and area.region.pk == user.region_id and date == timezone.localdate(),
    }


@login_required
def daily_report(request):
    return render(request, "reports/daily.html", _report_context(request, "day"))


@login_required
def weekly_report(request):
    """周报: the seven days ending on the date, each figure against the week before; frozen once 定稿. The
    week's 整体效益 (credit, payments, arrears repaid …) is counted live beside it."""
    context = _report_context(request, "week")
    start, end = context["date"] - dt.timedelta(days=6), context["date"]
    context["benefit"] = {"start": start, "end": end,
                          "totals": benefit.period_totals(context["area"].scope, start, end)}
    return render(request, "reports/daily.html", context)


@login_required
def daily_print(request):
    """The 日报 (or, with ?period=week, the 周报) on an A4 sheet for printing."""
    context = _report_context(request, _period(request.GET))
    context["printed_at"] = timezone.now()
    context["issuer"] = _issuer(request.user)
    return render(request, "reports/print.html", context)


def _finalise(request, period: str):
    area = report_area(request, request.POST)
    date = report_date(request.POST)
    if not area.keyed:
        raise PermissionDenied(_("请选择一个地区后再定稿。"))
    daily.finalise(scope=area.scope, region=area.region, date=date, actor=request.user, period=period)
    if period == "week":
        messages.success(request, _("周报已定稿，数据不再变化。"))
        return redirect(f"{reverse('reports-weekly')}?{_filter_query(area, date)}")
    messages.success(request, _("日报已定稿，数据不再变化。"))
    return redirect(f"{reverse('reports-daily')}?{_filter_query(area, date)}")


@login_required
@require_POST
def daily_finalise(request):
    return _finalise(request, "day")


@login_required
@require_POST
def weekly_finalise(request):
    return _finalise(request, "week")


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


def _issuer(user) -> str:
    return user.unit or (str(user.region) if user.region else _("部专班"))


@login_required
def daily_export(request):
    area = report_area(request)
    date = report_date(request.GET)
    period = _period(request.GET)
    data, report = daily.figures_for(area.scope, area.region, date, keyed=area.keyed, period=period)
    final = daily.is_final(report, period)
    title = _title(data, date)
    filters = {"date": date.isoformat(), "region": area.region_code, "period": period, "final": final}
    kind = "weekly_report" if period == "week" else "daily_report"
    if request.GET.get("format") == "docx":
        return docx_response(request, data, title=title, issuer=_issuer(request.user), filters=filters,
                             final=final, kind=kind)

    def rows():
        for row in data["rows"]:
            total = row["total"] if row["unit"] != "%" or row["total"] is None else f"{row['total']:.1f}%"
            yield [row["label"], row["new"] if row["new"] is not None else "", total,
                   row["change"] if row["change"] is not None else "", row["unit"]]
        if period == "week":
            # The week's 整体效益, counted live (the 周报's own figures may be frozen by 定稿).
            t = benefit.period_totals(area.scope, date - dt.timedelta(days=6), date)
            for label, value, unit in ((_("整体效益：服务企业"), t.enterprises, _("家")),
                                       (_("整体效益：政策兑现金额"), t.relief, _("万元")),
                                       (_("整体效益：授信金额"), t.credit, _("万元")),
                                       (_("整体效益：放款金额"), t.disbursed, _("万元")),
                                       (_("整体效益：清欠金额"), t.arrears_repaid, _("万元")),
                                       (_("整体效益：解决问题"), t.problems_solved, _("个"))):
                yield [label, value, "", "", unit]

    names = daily.columns(period)
    export = Export(kind=kind, title=title, headers=[_("指标"), names["new"], _("累计"), names["change"], _("单位")],
                    rows=rows(), filters=filters)
    response = export_response(request, export, "xlsx", stream=False)
    if data.get("regions"):
        response.content = region_sheet(response.content, data["regions"], title=title, user=request.user)
    return response


def region_sheet(content: bytes, regions: list[dict], *, title: str, user) -> bytes:
    """Add the 分地区情况 sheet to a 日报 workbook made by export_response, with the same conventions
    (title row, 填报单位 / 填报人 / 联系电话 / 填报日期, the watermark in the page header and in a row,
    a header row starting with 序号)."""
    when = timezone.now()
    mark = watermark_text(user, when)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.create_sheet(title=str(_("分地区情况")))
    for side in (sheet.oddHeader, sheet.oddFooter, sheet.evenHeader, sheet.evenFooter):
        side.center.text = mark
    sheet.append([_("%(title)s·分地区情况") % {"title": title}])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in ([_("填报单位"), _issuer(user)], [_("填报人"), str(user)], [_("联系电话"), user.phone],
                 [_("填报日期"), chinese_date(timezone.localdate())], [mark]):
        sheet.append([safe_cell(value) for value in line])
    sheet.append([_("序号"), *region_headers()])
    for number, row in enumerate(regions, start=1):
        sheet.append([number, *(safe_cell(value) for value in _region_cells(row))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def region_headers() -> list[str]:
    return [_("地区"), _("复工企业当日新增（家）"), _("复工企业累计（家）"), _("复工率"),
            _("问题当日新增（个）"), _("问题累计（个）"), _("办结率"), _("报送情况")]


def _pct_text(value: dict) -> str:
    return "—" if value["pct"] is None else f"{value['pct']:.1f}%"


def _region_cells(row: dict) -> list:
    return [row["name"], row["resumed_new"], row["resumed_total"], _pct_text(row["resumption"]),
            row["logged_new"], row["logged_total"], _pct_text(row["closure"]), row["reporting_label"]]


DASHBOARD_TABLES = ("regions", "states")


@login_required
def dashboard_export(request):
    """The dashboard's 分地区复工情况 (?table=regions, the default) or 问题按状态 (?table=states) table as
    .xlsx, through chainwork.exports (logged)."""
    area = report_area(request)
    date = report_date(request.GET)
    table = request.GET.get("table") or "regions"
    if table not in DASHBOARD_TABLES:
        raise Http404(_("没有这个表格。"))
    filters = {"date": date.isoformat(), "region": area.region_code, "table": table}
    scope_name = figures.scope_label(area.scope)
    when = chinese_date(date)
    if table == "regions":
        rows = figures.region_rows(area.scope, figures.enterprise_figures(area.scope, date))
        export = Export(
            kind="dashboard_regions",
            title=_("%(scope)s分地区复工情况（%(date)s）") % {"scope": scope_name, "date": when},
            headers=[_("地区"), _("企业"), _("已复工"), _("部分复工"), _("未复工"), _("未填报"), _("复工率"),
                     _("到岗率"), _("达产率")],
            rows=([row["name"], row["total"], row["status"]["yes"], row["status"]["partly"], row["status"]["no"],
                   row["status"]["unknown"], _pct_text(row["resumption"]), _pct_text(row["staff"]),
                   _pct_text(row["output"])] for row in rows),
            filters=filters)
    else:
        states = figures.case_figures(area.scope, date)["by_state"]
        export = Export(
            kind="dashboard_states",
            title=_("%(scope)s问题按状态统计（%(date)s）") % {"scope": scope_name, "date": when},
            headers=[_("状态"), _("问题数（个）")],
            rows=([row["label"], row["n"]] for row in states if row["n"]),
            filters=filters)
    return export_response(request, export, "xlsx")
