"""A contact record may carry the enterprise's figures of the day (issue 19): they become that day's
status report, in the same transaction, so the officer enters them once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise, StatusReport
from liaison import services as contacts
from liaison.models import ContactRecord
from tests.liaison.conftest import assign

pytestmark = pytest.mark.django_db

FIGURES = {"resumed": "partly", "staff_at_work": 120, "staff_normal": 200, "output": "35.50", "output_normal": "50"}


@pytest.fixture
def assignment(personas):
    return assign(personas.liaison_hubei)


def post_contact(api_client, personas, assignment, **extra):
    api_client.force_authenticate(personas.liaison_hubei)
    return api_client.post("/api/v1/contacts/", {"enterprise": assignment.enterprise.pk, "summary": "电话了解复工情况",
                                                 **extra}, format="json")


def test_the_figures_become_the_days_status_report(api_client, personas, assignment):
    post_contact(api_client, personas, assignment, **FIGURES)
    report = StatusReport.objects.get(enterprise=assignment.enterprise, date=timezone.localdate())
    assert (report.resumed, report.staff_at_work, report.output) == ("partly", 120, Decimal("35.50"))


def test_the_enterprises_current_status_follows(api_client, personas, assignment):
    post_contact(api_client, personas, assignment, **FIGURES)
    assert Enterprise.objects.get(pk=assignment.enterprise.pk).status == "partly"


def test_the_contact_answers_with_its_figures(api_client, personas, assignment):
    body = post_contact(api_client, personas, assignment, **FIGURES).json()
    assert body["status_report"]["staff_at_work"] == 120 and body["status_report"]["date"] == str(timezone.localdate())


def test_a_contact_without_figures_writes_none(api_client, personas, assignment):
    body = post_contact(api_client, personas, assignment).json()
    assert body["status_report"] is None and not StatusReport.objects.filter(enterprise=assignment.enterprise).exists()


def test_the_report_takes_the_contacts_date(api_client, personas, assignment):
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    post_contact(api_client, personas, assignment, contacted_at=yesterday.isoformat(), **FIGURES)
    assert StatusReport.objects.get(enterprise=assignment.enterprise).date == yesterday.date()


def test_the_days_existing_report_is_corrected(api_client, personas, assignment):
    StatusReport.objects.create(enterprise=assignment.enterprise, date=timezone.localdate(), resumed="no")
    post_contact(api_client, personas, assignment, **FIGURES)
    assert StatusReport.objects.get(enterprise=assignment.enterprise).resumed == "partly"


def test_figures_without_a_resumption_state_are_a_400(api_client, personas, assignment):
    response = post_contact(api_client, personas, assignment, staff_at_work=10, staff_normal=20)
    assert response.status_code == 400 and "resumed" in response.json()


def test_bad_figures_write_neither_the_contact_nor_a_report(api_client, personas, assignment):
    response = post_contact(api_client, personas, assignment, resumed="no", staff_at_work=5, staff_normal=10)
    assert response.status_code == 400 and "resumed" in response.json()
    assert not ContactRecord.objects.exists() and not StatusReport.objects.exists()


def test_staff_at_work_without_normal_headcount_is_a_400(api_client, personas, assignment):
    response = post_contact(api_client, personas, assignment, resumed="yes", staff_at_work=10)
    assert response.status_code == 400 and "staff_normal" in response.json()


def test_an_edit_within_the_window_corrects_the_figures(api_client, personas, assignment):
    record_id = post_contact(api_client, personas, assignment, **FIGURES).json()["id"]
    api_client.patch(f"/api/v1/contacts/{record_id}/", {"resumed": "yes", "staff_at_work": 190,
                                                         "staff_normal": 200}, format="json")
    report = StatusReport.objects.get(enterprise=assignment.enterprise)
    assert (report.resumed, report.staff_at_work) == ("yes", 190)


def test_an_edit_without_figures_keeps_the_report(api_client, personas, assignment):
    record_id = post_contact(api_client, personas, assignment, **FIGURES).json()["id"]
    api_client.patch(f"/api/v1/contacts/{record_id}/", {"summary": "补充说明"}, format="json")
    assert ContactRecord.objects.get(pk=record_id).status_report.resumed == "partly"


def test_a_ministry_liaison_may_not_record_figures(personas, chain):
    with pytest.raises(contacts.NotPermitted):
        contacts.contact_record_create(actor=personas.ministry_liaison, enterprise=chain["lead"],
                                       data=contacts.ContactData(summary="走访"),
                                       figures=contacts.Figures(resumed="yes"))


# --- the page ----------------------------------------------------------------------------------------------


def test_the_page_records_the_figures_with_the_contact(client_for, personas, assignment):
    response = client_for(personas.liaison_hubei).post(reverse("enterprises-contact-create"), {
        "enterprise": assignment.enterprise.pk, "channel": "phone", "summary": "电话了解复工情况", **FIGURES})
    record = ContactRecord.objects.get()
    assert response.status_code == 302 and record.status_report.staff_normal == 200


def test_the_page_shows_the_figure_fields_to_the_officer(client_for, personas, assignment):
    html = client_for(personas.liaison_hubei).get(reverse("enterprises-contact-create")).content.decode()
    assert 'data-testid="contact-figures"' in html and 'name="staff_at_work"' in html


def test_the_page_shows_a_figures_error_beside_the_field(client_for, personas, assignment):
    response = client_for(personas.liaison_hubei).post(reverse("enterprises-contact-create"), {
        "enterprise": assignment.enterprise.pk, "channel": "phone", "summary": "电话", "resumed": "no",
        "staff_at_work": "3", "staff_normal": "10"})
    assert "未复工的企业到岗人数和产值应为0" in response.content.decode() and not ContactRecord.objects.exists()


def test_the_record_page_shows_the_figures(client_for, personas, assignment):
    client = client_for(personas.liaison_hubei)
    client.post(reverse("enterprises-contact-create"), {
        "enterprise": assignment.enterprise.pk, "channel": "phone", "summary": "电话了解复工情况", **FIGURES})
    html = client.get(reverse("enterprises-contact-detail", args=[ContactRecord.objects.get().pk])).content.decode()
    assert 'data-testid="contact-figures"' in html and "120" in html
