"""With the broker unreachable, pages and the API keep working, the user's write is saved, and nothing
that was to be sent is lost: in-app notifications of a timeline event are written in-process, and an
outside delivery waits in the outbox until the sweep queues it once the broker is back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from cases.models import Case, State
from cases.services import CaseData, case_create
from chainwork.models import Category, Notification, NotificationDelivery, Reminder
from liaison.models import ContactRecord
from reports.digest import sweep
from tests.liaison.conftest import assign, contact
from tests.reliability_faults.conftest import broker_unreachable, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(personas, chain):
    data = CaseData(enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug="supply-chain").pk,
                    title="核心供应商停产导致光芯片断供", description="封装厂停产。", request="请协调恢复供货。",
                    named_enterprise_ids=[chain["guangdong_supplier"].pk])
    return case_create(actor=personas.hubei, data=data)


def submit_via_page(client, problem):
    return client.post(reverse("cases-action", args=[problem.pk, "submit"]),
                       {"note": "请负责人审核", "version": problem.version})


def test_the_unreachable_broker_refuses_a_task(broker_down):
    # The premise of this module: publishing really fails, quickly, with kombu's error.
    from cases.tasks import notify_case_event

    with pytest.raises(BrokerError):
        notify_case_event.delay(0)


def test_an_action_via_the_page_is_saved_with_the_broker_down(client_for, personas, problem, broker_down,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = submit_via_page(client_for(personas.hubei), problem)
    # The event's notifications, then (written in-process) the queueing of their e-mail deliveries.
    assert response.status_code == 302 and len(callbacks) == 2
    assert Case.objects.get(pk=problem.pk).state == State.PENDING_APPROVAL


def test_the_lead_is_notified_of_a_submission_made_with_the_broker_down(
        client_for, personas, problem, broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit_via_page(client_for(personas.hubei), problem)
    assert Notification.objects.filter(user=personas.hubei_lead, kind="submit", case_event_id__isnull=False).count() == 1


def test_an_action_via_the_api_is_saved_with_the_broker_down(api_client, personas, problem, broker_down,
                                                             django_capture_on_commit_callbacks):
    api_client.force_authenticate(personas.hubei)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/cases/{problem.pk}/submit/", {"note": "请审核"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "pending_approval"


def test_logging_a_problem_works_with_the_broker_down(client_for, personas, chain, broker_down,
                                                      django_capture_on_commit_callbacks):
    form = {"enterprise": chain["lead"].pk, "category": Category.objects.get(slug="supply-chain").pk,
            "urgency": "normal", "source": "contact", "title": "光芯片断供", "request": "请协调恢复供货。",
            "description": "封装厂停产。"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.hubei).post(reverse("cases-create"), form)
    assert response.status_code == 302 and Case.objects.filter(title="光芯片断供").exists()


def test_recording_a_contact_works_with_the_broker_down(client_for, personas, broker_down,
                                                        django_capture_on_commit_callbacks):
    assignment = assign(personas.liaison_hubei)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.liaison_hubei).post(
            reverse("enterprises-contact-create"),
            {"enterprise": assignment.enterprise.pk, "channel": "phone", "summary": "电话了解复工情况"})
    assert response.status_code == 302 and ContactRecord.objects.filter(summary="电话了解复工情况").exists()


@pytest.fixture
def due_follow_up_by_email(personas, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    settings.REMINDER_DIGEST_HOUR = 24  # no daily digest, whatever the hour: one e-mail, the follow-up's
    return contact(assign(personas.liaison_hubei), days_ago=5, next_in=-2)


def test_a_delivery_the_broker_refused_is_queued_once_it_is_back(
        personas, due_follow_up_by_email, private_queue, django_capture_on_commit_callbacks):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        sweep()  # the reminder and its outbox row are written; queueing the e-mail fails
    delivery = NotificationDelivery.objects.get(notification__user=personas.liaison_hubei)
    later = timezone.now() + dt.timedelta(minutes=10)  # past the outbox's redelivery wait
    counts = sweep(now=later)
    assert counts["redelivered"] == 1 and delivery.sent_at is None
    assert published(private_queue) == [("chainwork.channels.deliver_notification", [delivery.notification_id, "email"])]


def test_the_sweep_after_the_outage_does_not_remind_twice(
        personas, due_follow_up_by_email, private_queue, django_capture_on_commit_callbacks):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        sweep()
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=timezone.now() + dt.timedelta(minutes=10))
    assert Reminder.objects.filter(kind="follow_up").count() == 1
    assert Notification.objects.filter(user=personas.liaison_hubei, kind="follow_up").count() == 1
