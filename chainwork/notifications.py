"""The one writer of notifications: the in-app rows and, in the same transaction, the delivery rows
(outbox) of the outside channels each person chose for the kind; the deliveries are queued after commit
and sent by chainwork.channels. `notify()` tells one person, `notify_many()` a whole batch in three
statements (the reminder sweep at national scale, a timeline event's recipients).

A notice is written once per user and dedupe key, or once per user and timeline event: a retried task or
a second sweep adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from chainwork.channels import channels_for_many, enqueue
from chainwork.models import Notification


@dataclass(frozen=True)
class Note:
    user_id: int
    kind: str
    title: str
    url: str
    dedupe_key: str = ""
    body: str = ""
    case_event_id: int | None = None
    channel_kind: str = ""  # the preference kind that picks the channels; the kind itself when empty


def notify(*, user_id: int, kind: str, title: str, url: str, dedupe_key: str = "", body: str = "",
           case_event_id: int | None = None, channel_kind: str = "") -> Notification | None:
    """Tell one person (inside the caller's transaction). None when they were already told."""
    created = _write([Note(user_id=user_id, kind=kind, title=title, url=url, dedupe_key=dedupe_key, body=body,
                           case_event_id=case_event_id, channel_kind=channel_kind)])
    return Notification.objects.get(pk=created[0][0]) if created else None


def notify_many(notes: Sequence[Note]) -> dict[str, int]:
    """Tell many (inside the caller's transaction): the number written per dedupe key."""
    written: dict[str, int] = {}
    for _id, _user, _kind, key in _write(notes):
        written[key] = written.get(key, 0) + 1
    return written


def _write(notes: Sequence[Note]) -> list[tuple[int, int, str, str]]:
    """Insert the notices that do not exist yet and their outbox rows; (id, user, kind, key) of each new one."""
    if not notes:
        return []
    now = timezone.now()
    channel_kind = {(n.user_id, n.kind): n.channel_kind or n.kind for n in notes}
    with connection.cursor() as cursor:
        # One statement over arrays: parsing thousands of VALUES rows costs more than the inserts. Either
        # unique constraint (user and dedupe key, user and event) makes a repeated notice a no-op.
        cursor.execute(
            "INSERT INTO chainwork_notification (user_id, kind, title, body, url, dedupe_key, case_event_id, "
            "created_at) SELECT u, k, t, b, l, d, e, %s FROM unnest(%s::bigint[], %s::text[], %s::text[], "
            "%s::text[], %s::text[], %s::text[], %s::bigint[]) AS n(u, k, t, b, l, d, e) "
            "ON CONFLICT DO NOTHING RETURNING id, user_id, kind, dedupe_key",
            [now, [n.user_id for n in notes], [n.kind for n in notes], [n.title[:200] for n in notes],
             [n.body for n in notes], [n.url[:300] for n in notes], [n.dedupe_key[:120] for n in notes],
             [n.case_event_id for n in notes]])
        created = cursor.fetchall()
        chosen = channels_for_many({(user_id, channel_kind[(user_id, kind)]) for _id, user_id, kind, _key in created})
        deliveries = [(notification_id, channel)
                      for notification_id, user_id, kind, _key in created
                      for channel in chosen.get((user_id, channel_kind[(user_id, kind)]), ())]
        if deliveries:
            cursor.execute(
                "INSERT INTO chainwork_notificationdelivery (notification_id, channel, created_at, attempts, "
                "last_error) SELECT n, c, %s, 0, '' FROM unnest(%s::bigint[], %s::text[]) AS d(n, c) "
                "ON CONFLICT DO NOTHING",
                [now, [d[0] for d in deliveries], [d[1] for d in deliveries]])
            transaction.on_commit(lambda: enqueue(deliveries))
    return created
