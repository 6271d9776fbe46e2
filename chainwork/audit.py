"""The audit trail: django-pghistory triggers record every insert, update and delete of the tracked
models — bulk and queryset updates and raw SQL included — with the request's context (who, from
which address, which URL or command). Event tables are append-only (PGHISTORY_APPEND_ONLY): the
database refuses to update or delete them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from pghistory.middleware import HistoryMiddleware
from pghistory.models import Events


def client_ip(request) -> str | None:
    """The client's address for the audit and the export log: REMOTE_ADDR, or behind PROXY_COUNT
    reverse proxies the address the outermost of them saw — the PROXY_COUNT-th entry of
    X-Forwarded-For from the right (as django-axes and DRF's throttles count it). Entries to its left
    are whatever the client chose to send, so they are never taken."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class AuditMiddleware(HistoryMiddleware):
    """pghistory's middleware, also recording the client's address and the HTTP method."""

    def get_context(self, request) -> dict[str, Any]:
        context = super().get_context(request)
        context["ip"] = client_ip(request)
        context["method"] = request.method
        return context


def command_context(name: str):
    """Context for changes made outside a request (management commands, Celery tasks)."""
    return pghistory.context(command=name)


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    label: str
    user: str
    ip: str | None
    source: str | None
    changes: dict[str, list[Any]]  # field label -> [old, new]


LABELS = {"insert": _("创建"), "update": _("修改"), "delete": _("删除"), "password.change": _("修改密码"),
          "add": _("添加"), "remove": _("移除")}


# Secrets, keys derived from other fields and bookkeeping timestamps say nothing to a reader.
HIDDEN_FIELDS = ("password", "last_login", "id", "updated_at", "created_at", "name_pinyin", "name_initials")


def _diff(before: dict | None, after: dict | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    keys = [k for k in {**before, **after} if k not in HIDDEN_FIELDS and not k.startswith("pgh_")]
    empty = (None, "", [], {})
    return {k: [before.get(k), after.get(k)] for k in keys
            if before.get(k) != after.get(k) and not (before.get(k) in empty and after.get(k) in empty)}


def history_for(obj) -> list[HistoryEntry]:
    """The object's history, newest first: who, when, from where, and each field's old and new value."""
    events = list(Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"))
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    labels = {f.attname: str(f.verbose_name) for f in obj._meta.concrete_fields}
    entries = []
    previous: dict | None = None
    for event in events:
        context = event.pgh_context or {}
        snapshot = event.pgh_data
        if event.pgh_label == "delete":
            changes = _diff(snapshot, None)
        elif event.pgh_label.startswith("password"):
            changes = {}
        else:
            changes = _diff(previous, snapshot)
            previous = snapshot
        entries.append(HistoryEntry(
            when=event.pgh_created_at,
            label=str(LABELS.get(event.pgh_label, event.pgh_label)),
            user=users.get(context.get("user"), "—"),
            ip=context.get("ip"),
            source=context.get("url") or context.get("command"),
            changes={labels.get(k, k): v for k, v in changes.items()},
        ))
    entries.reverse()
    return entries
