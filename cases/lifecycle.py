"""The problem lifecycle (design.md "Problem lifecycle"): one entry per action.

An entry holds everything about its action: its label, the states it starts from, who may take it,
its body (an input serializer of cases/bodies.py, which the API and the page form read too), what it
changes, whom it tells and how the timeline words it. `cases.workflow.perform()` runs an entry; adding
an action is one entry here and its tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cases import bodies, holders
from cases.deadlines import due_for, end_of_day
from cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseLink,
    CaseShare,
    Extension,
    Level,
    Referral,
    Satisfaction,
    State,
    Visibility,
)
from chainwork.errors import ValidationError
from chainwork.models import Role
from chainwork.scope import MINISTRY_SIDE, scope_for

PROVINCE_ROLES = holders.PROVINCE_ROLES
MINISTRY = (Role.MINISTRY,)


@dataclass
class Context:
    case: Case
    actor: object
    role: str
    full: bool  # the actor sees the problem in full (not only as 协办)
    data: dict  # the body as the action's serializer validated it
    now: dt.datetime | None = None  # when it happens; only imports and demo data give a past time


Tells = Callable[[CaseEvent], Q]


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    permitted: Callable[[Context], bool]
    body: type[serializers.Serializer]
    apply: Callable[[Context], dict]  # changes the case; returns CaseEvent fields
    kind: str = CaseEvent.Kind.TRANSITION
    tells: tuple[Tells, ...] = ()  # who hears of it (in-app and their chosen channels); never the actor
    details: Callable[[dict], tuple[str, ...]] = lambda data: ()  # the timeline's lines from event.data
    # The detail page: an action on the problem as a whole is shown apart from the steps of its handling;
    # an irreversible one asks before it is sent (static/js/base.js, data-confirm); a note changes nothing
    # another user could overwrite, so the page never refuses it as stale.
    general: bool = False
    confirm: str = ""
    note_only: bool = False
    # Open to a viewer of the limited view (协办, a department), not only to those who see it in full.
    limited: bool = False
    # Why the action cannot be taken now although the state allows it (a 409, checked before the body):
    # an empty string when it can.
    refusal: Callable[[Context], str] = lambda ctx: ""


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


def _sharer(ctx: Context) -> bool:
    """请求协办: the 部专班 for any problem, a province's work group for its own."""
    return _ministry(ctx) or _province(ctx)


def _asked_region(ctx: Context) -> bool:
    """协办意见: a province's work group seeing the problem as the region asked (limited view)."""
    return not ctx.full and ctx.role in PROVINCE_ROLES


# --- what each action does -----------------------------------------------------------------------

def _enter(case: Case, state: str, *, due: dt.datetime | bool | None = True, now=None) -> None:
    case.state = state
    if due is True:
        case.due_at = due_for(case.urgency, state, now)
    elif due is not False:
        case.due_at = due


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


def _back_to_local(ctx):
    """撤回 and 退回属地办理: the problem is the province's again."""
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


def _route(ctx):
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


def _track(ctx):
    ctx.case.next_review = ctx.data["next_review"]
    _enter(ctx.case, State.TRACKING, due=end_of_day(ctx.data["next_review"]))
    return {"note": ctx.data["note"], "data": {"next_review": ctx.data["next_review"].isoformat()}}


def _respond(ctx):
    c = ctx.case
    c.response, c.closure_type = ctx.data["response"], ctx.data["closure_type"]
    c.responded_at = ctx.now
    _enter(c, State.RESPONDED, now=ctx.now)
    return {"note": ctx.data["response"], "data": {"closure_type": ctx.data["closure_type"]}}


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


def _close_duplicate(ctx):
    c = ctx.case
    original = _find_original(ctx)
    c.duplicate_of = original
    c.closed_at = ctx.now
    _enter(c, State.CLOSED, due=None)
    CaseLink.objects.get_or_create(from_case=c, to_case=original,
                                   defaults={"kind": CaseLink.Kind.DUPLICATE, "created_by": ctx.actor})
    return {"note": ctx.data["note"], "data": {"original": original.number, "original_id": original.pk}}


def _link(ctx):
    other = _find_original(ctx, field="other")
    _link_row, created = CaseLink.objects.get_or_create(
        from_case=ctx.case, to_case=other, defaults={"kind": CaseLink.Kind.RELATED, "created_by": ctx.actor})
    if not created or CaseLink.objects.filter(from_case=other, to_case=ctx.case).exists():
        raise ValidationError({"other": _("已与%(number)s关联。") % {"number": other.number}})
    return {"note": ctx.data["note"], "data": {"other": other.number, "other_id": other.pk}}


def _find_original(ctx, field: str = "original") -> Case:
    ref = ctx.data[field]
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


def _comment(ctx):
    requested = ctx.data["visibility"]
    visibility = Visibility.SHARED
    if requested == "internal":
        if not ctx.full:
            raise ValidationError({"visibility": _("协办地区只能发表公开意见。")})
        visibility = Visibility.MINISTRY if ctx.role in MINISTRY_SIDE \
            else Visibility.PROVINCE
    return {"note": ctx.data["text"], "visibility": visibility}


def _urge(ctx):
    if not ctx.data["referral"]:
        return {"note": ctx.data["note"], "data": {}}
    referral = _pending_referral(ctx, _("该转办已办结，无需催办。"))
    Referral.objects.filter(pk=referral.pk).update(urged_count=F("urged_count") + 1, last_urged_at=ctx.now)
    return {"note": ctx.data["note"], "data": _referral_data(referral)}


def _supervise(ctx):
    c, d = ctx.case, ctx.data
    c.supervision = d["level"]
    data = {"level": d["level"], "due_date": d["due_date"].isoformat()}
    if d["referral"]:
        # 督办 of one referral: its deadline moves; the problem's is its earliest pending referral's.
        referral = _pending_referral(ctx, _("该转办已办结，不能督办。"))
        referral.due_date, referral.version = d["due_date"], referral.version + 1
        referral.save(update_fields=["due_date", "version"])
        c.due_at = holders.turn_due_at(c, ctx.now)
        data.update(_referral_data(referral))
    else:
        c.due_at = end_of_day(d["due_date"])
    return {"note": d["note"], "due_at": c.due_at, "data": data}


def _pending_referral(ctx, done_message):
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


def _instruct(ctx):
    due = end_of_day(ctx.data["due_date"]) if ctx.data["due_date"] else None
    return {"note": ctx.data["text"], "pinned": True, "due_at": due, "visibility": Visibility.SHARED}


def _names_enterprise_of(case: Case, region) -> bool:
    """Whether the problem names (as its enterprise or among the others) an enterprise of the region."""
    return case.enterprise.region_id == region.pk or case.named_enterprises.filter(region_id=region.pk).exists()


def _share(ctx):
    case, region, due = ctx.case, ctx.data["region"], ctx.data["due_date"]
    if region.pk == case.region_id:
        raise ValidationError({"region": _("不能请本地区协办自己的问题。")})
    if due is not None and due < timezone.localdate(ctx.now):
        raise ValidationError({"due_date": _("日期不能早于今天。")})
    if ctx.role in PROVINCE_ROLES and not _names_enterprise_of(case, region):
        raise ValidationError({"region": _("本问题没有列明%(region)s的企业，不能直接请%(region)s协办；请先在问题中列明"
                                           "涉及的该地区企业，或提请部专班协调。") % {"region": str(region)}})
    # The problem's row is locked (perform), so two requests for the same region cannot both pass.
    share = CaseShare.objects.filter(case=case, region=region).first()
    if share is not None and share.is_pending:
        raise ValidationError({"region": _("已请%(region)s协办，尚待回复。") % {"region": str(region)}})
    values = {"note": ctx.data["note"], "due_date": due, "state": CaseShare.State.PENDING, "reply": "",
              "replied_at": None, "replied_by": None, "shared_by": ctx.actor, "created_at": ctx.now}
    if share is None:
        CaseShare.objects.create(case=case, region=region, **values)
    else:
        # Asked again after its reply: pending again; the earlier round stays on the timeline.
        for name, value in values.items():
            setattr(share, name, value)
        share.save()
    asking = ctx.actor.region_id if ctx.role in PROVINCE_ROLES else ""
    return {"note": ctx.data["note"], "data": {"region": region.code, "region_name": region.name,
                                               "due_date": due.isoformat() if due else None,
                                               "asked_by_region": asking or ""}}


def _pending_share(ctx, *, lock: bool = False) -> CaseShare | None:
    """The pending 协办 request to the actor's region on this problem."""
    shares = CaseShare.objects.filter(case=ctx.case, region__in=sorted(scope_for(ctx.actor).regions or []),
                                      state=CaseShare.State.PENDING)
    if lock:
        shares = shares.select_for_update(of=("self",))
    return shares.select_related("region", "shared_by").order_by("pk").first()


def _no_pending_share(ctx) -> str:
    return "" if _pending_share(ctx) else _("本地区没有待回复的协办请求。")


def _share_reply(ctx):
    share = _pending_share(ctx, lock=True)
    share.state, share.reply = CaseShare.State.REPLIED, ctx.data["text"]
    share.replied_at, share.replied_by = ctx.now, ctx.actor
    share.save(update_fields=["state", "reply", "replied_at", "replied_by"])
    return {"note": ctx.data["text"], "data": {
        "region": share.region_id, "region_name": share.region.name, "asked_by": share.shared_by_id,
        "asked_by_region": share.asking_region_id or "",
        "due_date": share.due_date.isoformat() if share.due_date else None, "in_time": share.replied_in_time}}


def _local_extension_pending(ctx) -> str:
    pending = Extension.objects.filter(case=ctx.case, referral__isnull=True, state=Extension.State.PENDING)
    return _("该问题已有待审批的延期申请，请等负责人审批后再申请。") if pending.exists() else ""


def _extend(ctx):
    """申请延期 of a local problem: the province lead decides it (cases.extensions.extension_decide)."""
    c, d = ctx.case, ctx.data
    now = ctx.now or timezone.now()
    old = timezone.localtime(c.due_at).date() if c.due_at else timezone.localtime(now).date()
    if d["proposed_date"] <= old:
        raise ValidationError({"proposed_date": _("申请延至的日期应晚于现在的办理时限（%(date)s）。")
                                                % {"date": old.isoformat()}})
    extension = Extension.objects.create(case=c, requested_by=ctx.actor, reason=d["reason"], old_date=old,
                                         proposed_date=d["proposed_date"], created_at=now)
    return {"note": d["reason"], "data": extension_data(extension)}


def extension_data(extension: Extension) -> dict:
    """What the timeline keeps of a request or decision: both dates, and the referral's department."""
    data = {"extension": extension.pk, "old_date": extension.old_date.isoformat(),
            "proposed_date": extension.proposed_date.isoformat(), "requested_by": extension.requested_by_id}
    if extension.granted_date:
        data["granted_date"] = extension.granted_date.isoformat()
    if extension.state == Extension.State.REFUSED:
        data["refused"] = True
    if extension.referral_id:
        data.update(_referral_data(extension.referral))
    return data


def _flag(ctx):
    return {"note": ctx.data["note"], "visibility": Visibility.MINISTRY}


# --- whom each action tells ----------------------------------------------------------------------------
# Each rule is the users it names, as a condition on User; cases.tasks adds "active, not the actor" and,
# for an event only the 部专班 side may read, "on the 部专班 side". Who holds a problem on the province's
# side is cases/holders.py's rule, which the reminder sweep reads too.

def leads(event: CaseEvent) -> Q:
    """The province leads of the problem's region."""
    return holders.leads_of(event.case).q()


def province(event: CaseEvent) -> Q:
    """The province's officials of the problem: its 经办人 and the region's leads."""
    return holders.province_of(event.case).q()


def ministry(event: CaseEvent) -> Q:
    return Q(role=Role.MINISTRY)


def ministry_if_escalated(event: CaseEvent) -> Q:
    """The 部专班, for a problem it handles; a local problem is the province's own."""
    return Q(role=Role.MINISTRY) if event.case.level == Level.MINISTRY else Q(pk__in=[])


def liaisons_covering(event: CaseEvent) -> Q:
    """The ministry liaisons covering the problem's region."""
    return Q(role=Role.MINISTRY_LIAISON, covered_regions=event.case.region_id)


def departments(event: CaseEvent) -> Q:
    """The departments the event hands work to: those routed to, or the one referral chased."""
    data = event.data or {}
    slugs = [item.get("department") for item in data.get("referrals") or []]
    if data.get("department"):
        slugs.append(data["department"])
    return Q(role=Role.DEPARTMENT, department__slug__in=slugs) if slugs else Q(pk__in=[])


def reporter(event: CaseEvent) -> Q:
    return Q(pk=event.case.reporter_id)


def province_if_registered_for_it(event: CaseEvent) -> Q:
    """The work group of the problem's province, when a 行业协会 registered the problem on the enterprise's
    behalf: the province triages it (its own officials' problems need no notice)."""
    return holders.province_of(event.case).q() if event.case.association_id else Q(pk__in=[])


def extension_requesters(event: CaseEvent) -> Q:
    """Who hears of a decision on 申请延期: the department of the referral, or for a local problem the
    province's officials of the problem and the one who asked."""
    data = event.data or {}
    if data.get("department"):
        return departments(event)
    return holders.province_of(event.case).q() | Q(pk=data.get("requested_by") or 0)


def shared_region(event: CaseEvent) -> Q:
    """The work group of the region asked for 协办."""
    code = (event.data or {}).get("region")
    return Q(role__in=PROVINCE_ROLES, region_id=code) if code else Q(pk__in=[])


def asking_leads(event: CaseEvent) -> Q:
    """The leads of the province that asked for 协办 (none when the 部专班 asked)."""
    code = (event.data or {}).get("asked_by_region")
    return Q(role=Role.PROVINCE_LEAD, region_id=code) if code else Q(pk__in=[])


def asker(event: CaseEvent) -> Q:
    """Whoever asked for the 协办 now answered."""
    asked_by = (event.data or {}).get("asked_by")
    return Q(pk=asked_by) if asked_by else Q(pk__in=[])


def asking_province(event: CaseEvent) -> Q:
    """The province's officials of the problem, when they asked for the 协办 now answered (none when the
    部专班 asked)."""
    return holders.province_of(event.case).q() if (event.data or {}).get("asked_by_region") else Q(pk__in=[])


# --- how the timeline words each action ----------------------------------------------------------------

ROLE_LABELS = {"lead": gettext_lazy("主办"), "assist": gettext_lazy("协办")}


def _handle_locally_details(data):
    return (_("责任单位：%(unit)s；责任人：%(person)s；电话：%(phone)s；办理时限：%(due)s")
            % {"unit": data.get("unit", ""), "person": data.get("person", ""),
               "phone": data.get("phone", ""), "due": data.get("due_date", "")},)


def _route_details(data):
    return tuple(_("%(role)s：%(name)s，时限%(due)s") % {
        "role": ROLE_LABELS.get(item.get("role"), ""), "name": item.get("name", ""), "due": item.get("due_date", "")}
        for item in data.get("referrals") or [])


def _share_details(data):
    if not data.get("region_name"):
        return ()
    lines = (_("协办地区：%(region)s") % {"region": data["region_name"]},)
    if data.get("due_date"):
        lines += (_("回复时限：%(date)s") % {"date": data["due_date"]},)
    return lines


def _share_reply_details(data):
    if not data.get("region_name"):
        return ()
    lines = (_("协办意见（%(region)s）") % {"region": data["region_name"]},)
    if data.get("in_time") is False:
        lines += (_("晚于回复时限%(date)s") % {"date": data.get("due_date", "")},)
    return lines


def _duplicate_details(data):
    return (_("并入：%(number)s") % {"number": data["original"]},) if data.get("original") else ()


def _track_details(data):
    return (_("下次跟踪：%(date)s") % {"date": data["next_review"]},) if data.get("next_review") else ()


def _supervise_details(data):
    if not data.get("level"):
        return ()
    level = _("挂牌督办") if data["level"] == "listed" else _("督办")
    return (_("%(level)s，时限：%(date)s") % {"level": level, "date": data.get("due_date", "")},)


def _approve_details(data):
    return (_("签发人：%(name)s") % {"name": data["signed_by"]},) if data.get("signed_by") else ()


def _confirm_details(data):
    if not data.get("confirmed_by"):
        return ()
    return (_("确认人：%(who)s；方式：%(method)s") % {"who": data["confirmed_by"], "method": data.get("method", "")},)


def extension_details(data):
    """原时限…，申请延至…(，批准延至… / 不予延期)."""
    if not data.get("old_date"):
        return ()
    line = _("原时限%(old)s，申请延至%(proposed)s") % {"old": data["old_date"],
                                                     "proposed": data.get("proposed_date", "")}
    if data.get("granted_date"):
        line += _("，批准延至%(date)s") % {"date": data["granted_date"]}
    elif data.get("refused"):
        line += _("，不予延期")
    lines = (line,)
    if data.get("department_name"):
        lines += (_("%(role)s部门：%(name)s") % {"role": ROLE_LABELS.get(data.get("role"), ""),
                                               "name": data["department_name"]},)
    return lines


# --- the table -----------------------------------------------------------------------------------------

ANY_OPEN = tuple(OPEN_STATES)
ANY = tuple(State.values)
K = CaseEvent.Kind

ACTIONS: dict[str, Action] = {a.name: a for a in [
    Action("handle-locally", gettext_lazy("属地办理"), (State.NEW,), _province, bodies.HandleLocallyBody,
           _handle_locally, details=_handle_locally_details),
    Action("submit", gettext_lazy("提交审核"), (State.NEW, State.LOCAL), _province, bodies.NoteBody, _submit,
           tells=(leads,)),
    Action("approve", gettext_lazy("审核并上报"), (State.PENDING_APPROVAL,), _lead, bodies.NoteBody, _approve,
           tells=(ministry, liaisons_covering, reporter), details=_approve_details,
           confirm=gettext_lazy("审核并上报后，问题将报送部专班。确定上报？")),
    Action("send-back", gettext_lazy("审核退回"), (State.PENDING_APPROVAL,), _lead, bodies.ReasonBody, _send_back,
           tells=(reporter,)),
    Action("withdraw", gettext_lazy("撤回"), (State.ESCALATED,), _lead, bodies.ReasonBody, _back_to_local,
           tells=(ministry,)),
    Action("accept", gettext_lazy("受理"), (State.ESCALATED,), _ministry, bodies.NoteBody, _accept,
           tells=(province,)),
    Action("return-for-info", gettext_lazy("退回补充材料"), (State.ESCALATED,), _ministry, bodies.ReasonBody,
           _return_for_info, tells=(province,)),
    Action("supplement", gettext_lazy("补充材料"), (State.RETURNED,), _province, bodies.NoteBody, _supplement,
           tells=(leads,)),
    Action("return-local", gettext_lazy("退回属地办理"), (State.ESCALATED, State.ACCEPTED), _ministry,
           bodies.ReasonBody, _back_to_local, tells=(province,)),
    Action("route", gettext_lazy("转办"), (State.ACCEPTED, State.ROUTED), _ministry, bodies.RouteBody, _route,
           tells=(province, departments), details=_route_details),
    Action("track", gettext_lazy("转持续跟踪"), (State.LOCAL, State.ACCEPTED, State.ROUTED), _by_level,
           bodies.TrackBody, _track, details=_track_details),
    Action("respond", gettext_lazy("录入办理情况"), (State.LOCAL, State.ACCEPTED, State.ROUTED, State.TRACKING),
           _by_level, bodies.RespondBody, _respond, tells=(province, reporter)),
    Action("confirm", gettext_lazy("企业确认"), (State.RESPONDED,), _province, bodies.ConfirmBody, _confirm,
           tells=(ministry_if_escalated,), details=_confirm_details),
    Action("close", gettext_lazy("销号"), (State.CONFIRMED,), _closer, bodies.NoteBody, _close,
           tells=(province, reporter), confirm=gettext_lazy("销号后问题办结，确定销号？")),
    Action("close-duplicate", gettext_lazy("并入已有问题"), ANY_OPEN, _province_or_ministry,
           bodies.CloseDuplicateBody, _close_duplicate, details=_duplicate_details,
           confirm=gettext_lazy("并入后本问题将关闭，确定并入已有问题？")),
    Action("link", gettext_lazy("关联问题"), ANY, _province_or_ministry, bodies.LinkBody, _link, K.LINK),
    Action("reopen", gettext_lazy("重新办理"), (State.RESPONDED, State.CONFIRMED, State.CLOSED), _by_level,
           bodies.ReasonBody, _reopen, tells=(province, ministry)),
    Action("comment", gettext_lazy("意见"), ANY, _anyone_who_sees, bodies.CommentBody, _comment, K.COMMENT,
           general=True, note_only=True, limited=True),
    Action("urge", gettext_lazy("催办"), ANY_OPEN, _chaser, bodies.UrgeBody, _urge, K.URGE,
           tells=(province, departments), general=True, note_only=True),
    Action("supervise", gettext_lazy("督办"), ANY_OPEN, _ministry, bodies.SuperviseBody, _supervise, K.SUPERVISE,
           tells=(province, departments), details=_supervise_details, general=True),
    Action("instruct", gettext_lazy("领导批示"), ANY, _ministry, bodies.InstructBody, _instruct, K.INSTRUCTION,
           tells=(province, ministry), general=True, note_only=True),
    Action("share", gettext_lazy("请求协办"), ANY_OPEN, _sharer, bodies.ShareBody, _share, K.SHARE,
           tells=(shared_region, asking_leads), details=_share_details, general=True),
    Action("share-reply", gettext_lazy("协办意见"), ANY, _asked_region, bodies.ShareReplyBody, _share_reply,
           K.SHARE_REPLY, tells=(asker, asking_province), details=_share_reply_details, general=True,
           note_only=True, limited=True, refusal=_no_pending_share),
    Action("flag", gettext_lazy("提请关注"), ANY_OPEN, _ministry_liaison, bodies.FlagBody, _flag, K.FLAG,
           tells=(ministry,), general=True, note_only=True),
    Action("extend", gettext_lazy("申请延期"), (State.LOCAL,), _province, bodies.ExtendBody, _extend, K.EXTENSION,
           tells=(leads,), details=extension_details, refusal=_local_extension_pending),
]}

# Timeline lines that are not lifecycle actions.
OTHER_LABELS = {"create": gettext_lazy("登记问题"), "attachment": gettext_lazy("上传附件"),
                "referral-respond": gettext_lazy("部门反馈办理情况"),
                "referral-send-back": gettext_lazy("部门退回（非本部门职责）"),
                "referral-extend": gettext_lazy("部门申请延期"),
                "extension-grant": gettext_lazy("批准延期"),
                "extension-refuse": gettext_lazy("不予延期"),
                "decision": gettext_lazy("会商议定"),
                "decision-done": gettext_lazy("议定事项已落实")}


def decision_details(data):
    """经12月3日部专班调度会议定：…；责任单位 and 完成时限 (written by the meetings app)."""
    if not data.get("text"):
        return ()
    day = dt.date.fromisoformat(data["meeting_date"]) if data.get("meeting_date") else None
    when = _("%(month)d月%(day)d日") % {"month": day.month, "day": day.day} if day else ""
    return (_("经%(date)s%(meeting)s议定：%(text)s") % {"date": when, "meeting": data.get("meeting_title", ""),
                                                     "text": data["text"]},
            _("责任单位：%(owner)s；完成时限：%(due)s") % {"owner": data.get("owner", ""),
                                                       "due": data.get("due_date", "")})


# The timeline's wording of those lines (a referral's own lines name its department: cases.timeline).
OTHER_DETAILS = {"referral-extend": extension_details, "extension-grant": extension_details,
                 "extension-refuse": extension_details, "decision": decision_details,
                 "decision-done": decision_details}


def action_label(action: str) -> str:
    spec = ACTIONS.get(action)
    return str(spec.label if spec else OTHER_LABELS.get(action, action))


TRANSITIONS = {name for name, action in ACTIONS.items() if action.kind == CaseEvent.Kind.TRANSITION}
