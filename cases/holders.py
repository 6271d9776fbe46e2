"""Who holds a problem: the one rule that the timeline's notices, the reminder sweep and the deadline
light read.

A problem is held by the party whose turn it is: the province while it is new, handled locally or sent
back for more material (its 经办人, or the whole work group while nobody has taken it up), the province's
leads while it waits for their approval, the 部专班 while it handles an escalated problem, the departments
while their referrals are pending, the province again while it waits for the enterprise's confirmation,
and whoever closes it once the enterprise has confirmed.

A rule answers a `Who`: the people it names as a description (these users, the leads of that region, the
部专班, those departments' users). `Who.q()` turns it into a query for a single event's notices; the
sweep resolves it against users it read once (cases.reminders.People), so the same rule serves one
notice and a national sweep alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min, Q
from django.utils import timezone

from cases.deadlines import due_for, end_of_day
from cases.models import Case, Level, Referral, State
from chainwork.models import Role
from chainwork.scope import scope_for

PROVINCE_ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD)
MINISTRY_STATES = (State.ESCALATED, State.ACCEPTED, State.ROUTED, State.TRACKING)
# Overdue by more than this, a problem still handled by its 经办人 tells the province's leads too.
LEADS_AFTER = dt.timedelta(days=1)


@dataclass(frozen=True)
class Who:
    users: frozenset[int] = frozenset()
    leads_of: frozenset[str] = frozenset()  # region codes whose province leads are named
    officials_of: frozenset[str] = frozenset()  # region codes whose whole work group is named
    ministry: bool = False
    departments: frozenset[int] = frozenset()

    def __or__(self, other: Who) -> Who:
        return Who(users=self.users | other.users, leads_of=self.leads_of | other.leads_of,
                   officials_of=self.officials_of | other.officials_of, ministry=self.ministry or other.ministry,
                   departments=self.departments | other.departments)

    def q(self) -> Q:
        """The named users as a condition on User (active or not: the caller filters)."""
        query = Q(pk__in=sorted(self.users))
        if self.leads_of:
            query |= Q(role=Role.PROVINCE_LEAD, region_id__in=sorted(self.leads_of))
        if self.officials_of:
            query |= Q(role__in=PROVINCE_ROLES, region_id__in=sorted(self.officials_of))
        if self.ministry:
            query |= Q(role=Role.MINISTRY)
        if self.departments:
            query |= Q(role=Role.DEPARTMENT, department_id__in=sorted(self.departments))
        return query


NOBODY = Who()
MINISTRY = Who(ministry=True)


def province_of(case: Case) -> Who:
    """The province's officials of the problem: its 经办人 and the region's leads; the whole work group of
    the region while no 经办人 has taken it up."""
    if case.handler_id:
        return Who(users=frozenset({case.handler_id}), leads_of=frozenset({case.region_id}))
    return Who(officials_of=frozenset({case.region_id}))


def handler_of(case: Case) -> Who:
    """The 经办人 alone (the whole work group while there is none)."""
    if case.handler_id:
        return Who(users=frozenset({case.handler_id}))
    return Who(officials_of=frozenset({case.region_id}))


def leads_of(case: Case) -> Who:
    return Who(leads_of=frozenset({case.region_id}))


def holders(case: Case, pending_departments: frozenset[int] = frozenset()) -> Who:
    """Whose turn it is. `pending_departments`: the departments whose referrals of the problem are pending
    (only read for a routed problem)."""
    state = case.state
    if state == State.CLOSED:
        return NOBODY
    if state == State.PENDING_APPROVAL:
        return leads_of(case)
    if state == State.ROUTED and pending_departments:
        return Who(departments=pending_departments, ministry=True)  # the 部专班 chases its departments
    if state in MINISTRY_STATES:
        return MINISTRY
    if state == State.CONFIRMED:
        return MINISTRY if case.level == Level.MINISTRY else leads_of(case)
    return handler_of(case)  # HANDLER_STATES


# The states in which a problem waits for its 经办人: triage, local handling, more material, and the
# enterprise's confirmation once an answer is recorded (whoever recorded it).
HANDLER_STATES = (State.NEW, State.LOCAL, State.RETURNED, State.RESPONDED)


def held_by(user, prefix: str = "") -> Q | None:
    """The open problems that wait for this user, as a condition on Case (`prefix` from a related model):
    the inverse of holders(). None: the user holds no problem (a department holds referrals)."""
    scope = scope_for(user)

    def q(**lookups) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    if scope.role == Role.MINISTRY:
        return q(state__in=MINISTRY_STATES) | q(state=State.CONFIRMED, level=Level.MINISTRY)
    if scope.role not in PROVINCE_ROLES or not scope.regions:
        return None
    mine = q(state__in=HANDLER_STATES) & (q(handler=user.pk) | q(handler__isnull=True))
    if scope.role == Role.PROVINCE_LEAD:
        mine |= q(state=State.PENDING_APPROVAL) | q(state=State.CONFIRMED, level=Level.LOCAL)
    return q(region_id__in=sorted(scope.regions)) & mine


def overdue_holders(case: Case, now: dt.datetime) -> Who:
    """Whom a late problem tells: those who hold it; on the province's side its 经办人, and the leads
    once the problem is escalated or late by more than a day. The daily digest carries the rest."""
    who = holders(case)
    if case.level == Level.MINISTRY:
        return who | province_of(case)
    if case.due_at and now - case.due_at > LEADS_AFTER:
        return who | leads_of(case)
    return who


def turn_due_at(case: Case, now: dt.datetime | None = None) -> dt.datetime | None:
    """The deadline of whoever's turn it is on a routed problem: its earliest pending referral's; once every
    referral is answered the 部专班's own, from now (the departments' clocks stopped when they answered)."""
    earliest = case.referrals.filter(state=Referral.State.PENDING).aggregate(day=Min("due_date"))["day"]
    if earliest is not None:
        return end_of_day(earliest)
    return due_for(case.urgency, State.ACCEPTED, now or timezone.now())
