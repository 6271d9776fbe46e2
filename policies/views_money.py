"""产融对接 and 清欠 pages: the financing needs (per province and per chain), their steps, the bank-side
export for the 产融合作平台; the arrears ledger, its repayments and disputes.

Who: the officials with a region scope or a national one and the liaison officers read (in their scope);
the province work group and liaison officers record. Outside the scope 404, wrong role 403; a step the
state does not allow, or bad input, re-renders the page with the message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chainwork.errors import InvalidState, ValidationError, show_on_form
from chainwork.exports import Export, export_response
from chainwork.pagination import counted_paginator, query_without_page
from enterprises.models import Enterprise
from policies import selectors, services
from policies.filters import ArrearFilter, FinancingNeedFilter
from policies.forms import (
    ArrearForm,
    DisputeForm,
    EnterpriseSearchForm,
    FinancingNeedForm,
    FinancingStepForm,
    RepayForm,
)
from policies.models import FinancingState

PAGE_SIZE = 50


def _require_viewer(user) -> None:
    if not services.can_view_money(user):
        raise PermissionDenied


def _chain_lead(request, filterset) -> Enterprise | None:
    """The lead whose chain the list is narrowed to, named in the heading (a lead the user sees by name)."""
    value = filterset.form.cleaned_data.get("lead") if filterset.is_bound and filterset.is_valid() else None
    if not value:
        return None
    return Enterprise.objects.linked_visible_to(request.user).filter(pk=value).first()


def _enterprise_for_create(request):
    """The enterprise of a new record from ?enterprise= (404 outside the scope), then the role (403)."""
    source = request.POST if request.method == "POST" else request.GET
    value = source.get("enterprise", "")
    enterprise = None
    if value:
        if not value.isdecimal():
            raise Http404
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=value)
    if not services.can_record_money(request.user):
        raise PermissionDenied
    return enterprise


def _choose_enterprise(request, *, title: str, target: str):
    form = EnterpriseSearchForm(request.GET or None)
    found = []
    if form.is_valid() and form.cleaned_data["q"]:
        found = list(Enterprise.objects.visible_to(request.user).search(form.cleaned_data["q"])
                     .select_related("region").filter(region__isnull=False).order_by("name_pinyin", "pk")[:20])
    return render(request, "policies/money_choose.html", {"form": form, "found": found, "title": title,
                                                          "target": reverse(target)})


# --- 融资需求 ------------------------------------------------------------------------------------------


def _financing_filter(request) -> FinancingNeedFilter:
    return FinancingNeedFilter(request.GET or None, queryset=selectors.financing_list(request.user))


@login_required
@require_GET
def financing_list(request):
    _require_viewer(request.user)
    filterset = _financing_filter(request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    totals = selectors.financing_totals(queryset)
    page = counted_paginator(queryset, PAGE_SIZE, totals["count"]).get_page(request.GET.get("page"))
    return render(request, "policies/financing_list.html", {
        "filter": filterset, "page": page, "query": query_without_page(request),
        "totals": totals, "lead": _chain_lead(request, filterset),
        "can_record": services.can_record_money(request.user),
    })


@login_required
@require_GET
def financing_export(request):
    """The bank-side view for the 产融合作平台: each need with the enterprise's credit code, contact, the chain
    it serves, the amount, purpose, urgency, the banks it was pushed to and where it stands."""
    _require_viewer(request.user)
    filterset = _financing_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return redirect(f"{reverse('policies-financing')}?{query_without_page(request)}")
    queryset = filterset.qs if filterset.is_bound else filterset.queryset

    def rows():
        for need in queryset.iterator(chunk_size=2000):
            e = need.enterprise
            yield [e.name, e.credit_code or "", str(e.list_region) if e.list_region else "",
                   need.lead.name if need.lead else "", e.contact_name, e.contact_phone, need.amount_wan,
                   need.get_purpose_display(), need.get_urgency_display(), "、".join(need.banks),
                   need.get_state_display(), need.credit_wan, need.disbursed_wan, need.refusal_reason,
                   need.created_at]

    export = Export(
        kind="financing-needs", title=_("产融合作平台融资需求推送清单"), rows=rows(),
        headers=[_("企业名称"), _("统一社会信用代码"), _("地区"), _("服务的龙头企业"), _("联系人"), _("联系电话"),
                 _("融资需求金额（万元）"), _("资金用途"), _("紧急程度"), _("推送银行"), _("对接情况"),
                 _("授信金额（万元）"), _("放款金额（万元）"), _("未获支持原因"), _("登记时间")],
        filters={k: v for k, v in request.GET.items() if k not in ("format", "page")},
    )
    return export_response(request, export, request.GET.get("format", "xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
def financing_create(request):
    user = request.user
    enterprise = _enterprise_for_create(request)
    if enterprise is None:
        return _choose_enterprise(request, title=_("登记融资需求"), target="policies-financing-create")
    form = FinancingNeedForm(request.POST or None, user=user, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = services.financing_need_create(actor=user, data=services.FinancingNeedData(
                enterprise_id=enterprise.pk, lead_id=data["lead"].pk if data["lead"] else None,
                case_id=data["case"].pk if data["case"] else None, amount_wan=data["amount_wan"],
                purpose=data["purpose"], urgency=data["urgency"], banks=data["banks"],
                next_follow_up=data["next_follow_up"], notes=data["notes"]))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已登记融资需求。"))
            return redirect("policies-financing-detail", need.pk)
    return render(request, "policies/financing_form.html", {"form": form, "enterprise": enterprise})


def _step_forms(need, bound: dict | None = None) -> dict:
    """The step forms the need's state allows, each keyed by its step (a bound one keeps its errors)."""
    bound = bound or {}
    return {step: bound.get(step) or FinancingStepForm(prefix=step)
            for step, spec in services.FINANCING_STEPS.items() if need.state in spec.sources}


def _financing_detail(request, need, bound: dict | None = None, status: int = 200):
    can_record = services.can_record_money(request.user)
    forms = _step_forms(need, bound) if can_record else {}
    steps = [(step, services.FINANCING_STEPS[step].label, form) for step, form in forms.items()]
    return render(request, "policies/financing_detail.html", {
        "need": need, "steps": steps, "can_record": can_record, "State": FinancingState,
    }, status=status)


@login_required
@require_GET
def financing_detail(request, pk: int):
    need = get_object_or_404(selectors.financing_list(request.user), pk=pk)
    _require_viewer(request.user)
    return _financing_detail(request, need)


@login_required
@require_POST
def financing_step(request, pk: int, step: str):
    need = get_object_or_404(selectors.financing_list(request.user), pk=pk)
    if step not in services.FINANCING_STEPS:
        raise Http404
    if not services.can_record_money(request.user):
        raise PermissionDenied
    form = FinancingStepForm(request.POST, prefix=step)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.financing_need_step(
                actor=request.user, need_id=need.pk, step=step, date=data["date"], amount_wan=data["amount_wan"],
                reason=data["reason"], banks=data["banks"], next_follow_up=data["next_follow_up"],
                note=data["note"])
        except InvalidState as error:
            messages.error(request, error.message)
            return redirect("policies-financing-detail", need.pk)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已记录：%(step)s。") % {"step": services.FINANCING_STEPS[step].label})
            return redirect("policies-financing-detail", need.pk)
    return _financing_detail(request, need, {step: form}, status=400)


# --- 拖欠账款 ------------------------------------------------------------------------------------------


def _arrear_filter(request) -> ArrearFilter:
    return ArrearFilter(request.GET or None, queryset=selectors.arrear_list(request.user))


@login_required
@require_GET
def arrear_list(request):
    _require_viewer(request.user)
    filterset = _arrear_filter(request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    totals = selectors.arrear_totals(queryset)
    page = counted_paginator(queryset, PAGE_SIZE, totals["count"]).get_page(request.GET.get("page"))
    return render(request, "policies/arrear_list.html", {
        "filter": filterset, "page": page, "query": query_without_page(request),
        "totals": totals, "lead": _chain_lead(request, filterset),
        "can_record": services.can_record_money(request.user),
    })


@login_required
@require_GET
def arrear_export(request):
    _require_viewer(request.user)
    filterset = _arrear_filter(request)
    if filterset.is_bound and not filterset.is_valid():
        return redirect(f"{reverse('policies-arrears')}?{query_without_page(request)}")
    queryset = filterset.qs if filterset.is_bound else filterset.queryset

    def rows():
        for a in queryset.iterator(chunk_size=2000):
            c = a.creditor
            yield [c.name, c.credit_code or "", str(c.list_region) if c.list_region else "", a.debtor_name,
                   a.get_debtor_kind_display(), a.contract, a.owed_wan, a.repaid_wan, a.outstanding_wan,
                   a.get_state_display(), a.dispute_reason, a.case.number if a.case else "", a.created_at]

    export = Export(
        kind="arrears", title=_("清理拖欠民营企业中小企业账款台账"), rows=rows(),
        headers=[_("被拖欠企业"), _("统一社会信用代码"), _("地区"), _("欠款单位"), _("欠款单位类型"),
                 _("合同名称或编号"), _("拖欠金额（万元）"), _("已清偿金额（万元）"), _("未清偿金额（万元）"),
                 _("清偿情况"), _("争议情况"), _("相关问题"), _("登记时间")],
        filters={k: v for k, v in request.GET.items() if k not in ("format", "page")},
    )
    return export_response(request, export, request.GET.get("format", "xlsx"))


@login_required
@require_http_methods(["GET", "POST"])
def arrear_create(request):
    user = request.user
    enterprise = _enterprise_for_create(request)
    if enterprise is None:
        return _choose_enterprise(request, title=_("登记拖欠账款"), target="policies-arrear-create")
    form = ArrearForm(request.POST or None, user=user, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            arrear = services.arrear_create(actor=user, data=services.ArrearData(
                creditor_id=enterprise.pk, debtor_name=data["debtor_name"], debtor_kind=data["debtor_kind"],
                contract=data["contract"], owed_wan=data["owed_wan"],
                case_id=data["case"].pk if data["case"] else None, notes=data["notes"]))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已登记拖欠账款。"))
            return redirect("policies-arrear-detail", arrear.pk)
    return render(request, "policies/arrear_form.html", {"form": form, "enterprise": enterprise})


def _arrear_detail(request, arrear, *, repay=None, dispute=None, status: int = 200):
    can_record = services.can_record_money(request.user)
    return render(request, "policies/arrear_detail.html", {
        "arrear": arrear, "repayments": arrear.repayments.select_related("recorded_by"), "can_record": can_record,
        "repay_form": repay or RepayForm(prefix="repay"), "dispute_form": dispute or DisputeForm(prefix="dispute"),
    }, status=status)


@login_required
@require_GET
def arrear_detail(request, pk: int):
    arrear = get_object_or_404(selectors.arrear_list(request.user), pk=pk)
    _require_viewer(request.user)
    return _arrear_detail(request, arrear)


def _arrear_action(request, pk: int, form_class, prefix: str, call):
    arrear = get_object_or_404(selectors.arrear_list(request.user), pk=pk)
    if not services.can_record_money(request.user):
        raise PermissionDenied
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(arrear, form.cleaned_data)
        except InvalidState as error:
            messages.error(request, error.message)
            return redirect("policies-arrear-detail", arrear.pk)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已记录。"))
            return redirect("policies-arrear-detail", arrear.pk)
    return _arrear_detail(request, arrear, status=400, **{prefix: form})


@login_required
@require_POST
def arrear_repay(request, pk: int):
    return _arrear_action(request, pk, RepayForm, "repay", lambda arrear, data: services.arrear_repay(
        actor=request.user, arrear_id=arrear.pk, amount_wan=data["amount_wan"], date=data["date"],
        note=data["note"]))


@login_required
@require_POST
def arrear_dispute(request, pk: int):
    return _arrear_action(request, pk, DisputeForm, "dispute", lambda arrear, data: services.arrear_dispute(
        actor=request.user, arrear_id=arrear.pk, reason=data["reason"]))
