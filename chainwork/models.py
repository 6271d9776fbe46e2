"""The core app: users and roles, and the reference data every other app names.

Reference data (regions, departments, key fields, categories, industry sections, the holiday
calendar) is seeded from domain.md by `chainwork.reference.load_reference_data()` and stays
editable in the admin.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chainwork.history import track_links


@pghistory.track()
class Region(models.Model):
    """A provincial-level division (GB/T 2260) or the XPCC, addressed by its two-digit code."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        MUNICIPALITY = "municipality", _("直辖市")
        AUTONOMOUS = "autonomous", _("自治区")
        XPCC = "xpcc", _("新疆生产建设兵团")

    code = models.CharField(_("代码"), max_length=2, primary_key=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=64)
    abbr = models.CharField(_("简称"), max_length=4, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    # Credit codes carry the registering authority's real division code; the XPCC's (internal
    # code 66, not from the standard) begin with 6590.
    division_prefix = models.CharField(_("信用代码行政区划前缀"), max_length=6)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name a reader of the active language knows: the English name on English pages, the
        Chinese one otherwise. Every page, filter, choice and export names a region through this (or
        `label` for rows read with values())."""
        return self.label(self.name, self.name_en)

    @staticmethod
    def label(name: str, name_en: str | None) -> str:
        if name_en and (get_language() or "").startswith("en"):
            return name_en
        return name

    @property
    def division_code(self) -> str:
        """Six-digit form (420000) for the standard regions."""
        return f"{self.code}0000"


@pghistory.track()
class Department(models.Model):
    """A member department of the work group or an MIIT bureau; the API names it by slug."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("成员单位")
        BUREAU = "bureau", _("部内司局")

    slug = models.SlugField(_("标识"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    handles = models.CharField(_("主要职责"), max_length=200, blank=True)
    leads_work_group = models.BooleanField(_("牵头单位"), default=False)
    to_be_confirmed = models.BooleanField(
        _("待核实"), default=True, help_text=_("成员单位名单待与工作专班文件核对")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # The department's liaison for 一事一议 calls: the 通讯录 lists it (chainwork.directory).
    contact_name = models.CharField(_("联络人"), max_length=32, blank=True)
    contact_post = models.CharField(_("联络人职务"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联络人办公电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("联络人电子邮箱"), blank=True)

    class Meta:
        ordering = ["kind", "order", "slug"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class KeyField(models.Model):
    """重点领域: an enterprise may be in several."""

    slug = models.SlugField(_("标识"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("重点领域")
        verbose_name_plural = _("重点领域")

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class IndustrySection(models.Model):
    """GB/T 4754-2017 section (门类), A–T."""

    code = models.CharField(_("门类代码"), max_length=1, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    divisions = models.CharField(_("大类范围"), max_length=16, help_text=_("如 13–43"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业门类")
        verbose_name_plural = _("国民经济行业门类")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@pghistory.track()
class Category(models.Model):
    """A kind of problem and the departments that usually solve it (drives suggestions and routing)."""

    slug = models.SlugField(_("标识"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("常用责任部门"), blank=True, related_name="categories"
    )
    needs_national = models.BooleanField(
        _("通常需国家层面协调"), default=False,
        help_text=_("研判时据此提示提请部专班协调"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")

    def __str__(self) -> str:
        return self.name


@track_links("CategoryDepartmentEvent", "category", "category_dept_ev_category")
class CategoryDepartment(Category.departments.through):
    """The departments a category usually goes to drive suggestions and routing: audited."""

    class Meta:
        proxy = True


@pghistory.track()
class Holiday(models.Model):
    """A day that breaks the Monday–Friday rule: a statutory day off or a 调休 working weekend day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=16)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} {self.get_kind_display()}"


@pghistory.track()
class Association(models.Model):
    """行业协会: covers industry sections and/or key fields, nationwide or in one region. Its staff see
    those enterprises in the limited view and register their difficulties for their province (design.md
    "行业协会"); a 会商 may invite it and hand it a decision."""

    name = models.CharField(_("协会名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="associations", help_text=_("省级协会只覆盖本地区企业；全国性协会留空"),
    )
    industries = models.ManyToManyField(
        IndustrySection, verbose_name=_("覆盖行业门类"), blank=True, related_name="associations")
    key_fields = models.ManyToManyField(KeyField, verbose_name=_("覆盖重点领域"), blank=True,
                                        related_name="associations")
    contact_name = models.CharField(_("联络人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联络人电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("行业协会")
        verbose_name_plural = _("行业协会")

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.region_id is None


@track_links("AssociationIndustryEvent", "association", "assoc_industry_ev_assoc")
class AssociationIndustry(Association.industries.through):
    """The industry sections an association covers decide which enterprises it sees: audited."""

    class Meta:
        proxy = True


@track_links("AssociationKeyFieldEvent", "association", "assoc_keyfield_ev_assoc")
class AssociationKeyField(Association.key_fields.through):
    """The key fields an association covers decide which enterprises it sees: audited."""

    class Meta:
        proxy = True


class Role(models.TextChoices):
    PROVINCE = "province", _("省专班经办人")
    PROVINCE_LEAD = "province_lead", _("省专班负责人")
    MINISTRY = "ministry", _("部专班")
    MINISTRY_LIAISON = "ministry_liaison", _("部联络员工作组")
    DEPARTMENT = "department", _("成员单位")
    LIAISON = "liaison", _("驻企联络员")
    ASSOCIATION = "association", _("行业协会")
    ADMIN = "admin", _("系统管理员")


class ChainworkUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


REGIONAL_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.LIAISON)
NATIONAL_ROLES = (Role.MINISTRY, Role.ADMIN)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
    pghistory.ManualEvent("password.change"),
    # Password hashes stay out of the audit tables; a change is recorded as its own event.
    exclude=["password", "last_login"],
)
class User(AbstractUser):
    """A chainwork account. Its role, home region, department and covered regions set its scope."""

    # No default: a role decides what a user sees, so it is always chosen on purpose.
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所属地区"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
    )
    association = models.ForeignKey(
        Association, verbose_name=_("所属行业协会"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="users",
    )
    covered_regions = models.ManyToManyField(
        Region, verbose_name=_("联系地区"), blank=True, related_name="liaison_members",
        help_text=_("部联络员工作组成员负责联系的地区"),
    )
    display_name = models.CharField(_("姓名"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    unit = models.CharField(_("单位"), max_length=64, blank=True)
    post = models.CharField(_("职务"), max_length=64, blank=True)

    objects = ChainworkUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(name="user_role_valid", condition=Q(role__in=Role.values)),
            models.CheckConstraint(
                name="user_regional_role_has_region",
                condition=~Q(role__in=[r.value for r in REGIONAL_ROLES]) | Q(region__isnull=False),
            ),
            models.CheckConstraint(
                name="user_department_role_has_department",
                condition=~Q(role=Role.DEPARTMENT) | Q(department__isnull=False),
            ),
            models.CheckConstraint(
                name="user_association_role_has_association",
                condition=~Q(role=Role.ASSOCIATION) | Q(association__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in REGIONAL_ROLES and self.region_id is None:
            raise ValidationError({"region": _("该角色必须选择所属地区。")})
        if self.role == Role.DEPARTMENT and self.department_id is None:
            raise ValidationError({"department": _("成员单位用户必须选择所属部门。")})
        if self.role == Role.ASSOCIATION and self.association_id is None:
            raise ValidationError({"association": _("行业协会用户必须选择所属行业协会。")})

    def save(self, *args, **kwargs) -> None:
        # The admin site is for administrators (everything) and the 部专班 (reference data).
        self.is_staff = self.is_superuser or self.role in NATIONAL_ROLES
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            pghistory.create_event(self, label="password.change")
        # A token is a password in another form: a new password (changed or reset) or a deactivated
        # account ends every API token, so a leaked one dies with the password that obtained it.
        if password_changed or (self.pk is not None and not self.is_active):
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()


class TokenUse(models.Model):
    """When an API token was last used (DRF's Token records only its creation): idle tokens expire."""

    token = models.OneToOneField("authtoken.Token", on_delete=models.CASCADE, primary_key=True,
                                 related_name="use")
    last_used_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.token_id[:6]}… {self.last_used_at:%Y-%m-%d %H:%M}"


@track_links("UserCoveredRegionEvent")
class UserCoveredRegion(User.covered_regions.through):
    """The regions a ministry liaison covers decide what they see: each add and remove is audited."""

    class Meta:
        proxy = True


class ExportLog(models.Model):
    """One row per export, written by `chainwork.exports` in the same transaction as the file."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"
        DOCX = "docx", "Word (.docx)"

    user = models.ForeignKey(User, verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="exports")
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("导出内容"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("行数"))
    format = models.CharField(_("格式"), max_length=8, choices=Format.choices)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    watermark = models.CharField(_("水印"), max_length=200)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        indexes = [models.Index(fields=["user", "-created_at"])]
        triggers = [pgtrigger.Protect(name="export_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.title} · {self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app notice to one user. Each (user, case event) pair is notified once, whatever retries."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    case_event_id = models.BigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(name="notification_once_per_event", fields=["user", "case_event_id"],
                                    condition=Q(case_event_id__isnull=False)),
            models.UniqueConstraint(name="notification_once_per_key", fields=["user", "dedupe_key"],
                                    condition=~Q(dedupe_key="")),
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """The channels a user wants, besides the in-app list, for one kind of notification."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("通知类型"), max_length=32)
    channels = models.JSONField(_("推送渠道"), default=list, blank=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(name="notification_preference_once_per_kind",
                                               fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {','.join(self.channels)}"


class NotificationDelivery(models.Model):
    """Outbox: one row per notification and outside channel, written with the notification, so a
    broker that is down when the task is queued delays the message instead of losing it."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("通知推送")
        verbose_name_plural = _("通知推送")
        constraints = [models.UniqueConstraint(name="notification_delivery_once_per_channel",
                                               fields=["notification", "channel"])]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel}"


class Reminder(models.Model):
    """The claim of one reminder for one due event: a kind of due work (named by the app that owns
    it), its subject's id, the state it was due in (when a kind has states) and the due date.
    Inserting it is the claim: the unique constraint makes a second sweep, a concurrent sweep or a
    retried task insert nothing, and a sweep killed before its commit leaves no claim behind."""

    kind = models.CharField(_("类型"), max_length=30)
    subject_id = models.BigIntegerField(_("对象"))
    state = models.CharField(_("状态"), max_length=20, blank=True, default="")
    due_on = models.DateField(_("到期日期"))
    notified = models.PositiveIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [
            models.UniqueConstraint(name="reminder_once_per_due_event",
                                    fields=["kind", "subject_id", "state", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} {self.due_on:%Y-%m-%d}"
