"""Registering a problem, and the escalation suggestion of triage. Changes after registration go
through cases.workflow.perform()."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import due_for
from cases.models import Case, CaseEvent, Level, Source, State, Urgency
from cases.numbering import next_number
from cases.tasks import queue_event_notifications
from chainwork.errors import NotPermitted, ValidationError
from chainwork.models import Category, Role
from chainwork.scope import scope_for
from enterprises.models import Enterprise, SupplyLink

REGISTRAR_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.LIAISON, Role.ASSOCIATION)


@dataclass
class CaseData:
    enterprise_id: int | None
    category_id: int | None
    title: str
    description: str
    request: str
    urgency: str = Urgency.NORMAL
    source: str = Source.CONTACT
    named_enterprise_ids: list[int] = field(default_factory=list)
    supply_link_id: int | None = None


def can_register(user) -> bool:
    return scope_for(user).role in REGISTRAR_ROLES


def registers_for_province(user) -> bool:
    """A 行业协会 registers enterprises' difficulties on their behalf, for their province to triage."""
    return scope_for(user).role == Role.ASSOCIATION


def registrable_enterprises(user):
    """The enterprises whose problems the user may register: a registrar's own (in full), or the
    enterprises a 行业协会 covers."""
    if registers_for_province(user):
        return Enterprise.objects.covered_by(user)
    return Enterprise.objects.visible_to(user)


@transaction.atomic
def case_create(*, actor, data: CaseData, at=None) -> Case:
    """登记问题: a province official or liaison officer logs an enterprise's problem; a 行业协会 registers an
    enterprise's difficulty on its behalf, which lands as a new problem of the enterprise's province
    (source 行业协会, the association named) and tells that province's work group."""
    if not can_register(actor):
        raise NotPermitted(_("您的角色不能登记问题。"))
    errors: dict[str, str] = {}
    association_id = scope_for(actor).association_id if registers_for_province(actor) else None
    enterprise = registrable_enterprises(actor).select_related("list_region", "added_by_region").filter(
        pk=data.enterprise_id).first() if data.enterprise_id else None
    if enterprise is None:
        errors["enterprise"] = (_("请选择本协会覆盖范围内的企业。") if registers_for_province(actor)
                                else _("请选择本地区名单中的企业。"))
    elif enterprise.is_abroad and enterprise.added_by_region_id is None:
        errors["enterprise"] = _("该境外企业不属于任何地区：请以与其配套的境内企业登记问题，并在涉及企业中选择它。")
    source = data.source
    if registers_for_province(actor):
        source = Source.ASSOCIATION
        if data.supply_link_id:
            errors["supply_link"] = _("行业协会登记问题时不选择配套关系，由所在省专班研判时补充。")
    elif data.source == Source.ASSOCIATION:
        errors["source"] = _("来源“行业协会”只用于行业协会登记的问题。")
    category = Category.objects.filter(pk=data.category_id, is_active=True).first() if data.category_id else None
    if category is None:
        errors["category"] = _("请选择问题类别。")
    for name, label in (("title", _("问题标题")), ("description", _("问题描述")), ("request", _("企业诉求"))):
        if not (getattr(data, name) or "").strip():
            errors[name] = _("请填写%(label)s。") % {"label": label}
    if len((data.title or "").strip()) > 200:
        errors["title"] = _("问题标题最多200个字。")
    if data.urgency not in Urgency.values:
        errors["urgency"] = _("请选择紧急程度。")
    if source not in Source.values:
        errors["source"] = _("请选择问题来源。")
    named = list(Enterprise.objects.linked_visible_to(actor).filter(pk__in=data.named_enterprise_ids or []))
    if len(named) != len(set(data.named_enterprise_ids or [])):
        errors["named_enterprises"] = _("涉及的企业中有您无权查看的企业。")
    link = None
    if data.supply_link_id and enterprise is not None and not registers_for_province(actor):
        link = SupplyLink.objects.filter(pk=data.supply_link_id).filter(
            lead=enterprise).first() or SupplyLink.objects.filter(pk=data.supply_link_id, partner=enterprise).first()
        if link is None:
            errors["supply_link"] = _("该配套关系不属于所选企业。")
    if errors:
        raise ValidationError(errors)
    if link is None and named:
        link = _link_of_named(enterprise, data.named_enterprise_ids)
    now = at or timezone.now()  # a past time only for imports of earlier problems and demo data
    # An enterprise abroad belongs to no list: its problem is the region's that added it.
    region = enterprise.list_region or enterprise.added_by_region
    # The official of the problem's own work group who registers it is its 经办人 (cases/holders.py).
    takes_it_up = scope_for(actor).role in (Role.PROVINCE, Role.PROVINCE_LEAD) and actor.region_id == region.pk
    sequence, number = next_number(region, timezone.localtime(now).year)
    case = Case.objects.create(
        number=number, region=region, year=timezone.localtime(now).year, sequence=sequence,
        enterprise=enterprise, supply_link=link, category=category, title=data.title.strip(),
        description=data.description.strip(), request=data.request.strip(), urgency=data.urgency,
        source=source, association_id=association_id, reporter=actor,
        handler=actor if takes_it_up else None, state=State.NEW,
        level=Level.LOCAL, due_at=due_for(data.urgency, State.NEW, now), created_at=now,
    )
    partners = {e.pk for e in named}
    if link is not None:
        partners.add(link.partner_id if link.lead_id == enterprise.pk else link.lead_id)
    partners.discard(enterprise.pk)
    case.named_enterprises.set(partners)
    event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CREATED, action="create", to_state=State.NEW,
                                     actor=actor, actor_region_id=region.pk, note=case.request, created_at=now)
    if association_id:
        # Registered from outside the province: its work group must triage it (cases.tasks "create").
        queue_event_notifications(event.pk)
    return case


def _link_of_named(enterprise: Enterprise, named_ids: list[int]) -> SupplyLink | None:
    """The 配套关系 a problem concerns when none is given: the enterprise's link with the first named
    enterprise it is linked to (ticking a supplier names the relation with it too)."""
    links = {}
    for link in SupplyLink.objects.filter(Q(lead=enterprise, partner_id__in=named_ids)
                                          | Q(partner=enterprise, lead_id__in=named_ids)).order_by("pk"):
        links.setdefault(link.partner_id if link.lead_id == enterprise.pk else link.lead_id, link)
    return next((links[pk] for pk in named_ids if pk in links), None)


def escalation_reasons(case: Case, named=None) -> list[str]:
    """Why triage suggests 提请部专班协调 (empty when local handling looks right). `named`: the problem's
    named enterprises with their regions, when the caller has read them already."""
    reasons = []
    if case.enterprise.region_id is None:
        reasons.append(_("企业位于境外（%(country)s）") % {"country": case.enterprise.country})
    for other in case.named_enterprises.select_related("region") if named is None else named:
        if other.region_id is None:
            reasons.append(_("涉及境外企业“%(name)s”（%(country)s）") % {"name": other.name, "country": other.country})
        elif other.region_id != case.region_id:
            reasons.append(_("涉及外省企业“%(name)s”（%(region)s）")
                           % {"name": other.name, "region": str(other.region)})
    if case.category.needs_national:
        departments = "、".join(d.short_name or d.name for d in case.category.departments.all())
        reasons.append(_("“%(category)s”类问题通常需要国家层面协调（%(departments)s）")
                       % {"category": case.category.name, "departments": departments or _("部专班")})
    if case.level == Level.LOCAL and case.state == State.LOCAL and case.due_at and case.due_at < timezone.now():
        reasons.append(_("属地办理已超过办理时限"))
    return reasons
