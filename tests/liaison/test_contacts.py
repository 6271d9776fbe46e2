"""Assignments, contact records and raising a problem from a contact (the services)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chainwork.audit import history_for
from chainwork.errors import NotPermitted, ValidationError
from chainwork.models import Category
from liaison import services as contacts
from liaison.models import LiaisonAssignment
from liaison.services import ContactData
from tests.factories import EnterpriseFactory, region
from tests.liaison.conftest import assign

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_lead_enterprise_defaults_to_every_3_days(personas):
    enterprise = EnterpriseFactory(is_lead=True)
    a = contacts.assignment_set(actor=personas.hubei, enterprise=enterprise, officer=personas.liaison_hubei)
    assert a.cadence_days == 3


def test_other_enterprise_defaults_to_weekly(personas):
    a = contacts.assignment_set(actor=personas.hubei, enterprise=EnterpriseFactory(),
                                officer=personas.liaison_hubei)
    assert a.cadence_days == 7


def test_reassigning_ends_the_previous_and_keeps_history(personas):
    enterprise = EnterpriseFactory(is_lead=True)
    first = assign(personas.liaison_hubei, enterprise)
    other = type(personas.liaison_hubei).objects.create(username="liaison-2", role="liaison", region=region("42"))
    contacts.assignment_set(actor=personas.ministry, enterprise=enterprise, officer=other)
    first.refresh_from_db()
    assert first.ended_on is not None
    assert LiaisonAssignment.objects.filter(enterprise=enterprise).count() == 2


def test_province_cannot_assign_an_officer_of_another_region(personas):
    with pytest.raises(ValidationError):
        contacts.assignment_set(actor=personas.hubei, enterprise=EnterpriseFactory(),
                                officer=personas.liaison_guangdong)


def test_guangdong_official_cannot_assign_for_a_hubei_enterprise(personas):
    with pytest.raises(NotPermitted):
        contacts.assignment_set(actor=personas.guangdong, enterprise=EnterpriseFactory(),
                                officer=personas.liaison_guangdong)


def test_ministry_assigns_any_officer(personas):
    a = contacts.assignment_set(actor=personas.ministry, enterprise=EnterpriseFactory(),
                                officer=personas.liaison_guangdong)
    assert a.officer == personas.liaison_guangdong


def test_next_follow_up_defaults_from_the_cadence(personas):
    a = assign(personas.liaison_hubei, cadence=3)
    record = contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                            data=ContactData(summary="电话了解复工情况"))
    assert record.next_follow_up == timezone.localdate() + dt.timedelta(days=3)


def test_officer_cannot_record_for_an_enterprise_not_assigned(personas):
    with pytest.raises(NotPermitted):
        contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=EnterpriseFactory(),
                                       data=ContactData(summary="走访"))


def test_ministry_liaison_records_a_visit_in_a_covered_region(personas):
    record = contacts.contact_record_create(actor=personas.ministry_liaison, enterprise=EnterpriseFactory(),
                                            data=ContactData(summary="实地走访", channel="visit"))
    assert record.officer == personas.ministry_liaison


@pytest.mark.parametrize("persona", ["hubei", "hubei_lead"])
def test_a_province_official_records_their_own_contact_in_their_region(personas, persona):
    record = contacts.contact_record_create(actor=getattr(personas, persona), enterprise=EnterpriseFactory(),
                                            data=ContactData(summary="视频连线了解复工情况", channel="video"))
    assert (record.officer, record.assignment) == (getattr(personas, persona), None)


@pytest.mark.parametrize("persona", ["guangdong", "guangdong_lead"])
def test_a_province_official_cannot_record_a_contact_in_another_region(personas, persona):
    with pytest.raises(NotPermitted):
        contacts.contact_record_create(actor=getattr(personas, persona), enterprise=EnterpriseFactory(),
                                       data=ContactData(summary="走访"))


def test_ministry_liaison_cannot_record_outside_covered_regions(personas):
    with pytest.raises(NotPermitted):
        contacts.contact_record_create(actor=personas.ministry_liaison,
                                       enterprise=EnterpriseFactory(region=region("33")),
                                       data=ContactData(summary="实地走访"))


def test_officer_cannot_edit_after_the_window(personas, time_machine):
    a = assign(personas.liaison_hubei)
    record = contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                            data=ContactData(summary="电话"))
    time_machine.move_to(timezone.now() + dt.timedelta(hours=49))
    with pytest.raises(NotPermitted):
        contacts.contact_record_update(actor=personas.liaison_hubei, record=record, data=ContactData(summary="改"))


def test_a_change_of_a_record_is_audited(personas):
    a = assign(personas.liaison_hubei)
    record = contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                            data=ContactData(summary="电话"))
    contacts.contact_record_update(actor=personas.liaison_hubei, record=record, data=ContactData(summary="更正"))
    assert len(history_for(record)) == 2


def test_raising_a_problem_creates_a_linked_case(personas):
    a = assign(personas.liaison_hubei)
    record = contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                            data=ContactData(summary="电话", problems_raised="原料运输受阻"))
    case = contacts.raise_problem(actor=personas.liaison_hubei, record=record,
                                  category_id=Category.objects.first().pk, title="原料运输受阻",
                                  request="请协调开通运输绿色通道")
    assert list(record.problems.all()) == [case]
    assert case.source == "contact"


def test_a_problem_raised_from_a_contact_keeps_the_request_apart_from_the_description(personas):
    a = assign(personas.liaison_hubei)
    record = contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                            data=ContactData(summary="电话", problems_raised="原料运输受阻"))
    case = contacts.raise_problem(actor=personas.liaison_hubei, record=record,
                                  category_id=Category.objects.first().pk, title="原料运输受阻",
                                  request="请协调开通运输绿色通道")
    assert (case.description, case.request) == ("原料运输受阻", "请协调开通运输绿色通道")


def test_a_problem_raised_from_a_contact_needs_its_own_request(personas):
    a = assign(personas.liaison_hubei)
    record = contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                            data=ContactData(summary="电话", problems_raised="原料运输受阻"))
    with pytest.raises(ValidationError) as error:
        contacts.raise_problem(actor=personas.liaison_hubei, record=record,
                               category_id=Category.objects.first().pk, title="原料运输受阻")
    assert "request" in error.value.message_dict


def test_photo_that_is_not_an_image_is_refused(personas):
    a = assign(personas.liaison_hubei)
    upload = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=a.enterprise,
                                       data=ContactData(summary="电话"), photos=[upload])


def test_coverage_counts_contacts_within_cadence(personas):
    on_time = assign(personas.liaison_hubei)
    late = assign(personas.liaison_hubei)
    contacts.contact_record_create(actor=personas.liaison_hubei, enterprise=on_time.enterprise,
                                   data=ContactData(summary="电话"))
    [row] = contacts.coverage(personas.hubei)
    assert (row["assigned"], row["on_time"], [a.pk for a in row["late"]]) == (2, 1, [late.pk])
