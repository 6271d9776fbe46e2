import datetime as dt
import time

import pytest
from django.utils import timezone

from liaison.models import ContactRecord, LiaisonAssignment
from tests.celery_worker import worker_on_own_queue
from tests.factories import EnterpriseFactory


@pytest.fixture(autouse=True)
def liaison_media(settings, tmp_path):
    """Photos in a tmp dir; no outside channels unless a test asks for one."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NOTIFY_DEFAULT_CHANNELS = []


def assign(officer, enterprise=None, cadence=3, started_days_ago=30):
    enterprise = enterprise or EnterpriseFactory(is_lead=True)
    return LiaisonAssignment.objects.create(
        enterprise=enterprise, officer=officer, cadence_days=cadence,
        started_on=timezone.localdate() - dt.timedelta(days=started_days_ago))


def contact(assignment, days_ago: int, next_in: int) -> ContactRecord:
    return ContactRecord.objects.create(
        enterprise=assignment.enterprise, officer=assignment.officer, assignment=assignment,
        contacted_at=timezone.now() - dt.timedelta(days=days_ago), summary="电话了解复工情况",
        next_follow_up=timezone.localdate() + dt.timedelta(days=next_in))


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="module")
def celery_worker_queue(django_db_setup, django_db_blocker):
    """A real Celery worker in a thread, on the configured broker (Redis in CI, the filesystem
    transport locally), consuming a queue of its own per pytest-xdist process (stack.md pitfall 7).
    It stops with the module: left running, it would take the tasks that later tests queue (every
    timeline event queues its e-mail deliveries) and read the database while their teardown empties it."""
    with worker_on_own_queue("liaison", django_db_blocker) as queue:
        yield queue
