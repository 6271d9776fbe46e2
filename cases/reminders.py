"""The 问题台账's due work: 问题超期, 转办超期, 批示到期, 协办超期, and who holds a problem."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.holders import PROVINCE_ROLES, Who, overdue_holders
from cases.models import OPEN_STATES, Case, CaseEvent, CaseShare, Referral, State
from chainwork.models import Role, User
from chainwork.reminders import BATCH, Due, Kind, Sweep, unclaimed, url

CASE_OVERDUE = "case_overdue"
REFERRAL_OVERDUE = "referral_overdue"
INSTRUCTION_DUE = "instruction_due"
SHARE_OVERDUE = "share_overdue"


class People:
    """The active users a sweep notifies, read once, so that cases.holders' rule names them without a query
    per row."""

    def __init__(self):
        self.ministry: list[int] = []
        self.leads: dict[str, list[int]] = {}
        self.officials: dict[str, list[int]] = {}  # a region's whole work group, leads included
        self.by_department: dict[int, list[int]] = {}
        self.liaison: set[int] = set()
        self.active: set[int] = set()
        for pk, role, region, department in User.objects.filter(is_active=True).values_list(
                "pk", "role", "region_id", "department_id").order_by("pk"):
            self.active.add(pk)
            if role == Role.MINISTRY:
                self.ministry.append(pk)
            elif role == Role.LIAISON:
                self.liaison.add(pk)
            elif role == Role.DEPARTMENT and department:
                self.by_department.setdefault(department, []).append(pk)
            elif role in PROVINCE_ROLES and region:
                self.officials.setdefault(region, []).append(pk)
                if role == Role.PROVINCE_LEAD:
                    self.leads.setdefault(region, []).append(pk)

    def resolve(self, who: Who) -> list[int]:
        ids = {pk for pk in who.users if pk in self.active}
        for region in who.leads_of:
            ids.update(self.leads.get(region, ()))
        for region in who.officials_of:
            ids.update(self.officials.get(region, ()))
        if who.ministry:
            ids.update(self.ministry)
        for department in who.departments:
            ids.update(self.by_department.get(department, ()))
        return sorted(ids)

    def case_holders(self, case, now) -> list[int]:
        """Whom a late problem tells (cases.holders.overdue_holders), and a liaison officer who raised it."""
        ids = self.resolve(overdue_holders(case, now))
        if case.reporter_id in self.liaison and case.reporter_id not in ids:
            ids.append(case.reporter_id)
        return ids

    def referral_holders(self, department_id: int) -> list[int]:
        return self.by_department.get(department_id, []) + self.ministry


def people(sweep: Sweep) -> People:
    if "people" not in sweep.shared:
        sweep.shared["people"] = People()
    return sweep.shared["people"]


def case_url(case_id: int) -> str:
    return url("cases-detail", case_id, fallback=f"/cases/{case_id}/")


# --- 问题超期: in its state past its due time (督办 deadlines and escalations not accepted included) ----

def case_overdue(sweep: Sweep) -> None:
    tz = timezone.get_current_timezone()
    # A routed problem late on a pending referral is chased as that referral (转办超期), not twice.
    waiting_on_departments = Exists(Referral.objects.filter(case=OuterRef("pk"), state=Referral.State.PENDING))
    rows = (Case.objects.filter(state__in=OPEN_STATES, due_at__lt=sweep.now)
            .exclude(Q(state=State.ROUTED) & waiting_on_departments)
            .annotate(due_day=TruncDate("due_at", tzinfo=tz))
            .filter(unclaimed(CASE_OVERDUE, due_on="due_day", state="state"))
            .only("pk", "number", "state", "level", "region_id", "reporter_id", "handler_id", "due_at",
                  "supervision")
            .order_by("due_at", "pk")[:BATCH])

    def to_due(case, batch: bool) -> Due:
        def title() -> str:
            values = {"number": case.number, "state": case.get_state_display()}
            if case.state == "escalated":
                return _("%(number)s 上报部专班后未按时受理") % values
            if case.supervision:
                return _("%(number)s 已超过督办时限（%(state)s）") % values
            return _("%(number)s 已超过办理时限（%(state)s）") % values

        return Due(kind=CASE_OVERDUE, due_on=timezone.localtime(case.due_at).date(), subject_id=case.pk,
                   state=case.state, recipients=lambda: people(sweep).case_holders(case, sweep.now),
                   title=title, url=case_url(case.pk))

    sweep.process(CASE_OVERDUE, rows, to_due)


# --- 转办超期: a department's referral past its deadline ----------------------------------------------

def referral_overdue(sweep: Sweep) -> None:
    rows = (Referral.objects.filter(state=Referral.State.PENDING, due_date__lt=sweep.today)
            .filter(unclaimed(REFERRAL_OVERDUE, due_on="due_date"))
            .select_related("case", "department").order_by("due_date", "pk")[:BATCH])

    def to_due(referral, batch: bool) -> Due:
        return Due(kind=REFERRAL_OVERDUE, due_on=referral.due_date, subject_id=referral.pk,
                   recipients=lambda: people(sweep).referral_holders(referral.department_id),
                   title=lambda: _("%(number)s 转办%(department)s已超过办理时限") % {
                       "number": referral.case.number,
                       "department": referral.department.short_name or referral.department},
                   url=case_url(referral.case_id))

    sweep.process(REFERRAL_OVERDUE, rows, to_due)


# --- 批示到期: a leader's instruction with its own deadline ------------------------------------------

def instruction_due(sweep: Sweep) -> None:
    tz = timezone.get_current_timezone()
    rows = (CaseEvent.objects.filter(kind=CaseEvent.Kind.INSTRUCTION, due_at__lt=sweep.now,
                                     case__state__in=OPEN_STATES)
            .annotate(due_day=TruncDate("due_at", tzinfo=tz)).filter(unclaimed(INSTRUCTION_DUE, due_on="due_day"))
            .select_related("case").order_by("due_at", "pk")[:BATCH])

    def to_due(event, batch: bool) -> Due:
        return Due(kind=INSTRUCTION_DUE, due_on=timezone.localtime(event.due_at).date(), subject_id=event.pk,
                   recipients=lambda: people(sweep).case_holders(event.case, sweep.now),
                   title=lambda: _("%(number)s 领导批示已到办理时限") % {"number": event.case.number},
                   url=case_url(event.case_id))

    sweep.process(INSTRUCTION_DUE, rows, to_due)


# --- 协办超期: a region asked for 协办 has not replied by its deadline ------------------------------------

def share_overdue(sweep: Sweep) -> None:
    rows = (CaseShare.objects.filter(state=CaseShare.State.PENDING, due_date__lt=sweep.today,
                                     case__state__in=OPEN_STATES)
            .filter(unclaimed(SHARE_OVERDUE, due_on="due_date"))
            .select_related("case", "region").order_by("due_date", "pk")[:BATCH])

    def to_due(share, batch: bool) -> Due:
        return Due(kind=SHARE_OVERDUE, due_on=share.due_date, subject_id=share.pk,
                   recipients=lambda: people(sweep).resolve(Who(officials_of=frozenset({share.region_id}))),
                   title=lambda: _("%(number)s 请%(region)s协办已超过回复时限") % {
                       "number": share.case.number, "region": str(share.region)},
                   url=case_url(share.case_id))

    sweep.process(SHARE_OVERDUE, rows, to_due)


KINDS = (Kind(CASE_OVERDUE, case_overdue), Kind(REFERRAL_OVERDUE, referral_overdue),
         Kind(INSTRUCTION_DUE, instruction_due), Kind(SHARE_OVERDUE, share_overdue))


# --- what the daily digest counts --------------------------------------------------------------------

def overdue_cases(now):
    return Case.objects.filter(state__in=OPEN_STATES, due_at__lt=now)


def overdue_cases_by_region(now) -> dict[str, int]:
    return dict(overdue_cases(now).values_list("region_id").annotate(n=Count("pk")).order_by())


def overdue_referrals_by_department(today) -> dict[int, int]:
    return dict(Referral.objects.filter(state=Referral.State.PENDING, due_date__lt=today)
                .values_list("department_id").annotate(n=Count("pk")).order_by())
