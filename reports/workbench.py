"""The 工作台's to-do figures per role, each a count that links to the filtered list behind it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import Light
from cases.models import Referral
from cases.selectors import case_list, shared_case_list
from chainwork.models import Role
from chainwork.scope import MINISTRY_SIDE, role_for
from enterprises.filters import blocked_q
from enterprises.models import Enterprise
from liaison.services import my_assignments


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    tone: str = "secondary"  # Bootstrap colour: danger for overdue, warning for waiting on the user


def _url(name: str, query: str = "") -> str:
    try:
        return reverse(name) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def todos_for(user) -> list[Todo]:
    role = role_for(user)
    cases = case_list(user)
    now = timezone.now()
    figures = cases.aggregate(
        new=Count("pk", filter=Q(state="new")),
        local=Count("pk", filter=Q(state="local")),
        pending=Count("pk", filter=Q(state="pending_approval")),
        returned=Count("pk", filter=Q(state="returned")),
        escalated=Count("pk", filter=Q(state="escalated")),
        accepted=Count("pk", filter=Q(state__in=["accepted", "routed", "tracking"])),
        responded=Count("pk", filter=Q(state="responded")),
        to_close_local=Count("pk", filter=Q(state="confirmed", level="local")),
        to_close_ministry=Count("pk", filter=Q(state="confirmed", level="ministry")),
        overdue=Count("pk", filter=~Q(state="closed") & Q(due_at__lt=now)),
        listed=Count("pk", filter=~Q(state="closed") & Q(supervision="listed")),
    )
    todos: list[Todo] = []
    if role in (Role.PROVINCE, Role.PROVINCE_LEAD):
        if role == Role.PROVINCE_LEAD:
            todos.append(Todo(_("待审核的上报"), figures["pending"], _url("cases-list", "state=pending_approval"),
                              "warning"))
            todos.append(Todo(_("待销号的属地问题"), figures["to_close_local"],
                              _url("cases-list", "state=confirmed&level=local"), "warning"))
        todos += [
            Todo(_("待研判的问题"), figures["new"], _url("cases-list", "state=new"), "warning"),
            Todo(_("属地办理中"), figures["local"], _url("cases-list", "state=local")),
            Todo(_("被退回补充材料"), figures["returned"], _url("cases-list", "state=returned"), "danger"),
            Todo(_("待企业确认"), figures["responded"], _url("cases-list", "state=responded")),
            Todo(_("超期的问题"), figures["overdue"], _url("cases-list", f"light={Light.RED}"), "danger"),
            Todo(_("请求本地区协办"), shared_case_list(user).exclude(state="closed").count(),
                 _url("cases-list", "shared=1"), "info"),
        ]
    elif role in MINISTRY_SIDE:
        todos += [
            Todo(_("待受理的上报"), figures["escalated"], _url("cases-list", "state=escalated"), "warning"),
            Todo(_("办理中的上报问题"), figures["accepted"],
                 _url("cases-list", "state=accepted&state=routed&state=tracking")),
            Todo(_("待销号"), figures["to_close_ministry"], _url("cases-list", "state=confirmed&level=ministry"),
                 "warning"),
            Todo(_("超期的问题"), figures["overdue"], _url("cases-list", f"light={Light.RED}"), "danger"),
            Todo(_("挂牌督办"), figures["listed"], _url("cases-list", "supervision=listed"), "danger"),
        ]
    elif role == Role.DEPARTMENT:
        today = timezone.localdate()
        mine = Referral.objects.visible_to(user)
        todos += [
            Todo(_("待办理的转办"), mine.filter(state=Referral.State.PENDING).count(),
                 _url("cases-list", "shared=1"), "warning"),
            Todo(_("超期未反馈"), mine.filter(state=Referral.State.PENDING, due_date__lt=today).count(),
                 _url("cases-list", "shared=1"), "danger"),
            Todo(_("已反馈"), mine.filter(state=Referral.State.RESPONDED).count(), _url("cases-list", "shared=1")),
        ]
    elif role == Role.LIAISON:
        today = timezone.localdate()
        mine = Enterprise.objects.visible_to(user)
        todos += [
            Todo(_("到期未联系的企业"), my_assignments(user).filter(due_on__lte=today).count(),
                 _url("enterprises-contacts"), "danger"),
            Todo(_("联系的企业"), mine.count(), _url("enterprises-list")),
            Todo(_("今日未报送复工情况"), mine.exclude(status_date=today).count(),
                 _url("enterprises-status-grid"), "warning"),
            Todo(_("联系企业的未办结问题"), cases.exclude(state="closed").count(), _url("cases-list", "open=true")),
        ]
    if role in (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN):
        blocked = Enterprise.objects.visible_to(user).filter(blocked_q(settings.CHAIN_BLOCKER_THRESHOLD)).count()
        todos.append(Todo(_("堵点企业"), blocked, _url("enterprises-list", "blocked=true"), "danger"))
    return todos
