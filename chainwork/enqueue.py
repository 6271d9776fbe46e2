"""Queueing Celery tasks from a request without letting the broker decide whether the request succeeds.

A write is committed before its task is queued (style.md: side effects only after commit), so by the
time the broker is found unreachable the user's change is saved: answering 500 then would tell them it
failed and invite a second, duplicate write. Instead the error is logged and the work is kept by one of
two fallbacks, chosen by the caller for what the task does:

- ``INLINE``: the task runs here, in this process, after the commit. For work that only writes rows in
  our own database (the in-app notifications of a timeline event) and is idempotent, so a message that
  did reach the broker after all and runs twice adds nothing.
- ``SWEEP``: nothing more is done now; a row in the database already records the work (the
  notification outbox), and the periodic sweep (chainwork.reminders) queues it again once the broker
  answers. For work that talks to the outside world (mail, webhooks), which must not run in a request.

How long a request waits on an unreachable broker is bounded by the Celery settings
CELERY_TASK_PUBLISH_RETRY_POLICY and the transport's connect timeout (chainwork/settings.py).
"""

from __future__ import annotations

import enum
import logging

from django.db import transaction

log = logging.getLogger(__name__)


class Fallback(enum.Enum):
    INLINE = "inline"
    SWEEP = "sweep"


def enqueue(task, *args, fallback: Fallback) -> bool:
    """Queue ``task(*args)``; True when the broker took it. Never raises."""
    try:
        task.delay(*args)
        return True
    except Exception:  # kombu.exceptions.OperationalError and anything the transport raises
        log.warning("could not queue %s%r; %s", task.name, args,
                    "running it here" if fallback is Fallback.INLINE else "the sweep queues it later",
                    exc_info=True)
    if fallback is Fallback.INLINE:
        try:
            task(*args)
        except Exception:
            log.exception("running %s%r in-process failed", task.name, args)
    return False


def enqueue_on_commit(task, *args, fallback: Fallback) -> None:
    """Queue ``task(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, fallback=fallback))
