"""监测 page of the 会商: the watched area's daily rates as a chart and table, and the enterprises whose
status fell since the last 会商. Officials only (a department or a 驻企联络员 gets 403)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chainwork.models import KeyField, Region, Role
from chainwork.scope import role_for, scope_for
from enterprises.models import Enterprise
from reports import monitoring

WATCHERS = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN)


@login_required
@require_GET
def monitoring_page(request):
    user = request.user
    if role_for(user) not in WATCHERS:
        raise PermissionDenied
    area = monitoring.area_from(user, request.GET)
    try:
        since = parse_date(request.GET.get("since", "")) if request.GET.get("since") else None
    except ValueError:
        since = None
    error = _("请填写有效的日期，如 2026-12-10。") if request.GET.get("since") and since is None else ""
    since = since or monitoring.last_meeting_day(user)
    rows = monitoring.trend(user, area)
    scope = scope_for(user)
    regions = Region.objects.all() if scope.is_national else Region.objects.filter(code__in=scope.regions or [])
    leads = (Enterprise.objects.visible_to(user).filter(is_lead=True).order_by("name").values("pk", "name")[:200])
    chart = {"labels": {"resumption": _("复工率"), "staff": _("员工到岗率"), "output": _("达产率")}, "rows": rows}
    return render(request, "reports/monitoring.html", {
        "area": area, "rows": rows, "chart": chart, "since": since, "error": error,
        "fallen": monitoring.fallen(user, area, since, latest=monitoring.latest_day(rows, since)),
        "regions": regions, "key_fields": KeyField.objects.all(),
        "leads": leads, "fall": monitoring.FALL, "weeks": monitoring.WEEKS}, status=400 if error else 200)
