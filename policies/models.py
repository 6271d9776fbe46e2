"""政策落实: the support-policy catalogue (Policy) and its take-up by enterprises (PolicyApplication).

A policy's eligibility is a set of restrictions, each empty for "any": enterprise sizes, key fields,
problem categories and regions. A policy is suggested only inside its validity period.

A PolicyApplication is one recorded step of the take-up of a policy by an enterprise (推荐, 申请, 获批,
未获批), with its date; the steps are kept, never overwritten, so the report counts what happened in a
date range. Visibility follows the enterprise (design.md "Users").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Urgency
from chainwork.history import track_links
from chainwork.models import Category, Department, KeyField, Region
from chainwork.scope import scope_for
from enterprises.models import Enterprise, Size


class AmountKind(models.TextChoices):
    NONE = "", _("不涉及金额")
    LOAN = "loan", _("贷款融资")
    RELIEF = "relief", _("费用减免")
    DEFERRAL = "deferral", _("缓缴延期")
    REFUND = "refund", _("资金返还")
    ARREARS = "arrears", _("清偿欠款")


class PolicyQuerySet(models.QuerySet):
    def current(self, at: dt.date | None = None) -> PolicyQuerySet:
        """Active policies valid on `at` (today by default): not expired, not yet to come."""
        at = at or timezone.localdate()
        return self.filter(is_active=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=at), Q(valid_to__isnull=True) | Q(valid_to__gte=at))


@pghistory.track()
class Policy(models.Model):
    slug = models.SlugField(_("标识"), max_length=48, unique=True)
    name = models.CharField(_("政策名称"), max_length=100, unique=True)
    issuers = models.ManyToManyField(Department, verbose_name=_("发文部门"), blank=True, related_name="policies")
    issuer_text = models.CharField(_("发文单位（其他）"), max_length=200, blank=True,
                                   help_text=_("不在部门名单中的发文单位，如部际联席会议办公室"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    summary = models.TextField(_("政策要点"), blank=True)
    sizes = ArrayField(models.CharField(max_length=8, choices=Size.choices), verbose_name=_("适用企业规模"),
                       default=list, blank=True, help_text=_("不选为不限"))
    key_fields = models.ManyToManyField(KeyField, verbose_name=_("适用重点领域"), blank=True,
                                        related_name="policies", help_text=_("不选为不限"))
    categories = models.ManyToManyField(Category, verbose_name=_("适用问题类别"), blank=True,
                                        related_name="policies", help_text=_("不选为不限"))
    regions = models.ManyToManyField(Region, verbose_name=_("适用地区"), blank=True, related_name="policies",
                                     help_text=_("不选为全国适用"))
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期止"), null=True, blank=True, help_text=_("不填为长期有效"))
    amount_kind = models.CharField(_("金额类型"), max_length=10, choices=AmountKind.choices, blank=True,
                                   default=AmountKind.NONE, help_text=_("落实时记录的金额（万元）的含义"))
    to_be_confirmed = models.BooleanField(_("待核实"), default=False,
                                          help_text=_("文号、日期或有效期待与政策原文核对"))
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("支持政策")
        verbose_name_plural = _("支持政策")
        constraints = [
            models.CheckConstraint(
                name="policy_valid_period_ordered",
                condition=(Q(valid_from__isnull=True) | Q(valid_to__isnull=True)
                           | Q(valid_to__gte=models.F("valid_from"))),
            ),
            models.CheckConstraint(name="policy_sizes_valid", condition=Q(sizes__contained_by=Size.values)),
            models.CheckConstraint(name="policy_amount_kind_valid", condition=Q(amount_kind__in=AmountKind.values)),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, at: dt.date | None = None) -> bool:
        at = at or timezone.localdate()
        return (self.is_active and (self.valid_from is None or self.valid_from <= at)
                and (self.valid_to is None or self.valid_to >= at))

    @property
    def is_current(self) -> bool:
        return self.is_valid_on()

    @property
    def validity_label(self) -> str:
        today = timezone.localdate()
        if not self.is_active:
            return str(_("已停用"))
        if self.valid_to is not None and self.valid_to < today:
            return str(_("已失效"))
        if self.valid_from is not None and self.valid_from > today:
            return str(_("尚未生效"))
        return str(_("有效"))

    def size_labels(self) -> list[str]:
        labels = dict(Size.choices)
        return [str(labels[s]) for s in self.sizes if s in labels]


@track_links("PolicyIssuerEvent", "policy", "policy_issuer_ev_policy")
class PolicyIssuer(Policy.issuers.through):
    """A policy's issuing departments, audited."""

    class Meta:
        proxy = True


@track_links("PolicyKeyFieldEvent", "policy", "policy_keyfield_ev_policy")
class PolicyKeyField(Policy.key_fields.through):
    """A policy's eligibility by 重点领域, audited."""

    class Meta:
        proxy = True


@track_links("PolicyCategoryEvent", "policy", "policy_category_ev_policy")
class PolicyCategory(Policy.categories.through):
    """A policy's eligibility by problem category, audited."""

    class Meta:
        proxy = True


@track_links("PolicyRegionEvent", "policy", "policy_region_ev_policy")
class PolicyRegion(Policy.regions.through):
    """A policy's eligibility by region, audited."""

    class Meta:
        proxy = True


class PolicyApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> PolicyApplicationQuerySet:
        """Take-up records of the enterprises the user sees in full."""
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.is_national:
            return self.all()
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))


class ApplicationStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    APPLIED = "applied", _("已申请")
    GRANTED = "granted", _("已获批")
    REFUSED = "refused", _("未获批")


@pghistory.track()
class PolicyApplication(models.Model):
    Status = ApplicationStatus

    # An amount is what was applied for or granted; a recommendation or a refusal has none.
    STATUSES_WITH_AMOUNT = (Status.APPLIED, Status.GRANTED)

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="policy_applications")
    case = models.ForeignKey("cases.Case", verbose_name=_("相关问题"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="policy_applications")
    status = models.CharField(_("落实情况"), max_length=12, choices=Status.choices)
    date = models.DateField(_("日期"))
    amount_wan = models.DecimalField(_("金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = PolicyApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("政策落实记录")
        verbose_name_plural = _("政策落实记录")
        constraints = [
            models.CheckConstraint(name="policy_application_status_valid",
                                   condition=Q(status__in=ApplicationStatus.values)),
            models.CheckConstraint(name="policy_application_amount_not_negative",
                                   condition=Q(amount_wan__isnull=True) | Q(amount_wan__gte=0)),
            models.CheckConstraint(
                name="policy_application_amount_only_applied_or_granted",
                condition=Q(amount_wan__isnull=True) | Q(status__in=["applied", "granted"]),
            ),
            models.UniqueConstraint(name="policy_application_once_per_day",
                                    fields=["policy", "enterprise", "status", "date"]),
        ]
        indexes = [
            models.Index(fields=["policy", "date"]),
            models.Index(fields=["enterprise", "-date"]),
            models.Index(fields=["date", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy} · {self.get_status_display()}"


# --- 产融对接: a supporting enterprise's financing need, pushed to banks and followed to 放款 -----------


class FinancingPurpose(models.TextChoices):
    WORKING_CAPITAL = "working_capital", _("流动资金")
    EQUIPMENT = "equipment", _("设备购置")
    MATERIALS = "materials", _("原材料采购")
    PAYROLL = "payroll", _("工资发放")
    OTHER = "other", _("其他")


class FinancingState(models.TextChoices):
    PENDING = "pending", _("待对接")
    MATCHED = "matched", _("已对接")
    CREDITED = "credited", _("已授信")
    DISBURSED = "disbursed", _("已放款")
    REFUSED = "refused", _("未获支持")


# A need in these states is still followed up (and reminded when its follow-up date passes).
FINANCING_OPEN_STATES = (FinancingState.PENDING, FinancingState.MATCHED, FinancingState.CREDITED)


class FinancingNeedQuerySet(models.QuerySet):
    def visible_to(self, user) -> FinancingNeedQuerySet:
        """The needs of the enterprises the user sees in full (the region's scope; a liaison officer's
        assigned enterprises)."""
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.is_national:
            return self.all()
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))


@pghistory.track()
class FinancingNeed(models.Model):
    State = FinancingState
    Purpose = FinancingPurpose

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("融资企业"), on_delete=models.PROTECT,
                                   related_name="financing_needs")
    lead = models.ForeignKey(Enterprise, verbose_name=_("服务的龙头企业"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="served_financing_needs")
    case = models.ForeignKey("cases.Case", verbose_name=_("相关问题"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="financing_needs")
    amount_wan = models.DecimalField(_("融资需求金额（万元）"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("资金用途"), max_length=16, choices=FinancingPurpose.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    banks = ArrayField(models.CharField(max_length=64), verbose_name=_("推送银行"), default=list, blank=True)
    state = models.CharField(_("对接情况"), max_length=10, choices=FinancingState.choices,
                             default=FinancingState.PENDING)
    matched_on = models.DateField(_("对接日期"), null=True, blank=True)
    credited_on = models.DateField(_("授信日期"), null=True, blank=True)
    credit_wan = models.DecimalField(_("授信金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    disbursed_on = models.DateField(_("放款日期"), null=True, blank=True)
    disbursed_wan = models.DecimalField(_("放款金额（万元）"), max_digits=14, decimal_places=2, null=True,
                                        blank=True)
    refused_on = models.DateField(_("未获支持日期"), null=True, blank=True)
    refusal_reason = models.TextField(_("未获支持原因"), blank=True)
    next_follow_up = models.DateField(_("下次跟进日期"), null=True, blank=True,
                                      help_text=_("到期未跟进时提醒记录人，办结后清空"))
    notes = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = FinancingNeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        constraints = [
            models.CheckConstraint(name="financing_need_state_valid", condition=Q(state__in=FinancingState.values)),
            models.CheckConstraint(name="financing_need_amount_positive", condition=Q(amount_wan__gt=0)),
            models.CheckConstraint(name="financing_need_credit_not_negative",
                                   condition=Q(credit_wan__isnull=True) | Q(credit_wan__gte=0)),
            models.CheckConstraint(name="financing_need_disbursed_not_negative",
                                   condition=Q(disbursed_wan__isnull=True) | Q(disbursed_wan__gte=0)),
        ]
        indexes = [
            # The lists' order, newest first: a page of the national list walks it instead of sorting all.
            models.Index(fields=["-created_at", "-id"], name="financing_need_newest"),
            models.Index(fields=["enterprise", "-created_at"]),
            models.Index(fields=["lead", "-created_at"]),
            models.Index(fields=["state", "next_follow_up"]),
            models.Index(fields=["credited_on"]),
            models.Index(fields=["disbursed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.amount_wan}万元 · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in FINANCING_OPEN_STATES

    @property
    def follow_up_overdue(self) -> bool:
        return self.is_open and self.next_follow_up is not None and self.next_follow_up < timezone.localdate()


# --- 清欠: arrears owed to private and small enterprises, repaid over time -----------------------------


class DebtorKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门及事业单位")
    STATE_OWNED = "state_owned", _("国有企业")
    LARGE = "large", _("大型企业")
    OTHER = "other", _("其他")


class ArrearState(models.TextChoices):
    UNPAID = "unpaid", _("未清偿")
    PARTLY = "partly", _("部分清偿")
    PAID = "paid", _("已清偿")
    DISPUTED = "disputed", _("有争议")


class ArrearQuerySet(models.QuerySet):
    def visible_to(self, user) -> ArrearQuerySet:
        """The arrears owed to the enterprises the user sees in full; the 部专班 sees the national ledger."""
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.is_national:
            return self.all()
        return self.filter(creditor__in=Enterprise.objects.visible_to(user).values("pk"))


@pghistory.track()
class Arrear(models.Model):
    State = ArrearState
    DebtorKind = DebtorKind

    creditor = models.ForeignKey(Enterprise, verbose_name=_("被拖欠企业"), on_delete=models.PROTECT,
                                 related_name="arrears")
    debtor_name = models.CharField(_("欠款单位"), max_length=200)
    debtor_kind = models.CharField(_("欠款单位类型"), max_length=12, choices=DebtorKind.choices)
    contract = models.CharField(_("合同名称或编号"), max_length=200)
    owed_wan = models.DecimalField(_("拖欠金额（万元）"), max_digits=14, decimal_places=2)
    # The sum of the repayments, kept by the service with each one (the ledger lists and adds it up).
    repaid_wan = models.DecimalField(_("已清偿金额（万元）"), max_digits=14, decimal_places=2, default=Decimal("0"))
    state = models.CharField(_("清偿情况"), max_length=10, choices=ArrearState.choices, default=ArrearState.UNPAID)
    dispute_reason = models.TextField(_("争议情况"), blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("相关问题"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="arrears")
    notes = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArrearQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("拖欠账款")
        verbose_name_plural = _("拖欠账款")
        constraints = [
            models.CheckConstraint(name="arrear_state_valid", condition=Q(state__in=ArrearState.values)),
            models.CheckConstraint(name="arrear_debtor_kind_valid", condition=Q(debtor_kind__in=DebtorKind.values)),
            models.CheckConstraint(name="arrear_owed_positive", condition=Q(owed_wan__gt=0)),
            models.CheckConstraint(name="arrear_repaid_within_owed",
                                   condition=Q(repaid_wan__gte=0, repaid_wan__lte=models.F("owed_wan"))),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="arrear_newest"),
            models.Index(fields=["creditor", "-created_at"]),
            models.Index(fields=["state", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.debtor_name} → {self.creditor} · {self.owed_wan}万元"

    @property
    def outstanding_wan(self) -> Decimal:
        return self.owed_wan - self.repaid_wan


@pghistory.track()
class ArrearRepayment(models.Model):
    arrear = models.ForeignKey(Arrear, verbose_name=_("拖欠账款"), on_delete=models.PROTECT,
                               related_name="repayments")
    date = models.DateField(_("清偿日期"))
    amount_wan = models.DecimalField(_("清偿金额（万元）"), max_digits=14, decimal_places=2)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("清偿记录")
        verbose_name_plural = _("清偿记录")
        constraints = [
            models.CheckConstraint(name="arrear_repayment_amount_positive", condition=Q(amount_wan__gt=0)),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.date} · {self.amount_wan}万元"


# 应对预案, 政策储备 and 一企一策 live in their own module; imported here so that Django finds them.
from policies.models_plans import (  # noqa: E402, F401
    MEASURE_OPEN_STATES,
    PLAN_READERS,
    MeasureState,
    PlanState,
    PolicyReserve,
    ReserveState,
    ResponsePlan,
    ServiceMeasure,
    ServicePlan,
)

