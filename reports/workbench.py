"""The 工作台: what waits for this person's action, nearest deadline first, and the few counts that matter
to their role.

Each kind of to-do is one `TodoKind`: its label, the roles it is for, a selector returning at most
`limit` rows of one shape (`Row`), where "查看全部" leads, and, where the problem tally can tell, the
condition that counts them. Adding a kind (协办意见 for an asked province, 延期审批 for deciders) is one
selector and one entry in KINDS.

At national scale every selector reads an index in deadline order and stops at `limit`; the counts come
from the problem tally (cases.tally), the kept 堵点 figure (reports.figures) and one indexed count of
overdue problems — never a count per enterprise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import tally
from cases.deadlines import Light, end_of_day, light
from cases.extensions import pending_for
from cases.holders import PROVINCE_ROLES, held_by
from cases.models import OPEN_STATES, Case, CaseEvent, CaseShare, Referral
from cases.selectors import share_list
from chainwork.models import Role
from chainwork.scope import role_for, scope_for
from enterprises.models import Enterprise
from liaison.services import my_assignments
from meetings.selectors import open_decisions_of
from meetings.services import decision_url
from policies.models import MEASURE_OPEN_STATES, ServiceMeasure, ServicePlan
from reports.figures import blocked_enterprises

LIMIT = 20


@dataclass(frozen=True)
class Row:
    """One thing waiting for the user: the problem (or enterprise), its deadline and where to act."""

    kind: str
    label: str
    number: str
    title: str
    enterprise: str
    due_at: dt.datetime | None
    url: str
    action: str

    @property
    def light(self) -> str:
        return light(self.due_at)

    @property
    def sort_key(self) -> tuple:
        return (self.due_at is None, self.due_at or dt.datetime.max.replace(tzinfo=dt.UTC), self.number)


@dataclass(frozen=True)
class TodoKind:
    key: str
    label: str
    roles: tuple[str, ...]
    rows: Callable[[object, int], list[Row]]
    more: tuple[str, str]  # (URL name, query) of the full list
    counted: Q | None = None  # the tally rows it counts; None: counted from its rows (capped)


@dataclass(frozen=True)
class Todo:
    """A count on the 工作台, linking to the list behind it."""

    key: str
    label: str
    count: int
    url: str
    tone: str = "secondary"  # Bootstrap colour: danger for overdue, warning for waiting on the user
    capped: bool = False  # the count stopped at LIMIT (shown as 20+)


def _url(name: str, query: str = "", *args) -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


# --- the kinds of to-do -------------------------------------------------------------------------------

def _case_rows(user, limit: int, *, kind: str, label, action, anchor: str, condition: Q) -> list[Row]:
    """Problems the user sees in full matching `condition`, nearest deadline first (the (state, due_at)
    and (region, due_at) indexes give that order)."""
    rows = (Case.objects.visible_to(user).filter(condition)
            .order_by(F("due_at").asc(nulls_last=True), "pk")
            .values("pk", "number", "title", "enterprise__name", "due_at")[:limit])
    return [Row(kind=kind, label=str(label), number=r["number"], title=r["title"], enterprise=r["enterprise__name"],
                due_at=r["due_at"], url=_url("cases-detail", "", r["pk"]) + f"#{anchor}", action=str(action))
            for r in rows]


def _state_kind(key: str, label, roles, state: str, action, anchor: str, *, more: tuple[str, str] | None = None,
                personal: bool = False, **conditions) -> TodoKind:
    """A state's problems as a to-do. `personal`: only those the user holds as their 经办人 (or nobody has
    taken up), by cases.holders — counted from the rows, since the tally knows no 经办人."""
    condition = Q(state=state, **conditions)

    def rows(user, limit: int) -> list[Row]:
        mine = condition & held_by(user) if personal else condition
        return _case_rows(user, limit, kind=key, label=label, action=action, anchor=anchor, condition=mine)

    query = "&".join([f"state={state}", *(f"{k}={v}" for k, v in conditions.items())])
    return TodoKind(key, label, roles, rows, more or ("cases-list", query), counted=None if personal else condition)


def referral_rows(user, limit: int) -> list[Row]:
    """反馈: the department's pending referrals, soonest deadline first (department, state, due_date)."""
    scope = scope_for(user)
    if not scope.department_id:
        return []
    referrals = (Referral.objects.filter(department_id=scope.department_id, state=Referral.State.PENDING)
                 .order_by("due_date", "pk")
                 .values("case_id", "case__number", "case__title", "case__enterprise__name", "due_date")[:limit])
    return [Row(kind="referral", label=str(_("反馈")), number=r["case__number"], title=r["case__title"],
                enterprise=r["case__enterprise__name"], due_at=end_of_day(r["due_date"]),
                url=_url("cases-detail", "", r["case_id"]) + "#referrals-heading", action=str(_("录入办理情况")))
            for r in referrals]


def contact_rows(user, limit: int) -> list[Row]:
    """到期联系: the officer's enterprises whose next contact is due by tomorrow."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assignments = (my_assignments(user).filter(due_on__lte=tomorrow)
                   .values("enterprise_id", "enterprise__name", "due_on")[:limit])
    return [Row(kind="contact", label=str(_("联系")), number="", title=str(_("按联系频次联系企业")),
                enterprise=a["enterprise__name"], due_at=end_of_day(a["due_on"]),
                url=_url("enterprises-contact-create", f"enterprise={a['enterprise_id']}"),
                action=str(_("登记联系记录")))
            for a in assignments]


def flag_rows(user, limit: int) -> list[Row]:
    """提请关注: the overdue open problems of the ministry liaison's regions that they have not flagged to
    the 部专班 since the deadline passed."""
    flagged = CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.FLAG, actor_id=user.pk,
                                       created_at__gte=OuterRef("due_at"))
    condition = Q(state__in=OPEN_STATES, due_at__lt=timezone.now()) & ~Exists(flagged)
    return _case_rows(user, limit, kind="flag", label=_("提请关注"), action=_("提请关注"), anchor="action-flag",
                      condition=condition)


def instruction_rows(user, limit: int) -> list[Row]:
    """批示 due: leaders' instructions with a deadline on open problems the user holds, by the partial index
    on their deadline."""
    held = held_by(user, "case__")
    if held is None:
        return []
    events = (CaseEvent.objects.filter(kind=CaseEvent.Kind.INSTRUCTION, due_at__isnull=False,
                                       case__state__in=OPEN_STATES).filter(held)
              .order_by("due_at", "pk")
              .values("case_id", "case__number", "case__title", "case__enterprise__name", "due_at")[:limit])
    return [Row(kind="instruction", label=str(_("批示")), number=e["case__number"], title=e["case__title"],
                enterprise=e["case__enterprise__name"], due_at=e["due_at"],
                url=_url("cases-detail", "", e["case_id"]) + "#instructions-heading", action=str(_("落实批示")))
            for e in events]


def share_rows(user, limit: int) -> list[Row]:
    """协办意见: the 协办 asked of the user's region and not yet answered, nearest deadline first."""
    shares = share_list(user, state=CaseShare.State.PENDING, side="incoming")[:limit]
    return [Row(kind="share", label=str(_("协办意见")), number=s.case.number, title=s.case.title,
                enterprise=str(s.case.region), due_at=end_of_day(s.due_date) if s.due_date else None,
                url=_url("cases-detail", "", s.case_id) + "#share-heading", action=str(_("填写协办意见")))
            for s in shares]


def extension_rows(user, limit: int) -> list[Row]:
    """延期审批: the requests for more time this user decides (the 部专班 a department's, a lead a local
    problem's), by the date asked for."""
    requests = pending_for(user).select_related("case__enterprise", "referral__department")[:limit]
    return [Row(kind="extension", label=str(_("延期审批")), number=e.case.number, title=e.case.title,
                enterprise=e.referral.department.short_name or e.referral.department.name if e.referral_id
                else e.case.enterprise.name, due_at=end_of_day(e.old_date),
                url=_url("cases-extensions"), action=str(_("审批延期申请")))
            for e in requests]


def decision_rows(user, limit: int) -> list[Row]:
    """议定事项: the open decisions of 会商 that fall to the user's unit, soonest deadline first."""
    decisions = open_decisions_of(user)[:limit]
    return [Row(kind="decision", label=str(_("议定事项")), number=d.case.number if d.case_seen else "",
                title=d.text[:80], enterprise=d.consultation.title, due_at=end_of_day(d.due_date),
                url=decision_url(d), action=str(_("落实议定事项")))
            for d in decisions]


def measure_rows(user, limit: int) -> list[Row]:
    """一企一策: the open measures of the province's own leads, soonest deadline first (overdue ones red)."""
    measures = (ServiceMeasure.objects.filter(plan__in=ServicePlan.objects.visible_to(user).values("pk"),
                                              state__in=MEASURE_OPEN_STATES)
                .select_related("plan__lead").order_by("deadline", "pk")[:limit])
    return [Row(kind="measure", label=str(_("一企一策")), number="", title=m.text[:80], enterprise=m.plan.lead.name,
                due_at=end_of_day(m.deadline), url=_url("policies-service-plan-detail", "", m.plan_id),
                action=str(_("更新措施进展")))
            for m in measures]


LEAD = (Role.PROVINCE_LEAD,)
MINISTRY = (Role.MINISTRY,)

KINDS: list[TodoKind] = [
    _state_kind("approve", _("审核"), LEAD, "pending_approval", _("审核并上报"), "action-approve"),
    _state_kind("accept", _("受理"), MINISTRY, "escalated", _("受理"), "action-accept", more=("cases-queue", "")),
    _state_kind("route", _("转办"), MINISTRY, "accepted", _("转办"), "action-route"),
    _state_kind("triage", _("研判"), PROVINCE_ROLES, "new", _("属地办理或提交审核"), "actions-heading", personal=True),
    _state_kind("supplement", _("补充材料"), PROVINCE_ROLES, "returned", _("补充材料"), "action-supplement",
                personal=True),
    _state_kind("handle", _("属地办理"), PROVINCE_ROLES, "local", _("录入办理情况"), "action-respond", personal=True),
    _state_kind("confirm", _("企业确认"), PROVINCE_ROLES, "responded", _("企业确认"), "action-confirm", personal=True),
    _state_kind("close_local", _("销号"), LEAD, "confirmed", _("销号"), "action-close", level="local"),
    _state_kind("close_ministry", _("销号"), MINISTRY, "confirmed", _("销号"), "action-close", level="ministry"),
    TodoKind("referral", _("反馈"), (Role.DEPARTMENT,), referral_rows, ("cases-referrals", "")),
    TodoKind("flag", _("提请关注"), (Role.MINISTRY_LIAISON,), flag_rows, ("cases-list", f"light={Light.RED}")),
    TodoKind("contact", _("到期联系"), (Role.LIAISON, Role.MINISTRY_LIAISON), contact_rows,
             ("enterprises-contacts", "")),
    TodoKind("share", _("协办意见"), PROVINCE_ROLES, share_rows, ("cases-shares", "side=incoming&state=pending")),
    TodoKind("extension", _("延期审批"), (Role.MINISTRY, Role.PROVINCE_LEAD), extension_rows, ("cases-extensions", "")),
    TodoKind("instruction", _("批示到期"), (Role.MINISTRY, *PROVINCE_ROLES), instruction_rows,
             ("cases-list", "open=true")),
    TodoKind("decision", _("议定事项"), (Role.MINISTRY, *PROVINCE_ROLES), decision_rows,
             ("meetings-decisions", "mine=true&state=open")),
    TodoKind("measure", _("一企一策"), PROVINCE_ROLES, measure_rows, ("policies-service-plans", "")),
]


def kinds_for(user) -> list[TodoKind]:
    role = role_for(user)
    return [kind for kind in KINDS if role in kind.roles]


@dataclass
class Workbench:
    rows: list[Row]  # nearest deadline first, at most LIMIT
    todos: list[Todo]  # one count per kind of to-do, then the role's few other counts
    more: list[Todo]  # the kinds with more rows than shown: "查看全部"


def workbench_for(user, limit: int = LIMIT) -> Workbench:
    kinds = kinds_for(user)
    by_kind = {kind.key: kind.rows(user, limit) for kind in kinds}
    rows = sorted((row for kind_rows in by_kind.values() for row in kind_rows), key=lambda row: row.sort_key)
    counted = {kind.key: kind.counted for kind in kinds if kind.counted is not None}
    tallies = tally.tallies_for(user) if counted else None
    totals = tally.total(tallies, **counted) if tallies is not None else {}
    todos = []
    for kind in kinds:
        n = totals.get(kind.key)
        capped = n is None and len(by_kind[kind.key]) >= limit
        count = len(by_kind[kind.key]) if n is None else n
        has_red = any(row.light == Light.RED for row in by_kind[kind.key])
        todos.append(Todo(kind.key, str(kind.label), count, _url(*kind.more),
                          "danger" if has_red else "warning", capped))
    todos += _counts(user)
    rows = rows[:limit]
    shown = {key: sum(1 for row in rows if row.kind == key) for key in by_kind}
    more = [todo for todo in todos if todo.key in shown and (todo.count > shown[todo.key] or todo.capped)]
    return Workbench(rows=rows, todos=todos, more=more)


def _counts(user) -> list[Todo]:
    """The role's few counts besides its to-dos: its overdue problems, 挂牌督办 for the 部专班, 堵点."""
    role, scope = role_for(user), scope_for(user)
    counts: list[Todo] = []
    now = timezone.now()
    if role in (Role.MINISTRY, *PROVINCE_ROLES):
        held = held_by(user)
        overdue = Case.objects.filter(held, due_at__lt=now).count() if held is not None else 0
        query = f"light={Light.RED}" + ("&level=ministry" if role == Role.MINISTRY else "")
        counts.append(Todo("overdue", str(_("超期的问题")), overdue, _url("cases-list", query), "danger"))
    if role == Role.MINISTRY_LIAISON:
        # Not held by the liaison, who acts on none: every overdue problem of the regions they cover.
        overdue = Case.objects.visible_to(user).filter(state__in=OPEN_STATES, due_at__lt=now).count()
        counts.append(Todo("overdue", str(_("超期的问题")), overdue, _url("cases-list", f"light={Light.RED}"),
                           "danger"))
    if role == Role.MINISTRY:
        listed = tally.total(tally.tallies_for(user), n=Q(supervision="listed") & ~Q(state="closed"))["n"]
        counts.append(Todo("listed", str(_("挂牌督办")), listed, _url("cases-listed-board"), "danger"))
    if role in (*PROVINCE_ROLES, Role.MINISTRY, Role.MINISTRY_LIAISON):
        blocked = blocked_enterprises(scope)["count"]
        counts.append(Todo("blocked", str(_("堵点企业")), blocked, _url("enterprises-list", "blocked=true"), "danger"))
    return counts


def todos_for(user) -> list[Todo]:
    """The counts alone (the department's home reads these)."""
    if role_for(user) == Role.DEPARTMENT:
        return department_todos(user)
    return workbench_for(user).todos


def department_todos(user) -> list[Todo]:
    """The department's home as it was: its referrals pending, overdue and answered."""
    today = timezone.localdate()
    mine = Referral.objects.visible_to(user)
    return [
        Todo("referral", str(_("待办理的转办")), mine.filter(state=Referral.State.PENDING).count(),
             _url("cases-referrals", "status=pending"), "warning"),
        Todo("referral_overdue", str(_("超期未反馈")),
             mine.filter(state=Referral.State.PENDING, due_date__lt=today).count(),
             _url("cases-referrals", "status=overdue"), "danger"),
        Todo("referral_answered", str(_("已反馈")), mine.filter(state=Referral.State.RESPONDED).count(),
             _url("cases-referrals", "status=responded")),
        Todo("decision", str(_("待落实的议定事项")), open_decisions_of(user).count(),
             _url("meetings-decisions", "mine=true&state=open"), "warning"),
    ]


def association_todos(user) -> list[Todo]:
    """A 行业协会's counts: the problems it registered still in hand and done, and the enterprises it covers."""
    mine = Case.objects.shared_with(user).aggregate(
        open=Count("pk", filter=~Q(state="closed")), closed=Count("pk", filter=Q(state="closed")))
    covered = Enterprise.objects.covered_by(user).count()
    return [
        Todo("registered_open", str(_("办理中的问题")), mine["open"], _url("cases-registered", "state=open"),
             "warning"),
        Todo("registered_closed", str(_("已办结的问题")), mine["closed"], _url("cases-registered", "state=closed")),
        Todo("covered", str(_("覆盖企业")), covered, _url("enterprises-covered")),
    ]
