"""Reminders are due work in a column, swept by beat: while the broker is down beat cannot queue the
sweep, and nothing is produced; once it is back, the sweep a real worker runs produces the reminders
that fell due in the meantime, exactly once however many sweeps were queued."""

import pytest
from kombu.exceptions import OperationalError as BrokerError

from chainwork.models import Notification, Reminder
from chainwork.reference import load_reference_data
from reports.tasks import sweep_reminders
from tests.base import make_personas
from tests.liaison.conftest import assign, contact, wait_for
from tests.reliability_faults.conftest import broker_unreachable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(db, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = []
    load_reference_data()  # truncation removed the reference rows (stack.md pitfall 6)
    return make_personas()


def test_the_sweeps_queued_after_the_outage_remind_exactly_once(people, celery_worker):
    officer = people.liaison_hubei
    contact(assign(officer), days_ago=5, next_in=-2)
    with broker_unreachable(), pytest.raises(BrokerError):
        sweep_reminders.delay()  # what beat meets every minute of the outage
    assert not Reminder.objects.exists()
    sweep_reminders.delay(), sweep_reminders.delay()  # the broker is back: beat's next tick, and one more
    wait_for(lambda: Notification.objects.filter(user=officer, kind="follow_up").exists())
    marker = contact(assign(people.liaison_guangdong), days_ago=5, next_in=-2)
    sweep_reminders.delay()  # queued after both: once it has run, so have they
    wait_for(lambda: Notification.objects.filter(user=marker.officer, kind="follow_up").exists())
    assert Notification.objects.filter(user=officer, kind="follow_up").count() == 1
