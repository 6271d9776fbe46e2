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
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from chainwork.errors import NotPermitted, ValidationError
from chainwork.models import Role
from chainwork.scope import scope_for
from enterprises.models import Enterprise, Size
from policies.models import AmountKind, ApplicationStatus, Policy, PolicyApplication

CATALOGUE_EDITORS = (Role.MINISTRY, Role.ADMIN)
# Province officials for their region's enterprises, the 部专班, liaison officers for their enterprises:
# which enterprises is decided by `Enterprise.objects.visible_to`.
RECORDERS = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.LIAISON)


def can_edit_catalogue(user) -> bool:
    return scope_for(user).role in CATALOGUE_EDITORS


def can_record(user) -> bool:
    return scope_for(user).role in RECORDERS


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
