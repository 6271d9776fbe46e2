"""Celery tasks of the reports app: the reminder sweep and recounting the kept dashboard figures (beat
runs both every minute), and keeping the 日报's figures of each day once its cut-off has passed."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from chainwork import kept
from reports import day_figures
from reports.digest import sweep


# The sweep is idempotent (claims by unique keys), so a retry after a lost database connection is safe;
# the hard limit stays under the beat interval's few multiples so overlapping sweeps stay rare.
@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=3,
             soft_time_limit=110, time_limit=120)
def sweep_reminders() -> dict[str, int]:
    return sweep()


# Recounting is idempotent; a run that fails leaves the old figures shown and the next beat tries again,
# so no retries. The expiry (in the schedule) drops runs queued while no worker was there to take them.
@shared_task(name="reports.refresh_kept_figures", acks_late=True, soft_time_limit=300, time_limit=330)
def refresh_kept_figures() -> int:
    return kept.refresh_kept()


# Keeping a day is idempotent and a kept day is skipped, so a failed run is left to the next beat.
@shared_task(name="reports.keep_day_figures", acks_late=True, soft_time_limit=240, time_limit=270)
def keep_day_figures() -> int:
    return day_figures.keep_recent()
