"""Notifications of timeline events: the task loads the event, asks its lifecycle entry whom it tells,
and hands the notices to the one notifier (chainwork.notifications), which writes the in-app rows and
the deliveries of each person's channels, once per user and event (a retried task adds nothing)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.lifecycle import (
    ACTIONS,
    Tells,
    action_label,
    extension_requesters,
    ministry,
    province_if_registered_for_it,
)
from cases.models import CaseEvent, Visibility
from chainwork.enqueue import Fallback, enqueue
from chainwork.models import Role, User
from chainwork.notifications import Note, notify_many
from chainwork.scope import MINISTRY_SIDE

# The preference kind under which a person chooses the channels of every timeline notice.
CASE_EVENT_KIND = "case_event"



def department_on_behalf(event: CaseEvent) -> Q:
    """The department whose answer the 部专班 recorded for it (代录): its users learn what was recorded."""
    data = event.data or {}
    if not data.get("on_behalf") or not data.get("department"):
        return Q(pk__in=[])
    return Q(role=Role.DEPARTMENT, department__slug=data["department"])


# Timeline events written outside the lifecycle table: a problem a 行业协会 registered tells the province's
# work group, which triages it; a department's answer, send-back or 申请延期 tells
# the 部专班; an answer the 部专班 recorded on a department's behalf tells that department; a decision on
# 申请延期 tells the side that asked (cases.extensions).
OTHER_TELLS: dict[str, tuple[Tells, ...]] = {
    "create": (province_if_registered_for_it,),
    "referral-respond": (ministry, department_on_behalf),
    "referral-send-back": (ministry, department_on_behalf),
    "referral-extend": (ministry,),
    "extension-grant": (extension_requesters,),
    "extension-refuse": (extension_requesters,),
}


def tells_of(action: str) -> tuple[Tells, ...]:
    spec = ACTIONS.get(action)
    return spec.tells if spec else OTHER_TELLS.get(action, ())


def recipients(event: CaseEvent) -> set[int]:
    """Who hears of the event: its entry's rules, active users only, never the actor; an event only the
    部专班 side may read goes to that side only."""
    query = Q(pk__in=[])
    for rule in tells_of(event.action):
        query |= rule(event)
    users = User.objects.filter(query, is_active=True).exclude(pk=event.actor_id)
    if event.visibility == Visibility.MINISTRY:
        users = users.filter(role__in=MINISTRY_SIDE)
    return set(users.values_list("pk", flat=True))


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notify_case_event(event_id: int) -> int:
    event = CaseEvent.objects.select_related("case", "actor").filter(pk=event_id).first()
    if event is None:
        return 0
    users = recipients(event)
    if not users:
        return 0
    title = _("%(number)s：%(actor)s%(action)s") % {"number": event.case.number, "actor": event.actor,
                                                    "action": action_label(event.action)}
    url = f"/cases/{event.case_id}/"
    notes = [Note(user_id=user_id, kind=event.action, title=title, url=url, body=event.note[:500],
                  case_event_id=event.pk, channel_kind=CASE_EVENT_KIND) for user_id in sorted(users)]
    with transaction.atomic():
        return sum(notify_many(notes).values())


def queue_event_notifications(event_id: int) -> None:
    """Queue the event's notifications once the current transaction commits. With the broker down they
    are written in-process instead: no sweep looks for events left unnotified, and the task only writes
    our own rows, once per user and event, so nothing is lost and nothing doubles."""
    transaction.on_commit(lambda: enqueue(notify_case_event, event_id, fallback=Fallback.INLINE))


@shared_task(name="cases.compact_list_changes", acks_late=True, soft_time_limit=60, time_limit=90)
def compact_list_changes() -> int:
    """Beat: fold the 问题台账's change rows (cases.page_cache.compact_list_changes)."""
    from cases.page_cache import compact_list_changes as compact

    return compact()
