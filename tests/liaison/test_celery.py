"""The sweep and the deliveries through a real Celery worker on the configured broker (Redis in CI),
and two sweeps racing on real PostgreSQL connections."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import close_old_connections, connection

from chainwork.channels import preference_set
from chainwork.models import Notification, NotificationDelivery
from chainwork.reference import load_reference_data
from reports.digest import sweep
from reports.tasks import sweep_reminders
from tests.base import make_personas
from tests.liaison.conftest import assign, contact, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(db):
    load_reference_data()  # truncation removed the reference rows (stack.md pitfall 6)
    return make_personas()


def follow_ups(user):
    return Notification.objects.filter(user=user, kind="follow_up")


def test_worker_sweep_yields_one_notification_for_a_due_follow_up(people, celery_worker_queue):
    contact(assign(people.liaison_hubei), days_ago=5, next_in=-2)
    sweep_reminders.delay()
    assert wait_for(lambda: follow_ups(people.liaison_hubei).count() == 1)


def test_worker_sweep_sends_nothing_for_an_up_to_date_follow_up(people, celery_worker_queue):
    contact(assign(people.liaison_hubei), days_ago=1, next_in=2)
    due = contact(assign(people.liaison_guangdong, enterprise=None), days_ago=5, next_in=-2)
    sweep_reminders.delay()
    wait_for(lambda: follow_ups(due.officer).exists())  # the sweep has run
    assert not follow_ups(people.liaison_hubei).exists()


def test_two_worker_sweeps_send_exactly_one(people, celery_worker_queue):
    contact(assign(people.liaison_hubei), days_ago=5, next_in=-2)
    first, second = sweep_reminders.delay(), sweep_reminders.delay()
    wait_for(lambda: follow_ups(people.liaison_hubei).exists())
    marker = contact(assign(people.liaison_guangdong), days_ago=5, next_in=-2)
    sweep_reminders.delay()  # queued after both: once it has run, so have they
    wait_for(lambda: follow_ups(marker.officer).exists())
    assert follow_ups(people.liaison_hubei).count() == 1 and first.id != second.id


def test_two_concurrent_sweeps_send_exactly_one(people):
    for _ in range(5):
        contact(assign(people.liaison_hubei), days_ago=5, next_in=-2)
    barrier = threading.Barrier(2)
    results = []

    def run():
        close_old_connections()
        try:
            barrier.wait()
            results.append(sweep()["follow_up"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 5
    assert follow_ups(people.liaison_hubei).count() == 5


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"errcode": 0}')

    def log_message(self, *args):
        """No access log: the test's output is not the receiver's."""


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_webhook_channel_delivers_to_the_receiver(people, celery_worker_queue, receiver, settings):
    settings.NOTIFY_WEBHOOK_URL = receiver
    preference_set(user=people.liaison_hubei, kind="follow_up", channels=["webhook"])
    a = assign(people.liaison_hubei)
    contact(a, days_ago=5, next_in=-2)
    sweep_reminders.delay()
    wait_for(lambda: NotificationDelivery.objects.filter(channel="webhook", sent_at__isnull=False).exists())
    assert len(Receiver.received) == 1
    assert Receiver.received[0]["url"].endswith(f"?enterprise={a.enterprise_id}")


def test_webhook_down_retries_and_keeps_the_outbox_row(people, celery_worker_queue, settings):
    settings.NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/unreachable"  # pitfall 12: an unreachable URL
    preference_set(user=people.liaison_hubei, kind="follow_up", channels=["webhook"])
    contact(assign(people.liaison_hubei), days_ago=5, next_in=-2)
    sweep_reminders.delay()
    delivery = wait_for(lambda: NotificationDelivery.objects.filter(channel="webhook", attempts__gte=1,
                                                                    claimed_at__isnull=True).first())
    assert delivery.sent_at is None and "unreachable" in delivery.last_error
