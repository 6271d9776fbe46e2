"""申请延期: a department asks for more time on its pending referral (the 部专班 decides), a province official
on its local problem in 属地办理中 (the province lead decides; the request itself is the lifecycle entry
`extend`, cases/lifecycle.py). A decision grants — the proposed date or another one, not before today — or
refuses with a note. The light and the reminders read the deadline columns, so they follow a granted date:
`Referral.due_date`, and `Case.due_at` (a routed problem's is its earliest pending referral's, as 督办 of
a referral keeps it). Both sides are told through the timeline (cases.tasks.OTHER_TELLS). One pending
request at a time per referral or problem (also a constraint on the table).

Checks in the Contract's order: outside the scope 404, wrong role 403, wrong state 409, bad input 400.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Min, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import bodies
from cases.deadlines import end_of_day
from cases.lifecycle import extension_data
from cases.models import Case, CaseEvent, Extension, Referral, State, Visibility
from cases.tasks import queue_event_notifications
from cases.workflow import validated_body
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Role
from chainwork.scope import scope_for

DECISIONS = ("grant", "refuse")


def extensions_for(user) -> QuerySet:
    """The requests the user may see (a department its own, a province its region's, the 部专班 all), newest
    first, with what a row shows."""
    return (Extension.objects.visible_to(user)
            .select_related("case__region", "referral__department", "requested_by", "decided_by")
            .order_by("-created_at", "-pk"))


def pending_for(user) -> QuerySet:
    """The pending requests this user decides: the 部专班 those of referrals, a province lead those of the
    local problems of its region; oldest first (the one waiting longest)."""
    scope = scope_for(user)
    pending = extensions_for(user).filter(state=Extension.State.PENDING).order_by("created_at", "pk")
    if scope.role == Role.MINISTRY:
        return pending.filter(referral__isnull=False)
    if scope.role == Role.PROVINCE_LEAD:
        return pending.filter(referral__isnull=True)
    return pending.none()


def may_decide(extension: Extension, user) -> bool:
    scope = scope_for(user)
    if extension.referral_id:
        return scope.role == Role.MINISTRY
    return scope.role == Role.PROVINCE_LEAD and scope.covers(extension.case.region_id)


def may_request(referral: Referral, user) -> bool:
    scope = scope_for(user)
    return scope.role == Role.DEPARTMENT and scope.department_id == referral.department_id


def _event(*, case, action, actor, extension, note, now) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.EXTENSION, action=action, actor=actor,
        actor_region_id=getattr(actor, "region_id", None), visibility=Visibility.SHARED, note=note,
        data=extension_data(extension), created_at=now)
    queue_event_notifications(event.pk)
    return event


def extension_request(*, referral_id: int, actor, data: dict | None = None) -> Extension:
    """A department asks to extend its pending referral's deadline."""
    with transaction.atomic():
        visible = Referral.objects.filter(pk=referral_id, pk__in=Referral.objects.visible_to(actor).values("pk"))
        case_id = visible.values_list("case_id", flat=True).first()
        if case_id is None:
            raise Http404(_("转办不存在或您无权查看。"))
        # The problem first, then the referral: the order every change of a referral takes them in.
        case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
        referral = visible.select_for_update(of=("self",)).select_related("department").first()
        if not may_request(referral, actor):
            raise NotPermitted(_("只有承办部门可以为该转办申请延期。"))
        if referral.state != Referral.State.PENDING:
            raise InvalidState(_("该转办已%(state)s，不能申请延期。") % {"state": referral.get_state_display()})
        if referral.extensions.filter(state=Extension.State.PENDING).exists():
            raise InvalidState(_("该转办已有待审批的延期申请，请等部专班审批后再申请。"))
        values = validated_body(bodies.ExtendBody, data)
        if values["proposed_date"] <= referral.due_date:
            raise ValidationError({"proposed_date": _("申请延至的日期应晚于现在的办理时限（%(date)s）。")
                                                    % {"date": referral.due_date.isoformat()}})
        now = timezone.now()
        extension = Extension.objects.create(
            case=case, referral=referral, requested_by=actor, reason=values["reason"], old_date=referral.due_date,
            proposed_date=values["proposed_date"], created_at=now)
        _event(case=case, action="referral-extend", actor=actor, extension=extension, note=values["reason"], now=now)
    return extension


def extension_decide(*, extension_id: int, decision: str, actor, data: dict | None = None) -> Extension:
    """批准 (grant) or 不予延期 (refuse) a pending request."""
    if decision not in DECISIONS:
        raise Http404(_("没有该操作。"))
    with transaction.atomic():
        visible = Extension.objects.filter(pk=extension_id, pk__in=Extension.objects.visible_to(actor).values("pk"))
        case_id = visible.values_list("case_id", flat=True).first()
        if case_id is None:
            raise Http404(_("延期申请不存在或您无权查看。"))
        case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
        extension = visible.select_for_update(of=("self",)).select_related("case", "referral__department").first()
        referral = None
        if extension.referral_id:
            referral = Referral.objects.select_for_update(of=("self",)).select_related("department").get(
                pk=extension.referral_id)
            extension.referral = referral
        extension.case = case
        if not may_decide(extension, actor):
            raise NotPermitted(_("转办的延期由部专班审批，属地问题的延期由省专班负责人审批。"))
        if extension.state != Extension.State.PENDING:
            raise InvalidState(_("该延期申请已%(state)s。") % {"state": extension.get_state_display()})
        if referral is not None and referral.state != Referral.State.PENDING:
            raise InvalidState(_("该转办已%(state)s，无需延期。") % {"state": referral.get_state_display()})
        if referral is None and case.state != State.LOCAL:
            raise InvalidState(_("问题已不在属地办理中，无需延期。"))
        body = bodies.ExtensionGrantBody if decision == "grant" else bodies.ExtensionRefuseBody
        values = validated_body(body, data)
        now = timezone.now()
        extension.decided_by, extension.decided_at = actor, now
        extension.decision_note = values["note"]
        if decision == "grant":
            granted = values.get("due_date") or extension.proposed_date
            if granted < timezone.localdate():
                raise ValidationError({"due_date": _("日期不能早于今天。")})
            extension.state, extension.granted_date = Extension.State.GRANTED, granted
            _move_deadline(case, referral, granted)
        else:
            extension.state = Extension.State.REFUSED
        extension.save()
        case.version += 1
        case.save(update_fields=["due_at", "version", "updated_at"])
        _event(case=case, action=f"extension-{decision}", actor=actor, extension=extension,
               note=extension.decision_note, now=now)
    return extension


def _move_deadline(case: Case, referral: Referral | None, day) -> None:
    if referral is None:
        case.due_at = end_of_day(day)
        return
    referral.due_date, referral.version = day, referral.version + 1
    referral.save(update_fields=["due_date", "version"])
    if case.state == State.ROUTED:
        # A routed problem waits for its earliest pending referral (as 督办 of a referral keeps it).
        earliest = case.referrals.filter(state=Referral.State.PENDING).aggregate(day=Min("due_date"))["day"]
        if earliest:
            case.due_at = end_of_day(earliest)
