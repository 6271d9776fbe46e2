"""共性问题 (ProblemGroup): the 部专班 coordinates problems of the same kind from several regions as one
item. The group has no workflow of its own: routing, chasing and the answer go to every member problem
through cases.workflow.perform(), one problem per transaction, so one refused member never undoes the
others — and every group action returns a GroupResult that names what was done, refused and skipped
(no silent half-success). The group keeps its own append-only record (ProblemGroupEvent)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, ProblemGroup, ProblemGroupEvent, State
from cases.workflow import ACTIONS, perform, validated
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Category, Role
from chainwork.scope import scope_for

ROUTABLE = (State.ACCEPTED, State.ROUTED)
RESPONDABLE = tuple(ACTIONS["respond"].sources)
URGEABLE = tuple(ACTIONS["urge"].sources)


@dataclass
class GroupResult:
    """What one group action did to each member: done, refused (with the reason), skipped (wrong state)."""

    action: str
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.done) and not self.failed

    def as_data(self) -> dict:
        return {"done": self.done, "failed": [list(item) for item in self.failed],
                "skipped": [list(item) for item in self.skipped]}


def may_coordinate(user) -> bool:
    """共性问题 are the 部专班's tool: only its members create, route and answer them."""
    return scope_for(user).role == Role.MINISTRY


def _require(actor) -> None:
    if not may_coordinate(actor):
        raise NotPermitted(_("只有部专班可以协调共性问题。"))


def _locked(group_id: int) -> ProblemGroup:
    group = ProblemGroup.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        raise Http404(_("共性问题不存在。"))
    return group


def _record(group, actor, action: str, note: str = "", data: dict | None = None) -> ProblemGroupEvent:
    return ProblemGroupEvent.objects.create(group=group, action=action, actor=actor, note=note, data=data or {},
                                            created_at=timezone.now())


def group_create(*, title: str, description: str, category: Category, actor) -> ProblemGroup:
    _require(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写共性问题名称。")})
    with transaction.atomic():
        group = ProblemGroup.objects.create(title=title[:200], description=(description or "").strip(),
                                            category=category, created_by=actor)
        _record(group, actor, "create", title)
    return group


def group_add_case(*, group_id: int, number: str, actor) -> Case:
    """Add the problem with this number (鄂〔2026〕第0123号, or its id) to an open group."""
    _require(actor)
    ref = (number or "").strip()
    if not ref:
        raise ValidationError({"number": _("请填写问题编号。")})
    with transaction.atomic():
        group = _locked(group_id)
        if group.state != ProblemGroup.State.OPEN:
            raise InvalidState(_("共性问题已办结，不能再添加问题。"))
        visible = Case.objects.visible_to(actor)
        case = visible.filter(number=ref).first() or (visible.filter(pk=int(ref)).first() if ref.isdecimal() else None)
        if case is None:
            raise ValidationError({"number": _("找不到编号为“%(number)s”的问题。") % {"number": ref}})
        if not case.is_open:
            raise ValidationError({"number": _("%(number)s已办结，不能纳入共性问题。") % {"number": case.number}})
        if group.cases.filter(pk=case.pk).exists():
            raise ValidationError({"number": _("%(number)s已在本共性问题中。") % {"number": case.number}})
        group.cases.add(case)
        _record(group, actor, "add", case.number, {"case": case.pk, "number": case.number})
    return case


def group_remove_case(*, group_id: int, case_id: int, actor) -> Case:
    _require(actor)
    with transaction.atomic():
        group = _locked(group_id)
        case = group.cases.filter(pk=case_id).first()
        if case is None:
            raise Http404(_("该问题不在本共性问题中。"))
        group.cases.remove(case)
        _record(group, actor, "remove", case.number, {"case": case.pk, "number": case.number})
    return case


def _each_member(group, actor, action: str, allowed, data: dict) -> GroupResult:
    """perform(action) on every member in an allowed state, each in its own transaction."""
    result = GroupResult(action=action)
    for case in group.cases.order_by("number"):
        if case.state not in allowed:
            result.skipped.append((case.number, case.get_state_display()))
            continue
        try:
            perform(case_id=case.pk, action=action, actor=actor, data=data)
        except ValidationError as error:
            reasons = [m for messages in error.message_dict.values() for m in messages] \
                if hasattr(error, "error_dict") else list(error.messages)
            result.failed.append((case.number, "；".join(str(r) for r in reasons)))
        except (InvalidState, NotPermitted, Http404) as error:
            result.failed.append((case.number, getattr(error, "message", None) or str(error)))
        else:
            result.done.append(case.number)
    return result


def _run(group_id: int, actor, action: str, allowed, data: dict, note: str) -> tuple[ProblemGroup, GroupResult]:
    _require(actor)
    group = ProblemGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404(_("共性问题不存在。"))
    if group.state != ProblemGroup.State.OPEN:
        raise InvalidState(_("共性问题已办结。"))
    if not group.cases.exists():
        raise ValidationError({"cases": _("共性问题还没有问题，请先添加。")})
    validated(ACTIONS[action], data)  # bad input is refused once for the group, not once per member
    result = _each_member(group, actor, action, allowed, data)
    with transaction.atomic():
        group = _locked(group.pk)
        if action == "respond" and result.complete and not result.skipped:
            group.state, group.closed_at = ProblemGroup.State.CLOSED, timezone.now()
            group.save(update_fields=["state", "closed_at"])
        _record(group, actor, action, note, result.as_data())
    return group, result


def group_route(*, group_id: int, referrals: list, actor, note: str = "") -> GroupResult:
    """转办 every member in accepted/routed to the same departments (主办/协办, deadlines)."""
    if not referrals:
        raise ValidationError({"referrals": _("请至少选择一个承办部门。")})
    data = {"referrals": referrals, "note": note}
    return _run(group_id, actor, "route", ROUTABLE, data, note)[1]


def group_urge(*, group_id: int, note: str, actor) -> GroupResult:
    """催办 every open member."""
    return _run(group_id, actor, "urge", URGEABLE, {"note": note}, note)[1]


def group_respond(group, response: str, closure_type: str, actor) -> GroupResult:
    """The answer of the group flows back to every member in a respondable state (录入办理情况). The
    group closes only when every member took it; otherwise the result names the ones that did not."""
    if not (response or "").strip():
        raise ValidationError({"response": _("请填写办理情况。")})
    group_id = group.pk if isinstance(group, ProblemGroup) else int(group)
    data = {"response": response, "closure_type": closure_type}
    return _run(group_id, actor, "respond", RESPONDABLE, data, response)[1]


def summary(result: GroupResult, label: str) -> list[tuple[str, str]]:
    """(level, message) lines for the page: what was done, what was refused and why, what was skipped."""
    lines = []
    if result.done:
        lines.append(("success", _("已%(action)s%(n)d个问题：%(numbers)s。")
                      % {"action": label, "n": len(result.done), "numbers": "、".join(result.done)}))
    if result.failed:
        reasons = "；".join(f"{number}（{reason}）" for number, reason in result.failed)
        lines.append(("error", _("%(n)d个问题未能%(action)s：%(reasons)s。")
                      % {"n": len(result.failed), "action": label, "reasons": reasons}))
    if result.skipped:
        states = "；".join(f"{number}（{state}）" for number, state in result.skipped)
        lines.append(("warning", _("%(n)d个问题当前状态不能%(action)s，已跳过：%(states)s。")
                      % {"n": len(result.skipped), "action": label, "states": states}))
    if not lines:
        lines.append(("warning", _("没有可%(action)s的问题。") % {"action": label}))
    return lines
