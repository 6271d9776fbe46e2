"""Running a lifecycle action (the entries are in cases/lifecycle.py).

`perform()` is the only door for a change of a problem, used by pages, the API and tasks alike. In one
transaction it locks the row, checks in the Contract's order — outside the scope 404, wrong role 403,
wrong state (or a stale version) 409, bad input 400 (the entry's serializer) — applies the action, bumps
the version, and writes the timeline event; the notifications are queued after commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.lifecycle import ACTIONS, PROVINCE_ROLES, TRANSITIONS, Action, Context
from cases.models import Case, CaseEvent
from cases.tasks import queue_event_notifications
from chainwork.errors import InvalidState, NotPermitted, StaleVersion, ValidationError, expected_version, refuse_nul
from chainwork.models import Role
from chainwork.scope import scope_for

__all__ = ["ACTIONS", "PROVINCE_ROLES", "TRANSITIONS", "StaleVersion", "may_perform", "perform", "validated",
           "validated_body"]


def _locked(case_id: int, actor) -> tuple[Case, bool]:
    case = (Case.objects.select_for_update(of=("self",))
            .filter(pk=case_id, pk__in=Case.objects.seen_by(actor).values("pk")).first())
    if case is None:
        raise Http404(_("问题不存在或您无权查看。"))
    full = Case.objects.visible_to(actor).filter(pk=case.pk).exists()
    return case, full


def _allowed(spec: Action, ctx: Context) -> bool:
    # In the limited view (协办, a department's) only the actions open to it: a comment, a 协办意见.
    return (ctx.full or spec.limited) and spec.permitted(ctx)


def takes_up(spec: Action, ctx: Context) -> bool:
    """A 经办人 of the problem's own region who moves it holds it from then on (cases/holders.py)."""
    return (spec.kind == CaseEvent.Kind.TRANSITION and ctx.full and ctx.role == Role.PROVINCE
            and getattr(ctx.actor, "region_id", None) == ctx.case.region_id)


def may_perform(action: str, case: Case, actor, *, full: bool) -> bool:
    """Whether the actor may take the action now (for showing buttons); perform() decides for real."""
    spec = ACTIONS[action]
    ctx = Context(case=case, actor=actor, role=scope_for(actor).role, full=full, data={})
    return case.state in spec.sources and _allowed(spec, ctx) and not spec.refusal(ctx)


def validated(spec: Action, data) -> dict:
    """The body checked by the action's serializer; ValidationError keyed on its fields otherwise."""
    return validated_body(spec.body, data)


def validated_body(serializer, data) -> dict:
    """The body checked by a body serializer (cases/bodies.py); ValidationError keyed on its fields."""
    if data is not None and not isinstance(data, dict):
        raise ValidationError({"non_field_errors": _("请求体应为JSON对象。")})
    refuse_nul(data)
    body = serializer(data=data or {})
    if not body.is_valid():
        raise ValidationError({name: [str(m) for m in (messages if isinstance(messages, list) else [messages])]
                               for name, messages in body.errors.items()})
    values = dict(body.validated_data)
    values.pop("version", None)
    return values


def perform(*, case_id: int, action: str, actor, data: dict | None = None, version=None,
            at: dt.datetime | None = None) -> Case:
    """Take `action` on the problem as `actor`. Raises Http404, NotPermitted, InvalidState, ValidationError."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("没有该操作。"))
    with transaction.atomic():
        case, full = _locked(case_id, actor)
        scope = scope_for(actor)
        ctx = Context(case=case, actor=actor, role=scope.role, full=full, data={}, now=at or timezone.now())
        if not _allowed(spec, ctx):
            raise NotPermitted(_("您的角色不能对该问题执行“%(action)s”。") % {"action": spec.label})
        if case.state not in spec.sources:
            raise InvalidState(_("问题当前状态为“%(state)s”，不能%(action)s。")
                               % {"state": case.get_state_display(), "action": spec.label})
        refusal = spec.refusal(ctx)
        if refusal:
            raise InvalidState(refusal)
        expected = expected_version(version)
        if expected is not None and expected != case.version:
            raise StaleVersion(_("该问题已被他人更新，请刷新后再操作；您填写的内容仍保留在表单中。"))
        ctx.data = validated(spec, data)
        from_state = case.state
        event_fields = spec.apply(ctx)
        if takes_up(spec, ctx):
            case.handler = actor
        case.version += 1
        case.save()
        event = CaseEvent.objects.create(
            case=case, kind=spec.kind, action=action, from_state=from_state,
            to_state=case.state if spec.kind == CaseEvent.Kind.TRANSITION or case.state != from_state else "",
            actor=actor, actor_region_id=getattr(actor, "region_id", None) if scope.regions else None,
            created_at=ctx.now, **event_fields,
        )
        queue_event_notifications(event.pk)
    return case
