"""每日汇总: once a day per user, from the digest hour on, what is overdue in their scope; and the
sweep of every app's due work, in a fixed order."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import reminders as case_reminders
from cases.models import OPEN_STATES, Case, Referral
from chainwork.models import Role, User
from chainwork.reminders import BATCH, Due, Kind, Sweep, run_sweep, unclaimed, url
from chainwork.scope import scope_for
from liaison import reminders as liaison_reminders
from meetings import reminders as meeting_reminders
from policies import reminders as policy_reminders

DIGEST = "digest"
DIGEST_ROLES = (Role.LIAISON, Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON,
                Role.DEPARTMENT)


class DigestCounts:
    """digest_figures() for every user at once: the overdue work counted per region, officer and
    department in a few grouped queries, then read per user by their scope."""

    def __init__(self, now: dt.datetime):
        today = timezone.localdate(now)
        self.cases_by_region = case_reminders.overdue_cases_by_region(now)
        self.cases_total = sum(self.cases_by_region.values())
        self.follow_ups = liaison_reminders.overdue_follow_ups_by_officer(today)
        self.referrals = case_reminders.overdue_referrals_by_department(today)
        self.liaison_cases = liaison_reminders.overdue_cases_by_officer(now)

    def figures(self, user) -> dict[str, int]:
        follow_ups = referrals = 0
        if user.role == Role.LIAISON:
            follow_ups = self.follow_ups.get(user.pk, 0)
            cases = self.liaison_cases.get(user.pk, 0)
        else:
            scope = scope_for(user)
            if scope.regions is None:
                cases = self.cases_total
            else:
                cases = sum(self.cases_by_region.get(code, 0) for code in scope.regions)
        if user.role == Role.DEPARTMENT:
            referrals = self.referrals.get(user.department_id, 0)
        return {"follow_ups": follow_ups, "cases": cases, "referrals": referrals}


def digest_figures(user, now: dt.datetime) -> dict[str, int]:
    today = timezone.localdate(now)
    follow_ups = 0
    if user.role == Role.LIAISON:
        follow_ups = liaison_reminders.overdue_follow_ups(user, today)
    cases = Case.objects.visible_to(user).filter(state__in=OPEN_STATES, due_at__lt=now).count()
    referrals = 0
    if user.role == Role.DEPARTMENT:
        referrals = Referral.objects.visible_to(user).filter(state=Referral.State.PENDING, due_date__lt=today).count()
    return {"follow_ups": follow_ups, "cases": cases, "referrals": referrals}


def digest(sweep: Sweep) -> None:
    if timezone.localtime(sweep.now).hour < getattr(settings, "REMINDER_DIGEST_HOUR", 8):
        return
    rows = list(User.objects.filter(is_active=True, role__in=DIGEST_ROLES)
                .filter(unclaimed(DIGEST, due_on=sweep.today)).order_by("pk")[:BATCH])
    counts = DigestCounts(sweep.now) if rows else None

    def to_due(user, batch: bool) -> Due:
        figures = counts.figures(user) if batch else digest_figures(user, sweep.now)
        parts = [label % {"n": n} for label, n in (
            (_("%(n)d家企业到期未联系"), figures["follow_ups"]),
            (_("%(n)d个问题超期"), figures["cases"]),
            (_("%(n)d件转办超期"), figures["referrals"]),
        ) if n]
        # Nothing to report: the claim is still made, so the user is not looked at again today.
        return Due(kind=DIGEST, due_on=sweep.today, subject_id=user.pk,
                   recipients=lambda: [user.pk] if parts else [],
                   title=lambda: _("每日汇总：") + "，".join(parts), url=url("home"))

    sweep.process(DIGEST, rows, to_due)


# Follow-ups first, then the problems' own deadlines, the digest last (it counts what is still due).
KINDS = (*liaison_reminders.KINDS, *policy_reminders.KINDS, *case_reminders.KINDS, *meeting_reminders.KINDS,
         Kind(DIGEST, digest))


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """One sweep of every kind of due work; the number of due events claimed per kind."""
    return run_sweep(KINDS, now)
