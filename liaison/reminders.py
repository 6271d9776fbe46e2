"""The 一对一 due work: 联系到期, an officer's next follow-up date has come."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from cases.models import Case
from cases.reminders import overdue_cases
from chainwork.models import Role, User
from chainwork.reminders import BATCH, Due, Kind, Sweep, unclaimed, url
from liaison.models import LiaisonAssignment

FOLLOW_UP = "follow_up"


def follow_up(sweep: Sweep) -> None:
    rows = (LiaisonAssignment.objects.filter(ended_on__isnull=True, officer__is_active=True)
            .filter(due_on__lte=sweep.today).filter(unclaimed(FOLLOW_UP, due_on="due_on"))
            .select_related("enterprise").order_by("due_on", "pk")[:BATCH])
    sweep.process(FOLLOW_UP, rows, lambda assignment, batch: follow_up_due(sweep, assignment, batch))


def follow_up_due(sweep: Sweep, assignment, batch: bool) -> Due:
    def title() -> str:
        overdue = (sweep.today - assignment.due_on).days
        if overdue > 0:
            return _("联系提醒：%(name)s已超过约定联系日期%(days)d天") % {
                "name": assignment.enterprise.name, "days": overdue}
        return _("联系提醒：今天应联系%(name)s") % {"name": assignment.enterprise.name}

    return Due(kind=FOLLOW_UP, due_on=assignment.due_on, subject_id=assignment.pk,
               recipients=lambda: [assignment.officer_id], title=title,
               url=url("enterprises-contact-create", query=f"enterprise={assignment.enterprise_id}",
                       fallback=f"/enterprises/{assignment.enterprise_id}/"))


KINDS = (Kind(FOLLOW_UP, follow_up),)


def overdue_follow_ups_by_officer(today) -> dict[int, int]:
    """Per officer, the current assignments whose follow-up date has passed (the daily digest)."""
    return dict(LiaisonAssignment.objects.filter(ended_on__isnull=True, due_on__lt=today)
                .values_list("officer_id").annotate(n=Count("pk")).order_by())


def overdue_follow_ups(officer, today) -> int:
    return LiaisonAssignment.objects.filter(officer=officer, ended_on__isnull=True, due_on__lt=today).count()


def overdue_cases_by_officer(now) -> dict[int, int]:
    """Per officer, the overdue problems Case.objects.visible_to() gives them: about or naming an
    enterprise assigned to them now, or logged by them (the daily digest)."""
    overdue = overdue_cases(now)
    current = LiaisonAssignment.objects.filter(ended_on__isnull=True)
    about = overdue.filter(enterprise__in=current.values("enterprise")).values_list("pk", "enterprise_id")
    named = Case.named_enterprises.through.objects.filter(
        case__in=overdue, enterprise__in=current.values("enterprise")).values_list("case_id", "enterprise_id")
    officer_of = dict(current.values_list("enterprise_id", "officer_id"))
    seen: dict[int, set[int]] = {}
    for case_id, enterprise_id in [*about, *named]:
        seen.setdefault(officer_of[enterprise_id], set()).add(case_id)
    liaisons = User.objects.filter(role=Role.LIAISON).values("pk")
    for case_id, reporter_id in overdue.filter(reporter__in=liaisons).values_list("pk", "reporter_id"):
        seen.setdefault(reporter_id, set()).add(case_id)
    return {officer: len(cases) for officer, cases in seen.items()}
