"""Celery tasks of the reports: recounting the kept dashboard figures, which beat runs every minute."""

from __future__ import annotations

from celery import shared_task

from chainwork.reports import figures


# Named apart from its module so that the beat schedule and queued messages outlive a move of the app.
# Recounting is idempotent; a run that fails leaves the old figures shown and the next beat tries again,
# so no retries. The expiry (in the schedule) drops runs queued while no worker was there to take them.
@shared_task(name="reports.refresh_kept_figures", acks_late=True, soft_time_limit=300, time_limit=330)
def refresh_kept_figures() -> int:
    return figures.refresh_kept()
