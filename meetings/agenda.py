"""The agenda proposal: the problems a 会商 should take up, each with why — newly escalated, overdue,
挂牌督办, needing two or more departments, asked of another province (协办), 提请关注 — from the
problems the organiser sees in full (a national 会商 those at the 部专班 level, a province's those of
its region).

At national scale each reason is one indexed query of ids in its own order, stopped at `limit`; the rows
are then read once for the ids kept. Nothing here counts or loops over the 问题台账.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import action_label
from cases.models import OPEN_STATES, Case, CaseEvent, CaseShare, Level, Referral, State, Supervision, Visibility
from cases.selectors import with_light
from meetings.models import Consultation

LIMIT = 40
FLAG_WINDOW = dt.timedelta(days=7)  # 提请关注 this recent, when there was no earlier 会商

REASONS = {
    "escalated": _("新上报"),
    "overdue": _("超期"),
    "listed": _("挂牌督办"),
    "departments": _("需多部门协调"),
    "cross_region": _("跨省协调"),
    "flagged": _("提请关注"),
}


def reason_labels(codes) -> list[str]:
    return [str(REASONS[code]) for code in codes if code in REASONS]


@dataclass
class Proposal:
    case_id: int
    reasons: list[str] = field(default_factory=list)


def _base(consultation: Consultation, user):
    cases = Case.objects.visible_to(user)
    if consultation.region_id is None:
        return cases.filter(level=Level.MINISTRY)
    return cases.filter(region_id=consultation.region_id)


def _since(consultation: Consultation, now: dt.datetime) -> dt.datetime:
    """The previous 会商 of the same holder, or a week back."""
    previous = (Consultation.objects.filter(region_id=consultation.region_id, starts_at__lt=consultation.starts_at)
                .exclude(pk=consultation.pk).exclude(state=Consultation.State.CANCELLED)
                .order_by("-starts_at").values_list("starts_at", flat=True).first())
    return previous or now - FLAG_WINDOW


def propose(consultation: Consultation, user, *, limit: int = LIMIT, now: dt.datetime | None = None) -> list[Proposal]:
    """The proposed agenda, most reasons first, leaving out problems already on it."""
    now = now or timezone.now()
    base = _base(consultation, user)
    open_ = base.filter(state__in=OPEN_STATES)
    sources = {
        "escalated": base.filter(state=State.ESCALATED).order_by("escalated_at", "pk"),
        "overdue": open_.filter(due_at__lt=now).order_by("due_at", "pk"),
        "listed": open_.filter(supervision=Supervision.LISTED).order_by(F("due_at").asc(nulls_last=True), "pk"),
        # Counted on case_id, which the partial index of pending referrals answers alone.
        "departments": open_.filter(pk__in=Referral.objects.filter(state=Referral.State.PENDING)
                                    .values("case_id").annotate(n=Count("case_id")).filter(n__gte=2)
                                    .values("case_id")).order_by("pk"),
        "cross_region": open_.filter(pk__in=CaseShare.objects.filter(state=CaseShare.State.PENDING)
                                     .values("case_id")).order_by("pk"),
        "flagged": open_.filter(pk__in=CaseEvent.objects.filter(kind=CaseEvent.Kind.FLAG,
                                                                created_at__gte=_since(consultation, now))
                                .values("case_id")).order_by("pk"),
    }
    present = set(consultation.items.values_list("case_id", flat=True))
    found: dict[int, Proposal] = {}
    for reason, query in sources.items():
        for case_id in query.values_list("pk", flat=True)[:limit]:
            if case_id not in present:
                found.setdefault(case_id, Proposal(case_id)).reasons.append(reason)
    ranked = sorted(found.values(), key=lambda p: (-len(p.reasons), list(REASONS).index(p.reasons[0]), p.case_id))
    return ranked[:limit]


def glance(case_ids, user):
    """The problems as an agenda shows them: state, light, 督办, and the latest line of their history —
    only those the user sees (full or limited), one query."""
    # The shared timeline only: an internal note's action is not every viewer's to read.
    latest = (CaseEvent.objects.filter(case=OuterRef("pk"), visibility=Visibility.SHARED)
              .order_by("-created_at", "-pk"))
    rows = (with_light(Case.objects.seen_by(user).filter(pk__in=list(case_ids)))
            .select_related("region", "enterprise")
            .annotate(last_action=Subquery(latest.values("action")[:1]),
                      last_at=Subquery(latest.values("created_at")[:1]),
                      pending_referrals=Count("referrals", filter=Q(referrals__state=Referral.State.PENDING),
                                              distinct=True)))
    found = {}
    for case in rows:
        case.last_action_label = action_label(case.last_action) if case.last_action else ""
        found[case.pk] = case
    return found
