"""A province's internal notes (design.md "Internal comments"): its work group, the ministry, the ministry
liaisons covering it and administrators read them; its 驻企联络员 does not — in the page, the API and
downloads alike."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from cases.workflow import perform
from liaison.models import LiaisonAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NOTE = "省内掌握：企业资金链紧张"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def noted(problem, personas, chain):
    """The Hubei problem, seen by the Hubei liaison officer (its enterprise is assigned), with an internal
    note of the Hubei work group."""
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    perform(case_id=problem.pk, action="comment", actor=personas.hubei, data={"text": NOTE, "visibility": "internal"})
    return problem


@pytest.fixture
def internal_attachment(noted, client_for, personas):
    client_for(personas.hubei).post(reverse("cases-attachment-upload", args=[noted.pk]),
                                    {"file": SimpleUploadedFile("内部.pdf", PDF), "visibility": "internal"})
    return noted.attachments.get()


def page_of(client, case):
    return client.get(reverse("cases-detail", args=[case.pk])).content.decode()


def timeline_of(user, case):
    api = APIClient()
    api.force_authenticate(user)
    return [event.get("note") for event in api.get(f"/api/v1/cases/{case.pk}/").json()["events"]]


def test_the_liaison_officer_sees_the_problem(noted, client_for, personas):
    assert client_for(personas.liaison_hubei).get(reverse("cases-detail", args=[noted.pk])).status_code == 200


def test_the_liaison_officer_does_not_read_the_internal_note_on_the_page(noted, client_for, personas):
    assert NOTE not in page_of(client_for(personas.liaison_hubei), noted)


def test_the_liaison_officer_does_not_read_the_internal_note_in_the_api(noted, personas):
    assert NOTE not in timeline_of(personas.liaison_hubei, noted)


def test_the_province_lead_reads_the_internal_note(noted, client_for, personas):
    assert NOTE in page_of(client_for(personas.hubei_lead), noted)


def test_the_ministry_liaison_covering_hubei_reads_the_internal_note(noted, personas):
    assert NOTE in timeline_of(personas.ministry_liaison, noted)


def test_the_liaison_officer_reads_their_own_internal_note(noted, personas):
    perform(case_id=noted.pk, action="comment", actor=personas.liaison_hubei,
            data={"text": "联络员备注", "visibility": "internal"})
    assert "联络员备注" in timeline_of(personas.liaison_hubei, noted)


def test_the_liaison_officer_cannot_download_the_internal_attachment(internal_attachment, client_for, personas):
    response = client_for(personas.liaison_hubei).get(
        reverse("cases-attachment-download", args=[internal_attachment.token]))
    assert response.status_code == 404


def test_the_province_official_downloads_the_internal_attachment(internal_attachment, client_for, personas):
    response = client_for(personas.hubei_lead).get(
        reverse("cases-attachment-download", args=[internal_attachment.token]))
    assert response.status_code == 200
