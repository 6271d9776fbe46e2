"""政策落实 pages: the catalogue and a policy with the enterprises it fits, recording take-up, the list of
take-up records, and the report per policy and region with its export."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Case
from chainwork.errors import ValidationError, show_on_form
from chainwork.exports import Export, export_response
from chainwork.pagination import query_without_page
from enterprises.models import Enterprise
from policies import selectors, services
from policies.filters import PolicyApplicationFilter, PolicyFilter
from policies.forms import ApplicationForm, EnterpriseSearchForm
from policies.matching import eligibility, enterprises_for_policy, match_for_case, match_for_enterprise

PAGE_SIZE = 50


def _require_take_up_viewer(user) -> None:
    if not services.can_view_take_up(user):
        raise PermissionDenied


# --- the catalogue ------------------------------------------------------------------------------------


@login_required
@require_GET
def policy_list(request):
    filterset = PolicyFilter(request.GET or None, queryset=selectors.policy_catalogue())
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/list.html", {
        "filter": filterset, "page": page, "query": query_without_page(request, "format"),
        "can_edit": services.can_edit_catalogue(request.user),
        "can_view_take_up": services.can_view_take_up(request.user),
    })


@login_required
@require_GET
def policy_detail(request, pk: int):
    policy = get_object_or_404(
        selectors.policy_catalogue().prefetch_related("key_fields", "categories", "regions"), pk=pk)
    page = None
    if policy.is_current:
        scoped = Enterprise.objects.visible_to(request.user).select_related("region").order_by("name_pinyin", "pk")
        if policy.key_fields.all():
            # The reasons name the enterprise's key fields only when the policy has any.
            scoped = scoped.prefetch_related("key_fields")
        page = Paginator(enterprises_for_policy(policy, scoped), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = [(e, eligibility(policy, e).reasons) for e in page.object_list]
    return render(request, "policies/detail.html", {
        "policy": policy, "page": page, "query": query_without_page(request, "format"),
        "can_view_take_up": services.can_view_take_up(request.user),
        "can_edit": services.can_edit_catalogue(request.user), "can_record": services.can_record(request.user),
    })


# --- take-up ------------------------------------------------------------------------------------------


def _choose_enterprise(request):
    """No enterprise given: search the user's enterprises to pick one."""
    form = EnterpriseSearchForm(request.GET or None)
    found = []
    if form.is_valid() and form.cleaned_data["q"]:
        found = list(Enterprise.objects.visible_to(request.user).search(form.cleaned_data["q"])
                     .select_related("region").filter(region__isnull=False).order_by("name_pinyin", "pk")[:20])
    return render(request, "policies/application_choose.html", {"form": form, "found": found})


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    # An id that is not a number names nothing: a 404 like any unknown id, not a server error.
    enterprise_id, case_id = (value if value.isdecimal() else "0" if value else ""
                              for value in (source.get("enterprise", ""), source.get("case", "")))
    # Outside the scope first (404), then the role (403).
    enterprise = get_object_or_404(Enterprise.objects.visible_to(user), pk=enterprise_id) \
        if enterprise_id else None
    case = get_object_or_404(Case.objects.visible_to(user).select_related("category", "enterprise"), pk=case_id) \
        if case_id else None
    if not services.can_record(user):
        raise PermissionDenied
    if enterprise is None and case is not None:
        enterprise = case.enterprise
    if enterprise is None:
        return _choose_enterprise(request)

    initial = {"case": case, "policy": request.GET.get("policy") or None}
    form = ApplicationForm(request.POST or None, user=user, enterprise=enterprise, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.policy_application_record(
                actor=user, enterprise_id=enterprise.pk, policy=data["policy"], status=data["status"],
                date=data["date"], case_id=data["case"].pk if data["case"] else None,
                amount_wan=data["amount_wan"], notes=data["notes"])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已记录：%(policy)s · %(status)s。") % {
                "policy": application.policy.name, "status": application.get_status_display()})
            return redirect(f"{reverse('policies-applications')}?enterprise={enterprise.pk}")
    matches = match_for_case(case) if case else match_for_enterprise(enterprise)
    return render(request, "policies/application_form.html", {
        "form": form, "enterprise": enterprise, "case": case, "matches": matches,
        "history": selectors.application_list(user).filter(enterprise=enterprise)[:20],
    })


@login_required
@require_GET
def application_list(request):
    _require_take_up_viewer(request.user)
    filterset = PolicyApplicationFilter(request.GET or None, queryset=selectors.application_list(request.user))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/applications.html", {
        "filter": filterset, "page": page, "query": query_without_page(request, "format"),
        "can_record": services.can_record(request.user),
    })


# --- the report ---------------------------------------------------------------------------------------


def _report_filter(request) -> PolicyApplicationFilter:
    """The report's filter; without dates it covers this year up to today."""
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("date_after"):
        data["date_after"] = dt.date(today.year, 1, 1).isoformat()
    if not data.get("date_before"):
        data["date_before"] = today.isoformat()
    data.pop("status", None)
    return PolicyApplicationFilter(data, queryset=selectors.application_list(request.user))


@login_required
@require_GET
def report(request):
    _require_take_up_viewer(request.user)
    filterset = _report_filter(request)
    result = selectors.take_up_report(filterset.qs) if filterset.is_valid() else None
    return render(request, "policies/report.html", {
        "filter": filterset, "report": result, "query": filterset.data.urlencode(),
    })


@login_required
@require_GET
def report_export(request):
    _require_take_up_viewer(request.user)
    filterset = _report_filter(request)
    if not filterset.is_valid():
        return redirect(f"{reverse('policies-report')}?{query_without_page(request, 'format')}")
    result = selectors.take_up_report(filterset.qs)
    data = filterset.form.cleaned_data
    title = _("政策落实情况统计表（%(start)s至%(end)s）") % {
        "start": f"{data['date_after']:%Y-%m-%d}", "end": f"{data['date_before']:%Y-%m-%d}"}
    rows = [[r.policy_name, r.region_name, r.recommended, r.applied, r.granted, r.refused, r.amount_granted]
            for r in result.rows]
    t = result.totals
    rows.append([_("合计（企业不重复计）"), "", t.recommended, t.applied, t.granted, t.refused, t.amount_granted])
    export = Export(
        kind="policy-report", title=title, rows=rows,
        headers=[_("政策"), _("地区"), _("推荐企业数"), _("申请企业数"), _("获批（受惠）企业数"), _("未获批企业数"),
                 _("获批金额（万元）")],
        filters={k: v for k, v in filterset.data.items() if k not in ("format", "page")},
    )
    return export_response(request, export, request.GET.get("format", "xlsx"))

