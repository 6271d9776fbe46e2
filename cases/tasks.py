"""Notifications of timeline events: who is told what, once each (a retried task adds nothing)."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import CaseEvent, Visibility
from chainwork.models import Notification, Role, User
from chainwork.scope import MINISTRY_SIDE

# action → who hears of it: "leads" (province leads of the region), "province" (officials of the
# region), "ministry", "reporter", "shared_region" (the region asked for 协办)
RECIPIENTS = {
    "submit": ("leads",),
    "supplement": ("leads",),
    "approve": ("ministry", "reporter"),
    "send-back": ("reporter",),
    "withdraw": ("ministry",),
    "accept": ("province",),
    "return-for-info": ("province",),
    "return-local": ("province",),
    "respond": ("province", "reporter"),
    "confirm": ("ministry",),
    "close": ("reporter",),
    "reopen": ("province", "ministry"),
    "urge": ("province",),
    "supervise": ("province",),
    "instruct": ("province", "ministry"),
    "share": ("shared_region",),
    "flag": ("ministry",),
}


def recipients(event: CaseEvent) -> set[int]:
    case = event.case
    groups = RECIPIENTS.get(event.action, ())
    query = Q(pk__in=[])
    if "leads" in groups:
        query |= Q(role=Role.PROVINCE_LEAD, region_id=case.region_id)
    if "province" in groups:
        query |= Q(role__in=[Role.PROVINCE, Role.PROVINCE_LEAD], region_id=case.region_id)
    if "ministry" in groups and (event.action != "confirm" or case.level == "ministry"):
        query |= Q(role=Role.MINISTRY)
    if "reporter" in groups:
        query |= Q(pk=case.reporter_id)
    if "shared_region" in groups and event.data.get("region"):
        query |= Q(role__in=[Role.PROVINCE, Role.PROVINCE_LEAD], region_id=event.data["region"])
    users = User.objects.filter(query, is_active=True).exclude(pk=event.actor_id)
    if event.visibility == Visibility.MINISTRY:
        users = users.filter(role__in=MINISTRY_SIDE)
    return set(users.values_list("pk", flat=True))


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notify_case_event(event_id: int) -> int:
    event = CaseEvent.objects.select_related("case", "actor").filter(pk=event_id).first()
    if event is None:
        return 0
    from cases.workflow import ACTIONS

    label = ACTIONS[event.action].label if event.action in ACTIONS else event.action
    title = _("%(number)s：%(actor)s%(action)s") % {"number": event.case.number, "actor": event.actor,
                                                    "action": label}
    url = f"/cases/{event.case_id}/"
    created = 0
    for user_id in recipients(event):
        _row, made = Notification.objects.get_or_create(
            user_id=user_id, case_event_id=event.pk,
            defaults={"kind": event.action, "title": title, "body": event.note[:500], "url": url},
        )
        created += made
    return created
