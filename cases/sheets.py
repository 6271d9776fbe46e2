"""What the printed 问题交办单, 转办单 and 督办单 say about who must act and on what basis.

The acting party follows whose turn it is (cases.holders): the departments whose referrals are pending
while a problem is routed, the 部专班 while it handles an escalated problem, the 责任单位 while it is
handled locally, and the province's work group otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.deadlines import end_of_day
from cases.holders import MINISTRY_STATES
from cases.models import Case, CaseEvent, Referral, State

# The notice the work groups act under (domain.md).
NOTICE = gettext_lazy("《关于开展产业链固链行动推动产业链协同复工复产的通知》（工信厅政法函〔2020〕54号）")


@dataclass(frozen=True)
class Party:
    """A unit that must act, the person to call there, and its deadline."""

    unit: str
    person: str
    phone: str
    due_at: dt.datetime | None


def referral_party(referral: Referral) -> Party:
    department = referral.department
    return Party(unit=f"{department.name}（{referral.get_role_display()}）", person=department.contact_name,
                 phone=department.contact_phone, due_at=end_of_day(referral.due_date))


def parties_for(case: Case) -> list[Party]:
    """Who must act on the problem now."""
    if case.state == State.ROUTED:
        pending = case.referrals.filter(state=Referral.State.PENDING).select_related("department")
        parties = [referral_party(r) for r in pending.order_by("role", "due_date", "pk")]
        if parties:
            return parties
    if case.state in MINISTRY_STATES:
        return [Party(unit=_("部专班"), person="", phone="", due_at=case.due_at)]
    if case.local_unit:
        return [Party(unit=case.local_unit, person=case.local_person, phone=case.local_phone, due_at=case.due_at)]
    handler = case.handler
    return [Party(unit=_("%(region)s专班") % {"region": str(case.region)}, person=str(handler) if handler else "",
                  phone=getattr(handler, "phone", "") if handler else "", due_at=case.due_at)]


def basis_for(case: Case, *, before: dt.datetime | None = None) -> list[str]:
    """The grounds of a 交办, 转办 or 督办: the notice, the province's signed escalation, the latest 领导批示
    and how often the problem was chased (up to `before`, the 督办 being printed)."""
    lines = [_("依据%(notice)s") % {"notice": NOTICE}]
    if case.signed_by_id:
        lines.append(_("%(region)s专班审核上报，签发人：%(name)s") % {"region": str(case.region),
                                                                    "name": case.signed_by})
    events = case.events.all()
    if before is not None:
        events = events.filter(created_at__lte=before)
    instruction = events.filter(kind=CaseEvent.Kind.INSTRUCTION).order_by("-created_at", "-pk").first()
    if instruction is not None:
        lines.append(_("领导批示：%(note)s") % {"note": instruction.note})
    urged = events.filter(kind=CaseEvent.Kind.URGE).count()
    if urged:
        lines.append(_("此前已催办%(n)d次") % {"n": urged})
    return lines
