"""Every write of 应对预案, 政策储备 and 一企一策 (issue #22). The HTML pages, the API and the admin's
actions call these functions; pghistory records each change with the request's actor.

Checks in the Contract's order: outside the scope 404 (the plan, lead or measure is fetched through
`visible_to`), wrong role 403 (`NotPermitted`), wrong state 409 (`InvalidState`), bad input 400
(`ValidationError`).

Who keeps what: the 部专班 (and administrators) every 应对预案 and the 政策储备; a province's work group the
应对预案 and the 一企一策 of its own leads. A chain's plan is the 部专班's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Role
from chainwork.scope import PROVINCE_WORK_GROUP, scope_for
from enterprises.models import CountrySituation, Enterprise, IndustryChain
from policies.models import (
    PLAN_READERS,
    MeasureState,
    PlanState,
    Policy,
    PolicyReserve,
    ReserveState,
    ResponsePlan,
    ServiceMeasure,
    ServicePlan,
)

NATIONAL_KEEPERS = (Role.MINISTRY, Role.ADMIN)


def _in_scope(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_view_plans(user) -> bool:
    """应对预案 and 政策储备 pages: the officials who read the chains and the international picture."""
    return scope_for(user).role in PLAN_READERS


def can_keep_for_lead(user, lead: Enterprise | None) -> bool:
    """The 部专班 for any lead; a province's work group for a lead of its own list."""
    scope = scope_for(user)
    if scope.role in NATIONAL_KEEPERS:
        return True
    return (lead is not None and scope.role in PROVINCE_WORK_GROUP
            and lead.list_region_id is not None and scope.covers(lead.list_region_id))


def can_keep_plan(user, plan: ResponsePlan) -> bool:
    if plan.chain_id:
        return scope_for(user).role in NATIONAL_KEEPERS
    return can_keep_for_lead(user, plan.lead)


def can_create_plans(user) -> bool:
    return scope_for(user).role in (*NATIONAL_KEEPERS, *PROVINCE_WORK_GROUP)


def can_view_service_plans(user) -> bool:
    """一企一策 pages: the officials and the liaison officers (who serve the leads assigned to them)."""
    return scope_for(user).role in (*NATIONAL_KEEPERS, *PROVINCE_WORK_GROUP, Role.MINISTRY_LIAISON, Role.LIAISON)


def can_keep_reserves(user) -> bool:
    return scope_for(user).role in NATIONAL_KEEPERS


def _text(value: str, name: str, errors: dict, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[name] = [message]
    return value


def _ids(values) -> list[int]:
    out = []
    for value in values or []:
        try:
            out.append(int(getattr(value, "pk", value)))
        except (TypeError, ValueError):
            raise ValidationError({"ids": [_("请填写有效的编号。")]}) from None
    return sorted(set(out))


def _situations(ids, errors: dict) -> list[CountrySituation]:
    ids = _ids(ids)
    found = list(CountrySituation.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        errors["situations"] = [_("所选国外疫情形势不存在。")]
    return found


def _chains(ids, errors: dict) -> list[IndustryChain]:
    ids = _ids(ids)
    found = list(IndustryChain.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(ids):
        errors["chains"] = [_("所选重点产业链不存在。")]
    return found


# --- 应对预案 -------------------------------------------------------------------------------------------


@dataclass
class ResponsePlanData:
    title: str
    actions: str
    owner_unit: str
    lead_id: int | None = None
    chain_id: int | None = None
    situation_ids: list = field(default_factory=list)
    alternative_ids: list = field(default_factory=list)
    stock_days: int | None = None
    owner_person: str = ""
    owner_phone: str = ""
    review_on: dt.date | None = None
    notes: str = ""


def _plan_subject(actor, data: ResponsePlanData, errors: dict):
    """The lead (404 outside the scope) or the chain a new plan answers for."""
    if bool(data.lead_id) == bool(data.chain_id):
        errors["lead"] = [_("请选择龙头企业或重点产业链（二者选一）。")]
        return None, None
    if data.lead_id:
        lead = _in_scope(Enterprise.objects.visible_to(actor), data.lead_id)
        return lead, None
    chain = IndustryChain.objects.filter(pk=data.chain_id, is_active=True).first() \
        if str(data.chain_id).isdecimal() else None
    if chain is None:
        errors["chain"] = [_("所选重点产业链不存在。")]
    return None, chain


def response_plan_save(*, actor, data: ResponsePlanData, plan_id: int | None = None) -> ResponsePlan:
    """Create a plan (for a lead or a chain) or edit one; a lifted plan is closed."""
    errors: dict[str, list[str]] = {}
    if plan_id is not None:
        plan = _in_scope(ResponsePlan.objects.visible_to(actor), plan_id)
        if not can_keep_plan(actor, plan):
            raise NotPermitted(_("您不能修改该应对预案。"))
        if plan.state == PlanState.LIFTED:
            raise InvalidState(_("应对预案已解除，不能修改。"))
        lead, chain = plan.lead, plan.chain
    else:
        if not can_view_plans(actor):
            raise NotPermitted(_("您的角色不能制定应对预案。"))
        lead, chain = _plan_subject(actor, data, errors)
        if chain is not None and scope_for(actor).role not in NATIONAL_KEEPERS:
            raise NotPermitted(_("重点产业链的应对预案由部专班制定。"))
        if lead is not None and not can_keep_for_lead(actor, lead):
            raise NotPermitted(_("您不能为该企业制定应对预案。"))
        if lead is not None and not lead.is_lead:
            errors["lead"] = [_("应对预案针对龙头企业，该企业不是龙头企业。")]
    title = _text(data.title, "title", errors, _("请填写预案名称。"))
    actions = _text(data.actions, "actions", errors, _("请填写应对措施。"))
    owner_unit = _text(data.owner_unit, "owner_unit", errors, _("请填写责任单位。"))
    if data.stock_days is not None and not 0 <= data.stock_days <= 3650:
        errors["stock_days"] = [_("库存可支撑天数应在0到3650之间。")]
    situations = _situations(data.situation_ids, errors)
    alternative_ids = _ids(data.alternative_ids)
    alternatives = list(Enterprise.objects.filter(pk__in=alternative_ids, region__isnull=False))
    if len(alternatives) != len(alternative_ids):
        errors["alternatives"] = [_("替代供应商须是国内已登记的企业。")]
    elif lead is not None and any(a.pk == lead.pk for a in alternatives):
        errors["alternatives"] = [_("替代供应商不能是企业本身。")]
    if errors:
        raise ValidationError(errors)
    values = {"title": title, "actions": actions, "owner_unit": owner_unit, "stock_days": data.stock_days,
              "owner_person": data.owner_person.strip(), "owner_phone": data.owner_phone.strip(),
              "review_on": data.review_on, "notes": data.notes.strip()}
    with transaction.atomic():
        if plan_id is None:
            plan = ResponsePlan.objects.create(lead=lead, chain=chain, recorded_by=actor, **values)
        else:
            plan = ResponsePlan.objects.select_for_update().get(pk=plan_id)
            if plan.state == PlanState.LIFTED:
                raise InvalidState(_("应对预案已解除，不能修改。"))
            for name, value in values.items():
                setattr(plan, name, value)
            plan.save()
        plan.situations.set(situations)
        plan.alternatives.set(alternatives)
    return plan


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple[str, ...]
    target: str
    date_field: str = ""


PLAN_STEPS = {
    "approve": Step(gettext_lazy("批准生效"), (PlanState.DRAFT,), PlanState.IN_FORCE, "in_force_on"),
    "activate": Step(gettext_lazy("启动预案"), (PlanState.IN_FORCE,), PlanState.ACTIVATED, "activated_on"),
    "lift": Step(gettext_lazy("解除预案"), (PlanState.IN_FORCE, PlanState.ACTIVATED), PlanState.LIFTED, "lifted_on"),
}


def response_plan_step(*, actor, plan_id: int, step: str, note: str = "") -> ResponsePlan:
    """批准生效 (起草中 → 已生效), 启动预案 (已生效 → 已启动), 解除预案 (已生效 or 已启动 → 已解除)."""
    plan = _in_scope(ResponsePlan.objects.visible_to(actor), plan_id)
    if step not in PLAN_STEPS:
        raise Http404
    if not can_keep_plan(actor, plan):
        raise NotPermitted(_("您不能变更该应对预案的状态。"))
    spec = PLAN_STEPS[step]
    with transaction.atomic():
        plan = ResponsePlan.objects.select_for_update().get(pk=plan_id)
        if plan.state not in spec.sources:
            raise InvalidState(_("应对预案当前为“%(state)s”，不能%(step)s。") % {
                "state": plan.get_state_display(), "step": spec.label})
        plan.state = spec.target
        setattr(plan, spec.date_field, timezone.localdate())
        if note.strip():
            plan.notes = f"{plan.notes}\n{spec.label}：{note.strip()}".strip()
        plan.save()
    return plan


# --- 政策储备 -------------------------------------------------------------------------------------------


@dataclass
class PolicyReserveData:
    title: str
    summary: str
    proposing_unit: str
    chain_ids: list = field(default_factory=list)
    situation_ids: list = field(default_factory=list)
    notes: str = ""


def policy_reserve_save(*, actor, data: PolicyReserveData, reserve_id: int | None = None) -> PolicyReserve:
    """Record a policy proposal or edit one still in study or submitted."""
    if reserve_id is not None:
        _in_scope(PolicyReserve.objects.visible_to(actor), reserve_id)
    if not can_keep_reserves(actor):
        raise NotPermitted(_("政策储备由部专班维护。"))
    if reserve_id is not None:
        current = PolicyReserve.objects.get(pk=reserve_id)
        if current.state in (ReserveState.ISSUED, ReserveState.SHELVED):
            raise InvalidState(_("政策储备当前为“%(state)s”，不能修改。") % {"state": current.get_state_display()})
    errors: dict[str, list[str]] = {}
    values = {"title": _text(data.title, "title", errors, _("请填写政策建议名称。")),
              "summary": _text(data.summary, "summary", errors, _("请填写主要内容。")),
              "proposing_unit": _text(data.proposing_unit, "proposing_unit", errors, _("请填写提出单位。")),
              "notes": data.notes.strip()}
    chains = _chains(data.chain_ids, errors)
    situations = _situations(data.situation_ids, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if reserve_id is None:
            reserve = PolicyReserve.objects.create(recorded_by=actor, **values)
        else:
            reserve = PolicyReserve.objects.select_for_update().get(pk=reserve_id)
            if reserve.state in (ReserveState.ISSUED, ReserveState.SHELVED):
                raise InvalidState(_("政策储备当前为“%(state)s”，不能修改。") % {"state": reserve.get_state_display()})
            for name, value in values.items():
                setattr(reserve, name, value)
            reserve.save()
        reserve.chains.set(chains)
        reserve.situations.set(situations)
    return reserve


RESERVE_STEPS = {
    "submit": Step(gettext_lazy("报送"), (ReserveState.STUDYING,), ReserveState.SUBMITTED, "submitted_on"),
    "issue": Step(gettext_lazy("已出台"), (ReserveState.SUBMITTED,), ReserveState.ISSUED, "issued_on"),
    "shelve": Step(gettext_lazy("搁置"), (ReserveState.STUDYING, ReserveState.SUBMITTED), ReserveState.SHELVED),
}


def policy_reserve_step(*, actor, reserve_id: int, step: str, policy_id: int | None = None,
                        reason: str = "") -> PolicyReserve:
    """报送 (研究中 → 已报送); 已出台 naming the Policy it became (已报送 → 已出台); 搁置 with the reason."""
    _in_scope(PolicyReserve.objects.visible_to(actor), reserve_id)
    if step not in RESERVE_STEPS:
        raise Http404
    if not can_keep_reserves(actor):
        raise NotPermitted(_("政策储备由部专班维护。"))
    spec = RESERVE_STEPS[step]
    with transaction.atomic():
        reserve = PolicyReserve.objects.select_for_update().get(pk=reserve_id)
        if reserve.state not in spec.sources:
            raise InvalidState(_("政策储备当前为“%(state)s”，不能%(step)s。") % {
                "state": reserve.get_state_display(), "step": spec.label})
        if step == "issue":
            policy = Policy.objects.filter(pk=policy_id).first() if str(policy_id or "").isdecimal() else None
            if policy is None:
                raise ValidationError({"policy": [_("请选择出台的政策（先在政策目录中登记）。")]})
            reserve.policy = policy
        if step == "shelve":
            if not (reason or "").strip():
                raise ValidationError({"reason": [_("请填写搁置原因。")]})
            reserve.shelved_reason = reason.strip()
        reserve.state = spec.target
        if spec.date_field:
            setattr(reserve, spec.date_field, timezone.localdate())
        reserve.save()
    return reserve


# --- 一企一策 -------------------------------------------------------------------------------------------


@dataclass
class ServicePlanData:
    contact_unit: str
    lead_id: int | None = None
    goal: str = ""
    contact_person: str = ""
    case_ids: list = field(default_factory=list)
    policy_ids: list = field(default_factory=list)


def service_plan_save(*, actor, data: ServicePlanData, plan_id: int | None = None) -> ServicePlan:
    """A lead's 一企一策 (one per lead), linked to its problems and the policies that serve it."""
    errors: dict[str, list[str]] = {}
    if plan_id is not None:
        plan = _in_scope(ServicePlan.objects.visible_to(actor).select_related("lead"), plan_id)
        lead = plan.lead
    else:
        if not data.lead_id:
            raise ValidationError({"lead": [_("请选择龙头企业。")]})
        lead = _in_scope(Enterprise.objects.visible_to(actor), data.lead_id)
    if not can_keep_for_lead(actor, lead):
        raise NotPermitted(_("您不能制定或修改该企业的一企一策。"))
    if plan_id is None:
        if not lead.is_lead:
            errors["lead"] = [_("一企一策针对龙头企业，该企业不是龙头企业。")]
        elif ServicePlan.objects.filter(lead=lead).exists():
            errors["lead"] = [_("该企业已有一企一策，请在原方案中修改。")]
    contact_unit = _text(data.contact_unit, "contact_unit", errors, _("请填写牵头服务单位。"))
    case_ids = _ids(data.case_ids)
    cases = list(Case.objects.visible_to(actor).filter(pk__in=case_ids).concerning(lead))
    if len(cases) != len(case_ids):
        errors["cases"] = [_("所选问题不存在或与该企业无关。")]
    policy_ids = _ids(data.policy_ids)
    policies = list(Policy.objects.filter(pk__in=policy_ids))
    if len(policies) != len(policy_ids):
        errors["policies"] = [_("所选政策不存在。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if plan_id is None:
            plan = ServicePlan.objects.create(lead=lead, contact_unit=contact_unit, goal=data.goal.strip(),
                                              contact_person=data.contact_person.strip(), recorded_by=actor)
        else:
            plan = ServicePlan.objects.select_for_update().get(pk=plan_id)
            plan.contact_unit, plan.goal = contact_unit, data.goal.strip()
            plan.contact_person = data.contact_person.strip()
            plan.save()
        plan.cases.set(cases)
        plan.policies.set(policies)
    return plan


def _checked_plan(actor, plan_id) -> ServicePlan:
    plan = _in_scope(ServicePlan.objects.visible_to(actor).select_related("lead"), plan_id)
    if not can_keep_for_lead(actor, plan.lead):
        raise NotPermitted(_("您不能修改该企业的一企一策。"))
    return plan


def service_measure_add(*, actor, plan_id: int, text: str, responsible_unit: str,
                        deadline: dt.date | None) -> ServiceMeasure:
    plan = _checked_plan(actor, plan_id)
    errors: dict[str, list[str]] = {}
    text = _text(text, "text", errors, _("请填写服务措施。"))
    unit = _text(responsible_unit, "responsible_unit", errors, _("请填写责任单位。"))
    if deadline is None:
        errors["deadline"] = [_("请填写完成时限。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order = plan.measures.count() + 1
        measure = ServiceMeasure.objects.create(plan=plan, text=text, responsible_unit=unit, deadline=deadline,
                                                order=order)
        ServicePlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return measure


def service_measure_update(*, actor, measure_id: int, state: str, progress: str = "",
                           deadline: dt.date | None = None) -> ServiceMeasure:
    """Record a measure's progress (推进中, 受阻, 已完成) or move its deadline; a completed measure is closed."""
    measure = _in_scope(ServiceMeasure.objects.filter(plan__in=ServicePlan.objects.visible_to(actor))
                        .select_related("plan__lead"), measure_id)
    if not can_keep_for_lead(actor, measure.plan.lead):
        raise NotPermitted(_("您不能修改该企业的一企一策。"))
    with transaction.atomic():
        measure = ServiceMeasure.objects.select_for_update().get(pk=measure_id)
        if measure.state == MeasureState.DONE:
            raise InvalidState(_("该项措施已完成。"))
        errors: dict[str, list[str]] = {}
        if state not in MeasureState.values:
            errors["state"] = [_("请选择进展。")]
        if state == MeasureState.BLOCKED and not (progress or "").strip():
            errors["progress"] = [_("请说明受阻的原因。")]
        if errors:
            raise ValidationError(errors)
        measure.state = state
        if (progress or "").strip():
            measure.progress = progress.strip()
        if deadline is not None:
            measure.deadline = deadline
        measure.done_on = timezone.localdate() if state == MeasureState.DONE else None
        measure.save()
        ServicePlan.objects.filter(pk=measure.plan_id).update(updated_at=timezone.now())
    return measure
