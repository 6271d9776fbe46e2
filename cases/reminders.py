"""The 问题台账's due work: 问题超期, 转办超期, 批示到期, 协办超期, and who holds a problem."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import OPEN_STATES, Case, CaseEvent, CaseShare, Referral
from chainwork.models import Role, User
from chainwork.reminders import BATCH, Due, Kind, Sweep, unclaimed, url

CASE_OVERDUE = "case_overdue"
REFERRAL_OVERDUE = "referral_overdue"
INSTRUCTION_DUE = "instruction_due"
SHARE_OVERDUE = "share_overdue"
MINISTRY_STATES = ("escalated", "accepted", "routed", "tracking")


class People:
    """The active users a sweep notifies, read once: who holds a problem or a referral, without a query
    per row."""

    def __init__(self):
        self.ministry: list[int] = []
        self.by_role_region: dict[tuple[str, str], list[int]] = {}
        self.by_department: dict[int, list[int]] = {}
        self.liaison: set[int] = set()
        for pk, role, region, department in User.objects.filter(is_active=True).values_list(
                "pk", "role", "region_id", "department_id").order_by("pk"):
            if role == Role.MINISTRY:
                self.ministry.append(pk)
            elif role == Role.LIAISON:
                self.liaison.add(pk)
            elif role == Role.DEPARTMENT and department:
                self.by_department.setdefault(department, []).append(pk)
            if region:
                self.by_role_region.setdefault((role, region), []).append(pk)

    def case_holders(self, case) -> list[int]:
        """Who holds the problem in its state: the 部专班 for escalated work, else the province (its
        leads alone while it waits for approval), and a liaison officer who raised it."""
        if case.state in MINISTRY_STATES or (case.level == "ministry" and case.state in ("responded", "confirmed")):
            holders = list(self.ministry)
        elif case.state == "pending_approval":
            holders = list(self.by_role_region.get((Role.PROVINCE_LEAD, case.region_id), []))
        else:
            holders = (self.by_role_region.get((Role.PROVINCE, case.region_id), [])
                       + self.by_role_region.get((Role.PROVINCE_LEAD, case.region_id), []))
        if case.reporter_id in self.liaison:
            holders.append(case.reporter_id)
        return holders

    def referral_holders(self, department_id: int) -> list[int]:
        return self.by_department.get(department_id, []) + self.ministry

    def region_officials(self, region_id: str) -> list[int]:
        """A region's work group (经办人 and 负责人): the region asked for 协办."""
        return (self.by_role_region.get((Role.PROVINCE, region_id), [])
                + self.by_role_region.get((Role.PROVINCE_LEAD, region_id), []))


def people(sweep: Sweep) -> People:
    if "people" not in sweep.shared:
        sweep.shared["people"] = People()
    return sweep.shared["people"]


def case_url(case_id: int) -> str:
    return url("cases-detail", case_id, fallback=f"/cases/{case_id}/")


# --- 问题超期: in its state past its due time (督办 deadlines and escalations not accepted included) ----

def case_overdue(sweep: Sweep) -> None:
    tz = timezone.get_current_timezone()
    rows = (Case.objects.filter(state__in=OPEN_STATES, due_at__lt=sweep.now)
            .annotate(due_day=TruncDate("due_at", tzinfo=tz))
            .filter(unclaimed(CASE_OVERDUE, due_on="due_day", state="state"))
            .only("pk", "number", "state", "level", "region_id", "reporter_id", "due_at", "supervision")
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
                   state=case.state, recipients=lambda: people(sweep).case_holders(case),
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
                   recipients=lambda: people(sweep).case_holders(event.case),
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
                   recipients=lambda: people(sweep).region_officials(share.region_id),
                   title=lambda: _("%(number)s 请%(region)s协办已超过回复时限") % {
                       "number": share.case.number, "region": share.region.name},
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
