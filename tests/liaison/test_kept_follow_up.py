"""Each assignment's kept last contact and next follow-up (`last_contact_at`, `due_on`, liaison migration
0003): its triggers keep them equal to a recount from the contact records, whatever writes the records
or the assignment — services, `.update()`, deletes."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison import services as contacts
from liaison.models import ContactRecord, LiaisonAssignment
from tests.factories import EnterpriseFactory, UserFactory, region
from tests.liaison.conftest import assign, contact

pytestmark = pytest.mark.django_db


def recounted(assignment: LiaisonAssignment) -> tuple:
    """The pair counted from the officer's records for the enterprise now."""
    latest = (ContactRecord.objects.filter(enterprise_id=assignment.enterprise_id, officer_id=assignment.officer_id)
              .order_by("-contacted_at", "-pk").first())
    if latest is None:
        return None, assignment.started_on + dt.timedelta(days=assignment.cadence_days)
    return latest.contacted_at, latest.next_follow_up


def kept(assignment: LiaisonAssignment) -> tuple:
    assignment.refresh_from_db()
    return assignment.last_contact_at, assignment.due_on


def test_before_any_contact_the_follow_up_is_one_cadence_after_the_start(personas):
    a = assign(personas.liaison_hubei, cadence=7, started_days_ago=3)
    assert kept(a) == (None, timezone.localdate() + dt.timedelta(days=4))


def test_a_contact_sets_the_next_follow_up(personas):
    a = assign(personas.liaison_hubei)
    contact(a, days_ago=1, next_in=5)
    assert kept(a) == recounted(a)


def test_an_earlier_contact_recorded_late_leaves_the_latest_in_place(personas):
    a = assign(personas.liaison_hubei)
    contact(a, days_ago=1, next_in=5)
    contact(a, days_ago=4, next_in=-1)
    assert kept(a)[1] == timezone.localdate() + dt.timedelta(days=5)


def test_a_contact_recorded_through_the_service_keeps_the_figures(personas):
    a = assign(personas.liaison_hubei)
    contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise, data=contacts.ContactData(
        summary="电话了解复工情况", next_follow_up=timezone.localdate() + dt.timedelta(days=2)))
    assert kept(a) == recounted(a)


def test_moving_the_latest_contact_recounts(personas):
    a = assign(personas.liaison_hubei)
    record = contact(a, days_ago=1, next_in=5)
    contact(a, days_ago=3, next_in=1)
    ContactRecord.objects.filter(pk=record.pk).update(contacted_at=timezone.now() - dt.timedelta(days=6))
    assert kept(a) == recounted(a)


def test_deleting_the_latest_contact_falls_back_to_the_one_before(personas):
    a = assign(personas.liaison_hubei)
    record = contact(a, days_ago=1, next_in=5)
    contact(a, days_ago=3, next_in=1)
    record.delete()
    assert kept(a) == recounted(a)


def test_deleting_the_only_contact_falls_back_to_the_cadence(personas):
    a = assign(personas.liaison_hubei, cadence=3, started_days_ago=10)
    contact(a, days_ago=1, next_in=5).delete()
    assert kept(a) == (None, timezone.localdate() - dt.timedelta(days=7))


def test_another_officers_contact_does_not_count(personas):
    a = assign(personas.liaison_hubei, cadence=3, started_days_ago=10)
    other = UserFactory(role="liaison", region=region("42"))
    ContactRecord.objects.create(enterprise=a.enterprise, officer=other, contacted_at=timezone.now(),
                                 summary="走访", next_follow_up=timezone.localdate() + dt.timedelta(days=9))
    assert kept(a) == recounted(a) == (None, timezone.localdate() - dt.timedelta(days=7))


def test_a_new_cadence_moves_the_follow_up_before_the_first_contact(personas):
    a = assign(personas.liaison_hubei, cadence=7, started_days_ago=10)
    contacts.assignment_set(actor=personas.ministry, enterprise=a.enterprise, officer=personas.liaison_hubei,
                            cadence_days=3)
    assert kept(a) == recounted(a) == (None, timezone.localdate() - dt.timedelta(days=7))


def test_reassigning_to_an_officer_who_contacted_before_keeps_their_latest_contact(personas):
    enterprise = EnterpriseFactory(is_lead=True)
    first = assign(personas.liaison_hubei, enterprise=enterprise)
    contact(first, days_ago=2, next_in=4)
    other = UserFactory(role="liaison", region=region("42"))
    contacts.assignment_set(actor=personas.ministry, enterprise=enterprise, officer=other)
    again = contacts.assignment_set(actor=personas.ministry, enterprise=enterprise, officer=personas.liaison_hubei)
    assert (again.last_contact_at, again.due_on) == recounted(again) != (None, None)


def test_a_new_assignment_returned_by_the_service_carries_its_follow_up(personas):
    enterprise = EnterpriseFactory(is_lead=False)
    a = contacts.assignment_set(actor=personas.ministry, enterprise=enterprise, officer=personas.liaison_hubei)
    assert a.due_on == timezone.localdate() + dt.timedelta(days=7)


def test_kept_figures_equal_a_recount_over_many_assignments(personas):
    assignments = [assign(personas.liaison_hubei, cadence=c, started_days_ago=20) for c in (1, 3, 7, 14)]
    for n, a in enumerate(assignments[:3]):
        for days_ago in range(n + 1):
            contact(a, days_ago=days_ago + 1, next_in=n - days_ago)
    assert [kept(a) for a in assignments] == [recounted(a) for a in assignments]


def test_a_follow_up_change_writes_no_assignment_history(personas):
    a = assign(personas.liaison_hubei)
    before = a.events.count()
    contact(a, days_ago=1, next_in=5)
    assert a.events.count() == before
