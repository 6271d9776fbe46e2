import pytest

pytestmark = pytest.mark.django_db


def test_ministry_edits_departments_in_the_admin(client_for, personas):
    assert client_for(personas.ministry).get("/admin/chainwork/department/").status_code == 200


def test_ministry_edits_the_holiday_calendar(client_for, personas):
    assert client_for(personas.ministry).get("/admin/chainwork/holiday/add/").status_code == 200


def test_ministry_cannot_manage_users(client_for, personas):
    assert client_for(personas.ministry).get("/admin/chainwork/user/").status_code == 403


def test_administrator_manages_users(client_for, personas):
    assert client_for(personas.admin).get("/admin/chainwork/user/add/").status_code == 200


def test_province_official_is_sent_to_the_admin_login(client_for, personas):
    response = client_for(personas.hubei).get("/admin/chainwork/department/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_department_user_is_sent_to_the_admin_login(client_for, personas):
    response = client_for(personas.dept_mot).get("/admin/")
    assert response.status_code == 302
