"""The audit trail: django-pghistory triggers record every insert, update and delete of the tracked
models — bulk and queryset updates and raw SQL included — with the request's context (who, from
which address, which URL or command). Event tables are append-only (PGHISTORY_APPEND_ONLY): the
database refuses to update or delete them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pghistory
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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


# Secrets, keys derived from other fields, bookkeeping timestamps and versions say nothing to a reader.
HIDDEN_FIELDS = ("password", "last_login", "id", "updated_at", "created_at", "name_pinyin", "name_initials",
                 "version")


def _diff(before: dict | None, after: dict | None) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    keys = [k for k in {**before, **after} if k not in HIDDEN_FIELDS and not k.startswith("pgh_")]
    empty = (None, "", [], {})
    return {k: [before.get(k), after.get(k)] for k in keys
            if before.get(k) != after.get(k) and not (before.get(k) in empty and after.get(k) in empty)}


SYSTEM = _("系统导入")


def _names(fields: dict, events: list) -> dict[tuple[type, Any], str]:
    """The names of every object the events' foreign keys point at, one query per related model."""
    wanted: dict[type, set] = {}
    for event in events:
        for attname, value in (event.pgh_data or {}).items():
            field = fields.get(attname)
            if field is not None and field.is_relation and value not in (None, ""):
                wanted.setdefault(field.related_model, set()).add(value)
    names = {}
    for model, keys in wanted.items():
        for related in model._default_manager.filter(pk__in=keys):
            names[(model, related.pk)] = str(related)
    return names


def display_value(field, value, names: dict) -> str | None:
    """A stored value as a reader says it: a choice's label, 是/否, a region or user by name, a rate
    (a fraction in a field named *_rate) as a percentage, a time in local time; None when empty."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if field is None:
        return str(value)
    if field.is_relation:
        return names.get((field.related_model, value)) or names.get((field.related_model, str(value))) or str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("是") if value else _("否"))
    if isinstance(field, models.DecimalField) and field.name.endswith("_rate"):
        return f"{Decimal(str(value)) * 100:.1f}%"
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    return str(value)


def _actor(context: dict, users: dict) -> str:
    """Who made the change: the signed-in user, or for a command, a file import without a user or a
    database-level change, the system (系统导入)."""
    if context.get("user"):
        return users.get(context["user"], "—")  # "—": an account since deleted
    return str(SYSTEM)


def _event_model_of(through) -> type | None:
    """The pghistory event model recording adds and removes of a many-to-many through table, if tracked
    (a proxy of the through table carries the triggers: chainwork.models.UserCoveredRegion and the like)."""
    for model in apps.get_models():
        tracked = getattr(model, "pgh_tracked_model", None)
        if tracked is not None and tracked._meta.proxy and tracked._meta.concrete_model is through:
            return model
    return None


@dataclass(frozen=True)
class _SetChange:
    when: Any
    context_id: Any
    context: dict
    label: str  # the field's verbose name
    before: str | None
    after: str | None


def _set_changes(obj) -> list[_SetChange]:
    """The object's many-to-many changes, one per field and transaction, oldest first, each as the set
    before and after in words (汽车 → 防疫物资、汽车).

    The rows record single adds and removes; the sets are found by replaying them backwards from the
    current set, so rows added before the audit began still show. A transaction's rows share their
    timestamp (NOW()) and context, which groups a form's `.set()` into one change."""
    changes = []
    for field in obj._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        event_model = _event_model_of(through)
        if event_model is None:
            continue
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        events = list(event_model.objects.filter(**{source: obj.pk}).select_related("pgh_context")
                      .order_by("-pgh_created_at", "-pgh_id").values(
                          "pgh_created_at", "pgh_label", "pgh_context_id", "pgh_context__metadata", target))
        if not events:
            continue
        current = set(through.objects.filter(**{source: obj.pk}).values_list(target, flat=True))
        groups: list[tuple[Any, Any, dict, set, set]] = []  # (when, context id, context, before, after)
        for event in events:
            key = (event["pgh_created_at"], event["pgh_context_id"])
            if not groups or groups[-1][:2] != key:
                groups.append((*key, event["pgh_context__metadata"] or {}, set(current), set(current)))
            before = groups[-1][3]
            if event["pgh_label"] == "add":
                before.discard(event[target])
            else:
                before.add(event[target])
            current = before
        ids = {pk for group in groups for pk in group[3] | group[4]}
        related = field.related_model
        ordered = [(item.pk, str(item)) for item in related._default_manager.filter(pk__in=ids)]

        def words(keys: set, ordered=ordered) -> str | None:
            return "、".join(name for pk, name in ordered if pk in keys) or None

        for when, context_id, context, before, after in reversed(groups):
            if before != after:
                changes.append(_SetChange(when, context_id, context, str(field.verbose_name),
                                          words(before), words(after)))
    return changes


def history_for(obj) -> list[HistoryEntry]:
    """The object's history, newest first: who, when, from where, and each field's old and new value in
    words (display_value); many-to-many fields as the set before and after, in the entry of the same
    transaction or one of their own."""
    events = list(Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"))
    set_changes = _set_changes(obj)
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    user_ids |= {c.context.get("user") for c in set_changes if c.context.get("user")}
    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    fields = {f.attname: f for f in obj._meta.concrete_fields}
    names = _names(fields, events)
    entries = []
    by_transaction: dict[tuple, HistoryEntry] = {}
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
        entry = HistoryEntry(
            when=event.pgh_created_at,
            label=str(LABELS.get(event.pgh_label, event.pgh_label)),
            user=_actor(context, users),
            ip=context.get("ip"),
            source=context.get("url"),
            changes={str(fields[k].verbose_name) if k in fields else k:
                     [display_value(fields.get(k), old, names), display_value(fields.get(k), new, names)]
                     for k, (old, new) in changes.items()},
        )
        entries.append(entry)
        by_transaction[(event.pgh_created_at, getattr(event, "pgh_context_id", None))] = entry
    for change in set_changes:
        entry = by_transaction.get((change.when, change.context_id))
        if entry is None:
            entry = HistoryEntry(when=change.when, label=str(LABELS["update"]), user=_actor(change.context, users),
                                 ip=change.context.get("ip"), source=change.context.get("url"), changes={})
            by_transaction[(change.when, change.context_id)] = entry
            entries.append(entry)
        entry.changes[change.label] = [change.before, change.after]
    entries.sort(key=lambda e: e.when)
    entries.reverse()
    return entries
