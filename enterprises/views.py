"""重点企业名单 pages: list, detail (full or limited), create and edit, daily status, supply links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chainwork.audit import history_for
from chainwork.errors import NotPermitted, StaleVersion, ValidationError, show_on_form
from chainwork.exports import Export, export_response
from chainwork.models import Role
from chainwork.pagination import query_without_page
from chainwork.scope import scope_for
from enterprises import permissions, services
from enterprises.chains import chain_for, chains_served
from enterprises.filters import EnterpriseFilter
from enterprises.forms import EnterpriseForm, StatusForm, SupplyLinkForm
from enterprises.models import Enterprise, Resumption, StatusReport, SupplyLink

PAGE_SIZE = 50


def _listed(user):
    return (Enterprise.objects.visible_to(user)
            .select_related("region")
            # The names in a subquery rather than a prefetch: no second query and no related objects
            # to build for each row of the list or the export.
            .annotate(key_field_names=ArraySubquery(
                Enterprise.key_fields.through.objects.filter(enterprise_id=OuterRef("pk"))
                .order_by("keyfield__order", "keyfield__slug").values("keyfield__name")))
            # A subquery, not a join and GROUP BY: the page's COUNT(*) then leaves it out.
            .annotate(partner_count=Coalesce(Subquery(
                SupplyLink.objects.filter(lead=OuterRef("pk")).order_by().values("lead")
                .annotate(n=Count("pk")).values("n")), 0))
            .order_by("name_pinyin", "pk"))


@login_required
def enterprise_list(request):
    filterset = EnterpriseFilter(request.GET or None, queryset=_listed(request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "can_create": permissions.can_create(request.user),
               "query": query_without_page(request), "today": timezone.localdate()}
    if request.htmx:
        return render(request, "enterprises/partials/_list_table.html", context)
    return render(request, "enterprises/list.html", context)


@login_required
def enterprise_export(request):
    filterset = EnterpriseFilter(request.GET or None, queryset=_listed(request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset

    def rows():
        for e in queryset.iterator(chunk_size=2000):
            yield [e.name, e.credit_code or "", e.location_label, e.city, e.industry_id or "",
                   "、".join(e.key_field_names), e.get_size_display(),
                   _("是") if e.is_lead else _("否"), e.get_status_display() or _("未填报"),
                   e.status_date or "", _percent(e.staff_rate), _percent(e.output_rate),
                   e.contact_name, e.contact_phone]

    export = Export(
        kind="enterprises", title=_("重点企业名单"),
        headers=[_("企业名称"), _("统一社会信用代码"), _("所属地区"), _("市"), _("行业门类"), _("重点领域"),
                 _("企业规模"), _("龙头企业"), _("复工状态"), _("状态日期"), _("员工到岗率"), _("达产率"),
                 _("联系人"), _("联系电话")],
        rows=rows(), filters={k: v for k, v in request.GET.items() if k not in ("format", "page")},
    )
    return export_response(request, export, request.GET.get("format", "xlsx"))


def _percent(value) -> str:
    return f"{value:.1%}" if value is not None else ""


def _fetch_for_view(user, pk: int) -> tuple[Enterprise, bool]:
    """The enterprise and whether the user sees it in full; 404 outside full and linked views."""
    enterprise = get_object_or_404(
        Enterprise.objects.seen_by(user).select_related("region", "list_region", "industry"), pk=pk)
    full = Enterprise.objects.visible_to(user).filter(pk=pk).exists()
    return enterprise, full


@login_required
def enterprise_detail(request, pk: int):
    enterprise, full = _fetch_for_view(request.user, pk)
    if not full and scope_for(request.user).role == Role.ASSOCIATION:
        # A 行业协会 sees the enterprise it covers by name, region and status, not its chain.
        return render(request, "enterprises/detail_limited.html", {"enterprise": enterprise, "association": True})
    served = chains_served(enterprise, request.user)
    if not full:
        return render(request, "enterprises/detail_limited.html", {"enterprise": enterprise, "served": served})
    reports = list(enterprise.status_reports.order_by("-date")[:60])
    context = {
        "enterprise": enterprise,
        "key_fields": enterprise.key_fields.all(),
        "chain": chain_for(enterprise, request.user) if enterprise.is_lead else None,
        "served": served,
        "reports": reports[:15],
        "status_series": _status_series(reports),
        "history": history_for(enterprise)[:50],
        "can_edit": permissions.can_edit(request.user, enterprise),
        "can_report": permissions.can_report_status(request.user, enterprise),
        "can_match_policies": scope_for(request.user).records_policy_take_up,
        "status_form": StatusForm(),
    }
    return render(request, "enterprises/detail.html", context)


def _status_series(reports: list[StatusReport]) -> dict:
    ordered = sorted(reports, key=lambda r: r.date)
    return {
        "dates": [r.date.isoformat() for r in ordered],
        "staff_rate": [float(r.staff_rate) * 100 if r.staff_rate is not None else None for r in ordered],
        "output_rate": [float(r.output_rate) * 100 if r.output_rate is not None else None for r in ordered],
        "labels": {"staff_rate": _("员工到岗率"), "output_rate": _("达产率")},
    }


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request):
    if not permissions.can_create(request.user):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.enterprise_save(actor=request.user, data=form.to_data(),
                                              confirm_org_code=form.cleaned_data.get("confirm_org_code", False))
        except ValidationError as error:
            show_on_form(form, error)
        except NotPermitted as error:
            form.add_error(None, str(error))
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, _("已登记“%(name)s”。") % {"name": result.enterprise.name})
            return redirect("enterprises-detail", pk=result.enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    if not permissions.can_edit(request.user, enterprise):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, user=request.user, initial=EnterpriseForm.initial_for(enterprise))
    status = 200
    if request.method == "POST" and form.is_valid():
        # The version the form was loaded with; a form without one counts as stale, as on a problem.
        raw_version = request.POST.get("version", "")
        version = int(raw_version) if raw_version.isdecimal() and len(raw_version) < 10 else 0
        try:
            result = services.enterprise_save(actor=request.user, data=form.to_data(), instance=enterprise,
                                              confirm_org_code=form.cleaned_data.get("confirm_org_code", False),
                                              version=version)
        except ValidationError as error:
            show_on_form(form, error)
        except NotPermitted as error:
            form.add_error(None, str(error))
        except StaleVersion as error:
            # The other official's edit stands; the form keeps this one's input and now carries the
            # current version, so saving again is a choice made knowingly.
            form.add_error(None, error.message)
            enterprise.refresh_from_db()
            status = 409
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, _("已保存。"))
            return redirect("enterprises-detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise, "creating": False,
                                                     "stale": status == 409}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def status_report_create(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    if not permissions.can_report_status(request.user, enterprise):
        raise PermissionDenied
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_report_record(actor=request.user, enterprise=enterprise, data=form.to_data())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已填报%(date)s的复工情况。") % {"date": form.cleaned_data["date"]})
            return redirect("enterprises-detail", pk=enterprise.pk)
    return render(request, "enterprises/status_form.html", {"form": form, "enterprise": enterprise})


GRID_FIELDS = ("resumed", "staff_at_work", "staff_normal", "output", "output_normal")


@login_required
@require_http_methods(["GET", "POST"])
def status_grid(request):
    """Today's status for a whole list at once: an editable grid, saved all or nothing."""
    day = parse_date(request.GET.get("date") or request.POST.get("date") or "") or timezone.localdate()
    filterset = EnterpriseFilter(request.GET or None, queryset=_listed(request.user), request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    reportable = permissions.reportable_ids(request.user, page.object_list)
    enterprises = [e for e in page.object_list if e.pk in reportable]
    existing = {r.enterprise_id: r for r in StatusReport.objects.filter(enterprise__in=enterprises, date=day)}
    rows, errors = [], {}
    if request.method == "POST":
        submitted = []
        for enterprise in enterprises:
            prefix = f"e{enterprise.pk}"
            values = {name: request.POST.get(f"{prefix}-{name}", "").strip() for name in GRID_FIELDS}
            if not values["resumed"]:
                continue
            form = StatusForm({"date": day, "resumed": values["resumed"], **values})
            if form.is_valid():
                submitted.append((enterprise, form))
            else:
                errors[enterprise.pk] = [str(m) for messages_ in form.errors.values() for m in messages_]
        if not errors and submitted:
            with transaction.atomic():
                for enterprise, form in submitted:
                    try:
                        services.status_report_record(actor=request.user, enterprise=enterprise,
                                                      data=form.to_data(), source=StatusReport.Source.GRID)
                    except ValidationError as error:
                        errors[enterprise.pk] = [m for ms in error.message_dict.values() for m in ms]
                if errors:
                    transaction.set_rollback(True)  # the grid is saved whole or not at all
            if not errors:
                messages.success(request, _("已保存%(n)d家企业%(date)s的复工情况。")
                                 % {"n": len(submitted), "date": day})
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        elif not submitted and not errors:
            messages.info(request, _("没有填写任何企业的情况。"))
        if errors:
            messages.error(request, _("有%(n)d行填写有误，未保存任何数据，请修改后重新提交。") % {"n": len(errors)})
    for enterprise in enterprises:
        prefix = f"e{enterprise.pk}"
        report = existing.get(enterprise.pk)
        values = {name: (request.POST.get(f"{prefix}-{name}", "") if request.method == "POST"
                         else (getattr(report, name) if report and getattr(report, name) is not None else ""))
                  for name in GRID_FIELDS}
        rows.append({"enterprise": enterprise, "prefix": prefix, "values": values,
                     "errors": errors.get(enterprise.pk, []), "reported": report is not None})
    return render(request, "enterprises/status_grid.html", {
        "rows": rows, "day": day, "page": page, "filter": filterset, "choices": Resumption.choices,
        "query": query_without_page(request)})


@login_required
@require_http_methods(["GET", "POST"])
def supply_link_create(request, pk: int):
    lead = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    if not permissions.can_edit(request.user, lead):
        raise PermissionDenied
    form = SupplyLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        partner = services.PartnerData(credit_code=c.get("partner_credit_code", ""), name=c.get("partner_name", ""),
                                       region=c.get("partner_region"), country=c.get("partner_country", ""))
        try:
            link, created = services.supply_link_add(
                actor=request.user, lead=lead, partner=partner, direction=c["direction"], product=c["product"],
                criticality=c["criticality"], single_source=c["single_source"])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            if created and link.partner.is_abroad:
                messages.info(request, _("已登记境外企业“%(name)s”（%(country)s），本地区专班和部专班可以修改。") % {
                    "name": link.partner.name, "country": link.partner.country})
            elif created:
                messages.info(request, _("已将“%(name)s”登记到%(region)s名单。") % {
                    "name": link.partner.name, "region": str(link.partner.list_region)})
            messages.success(request, _("已添加配套企业“%(name)s”。") % {"name": link.partner.name})
            return redirect("enterprises-detail", pk=lead.pk)
    return render(request, "enterprises/link_form.html", {"form": form, "lead": lead})


@login_required
@require_POST
def supply_link_delete(request, pk: int):
    link = get_object_or_404(SupplyLink.objects.select_related("lead", "partner")
                             .filter(lead__in=Enterprise.objects.visible_to(request.user)), pk=pk)
    try:
        services.supply_link_delete(actor=request.user, link=link)
    except NotPermitted as error:
        raise PermissionDenied from error
    messages.success(request, _("已删除与“%(name)s”的配套关系。") % {"name": link.partner.name})
    return redirect("enterprises-detail", pk=link.lead_id)


