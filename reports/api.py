"""GET /api/v1/reports/dashboard/?date=&region= — the dashboard's figures as JSON, scoped like the page."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from reports import figures
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


def register(router) -> None:
    router.register("reports/dashboard", DashboardViewSet, basename="reports-api-dashboard")
