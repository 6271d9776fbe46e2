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


# --- an enterprise's 变更记录 in words -----------------------------------------------------------------


def latest_changes(enterprise) -> dict:
    return history_for(enterprise)[0].changes


def test_a_choice_shows_its_label(reference_data):
    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(status="partly")
    assert latest_changes(enterprise)["复工状态"] == [None, "部分复工"]


def test_a_size_shows_its_label(reference_data):
    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(size="large")
    Enterprise.objects.filter(pk=enterprise.pk).update(size="medium")
    assert latest_changes(enterprise)["企业规模"] == ["大型", "中型"]


def test_a_flag_shows_yes_or_no(reference_data):
    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(is_lead=False)
    Enterprise.objects.filter(pk=enterprise.pk).update(is_lead=True)
    assert latest_changes(enterprise)["龙头企业"] == ["否", "是"]


def test_a_region_shows_its_name(reference_data):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    assert history_for(enterprise)[0].changes["所属地区"] == [None, "湖北省"]


def test_a_user_shows_their_name(personas):
    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(created_by=personas.hubei)
    assert latest_changes(enterprise)["登记人"] == [None, str(personas.hubei)]


def test_a_rate_shows_as_a_percentage(reference_data):
    from decimal import Decimal

    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(output_rate=Decimal("1.02"))
    assert latest_changes(enterprise)["达产率"] == [None, "102.0%"]


def test_a_change_by_a_command_is_shown_as_the_systems(reference_data):
    from chainwork.audit import command_context
    from tests.factories import EnterpriseFactory

    with command_context("seed_demo --scale demo"):
        enterprise = EnterpriseFactory()
    entry = history_for(enterprise)[0]
    assert (entry.user, entry.source) == ("系统导入", None)


def test_the_enterprise_page_shows_no_raw_value(client_for, personas):
    from decimal import Decimal

    from enterprises.models import Enterprise
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(size="medium")
    Enterprise.objects.filter(pk=enterprise.pk).update(status="yes", output_rate=Decimal("0.85"), is_lead=True)
    html = client_for(personas.hubei).get(reverse("enterprises-detail", args=[enterprise.pk])).content.decode()
    history = html[html.index('id="change-history"'):]
    assert "已复工" in history and "85.0%" in history and "True" not in history and "medium" not in history
