"""国际疫情研判's answers and 一企一策 (issue #22): 应对预案 (ResponsePlan) for a lead enterprise or a key
industry chain, answering countries' situations; 政策储备 (PolicyReserve), policy proposals kept by the
部专班 until they become a Policy or are shelved; 一企一策 (ServicePlan), a lead's service plan and its
measures (ServiceMeasure), each with a responsible unit, a deadline and its progress.

Who sees what (design.md "Users"): the 部专班 side everything in its scope; a province's work group the
plans of its own leads and every chain's plans; 政策储备 is read by the officials who read the chains.
Imported by policies.models so that Django finds the models.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainwork.history import track_links
from chainwork.models import Role
from chainwork.scope import scope_for
from enterprises.models import CountrySituation, Enterprise, IndustryChain

# The officials who read the chains and the international picture (enterprises.industry_chains.VIEWER_ROLES).
PLAN_READERS = (Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN, Role.PROVINCE, Role.PROVINCE_LEAD)


# --- 应对预案 -------------------------------------------------------------------------------------------


class PlanState(models.TextChoices):
    DRAFT = "draft", _("起草中")
    IN_FORCE = "in_force", _("已生效")
    ACTIVATED = "activated", _("已启动")
    LIFTED = "lifted", _("已解除")


class ResponsePlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResponsePlanQuerySet:
        """The 部专班 every plan; a province's work group and a ministry liaison a chain's plans and the
        plans of the leads they see in full; nobody else any."""
        scope = scope_for(user)
        if scope.role not in PLAN_READERS:
            return self.none()
        if scope.is_national:
            return self.all()
        return self.filter(Q(chain__isnull=False)
                           | Q(lead__in=Enterprise.objects.visible_to(user).values("pk")))


@pghistory.track()
class ResponsePlan(models.Model):
    State = PlanState

    title = models.CharField(_("预案名称"), max_length=100)
    lead = models.ForeignKey(Enterprise, verbose_name=_("龙头企业"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="response_plans")
    chain = models.ForeignKey(IndustryChain, verbose_name=_("重点产业链"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="response_plans")
    situations = models.ManyToManyField(CountrySituation, verbose_name=_("应对的国外疫情形势"), blank=True,
                                        related_name="response_plans")
    alternatives = models.ManyToManyField(Enterprise, verbose_name=_("国内替代供应商"), blank=True,
                                          related_name="alternative_in_plans")
    stock_days = models.PositiveSmallIntegerField(_("库存可支撑天数"), null=True, blank=True)
    actions = models.TextField(_("应对措施"), help_text=_("每行一项"))
    owner_unit = models.CharField(_("责任单位"), max_length=100)
    owner_person = models.CharField(_("责任人"), max_length=50, blank=True)
    owner_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    state = models.CharField(_("预案状态"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    in_force_on = models.DateField(_("生效日期"), null=True, blank=True)
    activated_on = models.DateField(_("启动日期"), null=True, blank=True)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    review_on = models.DateField(_("下次评估日期"), null=True, blank=True)
    notes = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ResponsePlanQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("应对预案")
        verbose_name_plural = _("应对预案")
        constraints = [
            models.CheckConstraint(name="response_plan_state_valid", condition=Q(state__in=PlanState.values)),
            # A plan answers for one lead or one chain, never both, never neither.
            models.CheckConstraint(name="response_plan_lead_or_chain",
                                   condition=(Q(lead__isnull=False, chain__isnull=True)
                                              | Q(lead__isnull=True, chain__isnull=False))),
        ]
        indexes = [models.Index(fields=["state", "-updated_at"]), models.Index(fields=["lead", "state"]),
                   models.Index(fields=["chain", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def subject_name(self) -> str:
        return self.lead.name if self.lead_id else self.chain.name

    def action_lines(self) -> list[str]:
        return [line.strip() for line in self.actions.splitlines() if line.strip()]


# --- 政策储备 -------------------------------------------------------------------------------------------


class ReserveState(models.TextChoices):
    STUDYING = "studying", _("研究中")
    SUBMITTED = "submitted", _("已报送")
    ISSUED = "issued", _("已出台")
    SHELVED = "shelved", _("已搁置")


class PolicyReserveQuerySet(models.QuerySet):
    def visible_to(self, user) -> PolicyReserveQuerySet:
        """Kept by the 部专班, read by the officials who read the chains (provinces read what is being
        prepared for their enterprises)."""
        return self.all() if scope_for(user).role in PLAN_READERS else self.none()


@pghistory.track()
class PolicyReserve(models.Model):
    State = ReserveState

    title = models.CharField(_("政策建议名称"), max_length=100)
    summary = models.TextField(_("主要内容"))
    proposing_unit = models.CharField(_("提出单位"), max_length=100)
    chains = models.ManyToManyField(IndustryChain, verbose_name=_("针对的重点产业链"), blank=True,
                                    related_name="policy_reserves")
    situations = models.ManyToManyField(CountrySituation, verbose_name=_("应对的国外疫情形势"), blank=True,
                                        related_name="policy_reserves")
    state = models.CharField(_("储备状态"), max_length=10, choices=ReserveState.choices,
                             default=ReserveState.STUDYING)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    issued_on = models.DateField(_("出台日期"), null=True, blank=True)
    policy = models.ForeignKey("policies.Policy", verbose_name=_("出台的政策"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="reserves")
    shelved_reason = models.TextField(_("搁置原因"), blank=True)
    notes = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PolicyReserveQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("政策储备")
        verbose_name_plural = _("政策储备")
        constraints = [
            models.CheckConstraint(name="policy_reserve_state_valid", condition=Q(state__in=ReserveState.values)),
            models.CheckConstraint(name="policy_reserve_issued_names_policy",
                                   condition=~Q(state="issued") | Q(policy__isnull=False)),
        ]
        indexes = [models.Index(fields=["state", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


# --- 一企一策 -------------------------------------------------------------------------------------------


class MeasureState(models.TextChoices):
    PLANNED = "planned", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    BLOCKED = "blocked", _("受阻")


MEASURE_OPEN_STATES = (MeasureState.PLANNED, MeasureState.IN_PROGRESS, MeasureState.BLOCKED)


class ServicePlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ServicePlanQuerySet:
        """The plans of the leads the user sees in full (a liaison officer: the enterprises assigned)."""
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.is_national:
            return self.all()
        return self.filter(lead__in=Enterprise.objects.visible_to(user).values("pk"))


@pghistory.track()
class ServicePlan(models.Model):
    lead = models.OneToOneField(Enterprise, verbose_name=_("龙头企业"), on_delete=models.PROTECT,
                                related_name="service_plan")
    goal = models.TextField(_("服务目标"), blank=True)
    contact_unit = models.CharField(_("牵头服务单位"), max_length=100)
    contact_person = models.CharField(_("服务专员"), max_length=50, blank=True)
    cases = models.ManyToManyField("cases.Case", verbose_name=_("相关问题"), blank=True,
                                   related_name="service_plans")
    policies = models.ManyToManyField("policies.Policy", verbose_name=_("适用政策"), blank=True,
                                      related_name="service_plans")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ServicePlanQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("一企一策")
        verbose_name_plural = _("一企一策")

    def __str__(self) -> str:
        return str(_("%(name)s一企一策") % {"name": self.lead.name})


@pghistory.track()
class ServiceMeasure(models.Model):
    State = MeasureState

    plan = models.ForeignKey(ServicePlan, verbose_name=_("一企一策"), on_delete=models.CASCADE,
                             related_name="measures")
    text = models.CharField(_("服务措施"), max_length=300)
    responsible_unit = models.CharField(_("责任单位"), max_length=100)
    deadline = models.DateField(_("完成时限"))
    state = models.CharField(_("进展"), max_length=12, choices=MeasureState.choices, default=MeasureState.PLANNED)
    progress = models.TextField(_("进展情况"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["order", "deadline", "pk"]
        verbose_name = _("服务措施")
        verbose_name_plural = _("服务措施")
        constraints = [
            models.CheckConstraint(name="service_measure_state_valid", condition=Q(state__in=MeasureState.values)),
            models.CheckConstraint(name="service_measure_done_has_date",
                                   condition=~Q(state="done") | Q(done_on__isnull=False)),
        ]
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["plan", "order"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_overdue(self) -> bool:
        return self.state in MEASURE_OPEN_STATES and self.deadline < timezone.localdate()


__all__ = ["MEASURE_OPEN_STATES", "PLAN_READERS", "MeasureState", "PlanState", "PolicyReserve",
           "ReserveState", "ResponsePlan", "ServiceMeasure", "ServicePlan"]


# --- many-to-many audit -------------------------------------------------------------------------------
# (chainwork.history.track_links)


@track_links("ResponsePlanSituationEvent", "responseplan", "plan_situation_ev")
class ResponsePlanSituation(ResponsePlan.situations.through):
    """应对预案所应对的国外疫情形势, audited."""

    class Meta:
        proxy = True


@track_links("ResponsePlanAlternativeEvent", "responseplan", "plan_alternative_ev")
class ResponsePlanAlternative(ResponsePlan.alternatives.through):
    """应对预案的国内替代供应商, audited."""

    class Meta:
        proxy = True


@track_links("PolicyReserveChainEvent", "policyreserve", "reserve_chain_ev")
class PolicyReserveChain(PolicyReserve.chains.through):
    """政策储备针对的重点产业链, audited."""

    class Meta:
        proxy = True


@track_links("PolicyReserveSituationEvent", "policyreserve", "reserve_situation_ev")
class PolicyReserveSituation(PolicyReserve.situations.through):
    """政策储备应对的国外疫情形势, audited."""

    class Meta:
        proxy = True


@track_links("ServicePlanCaseEvent", "serviceplan", "service_plan_case_ev")
class ServicePlanCase(ServicePlan.cases.through):
    """一企一策的相关问题, audited."""

    class Meta:
        proxy = True


@track_links("ServicePlanPolicyEvent", "serviceplan", "service_plan_policy_ev")
class ServicePlanPolicy(ServicePlan.policies.through):
    """一企一策的适用政策, audited."""

    class Meta:
        proxy = True
