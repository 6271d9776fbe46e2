"""Every read of 会商 that a page, the API or the 纪要 uses: scoped by the models' visible_to, joined."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from cases.models import Case
from cases.referrals import chased_light
from meetings import agenda
from meetings.models import AgendaItem, Consultation, Decision, owned_by


def decision_light(decision: Decision, now=None) -> str:
    """落实中: 正常 / 临期 / 超期 by its deadline; once done, on time or late (the referrals' rule)."""
    return chased_light(decision.due_date, pending=decision.is_open, answered_at=decision.done_at, now=now)


def consultation_list(user, *, open_decisions: bool = False, state: str = "") -> QuerySet:
    rows = (Consultation.objects.visible_to(user).select_related("region")
            .annotate(decisions_total=Count("decisions", distinct=True),
                      decisions_open=Count("decisions", filter=Q(decisions__state=Decision.State.OPEN),
                                           distinct=True),
                      items_total=Count("items", distinct=True)))
    if open_decisions:
        rows = rows.filter(decisions_open__gt=0)
    if state in Consultation.State.values:
        rows = rows.filter(state=state)
    return rows.order_by("-starts_at", "-pk")


def decision_list(user, *, state: str = "", mine: bool = False, consultation_id: int | None = None) -> QuerySet:
    """The decisions the user sees, the open ones due soonest first; each with `case_seen` (whether the
    problem may be named to this user)."""
    rows = (Decision.objects.visible_to(user)
            .select_related("consultation__region", "case", "owner_department", "owner_region")
            .annotate(case_seen=Exists(Case.objects.seen_by(user).filter(pk=OuterRef("case_id")))))
    if mine:
        rows = rows.filter(owned_by(user))
    if state in Decision.State.values:
        rows = rows.filter(state=state)
    if consultation_id is not None:
        rows = rows.filter(consultation_id=consultation_id)
    return rows.order_by("state", "due_date", "pk")


def agenda_items(consultation: Consultation, user) -> list[AgendaItem]:
    """The items of problems the user sees (full or limited), each with its problem at a glance as
    `item.glance` and its reasons in words."""
    items = list(consultation.items.all())
    cases = agenda.glance([item.case_id for item in items], user)
    shown = []
    for item in items:
        if item.case_id in cases:
            item.glance = cases[item.case_id]
            item.reason_labels = agenda.reason_labels(item.reasons)
            shown.append(item)
    return shown


def consultation_detail(user) -> QuerySet:
    return (Consultation.objects.visible_to(user).select_related("region", "created_by")
            .prefetch_related(Prefetch("participants")))


def open_decisions_of(user) -> QuerySet:
    """The open decisions that fall to the user's unit, soonest deadline first (the 工作台)."""
    return (Decision.objects.filter(owned_by(user), state=Decision.State.OPEN)
            .select_related("consultation", "case")
            .annotate(case_seen=Exists(Case.objects.seen_by(user).filter(pk=OuterRef("case_id"))))
            .order_by("due_date", "pk"))


def proposed_rows(consultation, user) -> list:
    """The proposal's problems in its order, each with `proposal_reasons`."""
    proposals = agenda.propose(consultation, user)
    rows = agenda.glance([p.case_id for p in proposals], user)
    shown = []
    for proposal in proposals:
        if proposal.case_id in rows:
            row = rows[proposal.case_id]
            row.proposal_reasons = proposal.reasons
            shown.append(row)
    return shown
