"""Celery tasks of the reports app: the reminder sweep that beat runs every minute."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from reports.digest import sweep


# The sweep is idempotent (claims by unique keys), so a retry after a lost database connection is safe;
# the hard limit stays under the beat interval's few multiples so overlapping sweeps stay rare.
@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=3,
             soft_time_limit=110, time_limit=120)
def sweep_reminders() -> dict[str, int]:
    return sweep()
