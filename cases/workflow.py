"""The problem lifecycle (design.md "Problem lifecycle"): one service for every action.

`perform()` is the only door for a change of a problem, used by pages, the API and tasks alike. In one
transaction it locks the row, checks in the Contract's order — outside the scope 404, wrong role 403,
wrong state (or a stale version) 409, bad input 400 — applies the action, bumps the version, and writes
the timeline event; notifications go out after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import due_for, end_of_day
from cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseLink,
    CaseShare,
    ClosureType,
    Level,
    Satisfaction,
    State,
    Supervision,
    Visibility,
)
from chainwork.errors import InvalidState, NotPermitted, ValidationError, refuse_nul
from chainwork.models import Region, Role
from chainwork.scope import MINISTRY_SIDE, scope_for

PROVINCE_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD)
MINISTRY = (Role.MINISTRY,)


class StaleVersion(InvalidState):
    """Someone else changed the problem since the actor loaded it (409)."""


@dataclass
class Context:
    case: Case
    actor: object
    role: str
    full: bool  # the actor sees the problem in full (not only as 协办)
    data: dict
    now: dt.datetime | None = None  # when it happens; only imports and demo data give a past time


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    permitted: Callable[[Context], bool]
    clean: Callable[[dict], dict]
    apply: Callable[[Context], dict]  # changes the case; returns CaseEvent fields
    kind: str = CaseEvent.Kind.TRANSITION


# --- input helpers ---------------------------------------------------------------------------------

def _text(data: dict, name: str, *, required: bool, message: str = "", limit: int = 4000) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise ValidationError({name: message or _("此项为必填项。")})
    if len(value) > limit:
        raise ValidationError({name: _("内容过长，最多%(n)d个字。") % {"n": limit}})
    return value


def _date(data: dict, name: str, *, required: bool, future: bool = True) -> dt.date | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            raise ValidationError({name: _("请填写日期。")})
        return None
    value = raw if isinstance(raw, dt.date) else parse_date(str(raw))
    if value is None:
        raise ValidationError({name: _("日期格式应为YYYY-MM-DD。")})
    if future and value < timezone.localdate():
        raise ValidationError({name: _("日期不能早于今天。")})
    return value


def _choice(data: dict, name: str, choices, *, message: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or value not in dict(choices):
        raise ValidationError({name: message})
    return value


def _none(data: dict) -> dict:
    return {"note": _text(data, "note", required=False)}


def _reason(data: dict) -> dict:
    return {"reason": _text(data, "reason", required=True, message=_("请填写理由。"))}


# --- who may act -------------------------------------------------------------------------------------

def _province(ctx: Context) -> bool:
    return ctx.full and ctx.role in PROVINCE_ROLES


def _lead(ctx: Context) -> bool:
    return ctx.full and ctx.role == Role.PROVINCE_LEAD


def _ministry(ctx: Context) -> bool:
    return ctx.role == Role.MINISTRY


def _by_level(ctx: Context) -> bool:
    """The province acts on local problems, the 部专班 on escalated ones."""
    return _province(ctx) if ctx.case.level == Level.LOCAL else _ministry(ctx)


def _closer(ctx: Context) -> bool:
    return _lead(ctx) if ctx.case.level == Level.LOCAL else _ministry(ctx)


def _province_or_ministry(ctx: Context) -> bool:
    return _province(ctx) or _ministry(ctx)


def _anyone_who_sees(ctx: Context) -> bool:
    return True


def _chaser(ctx: Context) -> bool:
    return _ministry(ctx) or _lead(ctx)


def _ministry_liaison(ctx: Context) -> bool:
    return ctx.full and ctx.role == Role.MINISTRY_LIAISON


# --- what each action does -----------------------------------------------------------------------

def _enter(case: Case, state: str, *, due: dt.datetime | bool | None = True, now=None) -> None:
    case.state = state
    if due is True:
        case.due_at = due_for(case.urgency, state, now)
    elif due is not False:
        case.due_at = due


def _clean_handle_locally(data):
    return {
        "unit": _text(data, "unit", required=True, message=_("请填写责任单位。"), limit=100),
        "person": _text(data, "person", required=True, message=_("请填写责任人。"), limit=32),
        "phone": _text(data, "phone", required=True, message=_("请填写责任人电话。"), limit=32),
        "due_date": _date(data, "due_date", required=True),
        "note": _text(data, "note", required=False),
    }


def _handle_locally(ctx):
    c, d = ctx.case, ctx.data
    c.local_unit, c.local_person, c.local_phone = d["unit"], d["person"], d["phone"]
    c.level = Level.LOCAL
    _enter(c, State.LOCAL, due=end_of_day(d["due_date"]))
    return {"note": d["note"], "data": {"unit": d["unit"], "person": d["person"], "phone": d["phone"],
                                        "due_date": d["due_date"].isoformat()}}


def _submit(ctx):
    ctx.case.previous_state = ctx.case.state
    _enter(ctx.case, State.PENDING_APPROVAL, now=ctx.now)
    return {"note": ctx.data["note"]}


def _approve(ctx):
    c = ctx.case
    c.signed_by = ctx.actor
    c.level = Level.MINISTRY
    c.escalated_at = ctx.now
    _enter(c, State.ESCALATED, now=ctx.now)
    return {"note": ctx.data["note"], "data": {"signed_by": str(ctx.actor)}}


def _send_back(ctx):
    c = ctx.case
    back = c.previous_state if c.previous_state in (State.NEW, State.LOCAL, State.RETURNED) else State.NEW
    if back == State.RETURNED:
        back = State.NEW
    _enter(c, back, now=ctx.now)
    return {"note": ctx.data["reason"], "visibility": Visibility.PROVINCE}


def _withdraw(ctx):
    ctx.case.level = Level.LOCAL
    _enter(ctx.case, State.LOCAL, now=ctx.now)
    return {"note": ctx.data["reason"]}


def _accept(ctx):
    ctx.case.accepted_at = ctx.now
    _enter(ctx.case, State.ACCEPTED, now=ctx.now)
    return {"note": ctx.data["note"]}


def _return_for_info(ctx):
    _enter(ctx.case, State.RETURNED, now=ctx.now)
    return {"note": ctx.data["reason"]}


def _supplement(ctx):
    ctx.case.previous_state = State.RETURNED
    _enter(ctx.case, State.PENDING_APPROVAL, now=ctx.now)
    return {"note": ctx.data["note"]}


def _return_local(ctx):
    ctx.case.level = Level.LOCAL
    _enter(ctx.case, State.LOCAL, now=ctx.now)
    return {"note": ctx.data["reason"]}


def _clean_route(data):
    from chainwork.models import Department

    items = data.get("referrals")
    if not isinstance(items, list) or not items:
        raise ValidationError({"referrals": _("请至少选择一个承办部门。")})
    cleaned, seen = [], set()
    for index, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        slug = str(item.get("department") or "").strip()
        department = Department.objects.filter(slug=slug, is_active=True).first()
        if department is None:
            raise ValidationError({"referrals": _("第%(n)d项：请选择承办部门。") % {"n": index}})
        if department.pk in seen:
            raise ValidationError({"referrals": _("“%(name)s”重复。") % {"name": department.name}})
        seen.add(department.pk)
        role = item.get("role")
        if role not in ("lead", "assist"):
            raise ValidationError({"referrals": _("第%(n)d项：承办方式应为主办或协办。") % {"n": index}})
        due = _date(item, "due_date", required=True)
        cleaned.append({"department": department, "role": role, "due_date": due})
    if sum(1 for item in cleaned if item["role"] == "lead") > 1:
        raise ValidationError({"referrals": _("只能有一个主办部门。")})
    return {"referrals": cleaned, "note": _text(data, "note", required=False)}


def _route(ctx):
    from cases.models import Referral

    case = ctx.case
    open_referrals = Referral.objects.filter(case=case, state=Referral.State.PENDING)
    has_lead = open_referrals.filter(role=Referral.Role.LEAD).exists()
    new_lead = any(item["role"] == "lead" for item in ctx.data["referrals"])
    if has_lead and new_lead:
        raise ValidationError({"referrals": _("已有办理中的主办部门，新增部门只能协办。")})
    if not has_lead and not new_lead:
        raise ValidationError({"referrals": _("请指定一个主办部门。")})
    busy = set(open_referrals.values_list("department_id", flat=True))
    for item in ctx.data["referrals"]:
        if item["department"].pk in busy:
            raise ValidationError({"referrals": _("“%(name)s”已在办理该问题。") % {"name": item["department"].name}})
    for item in ctx.data["referrals"]:
        Referral.objects.create(case=case, department=item["department"], role=item["role"],
                                due_date=item["due_date"], routed_by=ctx.actor, created_at=ctx.now)
    latest = min(item["due_date"] for item in ctx.data["referrals"])
    _enter(case, State.ROUTED, due=end_of_day(latest))
    return {"note": ctx.data["note"], "data": {"referrals": [
        {"department": item["department"].slug, "name": item["department"].name, "role": item["role"],
         "due_date": item["due_date"].isoformat()} for item in ctx.data["referrals"]]}}


def _clean_track(data):
    return {"next_review": _date(data, "next_review", required=True), "note": _text(data, "note", required=False)}


def _track(ctx):
    ctx.case.next_review = ctx.data["next_review"]
    _enter(ctx.case, State.TRACKING, due=end_of_day(ctx.data["next_review"]))
    return {"note": ctx.data["note"], "data": {"next_review": ctx.data["next_review"].isoformat()}}


def _clean_respond(data):
    return {
        "response": _text(data, "response", required=True, message=_("请填写办理情况。")),
        "closure_type": _choice(data, "closure_type", ClosureType.choices,
                                message=_("请选择办结方式：已解决、部分解决、已解释说明、企业撤回或不属于职责范围。")),
    }


def _respond(ctx):
    c = ctx.case
    c.response, c.closure_type = ctx.data["response"], ctx.data["closure_type"]
    c.responded_at = ctx.now
    _enter(c, State.RESPONDED, now=ctx.now)
    return {"note": ctx.data["response"], "data": {"closure_type": ctx.data["closure_type"]}}


def _clean_confirm(data):
    return {
        "confirmed_by": _text(data, "confirmed_by", required=True, message=_("请填写企业确认人。"), limit=64),
        "method": _text(data, "method", required=True, message=_("请填写确认方式，如电话、书面。"), limit=32),
        "satisfaction": _choice(data, "satisfaction", Satisfaction.choices,
                                message=_("请选择满意度：满意、基本满意或不满意。")),
        "date": _date(data, "date", required=False, future=False) or timezone.localdate(),
        "note": _text(data, "note", required=False),
    }


def _reopen_state(case: Case) -> str:
    return State.LOCAL if case.level == Level.LOCAL else State.ACCEPTED


def _confirm(ctx):
    c, d = ctx.case, ctx.data
    c.confirmed_by, c.confirm_method, c.confirmed_on = d["confirmed_by"], d["method"], d["date"]
    c.satisfaction = d["satisfaction"]
    data = {"confirmed_by": d["confirmed_by"], "method": d["method"], "satisfaction": d["satisfaction"],
            "date": d["date"].isoformat()}
    if d["satisfaction"] == Satisfaction.DISSATISFIED:
        # 不满意: the problem is handled again instead of waiting for closure.
        c.reopen_count += 1
        _enter(c, _reopen_state(c), now=ctx.now)
        data["reopened"] = True
        return {"note": d["note"] or _("企业不满意，重新办理。"), "data": data}
    _enter(c, State.CONFIRMED, now=ctx.now)
    return {"note": d["note"], "data": data}


def _close(ctx):
    ctx.case.closed_at = ctx.now
    _enter(ctx.case, State.CLOSED, due=None)
    return {"note": ctx.data["note"]}


def _clean_duplicate(data):
    original = data.get("original")
    if original in (None, ""):
        raise ValidationError({"original": _("请指定并入的原问题。")})
    return {"original": original, "note": _text(data, "note", required=False)}


def _close_duplicate(ctx):
    c = ctx.case
    original = _find_original(ctx)
    c.duplicate_of = original
    c.closed_at = ctx.now
    _enter(c, State.CLOSED, due=None)
    CaseLink.objects.get_or_create(from_case=c, to_case=original,
                                   defaults={"kind": CaseLink.Kind.DUPLICATE, "created_by": ctx.actor})
    return {"note": ctx.data["note"], "data": {"original": original.number, "original_id": original.pk}}


def _clean_link(data):
    other = data.get("other")
    if other in (None, ""):
        raise ValidationError({"other": _("请填写相关问题的编号。")})
    return {"original": other, "note": _text(data, "note", required=False)}


def _link(ctx):
    other = _find_original(ctx, field="other")
    _link_row, created = CaseLink.objects.get_or_create(
        from_case=ctx.case, to_case=other, defaults={"kind": CaseLink.Kind.RELATED, "created_by": ctx.actor})
    if not created or CaseLink.objects.filter(from_case=other, to_case=ctx.case).exists():
        raise ValidationError({"other": _("已与%(number)s关联。") % {"number": other.number}})
    return {"note": ctx.data["note"], "data": {"other": other.number, "other_id": other.pk}}


def _find_original(ctx, field: str = "original") -> Case:
    ref = ctx.data["original"]
    originals = Case.objects.visible_to(ctx.actor).exclude(pk=ctx.case.pk)
    original = (originals.filter(pk=ref).first() if str(ref).isdecimal() else None) or \
        originals.filter(number=str(ref)).first()
    if original is None:
        raise ValidationError({field: _("找不到该问题，请填写您可见的问题编号。")})
    return original


def _reopen(ctx):
    c = ctx.case
    c.reopen_count += 1
    c.closed_at = None
    _enter(c, _reopen_state(c), now=ctx.now)
    return {"note": ctx.data["reason"]}


def _clean_comment(data):
    return {
        "text": _text(data, "text", required=True, message=_("请填写意见内容。")),
        "visibility": data.get("visibility") or "shared",
    }


def _comment(ctx):
    requested = ctx.data["visibility"]
    if requested not in ("shared", "internal"):
        raise ValidationError({"visibility": _("可见范围应为公开或内部。")})
    visibility = Visibility.SHARED
    if requested == "internal":
        if not ctx.full:
            raise ValidationError({"visibility": _("协办地区只能发表公开意见。")})
        visibility = Visibility.MINISTRY if ctx.role in MINISTRY_SIDE \
            else Visibility.PROVINCE
    return {"note": ctx.data["text"], "visibility": visibility}


def _clean_urge(data):
    return {"note": _text(data, "note", required=False), "referral": _referral_id(data)}


def _urge(ctx):
    if not ctx.data["referral"]:
        return {"note": ctx.data["note"], "data": {}}
    from django.db.models import F

    from cases.models import Referral

    referral = _pending_referral(ctx, _("该转办已办结，无需催办。"))
    Referral.objects.filter(pk=referral.pk).update(urged_count=F("urged_count") + 1, last_urged_at=ctx.now)
    return {"note": ctx.data["note"], "data": _referral_data(referral)}


def _clean_supervise(data):
    return {
        "level": _choice(data, "level", [(Supervision.SUPERVISE, ""), (Supervision.LISTED, "")],
                         message=_("督办级别应为督办或挂牌督办。")),
        "due_date": _date(data, "due_date", required=True),
        "note": _text(data, "note", required=False),
        "referral": _referral_id(data),
    }


def _supervise(ctx):
    c, d = ctx.case, ctx.data
    c.supervision = d["level"]
    data = {"level": d["level"], "due_date": d["due_date"].isoformat()}
    if d["referral"]:
        from django.db.models import Min

        from cases.models import Referral

        # 督办 of one referral: its deadline moves; the problem's is its earliest pending referral's.
        referral = _pending_referral(ctx, _("该转办已办结，不能督办。"))
        referral.due_date, referral.version = d["due_date"], referral.version + 1
        referral.save(update_fields=["due_date", "version"])
        earliest = c.referrals.filter(state=Referral.State.PENDING).aggregate(day=Min("due_date"))["day"]
        c.due_at = end_of_day(earliest)
        data.update(_referral_data(referral))
    else:
        c.due_at = end_of_day(d["due_date"])
    return {"note": d["note"], "due_at": c.due_at, "data": data}


def _referral_id(data) -> int | None:
    """The optional `referral` of urge / supervise: a referral id, checked against the problem later."""
    raw = data.get("referral")
    if raw in (None, ""):
        return None
    if isinstance(raw, bool) or not str(raw).strip().isdecimal():
        raise ValidationError({"referral": _("转办编号应为整数。")})
    return int(str(raw).strip())


def _pending_referral(ctx, done_message):
    from cases.models import Referral

    referral = (Referral.objects.select_for_update(of=("self",)).select_related("department")
                .filter(pk=ctx.data["referral"], case=ctx.case).first())
    if referral is None:
        raise ValidationError({"referral": _("该问题没有这项转办。")})
    if referral.state != Referral.State.PENDING:
        raise ValidationError({"referral": done_message})
    return referral


def _referral_data(referral) -> dict:
    return {"referral": referral.pk, "department": referral.department.slug,
            "department_name": referral.department.name, "role": referral.role,
            "referral_due_date": referral.due_date.isoformat()}


def _clean_instruct(data):
    return {"text": _text(data, "text", required=True, message=_("请填写批示内容。")),
            "due_date": _date(data, "due_date", required=False)}


def _instruct(ctx):
    due = end_of_day(ctx.data["due_date"]) if ctx.data["due_date"] else None
    return {"note": ctx.data["text"], "pinned": True, "due_at": due, "visibility": Visibility.SHARED}


def _clean_share(data):
    code = str(data.get("region") or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": _("请选择协办地区。")})
    return {"region": region, "note": _text(data, "note", required=False)}


def _share(ctx):
    region = ctx.data["region"]
    if region.pk == ctx.case.region_id:
        raise ValidationError({"region": _("不能请本地区协办自己的问题。")})
    _share_row, created = CaseShare.objects.get_or_create(
        case=ctx.case, region=region, defaults={"note": ctx.data["note"], "shared_by": ctx.actor})
    if not created:
        raise ValidationError({"region": _("已请%(region)s协办。") % {"region": region.name}})
    return {"note": ctx.data["note"], "data": {"region": region.code, "region_name": region.name}}


def _flag(ctx):
    return {"note": ctx.data["note"], "visibility": Visibility.MINISTRY}


def _clean_flag(data):
    return {"note": _text(data, "note", required=True, message=_("请说明需要部专班关注的情况。"))}


ANY_OPEN = tuple(OPEN_STATES)
ANY = tuple(State.values)

ACTIONS: dict[str, Action] = {a.name: a for a in [
    Action("handle-locally", gettext_lazy("属地办理"), (State.NEW,), _province, _clean_handle_locally,
           _handle_locally),
    Action("submit", gettext_lazy("提交审核"), (State.NEW, State.LOCAL), _province, _none, _submit),
    Action("approve", gettext_lazy("审核并上报"), (State.PENDING_APPROVAL,), _lead, _none, _approve),
    Action("send-back", gettext_lazy("审核退回"), (State.PENDING_APPROVAL,), _lead, _reason, _send_back),
    Action("withdraw", gettext_lazy("撤回"), (State.ESCALATED,), _lead, _reason, _withdraw),
    Action("accept", gettext_lazy("受理"), (State.ESCALATED,), _ministry, _none, _accept),
    Action("return-for-info", gettext_lazy("退回补充材料"), (State.ESCALATED,), _ministry, _reason,
           _return_for_info),
    Action("supplement", gettext_lazy("补充材料"), (State.RETURNED,), _province, _none, _supplement),
    Action("return-local", gettext_lazy("退回属地办理"), (State.ESCALATED, State.ACCEPTED), _ministry, _reason,
           _return_local),
    Action("route", gettext_lazy("转办"), (State.ACCEPTED, State.ROUTED), _ministry, _clean_route, _route),
    Action("track", gettext_lazy("转持续跟踪"), (State.LOCAL, State.ACCEPTED, State.ROUTED), _by_level,
           _clean_track, _track),
    Action("respond", gettext_lazy("录入办理情况"), (State.LOCAL, State.ACCEPTED, State.ROUTED, State.TRACKING),
           _by_level, _clean_respond, _respond),
    Action("confirm", gettext_lazy("企业确认"), (State.RESPONDED,), _province, _clean_confirm, _confirm),
    Action("close", gettext_lazy("销号"), (State.CONFIRMED,), _closer, _none, _close),
    Action("close-duplicate", gettext_lazy("并入已有问题"), ANY_OPEN, _province_or_ministry, _clean_duplicate,
           _close_duplicate),
    Action("link", gettext_lazy("关联问题"), ANY, _province_or_ministry, _clean_link, _link, CaseEvent.Kind.LINK),
    Action("reopen", gettext_lazy("重新办理"), (State.RESPONDED, State.CONFIRMED, State.CLOSED), _by_level, _reason,
           _reopen),
    Action("comment", gettext_lazy("意见"), ANY, _anyone_who_sees, _clean_comment, _comment, CaseEvent.Kind.COMMENT),
    Action("urge", gettext_lazy("催办"), ANY_OPEN, _chaser, _clean_urge, _urge, CaseEvent.Kind.URGE),
    Action("supervise", gettext_lazy("督办"), ANY_OPEN, _ministry, _clean_supervise, _supervise,
           CaseEvent.Kind.SUPERVISE),
    Action("instruct", gettext_lazy("领导批示"), ANY, _ministry, _clean_instruct, _instruct,
           CaseEvent.Kind.INSTRUCTION),
    Action("share", gettext_lazy("请求协办"), ANY_OPEN, _ministry, _clean_share, _share, CaseEvent.Kind.SHARE),
    Action("flag", gettext_lazy("提请关注"), ANY_OPEN, _ministry_liaison, _clean_flag, _flag, CaseEvent.Kind.FLAG),
]}

TRANSITIONS = {name for name, action in ACTIONS.items() if action.kind == CaseEvent.Kind.TRANSITION}


def _locked(case_id: int, actor) -> tuple[Case, bool]:
    case = (Case.objects.select_for_update(of=("self",))
            .filter(pk=case_id, pk__in=Case.objects.seen_by(actor).values("pk")).first())
    if case is None:
        raise Http404(_("问题不存在或您无权查看。"))
    full = Case.objects.visible_to(actor).filter(pk=case.pk).exists()
    return case, full


def may_perform(action: str, case: Case, actor, *, full: bool) -> bool:
    """Whether the actor may take the action now (for showing buttons); perform() decides for real."""
    spec = ACTIONS[action]
    ctx = Context(case=case, actor=actor, role=scope_for(actor).role, full=full, data={})
    if action != "comment" and not full:
        return False
    return case.state in spec.sources and spec.permitted(ctx)


def perform(*, case_id: int, action: str, actor, data: dict | None = None, version: int | None = None,
            at: dt.datetime | None = None) -> Case:
    """Take `action` on the problem as `actor`. Raises Http404, NotPermitted, InvalidState, ValidationError."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("没有该操作。"))
    with transaction.atomic():
        case, full = _locked(case_id, actor)
        ctx = Context(case=case, actor=actor, role=scope_for(actor).role, full=full, data={},
                      now=at or timezone.now())
        if (action != "comment" and not full) or not spec.permitted(ctx):
            raise NotPermitted(_("您的角色不能对该问题执行“%(action)s”。") % {"action": spec.label})
        if case.state not in spec.sources:
            raise InvalidState(_("问题当前状态为“%(state)s”，不能%(action)s。")
                               % {"state": case.get_state_display(), "action": spec.label})
        if data is not None and not isinstance(data, dict):
            raise ValidationError({"non_field_errors": _("请求内容应为JSON对象。")})
        refuse_nul(data)
        try:
            expected = None if version in (None, "") else int(version)
        except (TypeError, ValueError):
            raise ValidationError({"version": _("版本号应为整数。")}) from None
        if expected is not None and expected != case.version:
            raise StaleVersion(_("该问题已被他人更新，请刷新后再操作；您填写的内容仍保留在表单中。"))
        ctx.data = spec.clean(data or {})
        from_state = case.state
        event_fields = spec.apply(ctx)
        case.version += 1
        case.save()
        scope = scope_for(actor)
        event = CaseEvent.objects.create(
            case=case, kind=spec.kind, action=action, from_state=from_state,
            to_state=case.state if spec.kind == CaseEvent.Kind.TRANSITION or case.state != from_state else "",
            actor=actor, actor_region_id=getattr(actor, "region_id", None) if scope.regions else None,
            created_at=ctx.now, **event_fields,
        )
        transaction.on_commit(lambda: _notify(event.pk))
    return case


def _notify(event_id: int) -> None:
    """Queue the event's notifications (called after commit). With the broker down they are written
    here instead: no sweep looks for events left unnotified, and the task only writes our own rows,
    once per user and event (a unique constraint), so nothing is lost and nothing doubles."""
    from cases.tasks import notify_case_event
    from chainwork.tasks_util import Fallback, enqueue

    enqueue(notify_case_event, event_id, fallback=Fallback.INLINE)
