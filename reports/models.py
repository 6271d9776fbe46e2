"""统计报表: the daily report (日报, with its 周报定稿) and zero reports (零报告)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainwork.models import Region, User


def default_daily_cut_off():
    """The 日报 cut-off time from settings (REPORTS_DAILY_CUT_OFF, "HH:MM"), 17:00 unless set."""
    return dt.time.fromisoformat(getattr(settings, "REPORTS_DAILY_CUT_OFF", "17:00"))


class DailyReport(models.Model):
    """日报 of one region (or national, region null) for one day. Once 定稿 its figures are frozen:
    the page and the exports read `figures` and never recalculate them."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        FINAL = "final", _("已定稿")

    region = models.ForeignKey(Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text=_("为空表示全国"))
    date = models.DateField(_("日期"))
    cut_off = models.TimeField(_("截止时间"), default=default_daily_cut_off)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.DRAFT)
    finalised_by = models.ForeignKey(User, verbose_name=_("定稿人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # 周报定稿 of the seven days ending on `date`: {"figures", "finalised_by", "finalised_by_name",
    # "finalised_at"}; null while the 周报 is live. Independent of the 日报's own state.
    weekly = models.JSONField(_("周报定稿"), null=True, blank=True)

    class Meta:
        db_table = "chainwork_dailyreport"
        ordering = ["-date", "region"]
        verbose_name = _("日报")
        verbose_name_plural = _("日报")
        constraints = [
            # One national report a day too: NULLs count as equal here.
            models.UniqueConstraint(name="daily_report_once_per_region_day", fields=["region", "date"],
                                    nulls_distinct=False),
            models.CheckConstraint(
                name="daily_report_final_has_finaliser",
                condition=~Q(state="final") | Q(finalised_by__isnull=False, finalised_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or _('全国')} {self.date:%Y-%m-%d} {self.get_state_display()}"

    @property
    def is_final(self) -> bool:
        return self.state == self.State.FINAL


class ZeroReport(models.Model):
    """零报告: a region declares that it has nothing to report for the day; it counts as reported."""

    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    user = models.ForeignKey(User, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        db_table = "chainwork_zeroreport"
        ordering = ["-date", "region"]
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        constraints = [models.UniqueConstraint(name="zero_report_once_per_region_day", fields=["region", "date"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.date:%Y-%m-%d}"


class DayFigure(models.Model):
    """The 日报's figures of one day as of one cut-off, per region the enterprises count in
    (reports.day_figures.COUNTED_BY; null for those counted in no region): how many enterprises are
    listed — all, lead enterprises, core suppliers — and how many of them had reported resumed (or partly)
    by the cut-off; the problems the region had logged and closed by then. Written once the cut-off has
    passed (beat or `manage.py keep_day_figures`), never changed: reports of past days read these rows
    instead of recounting 120,000 enterprises and 300,000 problems."""

    date = models.DateField(_("日期"))
    cut_off = models.TimeField(_("截止时间"))
    region = models.ForeignKey(Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    enterprises = models.PositiveIntegerField(_("企业数"), default=0)
    leads = models.PositiveIntegerField(_("龙头企业数"), default=0)
    cores = models.PositiveIntegerField(_("核心配套企业数"), default=0)
    resumed = models.PositiveIntegerField(_("已复工企业数"), default=0)
    resumed_leads = models.PositiveIntegerField(_("已复工龙头企业数"), default=0)
    resumed_cores = models.PositiveIntegerField(_("已复工核心配套企业数"), default=0)
    # Problems the region logged by the cut-off (about lead enterprises, core suppliers) and closed by it.
    logged = models.PositiveIntegerField(_("登记问题数"), default=0)
    logged_leads = models.PositiveIntegerField(_("涉及龙头企业问题数"), default=0)
    logged_cores = models.PositiveIntegerField(_("涉及核心配套企业问题数"), default=0)
    closed = models.PositiveIntegerField(_("办结问题数"), default=0)
    written_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "region"]
        verbose_name = _("日报数据")
        verbose_name_plural = _("日报数据")
        constraints = [
            models.UniqueConstraint(name="day_figure_once_per_day_cut_off_region",
                                    fields=["date", "cut_off", "region"], nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.region or '—'} {self.date:%Y-%m-%d} {self.cut_off:%H:%M}"
