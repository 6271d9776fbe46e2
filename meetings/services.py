"""Every write of a 会商: create and edit it, its agenda, its decisions, and a decision done. Each is one
transaction that takes the row, checks in the Contract's order (outside the scope 404, wrong role 403,
wrong state 409, bad input 400), writes, puts a decision on its problem's timeline and tells the party
that must act next through the one notifier. The models' pghistory triggers keep the audit.

Who organises a 会商: the 部专班 a national one, the province's work group its own province's; the
organiser edits it, sets its agenda and records its decisions. A decision is marked done by its owner
(or by the organiser on the owner's behalf, 代录).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cases.holders import Who
from cases.models import Case, CaseEvent, Visibility
from chainwork.errors import InvalidState, NotPermitted, ValidationError, refuse_nul
from chainwork.models import Department, Region, Role, User
from chainwork.notifications import Note, notify_many
from chainwork.reminders import url
from chainwork.scope import scope_for
from meetings import agenda
from meetings.models import (
    OWNER_KINDS,
    PROVINCE_ROLES,
    AgendaItem,
    Consultation,
    Decision,
    Kind,
    Participant,
    PartyKind,
    owned_by,
)

DECISION_KIND = "decision"  # the notices' kind (and the channel preference) of a decision told or done
EDITABLE = ("kind", "title", "starts_at", "place", "chair", "minutes", "state")


# --- who may ----------------------------------------------------------------------------------------------

def may_create(user) -> bool:
    scope = scope_for(user)
    return scope.role == Role.MINISTRY or (scope.role in PROVINCE_ROLES and bool(scope.regions))


def organises(consultation: Consultation, user) -> bool:
    scope = scope_for(user)
    if consultation.region_id is None:
        return scope.role == Role.MINISTRY
    return scope.role in PROVINCE_ROLES and scope.covers(consultation.region_id)


def owns(decision: Decision, user) -> bool:
    return Decision.objects.filter(pk=decision.pk).filter(owned_by(user)).exists()


def may_mark_done(decision: Decision, user) -> bool:
    return owns(decision, user) or organises(decision.consultation, user)


def may_mark_done_ids(decisions, user) -> set[int]:
    """may_mark_done() for a page of open decisions (consultation loaded) in one query."""
    decisions = [d for d in decisions if d.is_open]
    owned = set(Decision.objects.filter(owned_by(user), pk__in=[d.pk for d in decisions])
                .values_list("pk", flat=True)) if decisions else set()
    return {d.pk for d in decisions if d.pk in owned or organises(d.consultation, user)}


# --- input ------------------------------------------------------------------------------------------------

def _text(data: dict, name: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise ValidationError({name: _("请填写此项。")})
    if max_length and len(value) > max_length:
        raise ValidationError({name: _("不能超过%(n)d个字。") % {"n": max_length}})
    return value


YEARS = range(2000, 2101)  # a date outside is a typing error (and year 1 overflows a time-zone shift)


def _when(value, name: str) -> dt.datetime:
    try:
        moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value or "").strip())
    except ValueError:
        moment = None
    if moment is None or moment.year not in YEARS:
        raise ValidationError({name: _("请填写有效的日期和时间，如 2026-12-03 09:00。")})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _day(value, name: str) -> dt.date:
    try:
        day = value if isinstance(value, dt.date) else parse_date(str(value or "").strip())
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        raise ValidationError({name: _("请填写有效的日期，如 2026-12-10。")})
    return day


def party(spec, name: str, *, kinds=tuple(PartyKind.values)) -> dict:
    """A party from its input {kind, department (slug), region (code), name, user (username)}: the fields
    of a Participant (or, prefixed, of a decision's owner). Bad input answers on `name`."""
    if not isinstance(spec, dict):
        raise ValidationError({name: _("请选择单位。")})
    kind = str(spec.get("kind") or "")
    if kind not in kinds:
        raise ValidationError({name: _("单位类型应为：%(kinds)s。") % {
            "kinds": "、".join(str(PartyKind(k).label) for k in kinds)}})
    found = {"kind": kind, "department": None, "region": None, "user": None, "name": ""}
    if kind == PartyKind.MINISTRY:
        found["name"] = str(PartyKind.MINISTRY.label)
    elif kind == PartyKind.DEPARTMENT:
        department = Department.objects.filter(slug=str(spec.get("department") or ""), is_active=True).first()
        if department is None:
            raise ValidationError({name: _("没有该部门。")})
        found.update(department=department, name=department.name)
    elif kind == PartyKind.REGION:
        region = Region.objects.filter(code=str(spec.get("region") or "")).first()
        if region is None:
            raise ValidationError({name: _("没有该地区。")})
        found.update(region=region, name=region.name)
    else:
        username = str(spec.get("user") or "").strip()
        if username:
            found["user"] = User.objects.filter(username=username, is_active=True).first()
            if found["user"] is None:
                raise ValidationError({name: _("没有该账号。")})
        found["name"] = str(spec.get("name") or "").strip()[:100] or (found["user"].get_full_name()
                                                                       if found["user"] else "")
        if not found["name"]:
            raise ValidationError({name: _("请填写单位名称。")})
    return found


def _participants(specs) -> list[dict]:
    if specs is None:
        return []
    if not isinstance(specs, list):
        raise ValidationError({"participants": _("参会单位应为列表。")})
    parties, seen = [], set()
    for spec in specs:
        found = party(spec, "participants")
        key = (found["kind"], found["name"])
        if key not in seen:
            seen.add(key)
            parties.append(found)
    return parties


def _fields(data: dict, consultation: Consultation, *, creating: bool) -> None:
    if creating or "kind" in data:
        kind = str(data.get("kind") or Kind.DISPATCH)
        if kind not in Kind.values:
            kinds = "、".join(str(label) for label in Kind.labels)
            raise ValidationError({"kind": _("会商形式应为：%(kinds)s。") % {"kinds": kinds}})
        consultation.kind = kind
    if creating or "starts_at" in data:
        consultation.starts_at = _when(data.get("starts_at"), "starts_at")
    if creating or "chair" in data:
        consultation.chair = _text(data, "chair", required=True, max_length=64)
    for name, limit in (("place", 100), ("minutes", None)):
        if name in data:
            setattr(consultation, name, _text(data, name, max_length=limit))
    if "title" in data or creating:
        consultation.title = _text(data, "title", max_length=100) or _("%(holder)s%(kind)s") % {
            "holder": consultation.holder_label, "kind": Kind(consultation.kind).label}
    if "state" in data and not creating:
        state = str(data.get("state") or "")
        if state not in Consultation.State.values:
            raise ValidationError({"state": _("状态应为待召开、已召开或已取消。")})
        consultation.state = state


def _set_participants(consultation: Consultation, parties: list[dict]) -> None:
    consultation.participants.all().delete()
    Participant.objects.bulk_create([Participant(consultation=consultation, **p) for p in parties])


# --- the 会商 ------------------------------------------------------------------------------------------------

def consultation_create(*, actor, data: dict) -> Consultation:
    if not may_create(actor):
        raise NotPermitted(_("只有部专班或省专班可以召集会商。"))
    refuse_nul(data)
    scope = scope_for(actor)
    region = None if scope.role == Role.MINISTRY else Region.objects.get(code=actor.region_id)
    with transaction.atomic():
        consultation = Consultation(region=region, created_by=actor)
        _fields(data, consultation, creating=True)
        parties = _participants(data.get("participants"))
        consultation.save()
        _set_participants(consultation, parties)
        if data.get("agenda") is not None:
            _set_agenda(consultation, data["agenda"], actor)
    return consultation


def _locked(consultation_id: int, actor) -> Consultation:
    consultation = (Consultation.objects.visible_to(actor).filter(pk=consultation_id)
                    .select_for_update(of=("self",)).select_related("region").first())
    if consultation is None:
        raise Http404(_("会商不存在或您无权查看。"))
    if not organises(consultation, actor):
        raise NotPermitted(_("只有会商的召集方可以修改会商。"))
    return consultation


def consultation_update(*, consultation_id: int, actor, data: dict) -> Consultation:
    """Change what is given of: kind, title, starts_at, place, chair, minutes, state, participants, and the
    agenda ([{case, minutes}], which replaces it)."""
    with transaction.atomic():
        consultation = _locked(consultation_id, actor)
        if consultation.state == Consultation.State.CANCELLED and data.get("state") != Consultation.State.PLANNED:
            raise InvalidState(_("会商已取消，不能修改。"))
        refuse_nul(data)
        _fields(data, consultation, creating=False)
        parties = _participants(data["participants"]) if "participants" in data else None
        consultation.version += 1
        consultation.save()
        if parties is not None:
            _set_participants(consultation, parties)
        if data.get("agenda") is not None:
            _set_agenda(consultation, data["agenda"], actor)
    return consultation


def _agenda_cases(consultation: Consultation, actor, case_ids) -> dict[int, Case]:
    """The problems that may go on the agenda: open or not, those the organiser sees in full (a province's
    会商: of its region)."""
    try:
        ids = [int(pk) for pk in case_ids]
    except (TypeError, ValueError):
        raise ValidationError({"agenda": _("议题应为问题编号（id）。")}) from None
    if any(not 0 < pk < 2**63 for pk in ids):
        raise ValidationError({"agenda": _("议题应为问题编号（id）。")})
    found = {c.pk: c for c in Case.objects.visible_to(actor).filter(pk__in=ids)}
    if consultation.region_id:
        found = {pk: c for pk, c in found.items() if c.region_id == consultation.region_id}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({"agenda": _("问题不存在或不能列入本次会商：%(ids)s。") % {
            "ids": "、".join(str(pk) for pk in missing)}})
    return found


def _set_agenda(consultation: Consultation, items, actor) -> None:
    if not isinstance(items, list) or not all(isinstance(i, dict) and "case" in i for i in items):
        raise ValidationError({"agenda": _("议程应为列表，每项含问题 case。")})
    _agenda_cases(consultation, actor, [i["case"] for i in items])
    kept = {item.case_id: item for item in consultation.items.all()}
    wanted = [int(i["case"]) for i in items]
    consultation.items.exclude(case_id__in=wanted).delete()
    unique: dict[int, dict] = {}
    for spec in items:
        unique.setdefault(int(spec["case"]), spec)  # each problem once, where it first appears
    items = list(unique.values())
    for position, spec in enumerate(items, start=1):
        item = kept.get(int(spec["case"])) or AgendaItem(consultation=consultation, case_id=int(spec["case"]),
                                                         added_by=actor)
        item.position = position
        if "minutes" in spec:
            item.minutes = str(spec.get("minutes") or "").strip()
        if "reasons" in spec and isinstance(spec["reasons"], list):
            item.reasons = [str(r) for r in spec["reasons"] if str(r) in agenda.REASONS]
        item.save()


def agenda_add(*, consultation_id: int, actor, case_ids, reasons: dict[int, list[str]] | None = None) -> int:
    """Put problems on the agenda after those already there (the proposal's, or typed by hand)."""
    with transaction.atomic():
        consultation = _locked(consultation_id, actor)
        if consultation.state == Consultation.State.CANCELLED:
            raise InvalidState(_("会商已取消，不能修改。"))
        cases = _agenda_cases(consultation, actor, case_ids)
        present = set(consultation.items.values_list("case_id", flat=True))
        last = max(consultation.items.values_list("position", flat=True), default=0)
        added = 0
        for case_id in cases:
            if case_id in present:
                continue
            last += 1
            added += 1
            AgendaItem.objects.create(consultation=consultation, case_id=case_id, position=last, added_by=actor,
                                      reasons=(reasons or {}).get(case_id, []))
        consultation.version += 1
        consultation.save(update_fields=["version", "updated_at"])
    return added


def agenda_propose(*, consultation_id: int, actor) -> int:
    """Put the proposed problems on the agenda (the organiser then edits it by hand)."""
    consultation = Consultation.objects.visible_to(actor).filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404(_("会商不存在或您无权查看。"))
    if not organises(consultation, actor):
        raise NotPermitted(_("只有会商的召集方可以修改会商。"))
    proposals = agenda.propose(consultation, actor)
    return agenda_add(consultation_id=consultation_id, actor=actor, case_ids=[p.case_id for p in proposals],
                      reasons={p.case_id: p.reasons for p in proposals})


def agenda_item_update(*, item_id: int, actor, data: dict) -> AgendaItem | None:
    """Record an item's minutes, or take it off the agenda (`remove`); None once removed."""
    item = AgendaItem.objects.filter(pk=item_id).values_list("consultation_id", flat=True).first()
    if item is None:
        raise Http404(_("议题不存在。"))
    with transaction.atomic():
        consultation = _locked(item, actor)
        agenda_item = consultation.items.get(pk=item_id)
        refuse_nul(data)
        if data.get("remove"):
            agenda_item.delete()
            return None
        agenda_item.minutes = _text(data, "minutes")
        agenda_item.save(update_fields=["minutes"])
        consultation.version += 1
        consultation.save(update_fields=["version", "updated_at"])
    return agenda_item


# --- decisions ----------------------------------------------------------------------------------------------

def owner_who(decision: Decision) -> Who:
    """The people a decision falls to (cases.holders' description, so one notice and the sweep agree)."""
    kind = decision.owner_kind
    if kind == PartyKind.MINISTRY:
        return Who(ministry=True)
    if kind == PartyKind.DEPARTMENT and decision.owner_department_id:
        return Who(departments=frozenset({decision.owner_department_id}))
    if kind == PartyKind.REGION and decision.owner_region_id:
        return Who(officials_of=frozenset({decision.owner_region_id}))
    return Who(users=frozenset({decision.owner_user_id}) if decision.owner_user_id else frozenset())


def organiser_who(consultation: Consultation) -> Who:
    if consultation.region_id is None:
        return Who(ministry=True)
    return Who(officials_of=frozenset({consultation.region_id}))


def decision_url(decision: Decision) -> str:
    return url("meetings-detail", decision.consultation_id,
               fallback=f"/consultations/{decision.consultation_id}/") + f"#decision-{decision.pk}"


def _tell(who: Who, actor, *, title: str, body: str, link: str, key: str) -> None:
    users = User.objects.filter(who.q(), is_active=True).exclude(pk=actor.pk).values_list("pk", flat=True)
    notify_many([Note(user_id=pk, kind=DECISION_KIND, title=title, url=link, body=body[:500], dedupe_key=key)
                 for pk in sorted(users)])


def _event_data(decision: Decision) -> dict:
    meeting = decision.consultation
    return {"decision": decision.pk, "consultation": meeting.pk, "meeting_title": meeting.title,
            "meeting_date": timezone.localtime(meeting.starts_at).date().isoformat(), "text": decision.text,
            "owner": decision.owner_name, "due_date": decision.due_date.isoformat()}


def decision_record(*, consultation_id: int, actor, data: dict) -> Decision:
    """议定事项 {text, owner {kind, department|region|name|user}, due_date, case (optional)}."""
    with transaction.atomic():
        consultation = _locked(consultation_id, actor)
        if consultation.state == Consultation.State.CANCELLED:
            raise InvalidState(_("会商已取消，不能记录议定事项。"))
        refuse_nul(data)
        text = _text(data, "text", required=True)
        owner = party(data.get("owner"), "owner", kinds=OWNER_KINDS)
        due_date = _day(data.get("due_date"), "due_date")
        if due_date < timezone.localdate(consultation.starts_at):
            raise ValidationError({"due_date": _("完成时限不能早于会商日期。")})
        case = None
        if data.get("case") not in (None, ""):
            try:
                case = next(iter(_agenda_cases(consultation, actor, [data["case"]]).values()))
            except ValidationError:
                raise ValidationError({"case": _("问题不存在或不能列入本次会商。")}) from None
        decision = Decision.objects.create(
            consultation=consultation, case=case, text=text, due_date=due_date, created_by=actor,
            owner_kind=owner["kind"], owner_department=owner["department"], owner_region=owner["region"],
            owner_user=owner["user"], owner_name=owner["name"])
        if case is not None:
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DECISION, action="decision", actor=actor,
                                     actor_region_id=actor.region_id, visibility=Visibility.SHARED,
                                     data=_event_data(decision))
        _tell(owner_who(decision), actor, link=decision_url(decision), key=f"decision:{decision.pk}",
              title=_("%(meeting)s议定事项（%(due)s前完成）") % {"meeting": consultation.title,
                                                          "due": decision.due_date.isoformat()},
              body=(f"{case.number} " if case else "") + text)
    return decision


def decision_done(*, decision_id: int, actor, data: dict) -> Decision:
    """A decision done, with a note of what was done (落实情况)."""
    with transaction.atomic():
        decision = (Decision.objects.visible_to(actor).filter(pk=decision_id).select_for_update(of=("self",))
                    .select_related("consultation", "case").first())
        if decision is None:
            raise Http404(_("议定事项不存在或您无权查看。"))
        if not may_mark_done(decision, actor):
            raise NotPermitted(_("只有责任单位或会商召集方可以办结议定事项。"))
        if decision.state != Decision.State.OPEN:
            raise InvalidState(_("该议定事项已落实，不能再次办结。"))
        refuse_nul(data)
        note = _text(data or {}, "note", required=True)
        decision.state, decision.done_note, decision.done_at, decision.done_by = (
            Decision.State.DONE, note, timezone.now(), actor)
        decision.on_behalf = not owns(decision, actor)
        decision.version += 1
        decision.save()
        if decision.case_id:
            CaseEvent.objects.create(case=decision.case, kind=CaseEvent.Kind.DECISION, action="decision-done",
                                     actor=actor, actor_region_id=actor.region_id, visibility=Visibility.SHARED,
                                     note=note, data={**_event_data(decision), "on_behalf": decision.on_behalf})
        _tell(organiser_who(decision.consultation) | owner_who(decision), actor, link=decision_url(decision),
              key=f"decision-done:{decision.pk}",
              title=_("%(owner)s已落实%(meeting)s议定事项") % {"owner": decision.owner_name,
                                                        "meeting": decision.consultation.title},
              body=note)
    return decision
