"""Every write of 政策落实: the catalogue (部专班 and administrators) and take-up records (officials).

Checks in the Contract's order: outside the scope 404 (the enterprise and problem are fetched through
`visible_to`, so an id outside the scope answers like one that does not exist), wrong role 403
(`NotPermitted`), bad input 400 (`ValidationError`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, Urgency
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Role, User
from chainwork.notifications import Note, notify_many
from chainwork.scope import POLICY_RECORDERS, scope_for
from enterprises.models import Enterprise, Size, SupplyLink
from policies.models import (
    FINANCING_OPEN_STATES,
    AmountKind,
    ApplicationStatus,
    Arrear,
    ArrearRepayment,
    ArrearState,
    DebtorKind,
    FinancingNeed,
    FinancingPurpose,
    FinancingState,
    Policy,
    PolicyApplication,
)

# The problem category that may carry an arrear (资金).
FUNDING_CATEGORY = "funding"

CATALOGUE_EDITORS = (Role.MINISTRY, Role.ADMIN)
# Province officials for their region's enterprises, the 部专班, liaison officers for their enterprises:
# which enterprises is decided by `Enterprise.objects.visible_to`.
RECORDERS = POLICY_RECORDERS


def can_edit_catalogue(user) -> bool:
    return scope_for(user).role in CATALOGUE_EDITORS


def can_record(user) -> bool:
    return scope_for(user).records_policy_take_up


def can_view_take_up(user) -> bool:
    """The take-up pages (records, report) are for the roles with a region scope or a national one."""
    return scope_for(user).role in (*RECORDERS, Role.MINISTRY_LIAISON, Role.ADMIN)


# --- the catalogue ------------------------------------------------------------------------------------


@dataclass
class PolicyData:
    name: str
    slug: str = ""
    issuers: list = field(default_factory=list)
    issuer_text: str = ""
    document_number: str = ""
    issued_on: dt.date | None = None
    summary: str = ""
    sizes: list[str] = field(default_factory=list)
    key_fields: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    amount_kind: str = AmountKind.NONE
    to_be_confirmed: bool = False
    is_active: bool = True


def _check_policy(data: PolicyData, instance: Policy | None) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = [_("请填写政策名称。")]
    elif Policy.objects.filter(name=data.name.strip()).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["name"] = [_("已有同名政策。")]
    if data.slug and Policy.objects.filter(slug=data.slug).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["slug"] = [_("标识已被使用。")]
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        errors["valid_to"] = [_("有效期止不能早于有效期起。")]
    unknown = [s for s in data.sizes if s not in Size.values]
    if unknown:
        errors["sizes"] = [_("未知的企业规模：%(sizes)s") % {"sizes": "、".join(unknown)}]
    if errors:
        raise ValidationError(errors)


def _free_slug() -> str:
    base = f"policy-{Policy.objects.count() + 1}"
    slug, n = base, 1
    while Policy.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def policy_save(*, actor, data: PolicyData, instance: Policy | None = None) -> Policy:
    """Create or change a catalogue entry (部专班, administrators). pghistory audits the row."""
    if not can_edit_catalogue(actor):
        raise NotPermitted(_("只有部专班和系统管理员可以维护政策目录。"))
    _check_policy(data, instance)
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=instance.pk) if instance else Policy()
        policy.name = data.name.strip()
        policy.slug = data.slug or policy.slug or _free_slug()
        for name in ("issuer_text", "document_number", "issued_on", "summary", "valid_from", "valid_to",
                     "amount_kind", "to_be_confirmed", "is_active"):
            setattr(policy, name, getattr(data, name))
        policy.sizes = sorted(set(data.sizes), key=Size.values.index)
        policy.save()
        policy.issuers.set(data.issuers)
        policy.key_fields.set(data.key_fields)
        policy.categories.set(data.categories)
        policy.regions.set(data.regions)
    return policy


# --- take-up ------------------------------------------------------------------------------------------


def _in_scope(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def policy_application_record(*, actor, enterprise_id: int, policy: Policy, status: str, date: dt.date,
                              case_id: int | None = None, amount_wan: Decimal | None = None,
                              notes: str = "") -> PolicyApplication:
    """Record that `policy` was recommended, applied for, granted or refused for an enterprise (and a
    problem of it, if any)."""
    enterprise = _in_scope(Enterprise.objects.visible_to(actor), enterprise_id)
    case = _in_scope(Case.objects.visible_to(actor), case_id) if case_id else None
    if not can_record(actor):
        raise NotPermitted(_("您的角色不能记录政策落实情况。"))

    errors: dict[str, list[str]] = {}
    if status not in ApplicationStatus.values:
        errors["status"] = [_("请选择落实情况。")]
    if date > timezone.localdate():
        errors["date"] = [_("日期不能晚于今天。")]
    if case is not None and case.enterprise_id != enterprise.pk \
            and not case.named_enterprises.filter(pk=enterprise.pk).exists():
        errors["case"] = [_("该问题与所选企业无关。")]
    if enterprise.is_abroad:
        errors["enterprise"] = [_("境外企业不适用国内支持政策。")]
    if amount_wan is not None:
        if amount_wan < 0:
            errors["amount_wan"] = [_("金额不能为负数。")]
        elif status not in PolicyApplication.STATUSES_WITH_AMOUNT:
            errors["amount_wan"] = [_("只有申请或获批时填写金额。")]
        elif policy.amount_kind == AmountKind.NONE:
            errors["amount_wan"] = [_("该政策不涉及金额。")]
    if status == ApplicationStatus.RECOMMENDED and not policy.is_valid_on(date):
        errors["policy"] = [_("该政策在推荐日期不在有效期内，不能推荐。")]
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            return PolicyApplication.objects.create(
                policy=policy, enterprise=enterprise, case=case, status=status, date=date, amount_wan=amount_wan,
                notes=notes.strip(), recorded_by=actor,
            )
    except IntegrityError:
        # The unique (policy, enterprise, status, date): a second identical record the same day.
        raise ValidationError({"status": [_("当天已记录过该企业此项政策的同一落实情况。")]}) from None


# --- 产融对接 and 清欠 ---------------------------------------------------------------------------------

# The province's work group records its enterprises' financing needs and arrears; a liaison officer those
# of the enterprises assigned to them (design.md "产融对接 and 清欠"). The 部专班 and the ministry liaisons
# read them: the national ledger and the covered regions.
MONEY_RECORDERS = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.LIAISON)
# Days from a recorded step to the next follow-up when the recorder names none.
FOLLOW_UP_DAYS = 7


def can_record_money(user) -> bool:
    return scope_for(user).role in MONEY_RECORDERS


def can_view_money(user) -> bool:
    return scope_for(user).role in (*MONEY_RECORDERS, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN)


def _work_group_and_recorder(region_code: str | None, recorder_id: int, actor) -> list[int]:
    """Whoever must act on a change: the province work group of the enterprise's region and the official
    who recorded it — never the actor."""
    users = User.objects.filter(is_active=True).filter(
        Q(role__in=(Role.PROVINCE, Role.PROVINCE_LEAD), region_id=region_code) | Q(pk=recorder_id))
    return sorted(set(users.exclude(pk=actor.pk).values_list("pk", flat=True)))


def _tell(user_ids: list[int], *, kind: str, title: str, url: str, key: str) -> None:
    notify_many([Note(user_id=pk, kind=kind, title=title, url=url, dedupe_key=key) for pk in user_ids])


def _related_case(actor, case_id, enterprise, errors: dict) -> Case | None:
    if not case_id:
        return None
    case = _in_scope(Case.objects.visible_to(actor), case_id)
    if case.enterprise_id != enterprise.pk and not case.named_enterprises.filter(pk=enterprise.pk).exists():
        errors["case"] = [_("该问题与所选企业无关。")]
    return case


def _positive(value, field: str, errors: dict, message: str) -> None:
    if value is None:
        errors[field] = [message]
    elif value <= 0:
        errors[field] = [_("金额须大于零。")]


@dataclass
class FinancingNeedData:
    enterprise_id: int
    amount_wan: Decimal | None
    purpose: str
    urgency: str = Urgency.NORMAL
    lead_id: int | None = None
    case_id: int | None = None
    banks: list[str] = field(default_factory=list)
    next_follow_up: dt.date | None = None
    notes: str = ""


def financing_need_create(*, actor, data: FinancingNeedData) -> FinancingNeed:
    """Record a supporting enterprise's financing need, pushed to the named banks; the province work group
    learns of it when a liaison officer recorded it."""
    enterprise = _in_scope(Enterprise.objects.visible_to(actor), data.enterprise_id)
    if not can_record_money(actor):
        raise NotPermitted(_("您的角色不能登记融资需求。"))
    errors: dict[str, list[str]] = {}
    case = _related_case(actor, data.case_id, enterprise, errors)
    _positive(data.amount_wan, "amount_wan", errors, _("请填写融资需求金额。"))
    if data.purpose not in FinancingPurpose.values:
        errors["purpose"] = [_("请选择资金用途。")]
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("请选择紧急程度。")]
    if enterprise.is_abroad:
        errors["enterprise"] = [_("境外企业不适用国内产融对接。")]
    lead = None
    if data.lead_id:
        lead = Enterprise.objects.filter(pk=data.lead_id, is_lead=True).first()
        if lead is None or not SupplyLink.objects.filter(lead=lead, partner=enterprise).exists():
            errors["lead"] = [_("所选龙头企业的产业链中没有该企业。")]
    banks = [name.strip() for name in data.banks if name and name.strip()]
    if len(set(banks)) != len(banks):
        errors["banks"] = [_("推送银行有重复。")]
    if data.next_follow_up is not None and data.next_follow_up < timezone.localdate():
        errors["next_follow_up"] = [_("下次跟进日期不能早于今天。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        need = FinancingNeed.objects.create(
            enterprise=enterprise, lead=lead, case=case, amount_wan=data.amount_wan, purpose=data.purpose,
            urgency=data.urgency, banks=banks, notes=data.notes.strip(), recorded_by=actor,
            next_follow_up=data.next_follow_up or timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS))
        _tell(_work_group_and_recorder(enterprise.list_region_id, actor.pk, actor), kind="financing_need",
              title=_("%(name)s登记融资需求%(amount)s万元") % {"name": enterprise.name, "amount": need.amount_wan},
              url=f"/policies/financing/{need.pk}/", key=f"financing:{need.pk}:new")
    return need


@dataclass(frozen=True)
class FinancingStep:
    """One step of 产融对接: its label, the states it leaves, the state it reaches and what it asks for."""

    label: str
    sources: tuple[str, ...]
    target: str
    date_field: str
    amount_field: str = ""
    needs_reason: bool = False


FINANCING_STEPS = {
    "match": FinancingStep(gettext_lazy("已对接"), (FinancingState.PENDING,), FinancingState.MATCHED, "matched_on"),
    "credit": FinancingStep(gettext_lazy("已授信"), (FinancingState.MATCHED,), FinancingState.CREDITED, "credited_on",
                            amount_field="credit_wan"),
    "disburse": FinancingStep(gettext_lazy("已放款"), (FinancingState.CREDITED,), FinancingState.DISBURSED,
                              "disbursed_on", amount_field="disbursed_wan"),
    "refuse": FinancingStep(gettext_lazy("未获支持"), FINANCING_OPEN_STATES, FinancingState.REFUSED, "refused_on",
                            needs_reason=True),
}


def financing_need_step(*, actor, need_id: int, step: str, date: dt.date | None = None,
                        amount_wan: Decimal | None = None, reason: str = "", banks: list[str] | None = None,
                        next_follow_up: dt.date | None = None, note: str = "") -> FinancingNeed:
    """Move a financing need one step: 已对接 (optionally naming the banks), 已授信 and 已放款 with their
    amounts, or 未获支持 with the reason. The order of checks is the Contract's."""
    visible = FinancingNeed.objects.visible_to(actor)
    _in_scope(visible, need_id)
    if not can_record_money(actor):
        raise NotPermitted(_("您的角色不能更新融资对接情况。"))
    spec = FINANCING_STEPS[step]
    today = timezone.localdate()
    with transaction.atomic():
        need = FinancingNeed.objects.select_for_update().select_related("enterprise").get(pk=need_id)
        if need.state not in spec.sources:
            raise InvalidState(_("融资需求当前为“%(state)s”，不能记为“%(step)s”。") % {
                "state": need.get_state_display(), "step": spec.label})
        errors: dict[str, list[str]] = {}
        date = date or today
        if date > today:
            errors["date"] = [_("日期不能晚于今天。")]
        elif date < need.created_at.date() - dt.timedelta(days=365):
            errors["date"] = [_("日期早于登记日期一年以上，请核对。")]
        if spec.amount_field:
            _positive(amount_wan, "amount_wan", errors, _("请填写%(step)s金额。") % {"step": spec.label})
            if step == "disburse" and amount_wan is not None and need.credit_wan is not None \
                    and amount_wan > need.credit_wan:
                errors["amount_wan"] = [_("放款金额不能超过授信金额（%(credit)s万元）。") % {"credit": need.credit_wan}]
        if spec.needs_reason and not reason.strip():
            errors["reason"] = [_("请填写未获支持的原因。")]
        target_open = spec.target in FINANCING_OPEN_STATES
        if next_follow_up is not None and next_follow_up < today:
            errors["next_follow_up"] = [_("下次跟进日期不能早于今天。")]
        if errors:
            raise ValidationError(errors)
        need.state = spec.target
        setattr(need, spec.date_field, date)
        if spec.amount_field:
            setattr(need, spec.amount_field, amount_wan)
        if spec.needs_reason:
            need.refusal_reason = reason.strip()
        if banks is not None:
            need.banks = [name.strip() for name in banks if name and name.strip()]
        need.next_follow_up = (next_follow_up or today + dt.timedelta(days=FOLLOW_UP_DAYS)) if target_open else None
        if note.strip():
            need.notes = f"{need.notes}\n{note.strip()}".strip()
        need.save()
        values = {"name": need.enterprise.name, "step": spec.label,
                  "amount": f"{amount_wan}万元" if spec.amount_field else ""}
        _tell(_work_group_and_recorder(need.enterprise.list_region_id, need.recorded_by_id, actor),
              kind="financing_need", title=_("%(name)s融资需求%(step)s%(amount)s") % values,
              url=f"/policies/financing/{need.pk}/", key=f"financing:{need.pk}:{need.state}")
    return need


@dataclass
class ArrearData:
    creditor_id: int
    debtor_name: str
    debtor_kind: str
    contract: str
    owed_wan: Decimal | None
    case_id: int | None = None
    notes: str = ""


def arrear_create(*, actor, data: ArrearData) -> Arrear:
    """Record an arrear owed to an enterprise (清欠台账)."""
    creditor = _in_scope(Enterprise.objects.visible_to(actor), data.creditor_id)
    if not can_record_money(actor):
        raise NotPermitted(_("您的角色不能登记拖欠账款。"))
    errors: dict[str, list[str]] = {}
    case = _related_case(actor, data.case_id, creditor, errors)
    if case is not None and case.category.slug != FUNDING_CATEGORY:
        errors["case"] = [_("只有“资金”类问题可以关联拖欠账款。")]
    if not data.debtor_name.strip():
        errors["debtor_name"] = [_("请填写欠款单位。")]
    if data.debtor_kind not in DebtorKind.values:
        errors["debtor_kind"] = [_("请选择欠款单位类型。")]
    if not data.contract.strip():
        errors["contract"] = [_("请填写合同名称或编号。")]
    _positive(data.owed_wan, "owed_wan", errors, _("请填写拖欠金额。"))
    if creditor.size == Size.LARGE:
        errors["creditor"] = [_("清欠针对民营企业和中小企业，该企业为大型企业。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        arrear = Arrear.objects.create(
            creditor=creditor, debtor_name=data.debtor_name.strip(), debtor_kind=data.debtor_kind,
            contract=data.contract.strip(), owed_wan=data.owed_wan, case=case, notes=data.notes.strip(),
            recorded_by=actor)
        _tell(_work_group_and_recorder(creditor.list_region_id, actor.pk, actor), kind="arrear",
              title=_("%(debtor)s拖欠%(name)s账款%(amount)s万元") % {
                  "debtor": arrear.debtor_name, "name": creditor.name, "amount": arrear.owed_wan},
              url=f"/policies/arrears/{arrear.pk}/", key=f"arrear:{arrear.pk}:new")
    return arrear


def arrear_state_after(owed: Decimal, repaid: Decimal) -> str:
    if repaid >= owed:
        return ArrearState.PAID
    return ArrearState.PARTLY if repaid > 0 else ArrearState.UNPAID


def arrear_repay(*, actor, arrear_id: int, amount_wan: Decimal | None, date: dt.date | None = None,
                 note: str = "") -> Arrear:
    """Record a repayment; the arrear becomes 部分清偿 or 已清偿 by the sum repaid (a repayment of a
    disputed arrear settles the dispute)."""
    _in_scope(Arrear.objects.visible_to(actor), arrear_id)
    if not can_record_money(actor):
        raise NotPermitted(_("您的角色不能记录清偿情况。"))
    today = timezone.localdate()
    with transaction.atomic():
        arrear = Arrear.objects.select_for_update().select_related("creditor").get(pk=arrear_id)
        if arrear.state == ArrearState.PAID:
            raise InvalidState(_("该笔账款已清偿。"))
        errors: dict[str, list[str]] = {}
        date = date or today
        if date > today:
            errors["date"] = [_("日期不能晚于今天。")]
        _positive(amount_wan, "amount_wan", errors, _("请填写清偿金额。"))
        if amount_wan is not None and amount_wan > arrear.outstanding_wan:
            errors["amount_wan"] = [_("清偿金额不能超过未清偿金额（%(left)s万元）。") % {
                "left": arrear.outstanding_wan}]
        if errors:
            raise ValidationError(errors)
        ArrearRepayment.objects.create(arrear=arrear, date=date, amount_wan=amount_wan, note=note.strip(),
                                       recorded_by=actor)
        arrear.repaid_wan += amount_wan
        arrear.state = arrear_state_after(arrear.owed_wan, arrear.repaid_wan)
        arrear.save(update_fields=["repaid_wan", "state", "updated_at"])
        _tell(_work_group_and_recorder(arrear.creditor.list_region_id, arrear.recorded_by_id, actor), kind="arrear",
              title=_("%(debtor)s向%(name)s清偿%(amount)s万元（%(state)s）") % {
                  "debtor": arrear.debtor_name, "name": arrear.creditor.name, "amount": amount_wan,
                  "state": arrear.get_state_display()},
              url=f"/policies/arrears/{arrear.pk}/", key=f"arrear:{arrear.pk}:repaid:{arrear.repaid_wan}")
    return arrear


def arrear_dispute(*, actor, arrear_id: int, reason: str) -> Arrear:
    """Mark an arrear 有争议 (the debtor contests the amount or the contract), with what is contested."""
    _in_scope(Arrear.objects.visible_to(actor), arrear_id)
    if not can_record_money(actor):
        raise NotPermitted(_("您的角色不能更新清偿情况。"))
    with transaction.atomic():
        arrear = Arrear.objects.select_for_update().select_related("creditor").get(pk=arrear_id)
        if arrear.state in (ArrearState.PAID, ArrearState.DISPUTED):
            raise InvalidState(_("该笔账款当前为“%(state)s”，不能标记为有争议。") % {
                "state": arrear.get_state_display()})
        if not reason.strip():
            raise ValidationError({"reason": [_("请填写争议情况。")]})
        arrear.state = ArrearState.DISPUTED
        arrear.dispute_reason = reason.strip()
        arrear.save(update_fields=["state", "dispute_reason", "updated_at"])
        _tell(_work_group_and_recorder(arrear.creditor.list_region_id, arrear.recorded_by_id, actor), kind="arrear",
              title=_("%(debtor)s拖欠%(name)s账款有争议") % {"debtor": arrear.debtor_name,
                                                        "name": arrear.creditor.name},
              url=f"/policies/arrears/{arrear.pk}/", key=f"arrear:{arrear.pk}:disputed")
    return arrear
