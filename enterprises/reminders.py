"""The reminder sweep (Celery beat every minute, and `manage.py send_reminders`): one function per kind
of due work. Each reads its due column, skips what was already claimed, and for each due event
claims it by inserting a Reminder row — the partial unique constraints on (assignment, follow-up
date), (problem, state, due date), (referral, due date), (instruction, due date) and (user, digest
date) make that insert succeed once — then writes the Notification rows and their outbox rows in
the same transaction, so a sweep killed before its commit leaves nothing and the next one sends it.
One row that raises is logged and skipped; the rest go on.

At national scale a sweep finds thousands of due events: each kind is claimed and notified a batch at
a time (one INSERT … ON CONFLICT DO NOTHING RETURNING for the claims, three statements for the
notifications and their outbox, recipients from one read of the active users). Should a batch fail,
its rows are done one by one as above, so one bad row still costs only itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from psycopg2.extras import execute_values

from chainwork.channels import redeliver_pending
from chainwork.models import Role, User
from chainwork.notifications import Note, notify, notify_many
from chainwork.scope import scope_for
from enterprises.contacts import with_follow_up
from enterprises.models import LiaisonAssignment, Reminder

log = logging.getLogger(__name__)
BATCH = 5000  # due events per kind and sweep; the rest wait a minute


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


@dataclass
class Due:
    """One due event: its claim's keys (ids) and what to tell whom."""

    kind: str
    due_on: dt.date
    keys: dict  # assignment_id / case_id + state / referral_id / event_id / user_id
    recipients: Callable[[], Iterable[int]]
    title: Callable[[], str]
    url: str

    def claim_key(self) -> tuple:
        k = self.keys
        return (k.get("assignment_id"), k.get("case_id"), k.get("state", ""), k.get("referral_id"),
                k.get("event_id"), k.get("user_id"), self.due_on)


def _claim_many(dues: list[Due]) -> dict[int, int]:
    """Claim every due event not claimed yet, in one statement: {index in dues: reminder id}."""
    now = timezone.now()
    index = {due.claim_key(): n for n, due in enumerate(dues)}
    with connection.cursor() as cursor:
        rows = execute_values(
            cursor.cursor,
            "INSERT INTO enterprises_reminder (kind, assignment_id, case_id, state, referral_id, event_id, user_id, "
            "due_on, notified, created_at) VALUES %s ON CONFLICT DO NOTHING "
            "RETURNING id, assignment_id, case_id, state, referral_id, event_id, user_id, due_on",
            [(due.kind, *due.claim_key(), 0, now) for due in dues], fetch=True, page_size=1000)
    return {index[tuple(row[1:])]: row[0] for row in rows}


def _set_notified(counts: dict[int, int]) -> None:
    counts = {pk: n for pk, n in counts.items() if n}
    if not counts:
        return
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, "UPDATE enterprises_reminder r SET notified = v.n FROM (VALUES %s) AS v(id, n) "
                                      "WHERE r.id = v.id", list(counts.items()), page_size=1000)


def _claim_and_notify_many(dues: list[Due]) -> int:
    """_claim_and_notify() of a whole batch, in the caller's transaction: the number claimed."""
    claimed = _claim_many(dues)
    notes = []
    for n, reminder_id in claimed.items():
        due = dues[n]
        text = due.title()
        notes.extend(Note(user_id=user_id, kind=due.kind, title=text, url=due.url, dedupe_key=f"reminder:{reminder_id}")
                     for user_id in sorted(set(due.recipients())))
    written = notify_many(notes)
    _set_notified({pk: written.get(f"reminder:{pk}", 0) for pk in claimed.values()})
    return len(claimed)


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


class Sweep:
    def __init__(self, now: dt.datetime | None = None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts: dict[str, int] = {}
        self.failed = 0
        self._people: People | None = None

    @property
    def people(self) -> People:
        if self._people is None:
            self._people = People()
        return self._people

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

    def _process(self, kind: str, rows, to_due: Callable[[object, bool], Due]) -> None:
        """Claim and notify the rows' due events a batch at a time; a batch that fails is done row by row."""
        rows = list(rows)
        if not rows:
            return
        try:
            with transaction.atomic():
                self.counts[kind] += _claim_and_notify_many([to_due(row, True) for row in rows])
            return
        except Exception:
            log.exception("reminder sweep: a batch of %s failed; its rows are done one by one", kind)
        for row in rows:
            try:
                due = to_due(row, False)
                self.counts[kind] += bool(_claim_and_notify(
                    kind=due.kind, due_on=due.due_on, keys=due.keys, recipients=due.recipients,
                    title=due.title, url=due.url))
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
        self._process("follow_up", rows, self._follow_up_due)

    def _follow_up_due(self, assignment, batch: bool) -> Due:
        def title() -> str:
            overdue = (self.today - assignment.due_on).days
            if overdue > 0:
                return _("联系提醒：%(name)s已超过约定联系日期%(days)d天") % {
                    "name": assignment.enterprise.name, "days": overdue}
            return _("联系提醒：今天应联系%(name)s") % {"name": assignment.enterprise.name}

        return Due(kind=Reminder.Kind.FOLLOW_UP, due_on=assignment.due_on, keys={"assignment_id": assignment.pk},
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
        self._process("case_overdue", rows, self._case_overdue_due)

    def _case_overdue_due(self, case, batch: bool) -> Due:
        def title() -> str:
            values = {"number": case.number, "state": case.get_state_display()}
            if case.state == "escalated":
                return _("%(number)s 上报部专班后未按时受理") % values
            if case.supervision:
                return _("%(number)s 已超过督办时限（%(state)s）") % values
            return _("%(number)s 已超过办理时限（%(state)s）") % values

        return Due(kind=Reminder.Kind.CASE_OVERDUE, due_on=timezone.localtime(case.due_at).date(),
                   keys={"case_id": case.pk, "state": case.state},
                   recipients=lambda: self.people.case_holders(case),
                   title=title, url=_case_url(case.pk))

    # --- 转办超期: a department's referral past its deadline --------------------------------------------

    def referral_overdue(self) -> None:
        from cases.models import Referral

        claimed = Reminder.objects.filter(kind=Reminder.Kind.REFERRAL_OVERDUE, referral=OuterRef("pk"),
                                          due_on=OuterRef("due_date"))
        rows = (Referral.objects.filter(state=Referral.State.PENDING, due_date__lt=self.today)
                .filter(~Exists(claimed)).select_related("case", "department").order_by("due_date", "pk")[:BATCH])
        self._process("referral_overdue", rows, self._referral_due)

    def _referral_due(self, referral, batch: bool) -> Due:
        return Due(kind=Reminder.Kind.REFERRAL_OVERDUE, due_on=referral.due_date, keys={"referral_id": referral.pk},
                   recipients=lambda: self.people.referral_holders(referral.department_id),
                   title=lambda: _("%(number)s 转办%(department)s已超过办理时限") % {
                       "number": referral.case.number,
                       "department": referral.department.short_name or referral.department},
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
        self._process("instruction_due", rows, self._instruction_due)

    def _instruction_due(self, event, batch: bool) -> Due:
        return Due(kind=Reminder.Kind.INSTRUCTION_DUE, due_on=timezone.localtime(event.due_at).date(),
                   keys={"event_id": event.pk},
                   recipients=lambda: self.people.case_holders(event.case),
                   title=lambda: _("%(number)s 领导批示已到办理时限") % {"number": event.case.number},
                   url=_case_url(event.case_id))

    # --- 每日汇总: once a day per user, from the digest hour on ----------------------------------------

    def digest(self) -> None:
        if timezone.localtime(self.now).hour < getattr(settings, "REMINDER_DIGEST_HOUR", 8):
            return
        claimed = Reminder.objects.filter(kind=Reminder.Kind.DIGEST, user=OuterRef("pk"), due_on=self.today)
        rows = list(User.objects.filter(is_active=True, role__in=DIGEST_ROLES).filter(~Exists(claimed))
                    .order_by("pk")[:BATCH])
        if rows:
            self._digest_counts = DigestCounts(self.now)
        self._process("digest", rows, self._digest_due)

    def _digest_due(self, user, batch: bool) -> Due:
        figures = self._digest_counts.figures(user) if batch else digest_figures(user, self.now)
        parts = [label % {"n": n} for label, n in (
            (_("%(n)d家企业到期未联系"), figures["follow_ups"]),
            (_("%(n)d个问题超期"), figures["cases"]),
            (_("%(n)d件转办超期"), figures["referrals"]),
        ) if n]
        # Nothing to report: the claim is still made, so the user is not looked at again today.
        return Due(kind=Reminder.Kind.DIGEST, due_on=self.today, keys={"user_id": user.pk},
                   recipients=lambda: [user.pk] if parts else [],
                   title=lambda: _("每日汇总：") + "，".join(parts), url=_url("home"))


class DigestCounts:
    """digest_figures() for every user at once: the overdue work counted per region, officer and
    department in four grouped queries, then read per user by their scope."""

    def __init__(self, now: dt.datetime):
        from cases.models import OPEN_STATES, Case, Referral

        today = timezone.localdate(now)
        overdue = Case.objects.filter(state__in=OPEN_STATES, due_at__lt=now)
        self.cases_by_region = dict(overdue.values_list("region_id").annotate(n=Count("pk")).order_by())
        self.cases_total = sum(self.cases_by_region.values())
        self.follow_ups = dict(
            with_follow_up(LiaisonAssignment.objects.filter(ended_on__isnull=True)).filter(due_on__lt=today)
            .values_list("officer_id").annotate(n=Count("pk")).order_by())
        self.referrals = dict(
            Referral.objects.filter(state=Referral.State.PENDING, due_date__lt=today)
            .values_list("department_id").annotate(n=Count("pk")).order_by())
        self.liaison_cases = self._liaison_cases(overdue)

    @staticmethod
    def _liaison_cases(overdue) -> dict[int, int]:
        """Per officer, the overdue problems Case.objects.visible_to() gives them: about or naming an
        enterprise assigned to them now, or logged by them."""
        from cases.models import Case

        current = LiaisonAssignment.objects.filter(ended_on__isnull=True)
        about = overdue.filter(enterprise__in=current.values("enterprise")).values_list(
            "pk", "enterprise_id")
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


DIGEST_ROLES = (Role.LIAISON, Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON,
                Role.DEPARTMENT)
MINISTRY_STATES = ("escalated", "accepted", "routed", "tracking")


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
