"""Every write to the enterprise list: one function per change, used by pages, API, import and tasks.

Each checks the actor, validates, and writes in one transaction; pghistory records the change with
the request's context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from chainwork.errors import NotPermitted, StaleVersion, ValidationError, expected_version
from chainwork.models import Region, Role
from chainwork.scope import scope_for
from enterprises import credit_code as cc
from enterprises import permissions
from enterprises.models import (
    CountrySituation,
    Direction,
    Enterprise,
    IndustryChain,
    IndustryChainLead,
    Resumption,
    Severity,
    SituationKind,
    StatusReport,
    SupplyLink,
)


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower-case letters and digits only: 华为技术 → huaweijishu, hwjs."""
    full = "".join(lazy_pinyin(name))
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
    keep = lambda s: "".join(ch for ch in s.lower() if ch.isascii() and ch.isalnum())  # noqa: E731
    return keep(full)[:800], keep(initials)[:200]


@dataclass
class EnterpriseData:
    """The editable fields of an enterprise, as forms, the API and the import deliver them."""

    name: str
    credit_code: str | None = None
    region: Region | None = None
    country: str = ""
    city: str = ""
    county: str = ""
    industry_id: str | None = None
    key_field_ids: list[int] = field(default_factory=list)
    size: str = ""
    is_lead: bool = False
    address: str = ""
    contact_name: str = ""
    contact_position: str = ""
    contact_phone: str = ""
    notes: str = ""
    added_by_region: Region | None = None  # for an enterprise abroad: the region whose work group added it


@dataclass
class SaveResult:
    enterprise: Enterprise
    created: bool
    warnings: list[str]


PHONE_CHARS = set("0123456789-+ ()（）转")


def check_phone(phone: str) -> str:
    phone = phone.strip()
    digits = [ch for ch in phone if ch.isdigit()]
    if phone and (not set(phone) <= PHONE_CHARS or not 7 <= len(digits) <= 20):
        raise ValidationError({"contact_phone": _("联系电话格式不正确，请填写手机号或带区号的固定电话。")})
    return phone


def clean_enterprise_data(data: EnterpriseData, *, instance: Enterprise | None,
                          confirm_org_code: bool, actor) -> tuple[EnterpriseData, list[str], bool]:
    """Check the input; return it normalised, the warnings, and whether an org-code mismatch is confirmed."""
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []
    data.name = " ".join((data.name or "").split())
    if not data.name:
        errors.setdefault("name", []).append(_("请填写企业名称。"))
    data.country = (data.country or "").strip()
    org_confirmed = False
    if data.region is None:
        if not data.country:
            errors.setdefault("region", []).append(_("境内企业请选择所属地区；境外企业请填写国家（地区）。"))
        if data.credit_code:
            errors.setdefault("credit_code", []).append(_("境外企业不填写统一社会信用代码。"))
        data.credit_code = None
    else:
        data.country = ""
        raw = data.credit_code or ""
        if not raw.strip():
            errors.setdefault("credit_code", []).append(_("境内企业必须填写统一社会信用代码。"))
        else:
            check = cc.validate(raw)
            data.credit_code = check.code
            if check.errors:
                errors.setdefault("credit_code", []).extend(str(issue) for issue in check.errors)
            elif check.org_mismatch:
                already = instance is not None and instance.credit_code == check.code and \
                    instance.org_code_confirmed_by_id is not None
                if already:
                    org_confirmed = True
                elif confirm_org_code and permissions.can_confirm_org_code(actor):
                    org_confirmed = True
                    warnings.append(str(check.org_mismatch.message))
                else:
                    errors.setdefault("credit_code", []).append(str(check.org_mismatch.message))
            if not check.errors:
                warning = cc.division_warning(check.code, data.region)
                if warning:
                    warnings.append(str(warning))
    try:
        data.contact_phone = check_phone(data.contact_phone or "")
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return data, warnings, org_confirmed


@transaction.atomic
def enterprise_save(*, actor, data: EnterpriseData, instance: Enterprise | None = None,
                    confirm_org_code: bool = False, version=None) -> SaveResult:
    """Create or update an enterprise; the actor must be able to edit its region's list or, for an
    enterprise abroad, be of the 部专班 or the region that added it. `version` is the one the editor
    loaded (None: not checked); an older one raises StaleVersion, checked under the row lock so that of
    two concurrent edits of one version exactly one is saved."""
    if instance is not None:
        instance = Enterprise.objects.select_for_update().get(pk=instance.pk)
        if not permissions.can_edit(actor, instance):
            raise NotPermitted(_("您只能维护本地区名单中的企业和本地区登记的境外企业。"))
        expected = expected_version(version)
        if expected is not None and expected != instance.version:
            raise StaleVersion(_("该企业已被他人修改，请重新加载后再保存；您填写的内容仍保留在表单中。"))
    data, warnings, org_confirmed = clean_enterprise_data(
        data, instance=instance, confirm_org_code=confirm_org_code, actor=actor)
    added_by = None if data.region else abroad_added_by(actor, data.added_by_region, instance)
    if instance is None and not permissions.can_create(actor):
        raise NotPermitted(_("您的角色不能登记企业。"))
    owner = data.region or added_by
    if not permissions.can_edit_in_region(actor, owner.code if owner else None):
        raise NotPermitted(_("您只能维护本地区名单中的企业和本地区登记的境外企业。"))
    if instance is not None and not permissions.can_edit(actor, instance):
        raise NotPermitted(_("您只能维护本地区名单中的企业和本地区登记的境外企业。"))
    enterprise = _write_enterprise(actor=actor, data=data, instance=instance, added_by=added_by,
                                   org_confirmed=org_confirmed)
    return SaveResult(enterprise=enterprise, created=instance is None, warnings=warnings)


def abroad_added_by(actor, asked: Region | None, instance: Enterprise | None) -> Region | None:
    """The region that added an enterprise abroad: kept once set; otherwise the one the 部专班 names
    (none: the 部专班 added it itself) or the adding official's own region."""
    if instance is not None and instance.is_abroad:
        return instance.added_by_region
    if permissions.can_edit_in_region(actor, None):  # a national scope chooses
        return asked
    return getattr(actor, "region", None)


def _write_enterprise(*, actor, data: EnterpriseData, instance: Enterprise | None, added_by: Region | None,
                      org_confirmed: bool) -> Enterprise:
    """Save checked data; the caller has checked the actor's right to write it."""
    if data.credit_code:
        clash = Enterprise.objects.filter(credit_code=data.credit_code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        existing = clash.first()
        if existing is not None:
            # Named only to a user who may see it: the code alone must not reveal another region's list.
            if Enterprise.objects.linked_visible_to(actor).filter(pk=existing.pk).exists():
                raise ValidationError({"credit_code": _("该统一社会信用代码已登记为“%(name)s”。")
                                       % {"name": existing.name}})
            raise ValidationError({"credit_code": _("该统一社会信用代码已登记（不在您的查看范围内）。")})
    enterprise = instance or Enterprise(created_by=actor)
    for name in ("name", "credit_code", "region", "country", "city", "county", "industry_id", "size",
                 "is_lead", "address", "contact_name", "contact_position", "contact_phone", "notes"):
        setattr(enterprise, name, getattr(data, name))
    # A domestic enterprise is on its region's list; one abroad is on none.
    enterprise.list_region = data.region
    enterprise.added_by_region = None if data.region else added_by
    enterprise.name_pinyin, enterprise.name_initials = pinyin_keys(enterprise.name)
    if instance is not None:
        enterprise.version += 1
    if org_confirmed and enterprise.org_code_confirmed_by_id is None:
        enterprise.org_code_confirmed_by = actor
        enterprise.org_code_confirmed_at = timezone.now()
    elif not org_confirmed:
        enterprise.org_code_confirmed_by = None
        enterprise.org_code_confirmed_at = None
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as error:  # a concurrent save of the same code
        raise ValidationError({"credit_code": _("该统一社会信用代码已登记。")}) from error
    enterprise.key_fields.set(data.key_field_ids)
    return enterprise


@transaction.atomic
def supply_link_create(*, actor, lead: Enterprise, partner: Enterprise, direction: str, product: str = "",
                       criticality: str = "important", single_source: bool = False) -> SupplyLink:
    if not permissions.can_edit(actor, lead):
        raise NotPermitted(_("您只能维护本地区龙头企业的配套关系。"))
    errors: dict[str, str] = {}
    if not lead.is_lead:
        errors["lead"] = _("只能为龙头企业登记配套企业。")
    if lead.pk == partner.pk:
        errors["partner"] = _("配套企业不能是龙头企业自身。")
    if direction not in Direction.values:
        errors["direction"] = _("关系应为上游或下游。")
    if not errors and SupplyLink.objects.filter(lead=lead, partner=partner, direction=direction).exists():
        errors["partner"] = _("该配套关系已登记。")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SupplyLink.objects.create(
                lead=lead, partner=partner, direction=direction, product=(product or "").strip(),
                criticality=criticality, single_source=single_source, created_by=actor)
    except IntegrityError as error:
        raise ValidationError({"partner": _("该配套关系已登记。")}) from error


@dataclass
class PartnerData:
    credit_code: str = ""
    name: str = ""
    region: Region | None = None
    country: str = ""


@transaction.atomic
def supply_link_add(*, actor, lead: Enterprise, partner: PartnerData, direction: str, product: str = "",
                    criticality: str = "important", single_source: bool = False) -> tuple[SupplyLink, bool]:
    """Link a partner to the actor's lead, registering the partner first when it is not listed yet.

    A province names suppliers across its border: a partner of another region is registered on that
    region's list (its officials then complete it). Returns the link and whether a partner was created.
    """
    if not permissions.can_edit(actor, lead):
        raise NotPermitted(_("您只能维护本地区龙头企业的配套关系。"))
    created = False
    if partner.credit_code:
        code = cc.normalize(partner.credit_code)
        existing = Enterprise.objects.filter(credit_code=code).first()
        if existing is None:
            if not partner.name or partner.region is None:
                raise ValidationError({"partner_name": _("该代码的企业尚未登记：请同时填写企业名称和所属地区。")})
            data, _warnings, _confirmed = clean_enterprise_data(
                EnterpriseData(name=partner.name, credit_code=code, region=partner.region),
                instance=None, confirm_org_code=False, actor=actor)
            existing = _write_enterprise(actor=actor, data=data, instance=None, added_by=None,
                                         org_confirmed=False)
            created = True
    else:
        # An enterprise abroad is one wherever it is linked from: the same name and country is the same
        # supplier, whichever region added it first.
        name = " ".join(partner.name.split())
        existing = Enterprise.objects.filter(region__isnull=True, name=name, country=partner.country.strip()
                                             ).order_by("pk").first()
        if existing is None:
            data, _warnings, _confirmed = clean_enterprise_data(
                EnterpriseData(name=name, country=partner.country), instance=None, confirm_org_code=False,
                actor=actor)
            existing = _write_enterprise(actor=actor, data=data, instance=None, added_by=lead.list_region,
                                         org_confirmed=False)
            created = True
    link = supply_link_create(actor=actor, lead=lead, partner=existing, direction=direction, product=product,
                              criticality=criticality, single_source=single_source)
    return link, created


@transaction.atomic
def supply_link_delete(*, actor, link: SupplyLink) -> None:
    if not permissions.can_edit(actor, link.lead):
        raise NotPermitted(_("您只能维护本地区龙头企业的配套关系。"))
    link.delete()


@dataclass
class StatusData:
    date: dt.date
    resumed: str
    staff_at_work: int | None = None
    staff_normal: int | None = None
    output: Decimal | None = None
    output_normal: Decimal | None = None
    capacity: Decimal | None = None
    note: str = ""


def clean_status(data: StatusData, *, today: dt.date | None = None) -> StatusData:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if data.resumed not in Resumption.values:
        errors["resumed"] = _("复工情况应为已复工、部分复工或未复工。")
    if data.date > today:
        errors["date"] = _("不能填报未来日期的情况。")
    if data.staff_at_work is not None and data.staff_at_work < 0:
        errors["staff_at_work"] = _("到岗人数不能为负数。")
    if data.staff_normal is not None and data.staff_normal <= 0:
        errors["staff_normal"] = _("正常用工人数应大于0。")
    if data.staff_at_work and data.staff_normal is None:
        errors["staff_normal"] = _("填写到岗人数时请同时填写正常用工人数。")
    for name in ("output", "output_normal", "capacity"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors[name] = _("产值不能为负数。")
    for name in ("output_normal", "capacity"):
        if getattr(data, name) == 0:
            errors[name] = _("应大于0。")
    if data.resumed == Resumption.NO and ((data.staff_at_work or 0) > 0 or (data.output or 0) > 0):
        errors["resumed"] = _("未复工的企业到岗人数和产值应为0。")
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def status_report_record(*, actor, enterprise: Enterprise, data: StatusData,
                         source: str = StatusReport.Source.FORM) -> StatusReport:
    """Record (or correct) an enterprise's status for a day; keep its current status the latest one."""
    if not permissions.can_report_status(actor, enterprise):
        raise NotPermitted(_("您不能填报该企业的复工情况。"))
    data = clean_status(data)
    report, _created = StatusReport.objects.update_or_create(
        enterprise=enterprise, date=data.date,
        defaults={"resumed": data.resumed, "staff_at_work": data.staff_at_work,
                  "staff_normal": data.staff_normal, "output": data.output,
                  "output_normal": data.output_normal, "capacity": data.capacity,
                  "note": (data.note or "").strip()[:200], "source": source, "reported_by": actor},
    )
    refresh_current_status(enterprise.pk)
    return report


def refresh_current_status(enterprise_id: int) -> None:
    """Copy the latest report onto the enterprise (the current status the lists and chains show)."""
    latest = StatusReport.objects.filter(enterprise_id=enterprise_id).order_by("-date").first()
    Enterprise.objects.filter(pk=enterprise_id).update(
        status=latest.resumed if latest else "",
        status_date=latest.date if latest else None,
        staff_rate=latest.staff_rate if latest else None,
        output_rate=latest.output_rate if latest else None,
    )


def may_keep_industry_chains(actor) -> bool:
    """重点产业链 and the register of countries' situations are the 部专班's."""
    return scope_for(actor).role in (Role.MINISTRY, Role.ADMIN)


may_keep_country_situations = may_keep_industry_chains


@transaction.atomic
def industry_chain_add_lead(*, actor, chain: IndustryChain, enterprise: Enterprise) -> IndustryChainLead:
    """The 部专班 names a lead enterprise of a 重点产业链; its suppliers follow from the supply links."""
    if not may_keep_industry_chains(actor):
        raise NotPermitted(_("只有部专班可以维护重点产业链。"))
    if not enterprise.is_lead:
        raise ValidationError({"enterprise": _("只能把龙头企业列入重点产业链。")})
    membership, created = IndustryChainLead.objects.get_or_create(chain=chain, enterprise=enterprise,
                                                                  defaults={"added_by": actor})
    if not created:
        raise ValidationError({"enterprise": _("该企业已在这条产业链中。")})
    return membership


@transaction.atomic
def industry_chain_remove_lead(*, actor, chain: IndustryChain, enterprise: Enterprise) -> None:
    if not may_keep_industry_chains(actor):
        raise NotPermitted(_("只有部专班可以维护重点产业链。"))
    IndustryChainLead.objects.filter(chain=chain, enterprise=enterprise).delete()


@dataclass
class SituationData:
    country: str
    kind: str
    started_on: dt.date | None
    source: str
    severity: str = "medium"
    ended_on: dt.date | None = None
    note: str = ""


@transaction.atomic
def country_situation_save(*, actor, data: SituationData,
                           instance: CountrySituation | None = None) -> CountrySituation:
    """国际疫情研判: the 部专班 records or corrects a country's situation."""
    if not may_keep_industry_chains(actor):
        raise NotPermitted(_("只有部专班可以登记国外疫情形势。"))
    errors: dict[str, str] = {}
    country = " ".join((data.country or "").split())
    if not country:
        errors["country"] = _("请填写国家（地区）。")
    if data.kind not in SituationKind.values:
        errors["kind"] = _("请选择情况类型：封锁/停工、港口或机场关闭、出口限制或物流中断。")
    if data.severity not in Severity.values:
        errors["severity"] = _("请选择严重程度：严重、较重或一般。")
    if data.started_on is None:
        errors["started_on"] = _("请填写开始日期。")
    elif data.ended_on is not None and data.ended_on < data.started_on:
        errors["ended_on"] = _("结束日期不能早于开始日期。")
    if not (data.source or "").strip():
        errors["source"] = _("请填写信息来源，如驻外使馆通报、商务部信息或企业反映。")
    if errors:
        raise ValidationError(errors)
    situation = (CountrySituation.objects.select_for_update().get(pk=instance.pk) if instance
                 else CountrySituation(recorded_by=actor))
    situation.country, situation.kind, situation.severity = country, data.kind, data.severity
    situation.started_on, situation.ended_on = data.started_on, data.ended_on
    situation.source, situation.note = data.source.strip(), (data.note or "").strip()
    situation.save()
    return situation
