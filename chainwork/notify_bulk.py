"""Notifications by the thousand (the reminder sweep at national scale): what channels.notify() does for
one user, in three statements for a whole batch. Runs inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from chainwork.channels import channels_for_many, enqueue


@dataclass(frozen=True)
class Note:
    user_id: int
    kind: str
    title: str
    url: str
    dedupe_key: str


def notify_many(notes: Sequence[Note]) -> dict[str, int]:
    """Write the in-app notifications that do not exist yet (per user and dedupe key) and their outbox
    rows by each user's channels for the kind; queue the deliveries after commit. The number written
    per dedupe key."""
    if not notes:
        return {}
    now = timezone.now()
    with connection.cursor() as cursor:
        # One statement over arrays: parsing thousands of VALUES rows costs more than the inserts.
        cursor.execute(
            "INSERT INTO chainwork_notification (user_id, kind, title, body, url, dedupe_key, created_at) "
            "SELECT u, k, t, '', l, d, %s FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) "
            "AS n(u, k, t, l, d) ON CONFLICT DO NOTHING RETURNING id, user_id, kind, dedupe_key",
            [now, [n.user_id for n in notes], [n.kind for n in notes], [n.title[:200] for n in notes],
             [n.url[:300] for n in notes], [n.dedupe_key[:120] for n in notes]])
        created = cursor.fetchall()
        chosen = channels_for_many({(user_id, kind) for _id, user_id, kind, _key in created})
        deliveries = [(notification_id, channel, now, 0, "")
                      for notification_id, user_id, kind, _key in created
                      for channel in chosen.get((user_id, kind), ())]
        if deliveries:
            cursor.execute(
                "INSERT INTO chainwork_notificationdelivery (notification_id, channel, created_at, attempts, "
                "last_error) SELECT n, c, %s, 0, '' FROM unnest(%s::bigint[], %s::text[]) AS d(n, c) "
                "ON CONFLICT DO NOTHING",
                [now, [d[0] for d in deliveries], [d[1] for d in deliveries]])
            pairs = [(notification_id, channel) for notification_id, channel, *_rest in deliveries]
            transaction.on_commit(lambda: enqueue(pairs))
    written: dict[str, int] = {}
    for _id, _user, _kind, key in created:
        written[key] = written.get(key, 0) + 1
    return written
