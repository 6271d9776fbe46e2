"""重点企业名单: enterprises, their supply links, daily status and liaison assignments.

Visibility (design.md "Users"): a domestic enterprise belongs to the list of its region
(`list_region`); an enterprise abroad carries a country, no region, and belongs to no province's list.
Users whose scope covers the list's region see it in full, and an enterprise abroad is seen in full by
the 部专班 and the work group of the region that added it (`added_by_region`); enterprises linked by a
supply link to one they see in full are visible by name, region or country and status only (the
limited view); liaison officers see the enterprises assigned to them.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from chainwork.history import track_links
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
        if scope.is_national:
            return self.all()
        return self.filter(scope.region_q("list_region") | Q(region__isnull=True) & scope.region_q("added_by_region"))

    def covered_by(self, user) -> EnterpriseQuerySet:
        """A 行业协会's enterprises (limited view): those of its industry sections or key fields, in its
        region or nationwide; enterprises abroad belong to no province and are not among them. Nobody
        else's: every other role answers none."""
        scope = scope_for(user)
        if scope.role != Role.ASSOCIATION or not (scope.industries or scope.key_fields):
            return self.none()
        # pk IN (…) on the key fields' table rather than a join: no DISTINCT over every selected column.
        covered = Q(pk__in=[])
        if scope.industries:
            covered |= Q(industry_id__in=sorted(scope.industries))
        if scope.key_fields:
            covered |= Q(pk__in=Enterprise.key_fields.through.objects.filter(
                keyfield_id__in=sorted(scope.key_fields)).values("enterprise_id"))
        where = Q(region__isnull=False)
        if scope.association_region:
            where &= Q(list_region_id=scope.association_region)
        return self.filter(covered, where)

    def seen_by(self, user) -> EnterpriseQuerySet:
        """Full or limited: every enterprise whose page answers the user with something other than 404 —
        linked by a supply link to one they see in full, or for a 行业协会 covered by it."""
        if scope_for(user).role == Role.ASSOCIATION:
            return self.covered_by(user)
        return self.linked_visible_to(user)

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
    # The region whose list holds the enterprise: its own region; none for an enterprise abroad. Kept
    # beside `region` because lists, figures and their indexes filter on it.
    list_region = models.ForeignKey(
        Region, verbose_name=_("名单所属地区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="listed_enterprises", help_text=_("境内企业为其所属地区；境外企业不属于任何地区的名单"),
    )
    added_by_region = models.ForeignKey(
        Region, verbose_name=_("登记地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("境外企业由哪个地区的专班登记（部专班登记的为空）；该地区专班和部专班可以修改"),
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
    # Bumped by every edit of the fields above (enterprise_save, the import): an edit made on an older
    # version is refused (409) instead of silently overwriting the other official's.
    version = models.PositiveIntegerField(_("版本"), default=1)

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
            # Domestic: on its own region's list. Abroad: on no list, perhaps added by a region.
            models.CheckConstraint(
                name="enterprise_on_own_region_list",
                condition=Q(region__isnull=True, list_region__isnull=True)
                | Q(region__isnull=False, region=models.F("list_region"), added_by_region__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["list_region", "name_pinyin"]),
            models.Index(fields=["list_region", "status"]),
            # The lead enterprises, a few thousand of a national list: the 监测 page's choice and area.
            models.Index(fields=["name"], condition=Q(is_lead=True), name="enterprise_lead_name"),
            # fastupdate off: names go into the index as they are written, not into a pending list
            # that every search then reads until the next vacuum.
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
        return self.country if self.is_abroad else (str(self.region) if self.region else "")


class Direction(models.TextChoices):
    UPSTREAM = "upstream", _("上游供应商")
    DOWNSTREAM = "downstream", _("下游客户")


class Criticality(models.TextChoices):
    CORE = "core", _("核心")
    IMPORTANT = "important", _("重要")
    GENERAL = "general", _("一般")


class ChainCount(models.Model):
    """A lead's chain in figures, as the 产业链图谱 index lists and orders the leads (堵点 first). Counting
    every lead's links and their partners' blockers takes about a second nationally, so the counts are
    kept and recounted by beat every CHAIN_COUNTS_SECONDS (enterprises.chain_counts); a lead's own chain
    page counts live."""

    lead = models.OneToOneField(Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="chain_count")
    upstream = models.PositiveIntegerField(default=0)
    downstream = models.PositiveIntegerField(default=0)
    blockers = models.PositiveIntegerField(default=0)
    weak_links = models.PositiveIntegerField(default=0)
    cross_region = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["-blockers", "-weak_links"], name="chain_count_order")]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.blockers}"


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


@track_links("EnterpriseKeyFieldEvent", "enterprise", "ent_keyfield_ev_enterprise")
class EnterpriseKeyField(Enterprise.key_fields.through):
    """An enterprise's 重点领域, audited like its other fields (the 变更记录 shows them in words;
    chainwork.audit). (pghistory tracks a proxy of the auto-created through table: each add and remove is a row.)"""

    class Meta:
        proxy = True


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
        indexes = [
            models.Index(fields=["date", "enterprise"]),
            # The 日报 before the cut-off: the reports logged since yesterday's (reports.day_figures).
            models.Index(fields=["created_at"], name="status_report_logged_idx"),
        ]

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


class ProblemCount(models.Model):
    """How many open problems are about or name the enterprise: the 堵点 filter and the chain picture
    read it instead of counting problems. The cases app keeps it, by triggers on its tables; an
    enterprise never named by a problem has no row."""

    enterprise = models.OneToOneField(Enterprise, primary_key=True, on_delete=models.CASCADE,
                                      related_name="problem_count")
    open = models.IntegerField(_("未办结问题"), default=0)

    class Meta:
        verbose_name = _("问题计数")
        verbose_name_plural = _("问题计数")

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.open}"


@pghistory.track()
class IndustryChain(models.Model):
    """重点产业链: lead enterprises across provinces; their suppliers over several tiers come from the
    recorded supply links (enterprises/industry_chains.py)."""

    slug = models.SlugField(_("标识"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    leads = models.ManyToManyField(Enterprise, verbose_name=_("龙头企业"), through="IndustryChainLead",
                                   related_name="industry_chains", blank=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("重点产业链")
        verbose_name_plural = _("重点产业链")

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class IndustryChainLead(models.Model):
    """A lead enterprise of an industry chain."""

    chain = models.ForeignKey(IndustryChain, verbose_name=_("重点产业链"), on_delete=models.CASCADE,
                              related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("龙头企业"), on_delete=models.CASCADE,
                                   related_name="chain_memberships")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("产业链龙头企业")
        verbose_name_plural = _("产业链龙头企业")
        constraints = [models.UniqueConstraint(name="industry_chain_lead_once", fields=["chain", "enterprise"])]
        indexes = [models.Index(fields=["enterprise", "chain"])]

    def __str__(self) -> str:
        return f"{self.chain}: {self.enterprise_id}"


class SituationKind(models.TextChoices):
    LOCKDOWN = "lockdown", _("封锁/停工")
    PORT_CLOSURE = "port_closure", _("港口或机场关闭")
    EXPORT_RESTRICTION = "export_restriction", _("出口限制")
    LOGISTICS = "logistics", _("物流中断")


class Severity(models.TextChoices):
    HIGH = "high", _("严重")
    MEDIUM = "medium", _("较重")
    LOW = "low", _("一般")


class CountrySituationQuerySet(models.QuerySet):
    def in_force(self, on) -> CountrySituationQuerySet:
        return self.filter(Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on)))


@pghistory.track()
class CountrySituation(models.Model):
    """国际疫情研判: a country's lockdown, port or airport closure, export restriction or logistics
    disruption, as the 部专班 records it. Enterprises abroad are matched by their country's name."""

    country = models.CharField(_("国家（地区）"), max_length=64, db_index=True)
    kind = models.CharField(_("情况类型"), max_length=24, choices=SituationKind.choices)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("仍在持续的留空"))
    source = models.CharField(_("信息来源"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CountrySituationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("国外疫情形势")
        verbose_name_plural = _("国外疫情形势")
        constraints = [
            models.CheckConstraint(name="country_situation_ends_after_it_starts",
                                   condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on"))),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.get_kind_display()}"
