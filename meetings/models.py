"""监测会商: the 部专班's (or a province's) 调度会 and ad-hoc 会商, their participants, the agenda of
problems, the minutes (纪要), and the 议定事项 (decisions) with an owner, a deadline and the problem they
settle.

Who sees a 会商 is decided here, once (`ConsultationQuerySet.visible_to`): the 部专班 and administrators
every one; a ministry liaison the national ones and those of the regions they cover; a province's work
group its own province's, and national ones its province took part in or owns a decision of; a
department those it took part in or owns a decision of; anyone else (an association's account) those
naming them as a participant or owner. A decision is seen by its owner and by those who see its 会商 and
its problem; an agenda item by those who see its 会商 and its problem (Case.objects.seen_by).
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from chainwork.models import Department, Region, Role
from chainwork.scope import scope_for

PROVINCE_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD)


class Kind(models.TextChoices):
    DISPATCH = "dispatch", _("调度会")
    TOPIC = "topic", _("专题会商")
    VIDEO = "video", _("视频连线")
    PHONE = "phone", _("电话会议")
    WECHAT = "wechat", _("微信群")
    ONSITE = "onsite", _("现场会商")


class PartyKind(models.TextChoices):
    """Who takes part in a 会商 or owns a decision. Extensible: a new kind of party (an association with
    its own accounts) is a value here and, where it acts, a `user`."""

    MINISTRY = "ministry", _("部专班")
    DEPARTMENT = "department", _("部门")
    REGION = "region", _("省份")
    ASSOCIATION = "association", _("行业协会")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他单位")


# Kinds of party that may own a decision (an enterprise is asked through its province).
OWNER_KINDS = (PartyKind.MINISTRY, PartyKind.DEPARTMENT, PartyKind.REGION, PartyKind.ASSOCIATION, PartyKind.OTHER)


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsultationQuerySet:
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.role in (Role.MINISTRY, Role.ADMIN):
            return self
        if scope.role == Role.MINISTRY_LIAISON:
            return self.filter(Q(region__isnull=True) | scope.region_q("region"))
        taking_part = Participant.objects.filter(_party_q(scope, "")).values("consultation_id")
        owning = Decision.objects.filter(_party_q(scope, "owner_")).values("consultation_id")
        mine = self.filter(Q(pk__in=taking_part) | Q(pk__in=owning))
        if scope.role in PROVINCE_ROLES:
            national = mine.filter(region__isnull=True).values("pk")
            return self.filter(Q(pk__in=national) | scope.region_q("region"))
        return mine


def _party_q(scope, prefix: str) -> Q:
    """The parties (participants or owners) that stand for the user: their department, their province,
    or their own account."""
    query = Q(**{f"{prefix}user_id": scope.user_id}) if scope.user_id else Q(pk__in=[])
    if scope.role == Role.DEPARTMENT and scope.department_id:
        query |= Q(**{f"{prefix}kind": PartyKind.DEPARTMENT, f"{prefix}department_id": scope.department_id})
    if scope.role in PROVINCE_ROLES and scope.regions:
        query |= Q(**{f"{prefix}kind": PartyKind.REGION, f"{prefix}region_id__in": sorted(scope.regions)})
    if scope.role == Role.MINISTRY:
        query |= Q(**{f"{prefix}kind": PartyKind.MINISTRY})
    return query


def owned_by(user) -> Q:
    """Decisions whose owner stands for the user (a condition on Decision)."""
    return _party_q(scope_for(user), "owner_")


@pghistory.track()
class Consultation(models.Model):
    """A 会商: national when `region` is empty (the 部专班 holds it), else that province's."""

    class State(models.TextChoices):
        PLANNED = "planned", _("待召开")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    region = models.ForeignKey(Region, verbose_name=_("召集地区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="consultations", help_text=_("为空时为部专班召集"))
    kind = models.CharField(_("会商形式"), max_length=12, choices=Kind.choices, default=Kind.DISPATCH)
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("会商时间"))
    place = models.CharField(_("地点或方式"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=64)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNED)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("会商")
        verbose_name_plural = _("会商")
        indexes = [models.Index(fields=["region", "-starts_at"])]

    def __str__(self) -> str:
        return f"{self.title}（{timezone.localtime(self.starts_at):%Y-%m-%d}）"

    @property
    def is_national(self) -> bool:
        return self.region_id is None

    @property
    def holder_label(self) -> str:
        return str(_("部专班")) if self.region_id is None else _("%(region)s省专班") % {"region": self.region.abbr}


class Participant(models.Model):
    """A party at the 会商: by kind and, where the product knows it, its department, region or account."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("类型"), max_length=12, choices=PartyKind.choices)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("省份"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("参会单位")
        verbose_name_plural = _("参会单位")
        constraints = [models.UniqueConstraint(name="participant_once", fields=["consultation", "kind", "name"])]
        indexes = [models.Index(fields=["department"]), models.Index(fields=["region"])]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """A problem on the agenda, why it is there, and the minutes of its discussion."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    reasons = models.JSONField(_("列入理由"), default=list, blank=True)
    minutes = models.TextField(_("会商情况"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        constraints = [models.UniqueConstraint(name="agenda_case_once", fields=["consultation", "case"])]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.case_id}"


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.role in (Role.MINISTRY, Role.ADMIN):
            return self
        meetings = Consultation.objects.visible_to(user).values("pk")
        seen = Case.objects.seen_by(user).values("pk")
        return self.filter(owned_by(user) | (Q(consultation_id__in=meetings)
                                             & (Q(case__isnull=True) | Q(case_id__in=seen))))


@pghistory.track()
class Decision(models.Model):
    """议定事项: what a 会商 decided, whom it falls to and by when (一事一议); chased like a referral."""

    class State(models.TextChoices):
        OPEN = "open", _("落实中")
        DONE = "done", _("已落实")

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="decisions")
    case = models.ForeignKey(Case, verbose_name=_("问题"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="decisions")
    text = models.TextField(_("议定事项"))
    owner_kind = models.CharField(_("责任单位类型"), max_length=12, choices=PartyKind.choices)
    owner_department = models.ForeignKey(Department, verbose_name=_("责任部门"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    owner_region = models.ForeignKey(Region, verbose_name=_("责任省份"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任账号"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(_("责任单位"), max_length=100)
    due_date = models.DateField(_("完成时限"))
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.OPEN)
    done_note = models.TextField(_("落实情况"), blank=True)
    done_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(_("召集方代录"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "pk"]
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        indexes = [
            models.Index(fields=["state", "due_date"]),
            models.Index(fields=["owner_department", "state", "due_date"]),
            models.Index(fields=["owner_region", "state", "due_date"]),
            models.Index(fields=["owner_kind", "state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name}：{self.text[:30]}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN
