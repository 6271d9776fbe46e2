"""The notifications API (design.md Contract): /api/v1/notifications/ (+ {id}/read/, read-all/), fed by
cases.tasks.notify_case_event (called directly: on_commit callbacks do not run inside test transactions)."""

import pytest

from cases.models import CaseEvent
from cases.tasks import notify_case_event
from chainwork.models import Notification
from tests.cases.fixtures_api import NOTIFICATIONS, act, hubei_case, make_chain, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(personas):
    return make_chain()


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def submitted(as_user, personas, chain):
    """A Hubei problem submitted through the API, and the event of that submission."""
    case = hubei_case(personas, chain)
    as_user(personas.hubei).post(url(case, "submit"), {"note": "请审核"}, format="json")
    return CaseEvent.objects.get(case=case, action="submit")


@pytest.fixture
def lead_notified(submitted):
    notify_case_event(submitted.pk)
    return Notification.objects.get(case_event_id=submitted.pk)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_submit_notifies_the_hubei_lead(personas, submitted):
    notify_case_event(submitted.pk)
    assert list(Notification.objects.values_list("user", flat=True)) == [personas.hubei_lead.pk]


def test_submit_notifies_nobody_of_guangdong(personas, submitted):
    notify_case_event(submitted.pk)
    assert not Notification.objects.filter(user__region="44").exists()


def test_running_the_notification_task_twice_adds_nothing(submitted):
    notify_case_event(submitted.pk)
    assert notify_case_event(submitted.pk) == 0
    assert Notification.objects.count() == 1


def test_submit_through_the_api_queues_the_notification_after_commit(as_user, personas, chain,
                                                                     django_capture_on_commit_callbacks):
    case = hubei_case(personas, chain)
    with django_capture_on_commit_callbacks() as callbacks:
        as_user(personas.hubei).post(url(case, "submit"), {}, format="json")
    assert len(callbacks) == 1


def test_lead_lists_their_notification(as_user, personas, lead_notified):
    assert ids(as_user(personas.hubei_lead).get(NOTIFICATIONS)) == {lead_notified.pk}


def test_notification_links_to_the_problem(as_user, personas, lead_notified, submitted):
    row = as_user(personas.hubei_lead).get(NOTIFICATIONS).json()["results"][0]
    assert row["case_event_id"] == submitted.pk
    assert row["unread"] is True


def test_other_users_do_not_list_the_leads_notification(as_user, personas, lead_notified):
    assert as_user(personas.hubei).get(NOTIFICATIONS).json()["count"] == 0


def test_unread_filter_leaves_out_read_notifications(as_user, personas, lead_notified):
    client = as_user(personas.hubei_lead)
    client.post(f"{NOTIFICATIONS}{lead_notified.pk}/read/")
    assert client.get(NOTIFICATIONS, {"unread": "true"}).json()["count"] == 0


def test_read_marks_the_notification_read(as_user, personas, lead_notified):
    response = as_user(personas.hubei_lead).post(f"{NOTIFICATIONS}{lead_notified.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None


def test_reading_another_users_notification_is_404(as_user, personas, lead_notified):
    assert as_user(personas.guangdong_lead).post(f"{NOTIFICATIONS}{lead_notified.pk}/read/").status_code == 404


def test_reading_another_users_notification_leaves_it_unread(as_user, personas, lead_notified):
    as_user(personas.hubei).post(f"{NOTIFICATIONS}{lead_notified.pk}/read/")
    lead_notified.refresh_from_db()
    assert lead_notified.read_at is None


def test_read_all_answers_the_number_marked(as_user, personas, chain, lead_notified):
    second = act(hubei_case(personas, chain), "submit", personas.hubei)
    notify_case_event(second.events.get(action="submit").pk)
    assert as_user(personas.hubei_lead).post(f"{NOTIFICATIONS}read-all/").json() == {"updated": 2}


def test_read_all_leaves_other_users_notifications_unread(as_user, personas, lead_notified):
    as_user(personas.hubei).post(f"{NOTIFICATIONS}read-all/")
    assert Notification.objects.filter(read_at=None).count() == 1


def test_notifications_need_a_login(api_client):
    assert api_client.get(NOTIFICATIONS).status_code in (401, 403)
