"""Departments' side of 转办: a referral is answered (办理情况) or sent back (非本部门职责), by the
department itself or recorded by the 部专班 on its behalf (代录) with its source. Same order of checks
as every action: not visible 404, wrong role 403, not pending 409, bad input 400."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import Light, end_of_day, light
from cases.holders import turn_due_at
from cases.models import Case, CaseEvent, Extension, Referral, State, Visibility
from cases.tasks import queue_event_notifications
from chainwork.errors import InvalidState, NotPermitted, ValidationError, refuse_nul
from chainwork.models import Role
from chainwork.scope import scope_for

REFERRAL_ACTIONS = ("respond", "send-back")
RECENTLY_ANSWERED = 10

# A referral's light (the lights of deadlines, cases.deadlines.Light, while it is pending): once answered
# its clock has stopped, on time or late by the day of the answer against its deadline.
ANSWERED_ON_TIME = "answered_on_time"
ANSWERED_LATE = "answered_late"


def chased_light(due_date, *, pending: bool, answered_at=None, now=None) -> str:
    """The light of anything chased by a deadline day (a referral, a 会商's decision): 正常 / 临期 / 超期 while
    pending; once answered, on time or late by the day of the answer."""
    if pending:
        return light(end_of_day(due_date), now)
    if answered_at:
        answered_on = timezone.localtime(answered_at).date()
        return ANSWERED_ON_TIME if answered_on <= due_date else ANSWERED_LATE
    return Light.NONE


def referral_light(referral: Referral, now=None) -> str:
    answered = referral.responded_at if referral.state == Referral.State.RESPONDED else None
    return chased_light(referral.due_date, pending=referral.state == Referral.State.PENDING, answered_at=answered,
                        now=now)


def _department_rows(user) -> QuerySet:
    pending = Prefetch("extensions", queryset=Extension.objects.filter(state=Extension.State.PENDING),
                       to_attr="pending_extensions")
    return (Referral.objects.visible_to(user)
            .select_related("case__region", "case__enterprise", "department")
            .prefetch_related(pending))


def department_queue(user) -> QuerySet:
    """A department's pending referrals, the one due soonest first (its 工作台)."""
    return _department_rows(user).filter(state=Referral.State.PENDING).order_by("due_date", "created_at", "pk")


def recently_answered(user, limit: int = RECENTLY_ANSWERED) -> QuerySet:
    """A department's referrals answered or sent back, the latest first."""
    return (_department_rows(user).exclude(state=Referral.State.PENDING)
            .order_by("-responded_at", "-pk")[:limit])


def may_act(referral: Referral, actor) -> bool:
    scope = scope_for(actor)
    if scope.role == Role.MINISTRY:
        return True
    return scope.role == Role.DEPARTMENT and scope.department_id == referral.department_id


def perform_referral(*, referral_id: int, action: str, actor, data: dict | None = None) -> Referral:
    if action not in REFERRAL_ACTIONS:
        raise Http404(_("没有该操作。"))
    data = data or {}
    with transaction.atomic():
        visible = Referral.objects.filter(pk=referral_id, pk__in=Referral.objects.visible_to(actor).values("pk"))
        case_id = visible.values_list("case_id", flat=True).first()
        if case_id is None:
            raise Http404(_("转办不存在或您无权查看。"))
        # The problem first, then the referral: the order perform() takes them in (催办 and 督办 of a
        # referral lock both). The other order deadlocked against them, and PostgreSQL killed one side.
        case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
        referral = visible.select_for_update(of=("self",)).select_related("case", "department").first()
        if not may_act(referral, actor):
            raise NotPermitted(_("只有承办部门或部专班可以办理该转办。"))
        if referral.state != Referral.State.PENDING:
            raise InvalidState(_("该转办已%(state)s，不能再办理。") % {"state": referral.get_state_display()})
        refuse_nul(data)
        on_behalf = scope_for(actor).role == Role.MINISTRY
        now = timezone.now()
        if action == "respond":
            response = str(data.get("response") or "").strip()
            if not response:
                raise ValidationError({"response": _("请填写办理情况。")})
            source = data.get("source") or ("phone" if on_behalf else "online")
            if source not in Referral.Source.values:
                raise ValidationError({"source": _("反馈方式应为系统填报、电话、函件或会议。")})
            if on_behalf and source == Referral.Source.ONLINE:
                raise ValidationError({"source": _("部专班代录时请注明反馈方式：电话、函件或会议。")})
            referral.state, referral.response, referral.source = Referral.State.RESPONDED, response, source
            note = response
        else:
            reason = str(data.get("reason") or "").strip()
            if not reason:
                raise ValidationError({"reason": _("请说明不属于本部门职责的理由。")})
            referral.state, referral.send_back_reason = Referral.State.SENT_BACK, reason
            note = reason
        referral.responded_at, referral.responded_by, referral.on_behalf = now, actor, on_behalf
        referral.version += 1
        referral.save()
        case.version += 1
        # The clock follows whose turn it is: the next pending referral's deadline, or the 部专班's own once
        # every department has answered (an answer in time leaves nothing late behind).
        if case.state == State.ROUTED:
            case.due_at = turn_due_at(case, now)
        case.save(update_fields=["version", "due_at", "updated_at"])
        event = CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.REFERRAL, action=f"referral-{action}", actor=actor,
            visibility=Visibility.SHARED, note=note, created_at=now,
            data={"referral": referral.pk, "department": referral.department.slug,
                  "department_name": referral.department.name, "role": referral.role,
                  "source": referral.source, "on_behalf": on_behalf,
                  "all_answered": not case.referrals.filter(state=Referral.State.PENDING).exists()},
        )
        queue_event_notifications(event.pk)
    return referral
