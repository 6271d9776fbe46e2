"""The audit of a many-to-many link: pghistory tracks a proxy of the auto-created through table, each add
and each remove one row, and the 变更记录 shows the sets before and after in words (chainwork.audit)."""

from __future__ import annotations

import pghistory
from django.db import models


def track_links(event_model: str, owner: str | None = None, index: str | None = None):
    """The decorator of such a proxy: its event model's name and, when the 变更记录 reads the events of one
    record, the through table's field of that record (the event table is indexed on it, under `index`)."""
    meta = {"indexes": [models.Index(fields=[owner], name=index)]} if owner else {}
    return pghistory.track(
        pghistory.InsertEvent("add"), pghistory.DeleteEvent("remove"), obj_field=None, model_name=event_model,
        **({"meta": meta} if meta else {}))
