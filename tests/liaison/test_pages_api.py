"""Pages and API of 一对一联系 and the notifications page: who sees what, and the phone-quick form."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chainwork.models import Notification
from liaison.models import ContactRecord
from tests.liaison.conftest import assign, contact

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_officer_workbench_lists_overdue_enterprise_first(personas, client_for):
    fresh = assign(personas.liaison_hubei)
    contact(fresh, days_ago=1, next_in=2)
    late = assign(personas.liaison_hubei)
    contact(late, days_ago=9, next_in=-6)
    page = client_for(personas.liaison_hubei).get(reverse("enterprises-contacts")).content.decode()
    assert page.index(late.enterprise.name) < page.index(fresh.enterprise.name)


def test_contact_needs_only_the_summary(personas, client_for):
    a = assign(personas.liaison_hubei)
    response = client_for(personas.liaison_hubei).post(
        reverse("enterprises-contact-create"),
        {"enterprise": a.enterprise.pk, "channel": "phone", "summary": "电话了解情况"})
    assert response.status_code == 302
    assert ContactRecord.objects.get().next_follow_up == timezone.localdate() + dt.timedelta(days=3)


def test_photo_is_served_to_the_officer(personas, client_for):
    a = assign(personas.liaison_hubei)
    client = client_for(personas.liaison_hubei)
    client.post(reverse("enterprises-contact-create"), {
        "enterprise": a.enterprise.pk, "channel": "visit", "summary": "走访",
        "photos": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]})
    photo = ContactRecord.objects.get().photos.get()
    assert client.get(reverse("enterprises-contact-photo", args=[photo.token])).status_code == 200


def test_the_api_links_a_contacts_photo_where_it_is_served(personas, client_for):
    record = contact(assign(personas.liaison_hubei), days_ago=1, next_in=2)
    from liaison.services import contact_photo_add

    contact_photo_add(actor=personas.liaison_hubei, record=record,
                      upload=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
    client = client_for(personas.liaison_hubei)
    [link] = client.get(f"/api/v1/contacts/{record.pk}/").json()["photos"]
    assert link.startswith("/enterprises/contacts/photos/") and client.get(link).status_code == 200


def test_photo_is_404_to_another_region(personas, client_for):
    record = contact(assign(personas.liaison_hubei), days_ago=1, next_in=2)
    from liaison.services import contact_photo_add

    photo = contact_photo_add(actor=personas.liaison_hubei, record=record,
                              upload=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
    response = client_for(personas.guangdong).get(reverse("enterprises-contact-photo", args=[photo.token]))
    assert response.status_code == 404


def test_record_is_404_to_another_region(personas, client_for):
    record = contact(assign(personas.liaison_hubei), days_ago=1, next_in=2)
    response = client_for(personas.guangdong).get(reverse("enterprises-contact-detail", args=[record.pk]))
    assert response.status_code == 404


def test_record_is_shown_to_the_province(personas, client_for):
    record = contact(assign(personas.liaison_hubei), days_ago=1, next_in=2)
    response = client_for(personas.hubei).get(reverse("enterprises-contact-detail", args=[record.pk]))
    assert response.status_code == 200


def test_other_officer_cannot_edit_a_record(personas, client_for):
    record = contact(assign(personas.liaison_hubei), days_ago=0, next_in=2)
    response = client_for(personas.hubei).get(reverse("enterprises-contact-edit", args=[record.pk]))
    assert response.status_code == 403


def test_liaison_cannot_open_assignments(personas, client_for):
    response = client_for(personas.liaison_hubei).get(reverse("enterprises-assignments"))
    assert response.status_code == 403


def test_province_assigns_on_the_page(personas, client_for, chain):
    response = client_for(personas.hubei).post(reverse("enterprises-assignments"), {
        "enterprise": chain["lead"].pk, "officer": personas.liaison_hubei.pk, "cadence_days": ""})
    assert response.status_code == 302
    assert chain["lead"].liaison_assignments.get().cadence_days == 3


def test_coverage_page_shows_the_late_enterprise(personas, client_for):
    late = assign(personas.liaison_hubei)
    contact(late, days_ago=9, next_in=-6)
    page = client_for(personas.hubei).get(reverse("enterprises-coverage")).content.decode()
    assert late.enterprise.name in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(personas, client_for):
    n = Notification.objects.create(user=personas.hubei, kind="case_overdue", title="鄂〔2026〕第0001号 已超期",
                                    url="/cases/1/", dedupe_key="t1")
    response = client_for(personas.hubei).post(reverse("chainwork-notification-open", args=[n.pk]))
    n.refresh_from_db()
    assert (response.status_code, response["Location"], n.read_at is not None) == (302, "/cases/1/", True)


def test_another_users_notification_is_404(personas, client_for):
    n = Notification.objects.create(user=personas.hubei, kind="x", title="t", dedupe_key="t2")
    response = client_for(personas.guangdong).post(reverse("chainwork-notification-open", args=[n.pk]))
    assert response.status_code == 404


def test_navigation_shows_the_unread_count(personas, client_for):
    Notification.objects.create(user=personas.hubei, kind="x", title="t", dedupe_key="t3")
    page = client_for(personas.hubei).get(reverse("chainwork-notifications")).content.decode()
    assert 'data-testid="notification-badge"' in page and 'text-bg-danger">1</span>' in page


def test_mark_all_read(personas, client_for):
    Notification.objects.create(user=personas.hubei, kind="x", title="t", dedupe_key="t4")
    client_for(personas.hubei).post(reverse("chainwork-notifications-read-all"))
    assert not Notification.objects.filter(user=personas.hubei, read_at__isnull=True).exists()


def test_channel_preferences_are_saved(personas, client_for):
    from chainwork.channels import channels_for

    client_for(personas.hubei).post(reverse("chainwork-notification-preferences"),
                                    {"channels-case_overdue": ["webhook", "sms"]})
    assert channels_for(personas.hubei.pk, "case_overdue") == ["sms", "webhook"]


# --- API ------------------------------------------------------------------------------------------------


def test_api_officer_creates_a_contact(personas, api_client):
    a = assign(personas.liaison_hubei)
    api_client.force_authenticate(personas.liaison_hubei)
    response = api_client.post("/api/v1/contacts/", {"enterprise": a.enterprise.pk, "summary": "电话"}, format="json")
    assert response.status_code == 201
    assert response.json()["next_follow_up"] == (timezone.localdate() + dt.timedelta(days=3)).isoformat()


def test_api_contact_of_another_region_is_404(personas, api_client):
    record = contact(assign(personas.liaison_hubei), days_ago=1, next_in=2)
    api_client.force_authenticate(personas.guangdong)
    assert api_client.get(f"/api/v1/contacts/{record.pk}/").status_code == 404


def test_api_a_province_official_records_a_contact_of_their_region(personas, api_client):
    a = assign(personas.liaison_hubei)
    api_client.force_authenticate(personas.hubei)
    response = api_client.post("/api/v1/contacts/", {"enterprise": a.enterprise.pk, "summary": "电话"}, format="json")
    assert response.status_code == 201


def test_api_another_province_cannot_record_a_contact(personas, api_client):
    a = assign(personas.liaison_hubei)
    api_client.force_authenticate(personas.guangdong)
    response = api_client.post("/api/v1/contacts/", {"enterprise": a.enterprise.pk, "summary": "电话"}, format="json")
    assert response.status_code == 404


def test_a_province_official_records_a_contact_from_the_page(personas, client_for):
    a = assign(personas.liaison_hubei)
    response = client_for(personas.hubei_lead).post(
        reverse("enterprises-contact-create"),
        {"enterprise": a.enterprise.pk, "channel": "visit", "summary": "走访了解复工情况"})
    assert response.status_code == 302
    assert ContactRecord.objects.get().officer == personas.hubei_lead


def test_another_province_cannot_pick_an_enterprise_outside_its_region(personas, client_for):
    from tests.factories import EnterpriseFactory, region

    EnterpriseFactory(region=region("44"))  # Guangdong's own list, so the form opens
    a = assign(personas.liaison_hubei)
    response = client_for(personas.guangdong).post(
        reverse("enterprises-contact-create"),
        {"enterprise": a.enterprise.pk, "channel": "visit", "summary": "走访"})
    assert (response.status_code, ContactRecord.objects.count()) == (200, 0)


def test_api_raise_problem_from_a_contact(personas, api_client):
    record = contact(assign(personas.liaison_hubei), days_ago=0, next_in=2)
    api_client.force_authenticate(personas.liaison_hubei)
    response = api_client.post(f"/api/v1/contacts/{record.pk}/raise-problem/",
                               {"category": "logistics", "title": "运输受阻", "request": "请协调运力"}, format="json")
    assert response.status_code == 201
    assert record.problems.get().number == response.json()["number"]


def test_api_raise_problem_without_a_request_is_refused(personas, api_client):
    record = contact(assign(personas.liaison_hubei), days_ago=0, next_in=2)
    api_client.force_authenticate(personas.liaison_hubei)
    response = api_client.post(f"/api/v1/contacts/{record.pk}/raise-problem/",
                               {"category": "logistics", "title": "运输受阻"}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["request"])


def test_api_province_assigns_an_officer(personas, api_client, chain):
    api_client.force_authenticate(personas.hubei)
    response = api_client.post("/api/v1/liaison-assignments/",
                               {"enterprise": chain["lead"].pk, "officer": personas.liaison_hubei.pk}, format="json")
    assert (response.status_code, response.json()["cadence_days"]) == (201, 3)


def test_api_guangdong_cannot_assign_for_hubei(personas, api_client, chain):
    api_client.force_authenticate(personas.guangdong)
    response = api_client.post("/api/v1/liaison-assignments/",
                               {"enterprise": chain["lead"].pk, "officer": personas.liaison_guangdong.pk},
                               format="json")
    assert response.status_code == 404


def test_api_liaison_sees_only_own_assignments(personas, api_client):
    mine = assign(personas.liaison_hubei)
    assign(personas.liaison_guangdong)
    api_client.force_authenticate(personas.liaison_hubei)
    ids = [row["id"] for row in api_client.get("/api/v1/liaison-assignments/").json()["results"]]
    assert ids == [mine.pk]


def test_api_contact_list_query_count_is_flat(personas, api_client, django_assert_max_num_queries):
    for _ in range(5):
        contact(assign(personas.liaison_hubei), days_ago=1, next_in=2)
    api_client.force_authenticate(personas.hubei)
    with django_assert_max_num_queries(10):
        assert api_client.get("/api/v1/contacts/").status_code == 200


def test_the_raise_form_proposes_the_reported_problem_as_the_description_only(personas, client_for):
    record = contact(assign(personas.liaison_hubei), days_ago=0, next_in=2)
    ContactRecord.objects.filter(pk=record.pk).update(problems_raised="钢材跨省运输到货慢")
    form = client_for(personas.liaison_hubei).get(
        reverse("enterprises-contact-detail", args=[record.pk])).context["raise_form"]
    assert (form["description"].value(), form["request"].value()) == ("钢材跨省运输到货慢", None)


def test_the_raise_form_without_a_request_says_what_is_missing(personas, client_for):
    from chainwork.models import Category

    record = contact(assign(personas.liaison_hubei), days_ago=0, next_in=2)
    response = client_for(personas.liaison_hubei).post(
        reverse("enterprises-contact-problem", args=[record.pk]),
        {"category": Category.objects.first().pk, "title": "运输受阻", "description": "钢材到货慢",
         "urgency": "normal"}, follow=True)
    assert "请填写企业诉求。" in response.content.decode()
