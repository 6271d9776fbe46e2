import pytest
from django.db import InternalError, connection
from django.urls import reverse
from pghistory.models import Events

from chainwork.audit import history_for
from chainwork.models import Department

pytestmark = pytest.mark.django_db


def test_a_bulk_update_leaves_a_history_row_for_each_object(reference_data):
    Department.objects.filter(kind="bureau").update(handles="（核对中）")
    updated = Events.objects.filter(pgh_model="chainwork.DepartmentEvent", pgh_label="update")
    assert updated.count() == 8


def test_a_bulk_update_keeps_the_old_and_the_new_value(reference_data):
    Department.objects.filter(slug="mot").update(handles="物流保通保畅")
    entry = history_for(Department.objects.get(slug="mot"))[0]
    assert entry.changes["主要职责"] == ["物流运输", "物流保通保畅"]


def test_a_raw_sql_update_is_recorded_too(reference_data):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE chainwork_department SET handles = 'raw' WHERE slug = 'nea'")
    assert history_for(Department.objects.get(slug="nea"))[0].changes["主要职责"][1] == "raw"


def test_an_admin_form_edit_records_the_acting_user(client_for, personas):
    department = Department.objects.get(slug="mot")
    client = client_for(personas.ministry)
    data = {"slug": "mot", "name": "交通运输部", "short_name": "交通运输部", "kind": "department",
            "handles": "物流运输、邮政快递", "to_be_confirmed": "on", "is_active": "on", "order": "5"}
    client.post(reverse("admin:chainwork_department_change", args=[department.pk]), data)
    assert history_for(department)[0].user == str(personas.ministry)


def test_an_admin_form_edit_records_the_address(client_for, personas):
    department = Department.objects.get(slug="mot")
    client = client_for(personas.ministry)
    data = {"slug": "mot", "name": "交通运输部", "short_name": "", "kind": "department",
            "handles": "物流", "is_active": "on", "order": "5"}
    client.post(reverse("admin:chainwork_department_change", args=[department.pk]), data,
                REMOTE_ADDR="10.1.2.3")
    assert history_for(department)[0].ip == "10.1.2.3"


def test_the_admin_history_page_shows_the_change(client_for, personas):
    department = Department.objects.get(slug="mot")
    Department.objects.filter(pk=department.pk).update(handles="航运")
    response = client_for(personas.ministry).get(
        reverse("admin:chainwork_department_history", args=[department.pk]))
    assert "航运" in response.content.decode()


def test_a_province_official_cannot_open_the_admin_history(client_for, personas):
    department = Department.objects.get(slug="mot")
    response = client_for(personas.hubei).get(reverse("admin:chainwork_department_history", args=[department.pk]))
    assert response.status_code == 302


def test_history_rows_cannot_be_edited(reference_data):
    Department.objects.filter(slug="mot").update(handles="x")
    with pytest.raises(InternalError), connection.cursor() as cursor:
        cursor.execute("UPDATE chainwork_departmentevent SET handles = 'forged'")


def test_history_rows_cannot_be_deleted(reference_data):
    Department.objects.filter(slug="mot").update(handles="x")
    with pytest.raises(InternalError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM chainwork_departmentevent")


def test_a_password_change_is_recorded_without_the_hash(personas):
    user = personas.hubei
    user.set_password("another-secret-9")
    user.save()
    entry = history_for(user)[0]
    assert (entry.label, entry.changes) == ("修改密码", {})


def test_history_never_stores_password_hashes(personas):
    stored = Events.objects.filter(pgh_model="chainwork.UserEvent").values_list("pgh_data", flat=True)
    assert all("password" not in data for data in stored)


def test_the_events_admin_is_read_only(client_for, personas):
    response = client_for(personas.admin).get("/admin/pghistory/middlewareevents/add/")
    assert response.status_code == 403


def test_changes_to_a_liaisons_covered_regions_are_audited(personas):
    from chainwork.models import Region

    events = Events.objects.filter(pgh_model="chainwork.UserCoveredRegionEvent", pgh_label="remove")
    personas.ministry_liaison.covered_regions.remove(Region.objects.get(code="44"))
    assert events.count() == 1
