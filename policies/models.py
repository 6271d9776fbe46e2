"""政策落实: the support-policy catalogue (Policy) and its take-up by enterprises (PolicyApplication).

A policy's eligibility is a set of restrictions, each empty for "any": enterprise sizes, key fields,
problem categories and regions. A policy is suggested only inside its validity period.

A PolicyApplication is one recorded step of the take-up of a policy by an enterprise (推荐, 申请, 获批,
未获批), with its date; the steps are kept, never overwritten, so the report counts what happened in a
date range. Visibility follows the enterprise (design.md "Users").
"""

from __future__ import annotations

import datetime as dt

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
