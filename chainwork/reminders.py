"""Reminder claims and the sweep that sends them: the core of every app's due work.

Due work is a column swept by Celery beat (and `manage.py send_reminders`). Each app owns the kinds of
its own due work (a `Kind`: its name and a function that finds the due rows); the sweep runs the kinds
it is given in their order. For each due event a kind claims it by inserting a `Reminder` row — the
unique constraint on (kind, subject, state, due date) makes that insert succeed once — then writes
the notifications in the same transaction, so a sweep killed before its commit leaves nothing and the
next one sends it. One row that raises is logged and skipped; the rest go on.

At national scale a sweep finds thousands of due events: each kind is claimed and notified a batch at
a time (one INSERT … ON CONFLICT DO NOTHING RETURNING for the claims, bulk notifications). Should a
batch fail, its rows are done one by one, so one bad row still costs only itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import override
from psycopg2.extras import execute_values

from chainwork.audit import command_context
from chainwork.channels import redeliver_pending
from chainwork.models import Reminder
from chainwork.notifications import Note, notify, notify_many

log = logging.getLogger(__name__)
BATCH = 5000  # due events per kind and sweep; the rest wait a minute


def url(name: str, *args, query: str = "", fallback: str = "/") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return fallback


def unclaimed(kind: str, *, subject="pk", due_on, state=None) -> Exists:
    """`~Exists` for a due-row query: no claim of `kind` yet for this subject (and state) and due date.
    Each argument is a field of the outer row (a name) or a value."""
    def ref(value):
        return OuterRef(value) if isinstance(value, str) else value

    claims = Reminder.objects.filter(kind=kind, subject_id=ref(subject), due_on=ref(due_on))
    if state is not None:
        claims = claims.filter(state=ref(state))
    return ~Exists(claims)


@dataclass
class Due:
    """One due event: its claim's keys and what to tell whom."""

    kind: str
    due_on: dt.date
    subject_id: int
    recipients: Callable[[], Iterable[int]]
    title: Callable[[], str]
    url: str
    state: str = ""

    def claim_key(self) -> tuple:
        return (self.kind, self.subject_id, self.state, self.due_on)


def _claim_and_notify(due: Due) -> bool:
    """Claim the due event and notify its recipients, in one transaction. False when already claimed."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(kind=due.kind, subject_id=due.subject_id, state=due.state,
                                                   due_on=due.due_on)
        except IntegrityError:
            return False  # another sweep has it (it waited for that sweep's commit to find out)
        text = due.title()
        sent = 0
        for user_id in sorted(set(due.recipients())):
            sent += notify(user_id=user_id, kind=due.kind, title=text, url=due.url,
                           dedupe_key=f"reminder:{reminder.pk}") is not None
        if sent:
            Reminder.objects.filter(pk=reminder.pk).update(notified=sent)
    return True


def _claim_many(dues: list[Due]) -> dict[int, int]:
    """Claim every due event not claimed yet, in one statement: {index in dues: reminder id}."""
    now = timezone.now()
    index = {due.claim_key(): n for n, due in enumerate(dues)}
    with connection.cursor() as cursor:
        rows = execute_values(
            cursor.cursor,
            "INSERT INTO chainwork_reminder (kind, subject_id, state, due_on, notified, created_at) "
            "VALUES %s ON CONFLICT DO NOTHING RETURNING id, kind, subject_id, state, due_on",
            [(*due.claim_key(), 0, now) for due in dues], fetch=True, page_size=1000)
    return {index[tuple(row[1:])]: row[0] for row in rows}


def _set_notified(counts: dict[int, int]) -> None:
    counts = {pk: n for pk, n in counts.items() if n}
    if not counts:
        return
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, "UPDATE chainwork_reminder r SET notified = v.n "
                                      "FROM (VALUES %s) AS v(id, n) WHERE r.id = v.id",
                       list(counts.items()), page_size=1000)


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


@dataclass(frozen=True)
class Kind:
    """A kind of due work: `run(sweep)` finds its due rows and hands them to `sweep.process()`."""

    name: str
    run: Callable[[Sweep], None]


class Sweep:
    """One pass over the given kinds, in their order. Kinds may keep what they share on `shared`
    (for example who holds which problem, read once per sweep)."""

    def __init__(self, kinds: Sequence[Kind], now: dt.datetime | None = None):
        self.kinds = kinds
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.counts: dict[str, int] = {}
        self.failed = 0
        self.shared: dict[str, object] = {}

    def run(self) -> dict[str, int]:
        # Messages are stored in the language of the site (Chinese), whoever triggers the sweep.
        with override(settings.LANGUAGE_CODE):
            for kind in self.kinds:
                self.counts[kind.name] = 0
                try:
                    kind.run(self)
                except Exception:  # a broken query of one kind does not stop the other kinds
                    log.exception("reminder sweep: %s failed", kind.name)
                    self.failed += 1
            self.counts["failed"] = self.failed
            self.counts["redelivered"] = redeliver_pending(self.now)
        return self.counts

    def process(self, kind: str, rows, to_due: Callable[[object, bool], Due]) -> None:
        """Claim and notify the rows' due events a batch at a time; a batch that fails is done row by row.
        `to_due(row, batch)` builds a row's Due; `batch` says whether the batch path asks."""
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
                self.counts[kind] += bool(_claim_and_notify(to_due(row, False)))
            except Exception:
                log.exception("reminder sweep: %s %s failed; it is tried again next sweep", kind, row.pk)
                self.failed += 1


def run_sweep(kinds: Sequence[Kind], now: dt.datetime | None = None) -> dict[str, int]:
    with command_context("send_reminders"):
        return Sweep(kinds, now).run()
