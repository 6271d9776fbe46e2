"""The timeline as the detail page shows it: each event with its label and lines (the wording of its
lifecycle entry), its deadline light and its attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.deadlines import light
from cases.lifecycle import ACTIONS, OTHER_DETAILS, ROLE_LABELS, action_label
from cases.models import Attachment, CaseEvent


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    label: str
    details: tuple[str, ...]
    light: str
    attachments: tuple[Attachment, ...]


def _details(event: CaseEvent) -> tuple[str, ...]:
    """The timeline's lines of an event: its lifecycle entry's wording, or the referral's department."""
    data = event.data or {}
    spec = ACTIONS.get(event.action)
    if spec is not None:
        return spec.details(data)
    if event.action in OTHER_DETAILS:
        return OTHER_DETAILS[event.action](data)
    if event.action.startswith("referral-") and data.get("department_name"):
        return (_("%(role)s部门：%(name)s") % {"role": ROLE_LABELS.get(data.get("role"), ""),
                                            "name": data["department_name"]},)
    return ()


def timeline(events) -> list[TimelineEntry]:
    return [TimelineEntry(event=e, label=action_label(e.action), details=_details(e),
                          light=light(e.due_at) if e.due_at else "", attachments=tuple(e.attachments.all()))
            for e in events]


