"""问题台账: problems (Case), their immutable timeline (CaseEvent), 协办 shares, links, attachments.

Visibility (design.md "Users"): a problem of region R is seen in full by users whose scope covers R
(and by liaison officers when it names an enterprise assigned to them); in the limited view by the
regions it is shared with (协办) and the departments it is referred to.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import Light, end_of_day, light
from chainwork.history import track_links
from chainwork.models import Category, Region, Role
from chainwork.scope import scope_for
from enterprises.models import Enterprise, SupplyLink


class State(models.TextChoices):
    NEW = "new", _("待研判")
    LOCAL = "local", _("属地办理中")
    PENDING_APPROVAL = "pending_approval", _("待审核")
    ESCALATED = "escalated", _("已上报部专班")
    RETURNED = "returned", _("已退回补充材料")
    ACCEPTED = "accepted", _("部专班已受理")
    ROUTED = "routed", _("已转办")
    TRACKING = "tracking", _("持续跟踪")
    RESPONDED = "responded", _("已反馈（待企业确认）")
    CONFIRMED = "confirmed", _("企业已确认（待销号）")
    CLOSED = "closed", _("已办结")


OPEN_STATES = [s for s in State.values if s != State.CLOSED]


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("特急")
    URGENT = "urgent", _("紧急")
    NORMAL = "normal", _("一般")


class Source(models.TextChoices):
    CONTACT = "contact", _("联系服务")
    HOTLINE = "hotline", _("热线")
    VISIT = "visit", _("走访")
    REPORT = "report", _("上报")
    ASSOCIATION = "association", _("行业协会")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    """Who handles the problem now: the province (属地) or the ministry work group."""

    LOCAL = "local", _("属地办理")
    MINISTRY = "ministry", _("部专班协调")


class ClosureType(models.TextChoices):
    SOLVED = "solved", _("已解决")
    PARTLY_SOLVED = "partly_solved", _("部分解决")
    EXPLAINED = "explained", _("已解释说明")
    WITHDRAWN = "withdrawn", _("企业撤回")
    NOT_IN_REMIT = "not_in_remit", _("不属于职责范围")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Supervision(models.TextChoices):
    NONE = "", _("无")
    SUPERVISE = "supervise", _("督办")
    LISTED = "listed", _("挂牌督办")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """Problems the user sees in full."""
        return self.none() if scope_for(user).is_anonymous else self.filter(seen_in_full(user))

    def concerning(self, enterprise) -> CaseQuerySet:
        """Problems about the enterprise (an instance or its id) or naming it among others: a UNION of two
        indexed lookups, for the same reason as a liaison officer's scope above."""
        about = Case.objects.filter(enterprise=enterprise).values("pk")
        naming = Case.named_enterprises.through.objects.filter(enterprise=enterprise).values("case_id")
        return self.filter(pk__in=about.union(naming))

    def shared_with(self, user) -> CaseQuerySet:
        """Problems the user sees in the limited view only: 协办 requests to their region, for a
        department the problems referred to it, for a 行业协会 the problems it registered."""
        scope = scope_for(user)
        # pk IN (…) rather than a join: no DISTINCT over every selected column, which the planner sorts.
        if scope.role == Role.DEPARTMENT and scope.department_id:
            return self.filter(pk__in=Referral.objects.filter(department_id=scope.department_id).values("case_id"))
        if scope.role == Role.ASSOCIATION:
            # A 行业协会 follows the problems it registered, and no other.
            return self.filter(association_id=scope.association_id) if scope.association_id else self.none()
        if scope.role not in (Role.PROVINCE, Role.PROVINCE_LEAD) or not scope.regions:
            return self.none()
        shared = CaseShare.objects.filter(region__in=sorted(scope.regions)).values("case_id")
        return self.filter(pk__in=shared).exclude(scope.region_q("region"))

    def seen_by(self, user) -> CaseQuerySet:
        """Full or limited: every problem whose URL answers the user with something other than 404."""
        return self.filter(Q(pk__in=self.visible_to(user).values("pk")) | Q(pk__in=self.shared_with(user).values("pk")))


def seen_in_full(user, via: str = "") -> Q:
    """The problems the user sees in full, as a filter on Case (`via` "") or on a model pointing at a
    problem through `via` (a referral's "case"). Where the region decides, a filter on the problem's region,
    which PostgreSQL joins, rather than a semi-join over the whole 问题台账."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return Q(pk__in=[])
    if scope.role == Role.LIAISON:
        # One UNION of three indexed lookups (about, naming, raised by): an OR across the named-enterprise
        # join needs DISTINCT over every column and scans the whole 问题台账 at national scale.
        assigned = Enterprise.objects.visible_to(user).values("pk")
        about = Case.objects.filter(enterprise_id__in=assigned).values("pk")
        naming = Case.named_enterprises.through.objects.filter(enterprise_id__in=assigned).values("case_id")
        raised = Case.objects.filter(reporter_id=user.pk).values("pk")
        return Q(**{f"{via}__in" if via else "pk__in": about.union(naming, raised)})
    return scope.region_q(f"{via}__region" if via else "region")


@pghistory.track(model_name="CaseHistory", obj_field=pghistory.ObjForeignKey(related_name="history", db_index=True))
# (CaseEvent, below, is the timeline users read; CaseHistory is the row-level audit.)
class Case(models.Model):
    number = models.CharField(_("编号"), max_length=32, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="cases")
    named_enterprises = models.ManyToManyField(Enterprise, verbose_name=_("涉及的其他企业"), blank=True,
                                               related_name="named_in_cases")
    supply_link = models.ForeignKey(SupplyLink, verbose_name=_("涉及的配套关系"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="cases")
    category = models.ForeignKey(Category, verbose_name=_("问题类别"), on_delete=models.PROTECT)
    title = models.CharField(_("问题标题"), max_length=200)
    description = models.TextField(_("问题描述"))
    request = models.TextField(_("企业诉求"))
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.CONTACT)
    # The 行业协会 that registered it on the enterprise's behalf (source 行业协会); its staff follow it in
    # the limited view.
    association = models.ForeignKey("chainwork.Association", verbose_name=_("登记协会"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="cases")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                 related_name="reported_cases")
    # 经办人: the province official who holds the problem (who registered it, or last moved it as 经办人);
    # the one a late problem tells first (cases/holders.py).
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="handled_cases")
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.NEW, db_index=True)
    previous_state = models.CharField(_("提交审核前状态"), max_length=20, choices=State.choices, blank=True)
    level = models.CharField(_("办理层级"), max_length=10, choices=Level.choices, default=Level.LOCAL)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True, db_index=True)
    # 属地办理
    local_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    local_person = models.CharField(_("责任人"), max_length=32, blank=True)
    local_phone = models.CharField(_("责任人电话"), max_length=32, blank=True)
    # 上报
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="signed_cases")
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    next_review = models.DateField(_("下次跟踪日期"), null=True, blank=True)
    # 办理结果
    response = models.TextField(_("办理情况"), blank=True)
    closure_type = models.CharField(_("办结方式"), max_length=16, choices=ClosureType.choices, blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    confirmed_by = models.CharField(_("企业确认人"), max_length=64, blank=True)
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    confirm_method = models.CharField(_("确认方式"), max_length=32, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    duplicate_of = models.ForeignKey("self", verbose_name=_("并入问题"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="duplicates")
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    supervision = models.CharField(_("督办级别"), max_length=10, choices=Supervision.choices, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        constraints = [
            models.UniqueConstraint(name="case_number_per_region_year", fields=["region", "year", "sequence"]),
            models.CheckConstraint(name="case_not_duplicate_of_itself", condition=~Q(duplicate_of=models.F("pk"))),
            models.CheckConstraint(name="case_association_is_its_source",
                                   condition=Q(association__isnull=True) | Q(source="association")),
        ]
        indexes = [
            models.Index(fields=["region", "state", "-created_at"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["level", "state"]),
            # The 问题台账's default order (nearest deadline first) within a province.
            models.Index(fields=["region", "due_at"]),
            # The 问题台账 in number order (either way) within a province.
            models.Index(fields=["region", "number"], name="case_region_number"),
            # The 部专班 queue: escalated problems, oldest first.
            models.Index(fields=["state", "escalated_at", "id"]),
            # The 问题台账 tabs count a province's problems by state, level and urgency from the index alone.
            models.Index(fields=["region", "state", "urgency", "level"], include=["id"], name="case_region_counts"),
            # The 日报's key problems (特急 or 挂牌督办): those still open by creation, those closed by the
            # closing time (closed after the cut-off still counts as open that day).
            models.Index(fields=["created_at", "id"], name="case_key_open_idx",
                         condition=(Q(urgency="critical") | Q(supervision="listed")) & ~Q(state="closed")),
            models.Index(fields=["closed_at"], name="case_key_closed_idx",
                         condition=(Q(urgency="critical") | Q(supervision="listed")) & Q(state="closed")),
            # 挂牌督办 problems by deadline: the 会商's proposed agenda and the 挂牌督办 board.
            models.Index(fields=["due_at"], name="case_listed_due", condition=Q(supervision="listed")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def state_label(self) -> str:
        """The state's label in the reader's language; get_state_display builds a dict of every (lazy)
        label on each call, a sixth of the API list's time at 50 rows."""
        return str(State(self.state).label) if self.state in State.values else self.state

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED


@track_links("CaseNamedEnterpriseEvent", "case", "case_named_ev_case")
class CaseNamedEnterprise(Case.named_enterprises.through):
    """The other enterprises a problem names decide who sees it (协办, limited views): audited, shown in words."""

    class Meta:
        proxy = True


class CaseTally(models.Model):
    """How many problems each (region, state, level, urgency, supervision) holds. Statement triggers on
    cases_case keep it (migration 0007, cases/tally.py), so the 问题台账's tabs and totals add up a few
    hundred rows instead of counting a province's, or the nation's, problems one by one."""

    region = models.ForeignKey(Region, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    supervision = models.CharField(max_length=10, choices=Supervision.choices, blank=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(name="case_tally_key",
                                               fields=["region", "state", "level", "urgency", "supervision"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.state} {self.level} {self.urgency} {self.supervision}: {self.n}"


class ListChange(models.Model):
    """One committed change of what the 问题台账 shows, per region (`scope` a region code, or "*" for what
    any region's list may show: a saved view, an enterprise's name, a liaison officer's enterprises).
    Statement triggers append a row per statement and region (migration 0018); nothing updates a row, so
    writers never wait on each other here. A reader's stamp is the count and the last id of its regions'
    rows (cases.page_cache.list_stamp): both move with every commit it could see, and the ids of a rolled
    back change are never given again. `compact_list_changes` folds the rows of each scope into one."""

    scope = models.CharField(max_length=8)
    n = models.BigIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["scope", "id"], name="list_change_scope")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.n}"


class RegionYearCounter(models.Model):
    """The last number given per region and year; numbers are never reused."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(name="counter_region_year", fields=["region", "year"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.last}"


class Visibility(models.TextChoices):
    SHARED = "shared", _("公开")
    PROVINCE = "province", _("省内部")
    MINISTRY = "ministry", _("部专班内部")


class CaseEvent(models.Model):
    """One line of a problem's timeline (一事一议). Rows are never changed or deleted."""

    class Kind(models.TextChoices):
        CREATED = "created", _("登记")
        TRANSITION = "transition", _("流转")
        COMMENT = "comment", _("意见")
        INSTRUCTION = "instruction", _("领导批示")
        URGE = "urge", _("催办")
        SUPERVISE = "supervise", _("督办")
        SHARE = "share", _("请求协办")
        SHARE_REPLY = "share_reply", _("协办意见")
        FLAG = "flag", _("提请关注")
        ATTACHMENT = "attachment", _("附件")
        LINK = "link", _("关联")
        REFERRAL = "referral", _("转办反馈")
        EXTENSION = "extension", _("申请延期")
        DECISION = "decision", _("会商议定")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="case_events")
    actor_region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(_("可见范围"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.SHARED)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    due_at = models.DateTimeField(_("时限"), null=True, blank=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("问题动态")
        verbose_name_plural = _("问题动态")
        indexes = [
            models.Index(fields=["case", "created_at"]),
            # 批示 with their own deadline, nearest first: the 工作台's to-dos and the reminder sweep.
            models.Index(fields=["due_at"], name="case_event_instruction_due",
                         condition=Q(kind="instruction", due_at__isnull=False)),
            # Problems flagged for the 会商 since the last one (its proposed agenda).
            models.Index(fields=["created_at"], name="case_event_flag_recent", condition=Q(kind="flag")),
        ]
        triggers = [pgtrigger.Protect(name="case_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} {self.action}"

    @property
    def kind_label(self) -> str:
        """The kind's label, looked up directly (as Case.state_label)."""
        return str(self.Kind(self.kind).label) if self.kind in self.Kind.values else self.kind


class CaseShareQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseShareQuerySet:
        """协办 the user may see: those of problems they see in full, and for a province's work group
        also those asked of its region."""
        scope = scope_for(user)
        if scope.is_anonymous or scope.role in (Role.DEPARTMENT, Role.LIAISON, Role.ASSOCIATION):
            return self.none()
        mine = seen_in_full(user, "case")
        if scope.role in (Role.PROVINCE, Role.PROVINCE_LEAD) and scope.regions:
            mine |= Q(region__in=sorted(scope.regions))
        return self.filter(mine)


@pghistory.track()
class CaseShare(models.Model):
    """协办: the 部专班, or the province of the problem, asks another region to help, by a date; that region
    sees the problem in the limited view and answers with a formal 协办意见 (`share-reply`). Asked again
    after its reply, the same row is pending again (the timeline and the row history keep both rounds)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待回复")
        REPLIED = "replied", _("已回复")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    region = models.ForeignKey(Region, verbose_name=_("协办地区"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("协办事项"), blank=True)
    due_date = models.DateField(_("回复时限"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.PENDING)
    reply = models.TextField(_("协办意见"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回复人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("请求人"), on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(_("请求时间"), default=timezone.now)

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("协办")
        verbose_name_plural = _("协办")
        constraints = [models.UniqueConstraint(name="case_share_once_per_region", fields=["case", "region"])]
        indexes = [models.Index(fields=["region", "state", "due_date"])]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.region_id}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def light(self) -> str:
        """A pending 协办's deadline light (正常 / 临期 / 超期); none once replied or without a deadline."""
        if not self.is_pending or self.due_date is None:
            return Light.NONE
        return light(end_of_day(self.due_date))

    @property
    def replied_in_time(self) -> bool | None:
        """Whether the reply came by the deadline (None while pending or without a deadline)."""
        if self.is_pending or self.due_date is None or self.replied_at is None:
            return None
        return timezone.localtime(self.replied_at).date() <= self.due_date

    @property
    def asking_region_id(self) -> str | None:
        """The province that asked, or None when the 部专班 did (shared_by loaded by the caller)."""
        asker = self.shared_by
        return asker.region_id if asker.role in (Role.PROVINCE, Role.PROVINCE_LEAD) else None


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", _("相关问题")
        DUPLICATE = "duplicate", _("重复问题")

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("关系"), max_length=10, choices=Kind.choices, default=Kind.RELATED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(name="case_link_once", fields=["from_case", "to_case"]),
            models.CheckConstraint(name="case_link_not_to_itself", condition=~Q(from_case=models.F("to_case"))),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} → {self.to_case_id} ({self.kind})"


def attachment_path(instance, filename):
    return f"cases/{instance.case_id}/{timezone.now():%Y%m}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    visibility = models.CharField(_("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.SHARED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class SavedView(models.Model):
    """A named set of 问题台账 filters, personal or shared with the user's work group."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("名称"), max_length=64)
    query = models.CharField(_("筛选条件"), max_length=1000)
    shared = models.BooleanField(_("与本专班共享"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(name="saved_view_name_per_owner", fields=["owner", "name"])]

    def __str__(self) -> str:
        return self.name


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Referrals the user may see: a department its own, others those of problems they see in full."""
        scope = scope_for(user)
        if scope.is_anonymous:
            return self.none()
        if scope.role == Role.DEPARTMENT:
            return self.filter(department_id=scope.department_id) if scope.department_id else self.none()
        return self.filter(seen_in_full(user, "case"))


@pghistory.track()
class Referral(models.Model):
    """转办: a problem referred to a member department or MIIT bureau, 主办 or 协办, with its deadline."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSIST = "assist", _("协办")

    class State(models.TextChoices):
        PENDING = "pending", _("办理中")
        RESPONDED = "responded", _("已反馈")
        SENT_BACK = "sent_back", _("已退回（非本部门职责）")

    class Source(models.TextChoices):
        ONLINE = "online", _("系统填报")
        PHONE = "phone", _("电话")
        LETTER = "letter", _("函件")
        MEETING = "meeting", _("会议")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    department = models.ForeignKey("chainwork.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT,
                                   related_name="referrals")
    role = models.CharField(_("承办方式"), max_length=8, choices=Role.choices)
    due_date = models.DateField(_("办理时限"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    response = models.TextField(_("办理情况"), blank=True)
    source = models.CharField(_("反馈方式"), max_length=8, choices=Source.choices, blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(_("部专班代录"), default=False)
    send_back_reason = models.TextField(_("退回理由"), blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("转办时间"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    urged_count = models.PositiveIntegerField(_("催办次数"), default=0)
    last_urged_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["case", "role", "created_at"]
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        constraints = [
            models.UniqueConstraint(name="one_open_referral_per_department", fields=["case", "department"],
                                    condition=Q(state="pending")),
            models.UniqueConstraint(name="one_open_lead_referral", fields=["case"],
                                    condition=Q(state="pending", role="lead")),
        ]
        indexes = [models.Index(fields=["department", "state", "due_date"]),
                   # Problems with two departments or more still at work (the 会商's proposed agenda).
                   models.Index(fields=["case"], name="referral_pending_case", condition=Q(state="pending"))]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.department}（{self.get_role_display()}）"


class ExtensionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ExtensionQuerySet:
        """申请延期 the user may see: a department those of its referrals, a province (and the ministry
        liaisons) those of the problems of its regions, the 部专班 and administrators all."""
        scope = scope_for(user)
        if scope.role == Role.DEPARTMENT:
            return self.filter(referral__department_id=scope.department_id) if scope.department_id else self.none()
        if scope.role not in (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN):
            return self.none()
        return self.filter(scope.region_q("case__region"))


@pghistory.track()
class Extension(models.Model):
    """申请延期: a department asks for more time on its referral, or a province on its local problem;
    the 部专班 (referrals) or the province lead (local problems) grants or refuses it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        GRANTED = "granted", _("已批准")
        REFUSED = "refused", _("不予延期")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    referral = models.ForeignKey(Referral, verbose_name=_("转办"), null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    reason = models.TextField(_("延期理由"))
    old_date = models.DateField(_("原办理时限"))
    proposed_date = models.DateField(_("申请延至"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    granted_date = models.DateField(_("批准延至"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)

    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("申请延期")
        verbose_name_plural = _("申请延期")
        constraints = [
            # One pending request at a time per referral, and per local problem (no referral).
            models.UniqueConstraint(name="one_pending_extension_per_referral", fields=["referral"],
                                    condition=Q(state="pending", referral__isnull=False)),
            models.UniqueConstraint(name="one_pending_local_extension", fields=["case"],
                                    condition=Q(state="pending", referral__isnull=True)),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.referral_id or '-'} {self.old_date} → {self.proposed_date} ({self.state})"

    @property
    def is_local(self) -> bool:
        return self.referral_id is None


class ProblemGroup(models.Model):
    """共性问题: problems of the same kind from several regions, coordinated by the 部专班 as one item.
    Routing, chasing and the answer go to every member problem through cases.workflow.perform()."""

    class State(models.TextChoices):
        OPEN = "open", _("协调中")
        CLOSED = "closed", _("已办结")

    title = models.CharField(_("共性问题"), max_length=200)
    description = models.TextField(_("情况说明"), blank=True)
    category = models.ForeignKey(Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="+")
    cases = models.ManyToManyField(Case, verbose_name=_("所含问题"), blank=True, related_name="problem_groups")
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("共性问题")
        verbose_name_plural = _("共性问题")

    def __str__(self) -> str:
        return self.title


class ProblemGroupEvent(models.Model):
    """One line of a 共性问题's own record (members keep theirs in CaseEvent). Never changed or deleted."""

    group = models.ForeignKey(ProblemGroup, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("共性问题动态")
        verbose_name_plural = _("共性问题动态")
        triggers = [pgtrigger.Protect(name="problem_group_event_append_only",
                                      operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.group_id} {self.action}"


class CaseBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseBatchQuerySet:
        """Batches of the regions the user sees in full: province roles their own, the 部专班 all."""
        scope = scope_for(user)
        if scope.role not in (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.ADMIN):
            return self.none()
        return self.filter(scope.region_q("region"))


class CaseBatch(models.Model):
    """第N批问题清单: problems a province submits for approval and escalation at once."""

    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="case_batches")
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("批次"))
    title = models.CharField(_("批次名称"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    cases = models.ManyToManyField(Case, verbose_name=_("所含问题"), blank=True, related_name="batches")

    objects = CaseBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence", "-pk"]
        verbose_name = _("问题清单批次")
        verbose_name_plural = _("问题清单批次")
        constraints = [
            models.UniqueConstraint(name="case_batch_per_region_year", fields=["region", "year", "sequence"]),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _("%(abbr)s%(year)d年第%(n)d批问题清单") % {
            "abbr": self.region.abbr, "year": self.year, "n": self.sequence}


class CaseBatchCounter(models.Model):
    """The last batch number given per region and year; numbers are never reused."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(name="case_batch_counter_region_year", fields=["region", "year"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.last}"


class CaseImport(models.Model):
    """One applied 问题清单 import: the file's content hash lets the next upload of the same file be
    recognised (cases.importing) and the official asked before its problems are created again."""

    file_hash = models.CharField(_("文件摘要（SHA-256）"), max_length=64, db_index=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    created = models.PositiveIntegerField(_("新增问题数"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("问题清单导入记录")
        verbose_name_plural = _("问题清单导入记录")

    def __str__(self) -> str:
        return f"{self.file_name} {self.imported_at:%Y-%m-%d %H:%M}"
