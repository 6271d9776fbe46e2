"""The reminder sweep (Celery beat every minute, and `manage.py send_reminders`): one function per kind
of due work. Each reads its due column, skips what was already claimed, and for each due event
claims it by inserting a Reminder row — the partial unique constraints on (assignment, follow-up
date), (problem, state, due date), (referral, due date), (instruction, due date) and (user, digest
date) make that insert succeed once — then writes the Notification rows and their outbox rows in
the same transaction, so a sweep killed before its commit leaves nothing and the next one sends it.
One row that raises is logged and skipped; the rest go on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from chainwork.channels import notify, redeliver_pending
from chainwork.models import Role, User
from enterprises.contacts import with_follow_up
from enterprises.models import LiaisonAssignment, Reminder

log = logging.getLogger(__name__)
BATCH = 500  # due events per kind and sweep; the rest wait a minute


def _url(name: str, *args, query: str = "", fallback: str = "/") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return fallback


def _case_url(case_id: int) -> str:
    return _url("cases-detail", case_id, fallback=f"/cases/{case_id}/")


def _claim_and_notify(*, kind: str, due_on: dt.date, keys: dict, recipients: Callable[[], Iterable[int]],
                      title: Callable[[], str], url: str) -> bool:
    """Claim the due event and notify its recipients, in one transaction. False when already claimed."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(kind=kind, due_on=due_on, **keys)
        except IntegrityError:
            return False  # another sweep has it (it waited for that sweep's commit to find out)
        text = title()
        sent = 0
        for user_id in sorted(set(recipients())):
            sent += notify(user_id=user_id, kind=kind, title=text, url=url,
                           dedupe_key=f"reminder:{reminder.pk}") is not None
        if sent:
            Reminder.objects.filter(pk=reminder.pk).update(notified=sent)
    return True


class Sweep:
    def __init__(self, now: dt.datetime | None = None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts: dict[str, int] = {}
        self.failed = 0

    def run(self) -> dict[str, int]:
        # Messages are stored in the language of the site (Chinese), whoever triggers the sweep.
        with override(settings.LANGUAGE_CODE):
            for name in ("follow_up", "case_overdue", "referral_overdue", "instruction_due", "digest"):
                self.counts[name] = 0
                try:
                    getattr(self, name)()
                except Exception:  # a broken query of one kind does not stop the other kinds
                    log.exception("reminder sweep: %s failed", name)
                    self.failed += 1
            self.counts["failed"] = self.failed
            self.counts["redelivered"] = redeliver_pending(self.now)
        return self.counts

    def _each(self, kind: str, rows, process: Callable) -> None:
        for row in rows:
            try:
                self.counts[kind] += bool(process(row))
            except Exception:
                log.exception("reminder sweep: %s %s failed; it is tried again next sweep", kind, row.pk)
                self.failed += 1

    # --- 联系到期: the officer's next follow-up date has come -------------------------------------------

    def follow_up(self) -> None:
        claimed = Reminder.objects.filter(kind=Reminder.Kind.FOLLOW_UP, assignment=OuterRef("pk"),
                                          due_on=OuterRef("due_on"))
        rows = (with_follow_up(LiaisonAssignment.objects.filter(ended_on__isnull=True, officer__is_active=True))
                .filter(due_on__lte=self.today).filter(~Exists(claimed))
                .select_related("enterprise").order_by("due_on", "pk")[:BATCH])
        self._each("follow_up", rows, self._follow_up_one)

    def _follow_up_one(self, assignment) -> bool:
        def title() -> str:
            overdue = (self.today - assignment.due_on).days
            if overdue > 0:
                return _("联系提醒：%(name)s已超过约定联系日期%(days)d天") % {
                    "name": assignment.enterprise.name, "days": overdue}
            return _("联系提醒：今天应联系%(name)s") % {"name": assignment.enterprise.name}

        return _claim_and_notify(
            kind=Reminder.Kind.FOLLOW_UP, due_on=assignment.due_on, keys={"assignment": assignment},
            recipients=lambda: [assignment.officer_id], title=title,
            url=_url("enterprises-contact-create", query=f"enterprise={assignment.enterprise_id}",
                     fallback=f"/enterprises/{assignment.enterprise_id}/"))

    # --- 问题超期: in its state past its due time (督办 deadlines and escalations not accepted included) --

    def case_overdue(self) -> None:
        from cases.models import OPEN_STATES, Case

        tz = timezone.get_current_timezone()
        claimed = Reminder.objects.filter(kind=Reminder.Kind.CASE_OVERDUE, case=OuterRef("pk"),
                                          state=OuterRef("state"), due_on=OuterRef("due_day"))
        rows = (Case.objects.filter(state__in=OPEN_STATES, due_at__lt=self.now)
                .annotate(due_day=TruncDate("due_at", tzinfo=tz)).filter(~Exists(claimed))
                .only("pk", "number", "state", "level", "region_id", "reporter_id", "due_at", "supervision")
                .order_by("due_at", "pk")[:BATCH])
        self._each("case_overdue", rows, self._case_overdue_one)

    def _case_overdue_one(self, case) -> bool:
        def title() -> str:
            values = {"number": case.number, "state": case.get_state_display()}
            if case.state == "escalated":
                return _("%(number)s 上报部专班后未按时受理") % values
            if case.supervision:
                return _("%(number)s 已超过督办时限（%(state)s）") % values
            return _("%(number)s 已超过办理时限（%(state)s）") % values

        return _claim_and_notify(
            kind=Reminder.Kind.CASE_OVERDUE, due_on=timezone.localtime(case.due_at).date(),
            keys={"case": case, "state": case.state}, recipients=lambda: case_holders(case), title=title,
            url=_case_url(case.pk))

    # --- 转办超期: a department's referral past its deadline --------------------------------------------

    def referral_overdue(self) -> None:
        from cases.models import Referral

        claimed = Reminder.objects.filter(kind=Reminder.Kind.REFERRAL_OVERDUE, referral=OuterRef("pk"),
                                          due_on=OuterRef("due_date"))
        rows = (Referral.objects.filter(state=Referral.State.PENDING, due_date__lt=self.today)
                .filter(~Exists(claimed)).select_related("case", "department").order_by("due_date", "pk")[:BATCH])
        self._each("referral_overdue", rows, self._referral_one)

    def _referral_one(self, referral) -> bool:
        def recipients():
            return User.objects.filter(
                Q(role=Role.DEPARTMENT, department_id=referral.department_id) | Q(role=Role.MINISTRY),
                is_active=True).values_list("pk", flat=True)

        return _claim_and_notify(
            kind=Reminder.Kind.REFERRAL_OVERDUE, due_on=referral.due_date, keys={"referral": referral},
            recipients=recipients,
            title=lambda: _("%(number)s 转办%(department)s已超过办理时限") % {
                "number": referral.case.number, "department": referral.department.short_name or referral.department},
            url=_case_url(referral.case_id))

    # --- 批示到期: a leader's instruction with its own deadline ----------------------------------------

    def instruction_due(self) -> None:
        from cases.models import OPEN_STATES, CaseEvent

        tz = timezone.get_current_timezone()
        claimed = Reminder.objects.filter(kind=Reminder.Kind.INSTRUCTION_DUE, event=OuterRef("pk"),
                                          due_on=OuterRef("due_day"))
        rows = (CaseEvent.objects.filter(kind=CaseEvent.Kind.INSTRUCTION, due_at__lt=self.now,
                                         case__state__in=OPEN_STATES)
                .annotate(due_day=TruncDate("due_at", tzinfo=tz)).filter(~Exists(claimed))
                .select_related("case").order_by("due_at", "pk")[:BATCH])
        self._each("instruction_due", rows, self._instruction_one)

    def _instruction_one(self, event) -> bool:
        return _claim_and_notify(
            kind=Reminder.Kind.INSTRUCTION_DUE, due_on=timezone.localtime(event.due_at).date(),
            keys={"event": event}, recipients=lambda: case_holders(event.case),
            title=lambda: _("%(number)s 领导批示已到办理时限") % {"number": event.case.number},
            url=_case_url(event.case_id))

    # --- 每日汇总: once a day per user, from the digest hour on ----------------------------------------

    def digest(self) -> None:
        if timezone.localtime(self.now).hour < getattr(settings, "REMINDER_DIGEST_HOUR", 8):
            return
        claimed = Reminder.objects.filter(kind=Reminder.Kind.DIGEST, user=OuterRef("pk"), due_on=self.today)
        rows = (User.objects.filter(is_active=True, role__in=DIGEST_ROLES).filter(~Exists(claimed))
                .order_by("pk")[:BATCH])
        self._each("digest", rows, self._digest_one)

    def _digest_one(self, user) -> bool:
        figures = digest_figures(user, self.now)
        parts = [label % {"n": n} for label, n in (
            (_("%(n)d家企业到期未联系"), figures["follow_ups"]),
            (_("%(n)d个问题超期"), figures["cases"]),
            (_("%(n)d件转办超期"), figures["referrals"]),
        ) if n]
        return _claim_and_notify(
            kind=Reminder.Kind.DIGEST, due_on=self.today, keys={"user": user},
            # Nothing to report: the claim is still made, so the user is not looked at again today.
            recipients=lambda: [user.pk] if parts else [],
            title=lambda: _("每日汇总：") + "，".join(parts), url=_url("home"))


DIGEST_ROLES = (Role.LIAISON, Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON,
                Role.DEPARTMENT)
MINISTRY_STATES = ("escalated", "accepted", "routed", "tracking")


def case_holders(case) -> list[int]:
    """Who holds the problem in its state: the 部专班 for escalated work, else the province (its leads
    alone while it waits for approval), and a liaison officer who raised it."""
    if case.state in MINISTRY_STATES or (case.level == "ministry" and case.state in ("responded", "confirmed")):
        query = Q(role=Role.MINISTRY)
    elif case.state == "pending_approval":
        query = Q(role=Role.PROVINCE_LEAD, region_id=case.region_id)
    else:
        query = Q(role__in=[Role.PROVINCE, Role.PROVINCE_LEAD], region_id=case.region_id)
    query |= Q(pk=case.reporter_id, role=Role.LIAISON)
    return list(User.objects.filter(query, is_active=True).values_list("pk", flat=True))


def digest_figures(user, now: dt.datetime) -> dict[str, int]:
    from cases.models import OPEN_STATES, Case, Referral

    today = timezone.localdate(now)
    follow_ups = 0
    if user.role == Role.LIAISON:
        follow_ups = with_follow_up(LiaisonAssignment.objects.filter(officer=user, ended_on__isnull=True)).filter(
            due_on__lt=today).count()
    cases = Case.objects.visible_to(user).filter(state__in=OPEN_STATES, due_at__lt=now).count()
    referrals = 0
    if user.role == Role.DEPARTMENT:
        referrals = Referral.objects.visible_to(user).filter(state=Referral.State.PENDING, due_date__lt=today).count()
    return {"follow_ups": follow_ups, "cases": cases, "referrals": referrals}


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """One sweep of every kind of due work; the number of due events claimed per kind."""
    from chainwork.audit import command_context

    with command_context("send_reminders"):
        return Sweep(now).run()
