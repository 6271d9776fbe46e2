"""重点企业名单: enterprises, their supply links, daily status and liaison assignments.

Visibility (design.md "Users"): an enterprise belongs to the list of one region (`list_region`: its
own region, or for an enterprise abroad the region that listed it). Users whose scope covers that
region see it in full; enterprises linked by a supply link to one they see in full are visible by
name, region and status only (the limited view); liaison officers see the enterprises assigned to them.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainwork.models import IndustrySection, KeyField, Region, Role
from chainwork.scope import scope_for


class Size(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Resumption(models.TextChoices):
    YES = "yes", _("已复工")
    PARTLY = "partly", _("部分复工")
    NO = "no", _("未复工")


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnterpriseQuerySet:
        """Enterprises the user sees in full."""
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.role == Role.LIAISON:
            return self.filter(
                liaison_assignments__officer_id=user.pk, liaison_assignments__ended_on__isnull=True
            ).distinct()
        return self.filter(scope.region_q("list_region"))

    def linked_visible_to(self, user) -> EnterpriseQuerySet:
        """Enterprises the user sees in full or, through a supply link, in the limited view."""
        full = Enterprise.objects.visible_to(user).values("pk")
        return self.filter(
            Q(pk__in=full)
            | Q(supply_links__partner__in=full)
            | Q(served_links__lead__in=full)
        ).distinct()

    def search(self, text: str) -> EnterpriseQuerySet:
        """By name, pinyin initials (hwjs → 华为技术) or the start of the credit code.

        A name is found through the GIN index of its character pairs (see NAME_BIGRAMS): the pairs of
        the search text narrow the rows to a few, and the substring test keeps the right ones. Chinese
        searches are mostly two or three characters, too short for the trigram index."""
        text = (text or "").strip()
        if not text:
            return self
        pairs = Func(Value(text), function=NAME_BIGRAMS, output_field=ArrayField(models.TextField()))
        condition = Q(name_bigrams__contains=pairs, name__icontains=text)
        ascii_text = text.lower()
        if ascii_text.isascii() and ascii_text.isalnum():
            condition |= Q(name_initials__startswith=ascii_text) | Q(name_pinyin__startswith=ascii_text)
            condition |= Q(credit_code__startswith=text.upper())
        return self.alias(name_bigrams=name_bigrams("name")).filter(condition)


# An SQL function (migration 0004) giving the distinct lower-case character pairs of a text; the GIN
# index enterprise_name_bigrams holds them for every name.
NAME_BIGRAMS = "enterprise_name_bigrams"


def name_bigrams(field: str) -> Func:
    return Func(F(field), function=NAME_BIGRAMS, output_field=ArrayField(models.TextField()))


@pghistory.track()
class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200)
    name_pinyin = models.CharField(_("名称拼音"), max_length=800, editable=False, db_index=True)
    name_initials = models.CharField(_("名称拼音首字母"), max_length=200, editable=False, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    org_code_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组织机构代码人工确认人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    org_code_confirmed_at = models.DateTimeField(_("人工确认时间"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属地区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="enterprises",
    )
    list_region = models.ForeignKey(
        Region, verbose_name=_("名单所属地区"), on_delete=models.PROTECT, related_name="listed_enterprises",
        help_text=_("境内企业为其所属地区；境外企业为将其列入名单的地区"),
    )
    country = models.CharField(_("国家（地区）"), max_length=64, blank=True)
    city = models.CharField(_("市"), max_length=64, blank=True)
    county = models.CharField(_("县（区）"), max_length=64, blank=True)
    industry = models.ForeignKey(
        IndustrySection, verbose_name=_("行业门类"), null=True, blank=True, on_delete=models.PROTECT,
    )
    key_fields = models.ManyToManyField(KeyField, verbose_name=_("重点领域"), blank=True)
    size = models.CharField(_("企业规模"), max_length=8, choices=Size.choices, blank=True)
    is_lead = models.BooleanField(_("龙头企业"), default=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_position = models.CharField(_("职务"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    # The latest daily status, kept by services.status_report_record for lists and the chain view.
    status = models.CharField(_("复工状态"), max_length=8, choices=Resumption.choices, blank=True)
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    staff_rate = models.DecimalField(_("员工到岗率"), max_digits=10, decimal_places=4, null=True, blank=True)
    output_rate = models.DecimalField(_("达产率"), max_digits=10, decimal_places=4, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name_pinyin", "pk"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            # Domestic: a region and a credit code, listed by that region. Abroad: a country, no code.
            models.CheckConstraint(
                name="enterprise_domestic_or_abroad",
                condition=(
                    Q(region__isnull=False, country="", credit_code__isnull=False)
                    | Q(region__isnull=True, credit_code__isnull=True) & ~Q(country="")
                ),
            ),
            models.CheckConstraint(
                name="enterprise_listed_by_own_region",
                condition=Q(region__isnull=True) | Q(region=models.F("list_region")),
            ),
        ]
        indexes = [
            models.Index(fields=["list_region", "name_pinyin"]),
            models.Index(fields=["list_region", "status"]),
            # fastupdate off: names go into the index as they are written, not into a pending list
            # that every search then reads until the next vacuum (3 ms a search after one import).
            GinIndex(name="enterprise_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"], fastupdate=False),
            GinIndex(name_bigrams("name"), name="enterprise_name_bigrams", fastupdate=False),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_abroad(self) -> bool:
        return self.region_id is None

    @property
    def location_label(self) -> str:
        return self.country if self.is_abroad else (self.region.name if self.region else "")


class Direction(models.TextChoices):
    UPSTREAM = "upstream", _("上游供应商")
    DOWNSTREAM = "downstream", _("下游客户")


class Criticality(models.TextChoices):
    CORE = "core", _("核心")
    IMPORTANT = "important", _("重要")
    GENERAL = "general", _("一般")


@pghistory.track()
class SupplyLink(models.Model):
    """A lead enterprise's supplier (upstream) or customer (downstream)."""

    lead = models.ForeignKey(Enterprise, verbose_name=_("龙头企业"), on_delete=models.CASCADE,
                             related_name="supply_links")
    partner = models.ForeignKey(Enterprise, verbose_name=_("配套企业"), on_delete=models.CASCADE,
                                related_name="served_links")
    direction = models.CharField(_("关系"), max_length=12, choices=Direction.choices)
    product = models.CharField(_("产品或服务"), max_length=200, blank=True)
    criticality = models.CharField(_("重要程度"), max_length=12, choices=Criticality.choices,
                                   default=Criticality.IMPORTANT)
    single_source = models.BooleanField(_("唯一供应"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["lead", "direction", "pk"]
        verbose_name = _("配套关系")
        verbose_name_plural = _("配套关系")
        constraints = [
            models.CheckConstraint(name="supply_link_not_to_itself", condition=~Q(lead=models.F("partner"))),
            models.UniqueConstraint(name="supply_link_unique", fields=["lead", "partner", "direction"]),
        ]
        indexes = [models.Index(fields=["partner", "lead"])]

    def __str__(self) -> str:
        return f"{self.lead} → {self.partner}（{self.get_direction_display()}）"

    @property
    def is_weak_link(self) -> bool:
        """薄弱环节: a core supplier that is the only source."""
        return self.direction == Direction.UPSTREAM and self.criticality == Criticality.CORE and self.single_source


def _rate(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


@pghistory.track()
class StatusReport(models.Model):
    """复工复产情况 of one enterprise on one day. Rates are derived from the stored figures."""

    class Source(models.TextChoices):
        FORM = "form", _("页面填报")
        GRID = "grid", _("批量填报")
        IMPORT = "import", _("文件导入")
        API = "api", _("接口")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="status_reports")
    date = models.DateField(_("日期"))
    resumed = models.CharField(_("复工情况"), max_length=8, choices=Resumption.choices)
    staff_at_work = models.PositiveIntegerField(_("到岗人数"), null=True, blank=True)
    staff_normal = models.PositiveIntegerField(_("正常用工人数"), null=True, blank=True)
    output = models.DecimalField(_("当日产值（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    output_normal = models.DecimalField(_("正常产值（万元）"), max_digits=14, decimal_places=2, null=True,
                                        blank=True, help_text=_("疫情前或上年同期的日均产值"))
    capacity = models.DecimalField(_("产能（万元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                   help_text=_("按产值计的日产能"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.FORM)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-date", "enterprise"]
        verbose_name = _("复工复产情况")
        verbose_name_plural = _("复工复产情况")
        constraints = [
            models.UniqueConstraint(name="status_report_one_per_day", fields=["enterprise", "date"]),
            models.CheckConstraint(name="status_report_staff_normal_positive",
                                   condition=Q(staff_normal__isnull=True) | Q(staff_normal__gt=0)),
            models.CheckConstraint(name="status_report_output_not_negative",
                                   condition=Q(output__isnull=True) | Q(output__gte=0)),
            models.CheckConstraint(name="status_report_output_normal_positive",
                                   condition=Q(output_normal__isnull=True) | Q(output_normal__gt=0)),
            models.CheckConstraint(name="status_report_capacity_positive",
                                   condition=Q(capacity__isnull=True) | Q(capacity__gt=0)),
            # Not resumed means nobody at work and nothing produced.
            models.CheckConstraint(
                name="status_report_not_resumed_is_idle",
                condition=~Q(resumed="no") | (Q(staff_at_work__isnull=True) | Q(staff_at_work=0))
                & (Q(output__isnull=True) | Q(output=0)),
            ),
        ]
        indexes = [models.Index(fields=["date", "enterprise"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date:%Y-%m-%d} {self.get_resumed_display()}"

    @property
    def staff_rate(self) -> Decimal | None:
        """员工到岗率 = staff at work ÷ normal headcount."""
        return _rate(self.staff_at_work, self.staff_normal)

    @property
    def output_rate(self) -> Decimal | None:
        """达产率 = output ÷ normal output."""
        return _rate(self.output, self.output_normal)

    @property
    def capacity_utilisation(self) -> Decimal | None:
        """产能利用率 = output ÷ capacity."""
        return _rate(self.output, self.capacity)


class Cadence(models.IntegerChoices):
    DAILY = 1, _("每日")
    EVERY_3_DAYS = 3, _("每3天")
    WEEKLY = 7, _("每周")
    FORTNIGHTLY = 14, _("每两周")


@pghistory.track()
class LiaisonAssignment(models.Model):
    """One 驻企联络员 per enterprise at a time; ended assignments are kept as history."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="liaison_assignments")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("联络员"), on_delete=models.PROTECT,
                                related_name="liaison_assignments")
    cadence_days = models.PositiveSmallIntegerField(_("联系频次"), choices=Cadence.choices,
                                                    default=Cadence.WEEKLY)
    started_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("联络员分工")
        verbose_name_plural = _("联络员分工")
        constraints = [
            models.UniqueConstraint(name="one_current_liaison_per_enterprise", fields=["enterprise"],
                                    condition=Q(ended_on__isnull=True)),
            models.CheckConstraint(name="liaison_assignment_ends_after_start",
                                   condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on"))),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.officer}"


# --- 一对一联系: contact records, their photos, and the claims that make reminders exactly-once ----------


class ContactChannel(models.TextChoices):
    VIDEO = "video", _("视频连线")
    CONFERENCE = "conference", _("电话会议")
    WECHAT = "wechat", _("微信群")
    VISIT = "visit", _("实地走访")
    PHONE = "phone", _("电话")
    OTHER = "other", _("其他")


class ContactRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactRecordQuerySet:
        """Records of the enterprises the user sees in full (an officer whose assignment ended no longer
        sees them: the record holds the enterprise's contacts and photos)."""
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))


@pghistory.track()
class ContactRecord(models.Model):
    """联系服务记录: one contact of a liaison officer (or ministry liaison) with an enterprise."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="contact_records")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("联络员"), on_delete=models.PROTECT,
                                related_name="contact_records")
    assignment = models.ForeignKey(LiaisonAssignment, verbose_name=_("联络员分工"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="contact_records")
    contacted_at = models.DateTimeField(_("联系时间"), default=timezone.now)
    channel = models.CharField(_("联系方式"), max_length=12, choices=ContactChannel.choices,
                               default=ContactChannel.PHONE)
    participants = models.CharField(_("参加人员"), max_length=200, blank=True)
    summary = models.TextField(_("联系情况"))
    problems_raised = models.TextField(_("企业反映的问题"), blank=True)
    next_follow_up = models.DateField(_("下次联系日期"))
    problems = models.ManyToManyField("cases.Case", verbose_name=_("转为问题"), blank=True,
                                      related_name="contact_records")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ContactRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_at", "-pk"]
        verbose_name = _("联系服务记录")
        verbose_name_plural = _("联系服务记录")
        indexes = [
            models.Index(fields=["enterprise", "-contacted_at"]),
            models.Index(fields=["officer", "-contacted_at"]),
            models.Index(fields=["assignment", "-contacted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {timezone.localtime(self.contacted_at):%Y-%m-%d} {self.get_channel_display()}"


def contact_photo_path(instance, filename):
    return f"contacts/{instance.record_id}/{instance.token}{instance.extension}"


class ContactPhoto(models.Model):
    """A photo or screenshot of a contact; served only to those who see the enterprise in full."""

    record = models.ForeignKey(ContactRecord, on_delete=models.CASCADE, related_name="photos")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=contact_photo_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("现场照片或截图")
        verbose_name_plural = _("现场照片或截图")

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """The claim of one reminder for one due event. Inserting it is the claim: the partial unique
    constraints below make a second sweep, a concurrent sweep or a retried task insert nothing, and
    a sweep killed before its commit leaves no claim behind, so the next sweep sends it."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("联系到期")
        CASE_OVERDUE = "case_overdue", _("问题超期")
        REFERRAL_OVERDUE = "referral_overdue", _("转办超期")
        INSTRUCTION_DUE = "instruction_due", _("批示到期")
        DIGEST = "digest", _("每日汇总")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("到期日期"))
    assignment = models.ForeignKey(LiaisonAssignment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("状态"), max_length=20, blank=True)
    referral = models.ForeignKey("cases.Referral", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    event = models.ForeignKey("cases.CaseEvent", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    notified = models.PositiveIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [
            models.UniqueConstraint(name="reminder_once_per_follow_up", fields=["assignment", "due_on"],
                                    condition=Q(kind="follow_up")),
            models.UniqueConstraint(name="reminder_once_per_case_state_due", fields=["case", "state", "due_on"],
                                    condition=Q(kind="case_overdue")),
            models.UniqueConstraint(name="reminder_once_per_referral_due", fields=["referral", "due_on"],
                                    condition=Q(kind="referral_overdue")),
            models.UniqueConstraint(name="reminder_once_per_instruction_due", fields=["event", "due_on"],
                                    condition=Q(kind="instruction_due")),
            models.UniqueConstraint(name="reminder_once_per_user_digest", fields=["user", "due_on"],
                                    condition=Q(kind="digest")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"
