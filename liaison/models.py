"""一对一联系: which 驻企联络员 serves which enterprise, the contact records with their photos.

The tables carry enterprises_ names (Meta.db_table): renaming them would rewrite every history trigger
and index for no gain.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainwork.models import Role
from chainwork.scope import scope_for
from enterprises.models import Enterprise


class Cadence(models.IntegerChoices):
    DAILY = 1, _("每日")
    EVERY_3_DAYS = 3, _("每3天")
    WEEKLY = 7, _("每周")
    FORTNIGHTLY = 14, _("每两周")


# The kept follow-up columns change with every contact: they are not the assignment's history.
@pghistory.track(meta={"db_table": "enterprises_liaisonassignmentevent"}, exclude=["last_contact_at", "due_on"])
class LiaisonAssignment(models.Model):
    """One 驻企联络员 per enterprise at a time; ended assignments are kept as history.

    `last_contact_at` and `due_on` are kept by database triggers (liaison migration 0003) from the
    officer's latest contact record for the enterprise: its time, and the next follow-up it set — or,
    before the first contact, the start plus the cadence. Every writer keeps them so (services, demo
    data, admin, `.update()`); the reminder sweep and the coverage report read them as columns.
    """

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
    # Set by the triggers on every insert and update, whatever the row carries.
    last_contact_at = models.DateTimeField(_("最近联系时间"), null=True, editable=False)
    due_on = models.DateField(_("下次联系日期"), editable=False)

    class Meta:
        db_table = "enterprises_liaisonassignment"
        ordering = ["-started_on"]
        verbose_name = _("联络员分工")
        verbose_name_plural = _("联络员分工")
        constraints = [
            models.UniqueConstraint(name="one_current_liaison_per_enterprise", fields=["enterprise"],
                                    condition=Q(ended_on__isnull=True)),
            models.CheckConstraint(name="liaison_assignment_ends_after_start",
                                   condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on"))),
        ]
        indexes = [
            # The reminder sweep, the overdue counts and the coverage report: current assignments by due day.
            models.Index(fields=["due_on"], condition=Q(ended_on__isnull=True), name="liaison_current_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.officer}"


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
        scope = scope_for(user)
        if scope.is_national and scope.role not in (None, Role.LIAISON):
            return self.all()  # Enterprise.visible_to's every enterprise, without an IN over all of them
        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))


@pghistory.track(meta={"db_table": "enterprises_contactrecordevent"})
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
    # The enterprise's figures of the day taken in this contact: that day's status report.
    status_report = models.ForeignKey("enterprises.StatusReport", verbose_name=_("当日复工情况"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="contact_records")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ContactRecordQuerySet.as_manager()

    class Meta:
        db_table = "enterprises_contactrecord"
        ordering = ["-contacted_at", "-pk"]
        verbose_name = _("联系服务记录")
        verbose_name_plural = _("联系服务记录")
        indexes = [
            models.Index(fields=["enterprise", "-contacted_at"]),
            models.Index(fields=["officer", "-contacted_at"]),
            models.Index(fields=["assignment", "-contacted_at"]),
            # The records list, newest first, nationally or in a region's enterprises.
            models.Index(fields=["-contacted_at", "-id"], name="contact_recent_idx"),
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
        db_table = "enterprises_contactphoto"
        ordering = ["created_at", "pk"]
        verbose_name = _("现场照片或截图")
        verbose_name_plural = _("现场照片或截图")

    def __str__(self) -> str:
        return self.name
