"""GET /api/v1/reports/dashboard/?date=&region= — the dashboard's figures as JSON, scoped like the page."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from chainwork.api_errors import DomainErrorsMixin
from reports import departments, figures
from reports.views import report_area, report_date, sees_referrals


class DashboardViewSet(viewsets.ViewSet):
    """统计报表: the same blocks as the dashboard page; 403 for departments and liaison officers."""

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="统计日期（默认今天）"),
                    OpenApiParameter("region", OpenApiTypes.STR, description="地区代码（两位）")],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        area = report_area(request, request.query_params)
        date = report_date(request.query_params)
        return Response(figures.dashboard(area.scope, date, with_referrals=sees_referrals(request.user)))


class DepartmentRecordViewSet(DomainErrorsMixin, viewsets.ViewSet):
    """各部门办理情况: the 部专班 side per department, a province per 责任单位; 403 for others."""

    @extend_schema(
        summary="各部门办理情况 · Each department's record",
        description="统计期间内每个承办部门（省专班为每个责任单位）：收到转办、按时反馈、逾期反馈、仍在办理（其中超期）、"
                    "退回、申请延期和平均反馈天数。日期格式有误 400；部门和驻企联络员 403。",
        parameters=[OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（默认30天前）"),
                    OpenApiParameter("to", OpenApiTypes.DATE, description="结束日期（默认今天）")],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        departments.record_kind(request.user)  # the role first: 403 before the input's 400
        period = departments.period_from(request.query_params)
        return Response(departments.record(request.user, period))


def register(router) -> None:
    router.register("reports/dashboard", DashboardViewSet, basename="reports-api-dashboard")
    router.register("reports/departments", DepartmentRecordViewSet, basename="reports-api-departments")
