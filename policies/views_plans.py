"""应对预案, 政策储备 and 一企一策 pages: lists (filters folded on a phone, rows as cards), details, forms,
state steps, and the per-province 一企一策 table.

Checks in the Contract's order: outside the scope 404 (scoped fetch first), wrong role 403, a step the
state does not allow is a message on the page, bad input re-renders the form with its errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chainwork.errors import InvalidState, ValidationError, show_on_form
from chainwork.pagination import query_without_page
from enterprises.models import CountrySituation, Enterprise, IndustryChain
from policies import selectors_plans as selectors
from policies import services_plans as services
from policies.filters_plans import PolicyReserveFilter, ResponsePlanFilter, ServicePlanFilter
from policies.forms import EnterpriseSearchForm
from policies.forms_plans import (
    MeasureForm,
    MeasureProgressForm,
    PlanStepForm,
    PolicyReserveForm,
    ReserveStepForm,
    ResponsePlanForm,
    ServicePlanForm,
)
from policies.models import PolicyReserve, ResponsePlan, ServicePlan

PAGE_SIZE = 50


def _require_plan_viewer(user) -> None:
    if not services.can_view_plans(user):
        raise PermissionDenied


def _listing(request, filterset, template: str, extra: dict):
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"filter": filterset, "page": page, "query": query_without_page(request),
                                      **extra})


def _ids(values) -> list[int]:
    return [v.pk for v in values]


# --- 应对预案 -------------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request):
    _require_plan_viewer(request.user)
    filterset = ResponsePlanFilter(request.GET or None, queryset=selectors.response_plan_list(request.user))
    return _listing(request, filterset, "policies/plans/plan_list.html",
                    {"can_create": services.can_create_plans(request.user)})


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = get_object_or_404(selectors.response_plan_detail(request.user), pk=pk)
    _require_plan_viewer(request.user)
    can_keep = services.can_keep_plan(request.user, plan)
    steps = [(step, spec.label) for step, spec in services.PLAN_STEPS.items() if plan.state in spec.sources] \
        if can_keep else []
    return render(request, "policies/plans/plan_detail.html", {
        "plan": plan, "can_keep": can_keep, "steps": steps, "step_form": PlanStepForm()})


def _plan_subject(request):
    """The lead (?lead=, 404 outside the scope) or the chain (?chain=) of a new plan; neither: None, None."""
    source = request.POST if request.method == "POST" else request.GET
    lead_value, chain_value = source.get("lead", ""), source.get("chain", "")
    if lead_value:
        if not lead_value.isdecimal():
            raise Http404
        return get_object_or_404(Enterprise.objects.visible_to(request.user), pk=lead_value), None
    if chain_value:
        if not chain_value.isdecimal():
            raise Http404
        return None, get_object_or_404(IndustryChain.objects.filter(is_active=True), pk=chain_value)
    return None, None


def _plan_data(form, *, lead=None, chain=None) -> services.ResponsePlanData:
    data = form.cleaned_data
    return services.ResponsePlanData(
        title=data["title"], actions=data["actions"], owner_unit=data["owner_unit"],
        lead_id=lead.pk if lead else None, chain_id=chain.pk if chain else None,
        situation_ids=_ids(data["situations"]),
        alternative_ids=[*_ids(data["alternatives"]), *data["other_codes"]], stock_days=data["stock_days"],
        owner_person=data["owner_person"], owner_phone=data["owner_phone"], review_on=data["review_on"],
        notes=data["notes"])


def _suggested(request, lead, chain) -> list[int]:
    """The alternatives exposure.py finds for the situations named in ?situation= (those in force when none)."""
    chosen = [v for v in request.GET.getlist("situation") if v.isdecimal()]
    situations = list(CountrySituation.objects.filter(pk__in=chosen)[:5]) if chosen else None
    return [p.id for p in selectors.suggested_alternatives(request.user, lead=lead, chain=chain,
                                                            situations=situations)]


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    lead, chain = _plan_subject(request)
    if not services.can_create_plans(user):
        raise PermissionDenied
    if chain is not None and not services.can_keep_reserves(user):
        raise PermissionDenied  # a chain's plan is the 部专班's
    if lead is not None and not services.can_keep_for_lead(user, lead):
        raise PermissionDenied
    if lead is None and chain is None:
        return _choose_subject(request)
    initial = {"situations": request.GET.getlist("situation")} if request.method == "GET" else None
    form = ResponsePlanForm(request.POST or None, initial=initial, suggested_ids=_suggested(request, lead, chain))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.response_plan_save(actor=user, data=_plan_data(form, lead=lead, chain=chain))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已制定应对预案。"))
            return redirect("policies-plan-detail", plan.pk)
    return render(request, "policies/plans/plan_form.html", {"form": form, "lead": lead, "chain": chain})


def _choose_subject(request):
    """A new plan without ?lead= or ?chain=: pick a chain (the 部专班) or find a lead in one's scope."""
    form = EnterpriseSearchForm(request.GET or None)
    found = []
    if form.is_valid() and form.cleaned_data["q"]:
        found = list(Enterprise.objects.visible_to(request.user).search(form.cleaned_data["q"])
                     .filter(is_lead=True, region__isnull=False).select_related("region")
                     .order_by("name_pinyin", "pk")[:20])
    chains = IndustryChain.objects.filter(is_active=True) if services.can_keep_reserves(request.user) else []
    return render(request, "policies/plans/plan_choose.html", {"form": form, "found": found, "chains": chains})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = get_object_or_404(selectors.response_plan_detail(request.user), pk=pk)
    if not services.can_keep_plan(request.user, plan):
        raise PermissionDenied
    if plan.state == plan.State.LIFTED:
        messages.error(request, _("应对预案已解除，不能修改。"))
        return redirect("policies-plan-detail", plan.pk)
    chosen = [a.pk for a in plan.alternatives.all()]
    initial = {"title": plan.title, "situations": list(plan.situations.all()), "alternatives": chosen,
               "stock_days": plan.stock_days, "actions": plan.actions, "owner_unit": plan.owner_unit,
               "owner_person": plan.owner_person, "owner_phone": plan.owner_phone, "review_on": plan.review_on,
               "notes": plan.notes}
    form = ResponsePlanForm(request.POST or None, initial=initial, chosen_ids=chosen,
                            suggested_ids=_suggested(request, plan.lead, plan.chain))
    if request.method == "POST" and form.is_valid():
        try:
            services.response_plan_save(actor=request.user, data=_plan_data(form), plan_id=plan.pk)
        except InvalidState as error:
            messages.error(request, error.message)
            return redirect("policies-plan-detail", plan.pk)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已保存应对预案。"))
            return redirect("policies-plan-detail", plan.pk)
    return render(request, "policies/plans/plan_form.html", {"form": form, "plan": plan, "lead": plan.lead,
                                                             "chain": plan.chain})


@login_required
@require_POST
def plan_step(request, pk: int, step: str):
    plan = get_object_or_404(ResponsePlan.objects.visible_to(request.user), pk=pk)
    if step not in services.PLAN_STEPS:
        raise Http404
    form = PlanStepForm(request.POST)
    form.is_valid()
    try:
        services.response_plan_step(actor=request.user, plan_id=plan.pk, step=step,
                                    note=form.cleaned_data.get("note", ""))
    except InvalidState as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(step)s。") % {"step": services.PLAN_STEPS[step].label})
    return redirect("policies-plan-detail", plan.pk)


# --- 政策储备 -------------------------------------------------------------------------------------------


@login_required
@require_GET
def reserve_list(request):
    _require_plan_viewer(request.user)
    filterset = PolicyReserveFilter(request.GET or None, queryset=selectors.policy_reserve_list(request.user))
    return _listing(request, filterset, "policies/plans/reserve_list.html",
                    {"can_keep": services.can_keep_reserves(request.user)})


@login_required
@require_GET
def reserve_detail(request, pk: int):
    reserve = get_object_or_404(selectors.policy_reserve_detail(request.user), pk=pk)
    _require_plan_viewer(request.user)
    can_keep = services.can_keep_reserves(request.user)
    steps = [(step, spec.label) for step, spec in services.RESERVE_STEPS.items() if reserve.state in spec.sources] \
        if can_keep else []
    return render(request, "policies/plans/reserve_detail.html", {
        "reserve": reserve, "can_keep": can_keep, "steps": steps, "step_form": ReserveStepForm()})


def _reserve_data(form) -> services.PolicyReserveData:
    data = form.cleaned_data
    return services.PolicyReserveData(
        title=data["title"], summary=data["summary"], proposing_unit=data["proposing_unit"],
        chain_ids=_ids(data["chains"]), situation_ids=_ids(data["situations"]), notes=data["notes"])


@login_required
@require_http_methods(["GET", "POST"])
def reserve_create(request):
    if not services.can_keep_reserves(request.user):
        raise PermissionDenied
    initial = {"chains": request.GET.getlist("chain"), "situations": request.GET.getlist("situation")}
    form = PolicyReserveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reserve = services.policy_reserve_save(actor=request.user, data=_reserve_data(form))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已登记政策储备。"))
            return redirect("policies-reserve-detail", reserve.pk)
    return render(request, "policies/plans/reserve_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reserve_edit(request, pk: int):
    reserve = get_object_or_404(selectors.policy_reserve_detail(request.user), pk=pk)
    if not services.can_keep_reserves(request.user):
        raise PermissionDenied
    initial = {"title": reserve.title, "summary": reserve.summary, "proposing_unit": reserve.proposing_unit,
               "chains": list(reserve.chains.all()), "situations": list(reserve.situations.all()),
               "notes": reserve.notes}
    form = PolicyReserveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_reserve_save(actor=request.user, data=_reserve_data(form), reserve_id=reserve.pk)
        except InvalidState as error:
            messages.error(request, error.message)
            return redirect("policies-reserve-detail", reserve.pk)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已保存政策储备。"))
            return redirect("policies-reserve-detail", reserve.pk)
    return render(request, "policies/plans/reserve_form.html", {"form": form, "reserve": reserve})


@login_required
@require_POST
def reserve_step(request, pk: int, step: str):
    reserve = get_object_or_404(PolicyReserve.objects.visible_to(request.user), pk=pk)
    if step not in services.RESERVE_STEPS:
        raise Http404
    form = ReserveStepForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.policy_reserve_step(actor=request.user, reserve_id=reserve.pk, step=step,
                                     policy_id=data["policy"].pk if data.get("policy") else None,
                                     reason=data.get("reason", ""))
    except (InvalidState, ValidationError) as error:
        text = error.message if isinstance(error, InvalidState) else "；".join(
            m for ms in error.message_dict.values() for m in ms)
        messages.error(request, text)
    else:
        messages.success(request, _("已%(step)s。") % {"step": services.RESERVE_STEPS[step].label})
    return redirect("policies-reserve-detail", reserve.pk)


# --- 一企一策 -------------------------------------------------------------------------------------------


def _require_service_viewer(user) -> None:
    if not services.can_view_service_plans(user):
        raise PermissionDenied


@login_required
@require_GET
def service_plan_list(request):
    _require_service_viewer(request.user)
    filterset = ServicePlanFilter(request.GET or None, queryset=selectors.service_plan_list(request.user))
    return _listing(request, filterset, "policies/plans/service_list.html",
                    {"can_create": services.can_create_plans(request.user)})


@login_required
@require_GET
def service_plan_report(request):
    """Per province: leads, leads with a 一企一策, measures done, due and overdue."""
    _require_service_viewer(request.user)
    rows = selectors.service_plan_report(request.user)
    return render(request, "policies/plans/service_report.html", {
        "rows": rows, "overdue": selectors.overdue_measures(request.user)[:50]})


def _service_detail(request, plan, *, measure_form=None, status: int = 200):
    can_keep = services.can_keep_for_lead(request.user, plan.lead)
    measures = list(plan.measures.all())
    forms = {m.pk: MeasureProgressForm(prefix=f"m{m.pk}", initial={"state": m.state}) for m in measures}
    return render(request, "policies/plans/service_detail.html", {
        "plan": plan, "measures": [(m, forms[m.pk]) for m in measures], "can_keep": can_keep,
        "measure_form": measure_form or MeasureForm()}, status=status)


@login_required
@require_GET
def service_plan_detail(request, pk: int):
    plan = get_object_or_404(selectors.service_plan_detail(request.user), pk=pk)
    _require_service_viewer(request.user)
    return _service_detail(request, plan)


def _service_data(form, lead=None) -> services.ServicePlanData:
    data = form.cleaned_data
    return services.ServicePlanData(
        contact_unit=data["contact_unit"], contact_person=data["contact_person"], goal=data["goal"],
        lead_id=lead.pk if lead else None, case_ids=_ids(data["cases"]), policy_ids=_ids(data["policies"]))


@login_required
@require_http_methods(["GET", "POST"])
def service_plan_create(request):
    user = request.user
    lead, _chain = _plan_subject(request)
    if lead is not None and not services.can_keep_for_lead(user, lead):
        raise PermissionDenied
    if lead is None:
        if not services.can_create_plans(user):
            raise PermissionDenied
        form = EnterpriseSearchForm(request.GET or None)
        found = []
        if form.is_valid() and form.cleaned_data["q"]:
            found = list(Enterprise.objects.visible_to(user).search(form.cleaned_data["q"])
                         .filter(is_lead=True, region__isnull=False).select_related("region")
                         .order_by("name_pinyin", "pk")[:20])
        return render(request, "policies/plans/plan_choose.html", {"form": form, "found": found, "chains": [],
                                                                   "service": True})
    existing = ServicePlan.objects.filter(lead=lead).first()
    if existing is not None:
        return redirect("policies-service-plan-detail", existing.pk)
    form = ServicePlanForm(request.POST or None, user=user, lead=lead)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.service_plan_save(actor=user, data=_service_data(form, lead))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已制定一企一策，请添加服务措施。"))
            return redirect("policies-service-plan-detail", plan.pk)
    return render(request, "policies/plans/service_form.html", {"form": form, "lead": lead})


@login_required
@require_http_methods(["GET", "POST"])
def service_plan_edit(request, pk: int):
    plan = get_object_or_404(selectors.service_plan_detail(request.user), pk=pk)
    if not services.can_keep_for_lead(request.user, plan.lead):
        raise PermissionDenied
    initial = {"contact_unit": plan.contact_unit, "contact_person": plan.contact_person, "goal": plan.goal,
               "cases": list(plan.cases.all()), "policies": list(plan.policies.all())}
    form = ServicePlanForm(request.POST or None, initial=initial, user=request.user, lead=plan.lead)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_plan_save(actor=request.user, data=_service_data(form), plan_id=plan.pk)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已保存一企一策。"))
            return redirect("policies-service-plan-detail", plan.pk)
    return render(request, "policies/plans/service_form.html", {"form": form, "lead": plan.lead, "plan": plan})


@login_required
@require_POST
def measure_add(request, pk: int):
    plan = get_object_or_404(selectors.service_plan_detail(request.user), pk=pk)
    if not services.can_keep_for_lead(request.user, plan.lead):
        raise PermissionDenied
    form = MeasureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.service_measure_add(actor=request.user, plan_id=plan.pk, text=data["text"],
                                         responsible_unit=data["responsible_unit"], deadline=data["deadline"])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已添加服务措施。"))
            return redirect("policies-service-plan-detail", plan.pk)
    return _service_detail(request, plan, measure_form=form, status=400)


@login_required
@require_POST
def measure_progress(request, pk: int, measure_pk: int):
    plan = get_object_or_404(selectors.service_plan_detail(request.user), pk=pk)
    measure = get_object_or_404(plan.measures.all(), pk=measure_pk)
    if not services.can_keep_for_lead(request.user, plan.lead):
        raise PermissionDenied
    form = MeasureProgressForm(request.POST, prefix=f"m{measure.pk}")
    if not form.is_valid():
        messages.error(request, _("请选择进展。"))
        return _service_detail(request, plan, status=400)
    data = form.cleaned_data
    try:
        services.service_measure_update(actor=request.user, measure_id=measure.pk, state=data["state"],
                                        progress=data["progress"], deadline=data["deadline"])
    except InvalidState as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        return _service_detail(request, plan, status=400)
    else:
        messages.success(request, _("已更新措施进展。"))
    return redirect("policies-service-plan-detail", plan.pk)
