import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()


def test_login_form_has_username_and_password_fields(client):
    html = client.get(reverse("login")).content.decode()
    assert 'name="username"' in html and 'name="password"' in html


def test_login_with_the_right_password_reaches_the_home_page(client, personas):
    response = client.post(reverse("login"), {"username": "p-hubei", "password": "secret-pass-123"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_login_with_a_wrong_password_says_so_in_chinese(client, personas):
    response = client.post(reverse("login"), {"username": "p-hubei", "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "title"),
    [
        ("hubei", "省专班工作台"),
        ("hubei_lead", "省专班负责人工作台"),
        ("ministry", "部专班工作台"),
        ("ministry_liaison", "部联络员工作台"),
        ("dept_mot", "成员单位工作台"),
        ("liaison_hubei", "驻企联络员工作台"),
        ("admin", "系统管理员工作台"),
    ],
)
def test_each_role_has_its_own_home_page(client_for, personas, persona, title):
    response = client_for(getattr(personas, persona)).get("/")
    assert title in response.content.decode()


def test_hubei_home_names_hubei_as_the_scope(client_for, personas):
    html = client_for(personas.hubei).get("/").content.decode()
    assert "湖北省" in html and "广东省" not in html


def test_department_home_names_its_department(client_for, personas):
    assert "交通运输部" in client_for(personas.dept_mot).get("/").content.decode()


def test_menu_has_no_empty_problem_ledger_for_a_department(client_for, personas):
    # Issue 19: a department works from its referrals (工作台, 转办督办), not a 问题台账.
    html = client_for(personas.dept_mot).get("/").content.decode()
    assert "问题台账" not in html and "转办督办" in html


def test_menu_hides_the_enterprise_list_from_a_department(client_for, personas):
    assert "重点企业名单" not in client_for(personas.dept_mot).get("/").content.decode()


def test_menu_shows_system_management_to_the_ministry(client_for, personas):
    assert "系统管理" in client_for(personas.ministry).get("/").content.decode()


def test_menu_hides_system_management_from_a_province(client_for, personas):
    assert "系统管理" not in client_for(personas.hubei).get("/").content.decode()


def test_switching_to_english_shows_english(client_for, personas):
    client = client_for(personas.hubei)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Provincial work group" in client.get("/").content.decode()


def test_pages_load_assets_locally_never_from_a_cdn(client_for, personas):
    html = client_for(personas.hubei).get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "//cdn" not in html and "https://" not in html


def test_pages_have_no_inline_script(client_for, personas):
    html = client_for(personas.hubei).get("/").content.decode()
    assert "<script>" not in html


def test_logout_returns_to_login(client_for, personas):
    response = client_for(personas.hubei).post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")


def test_a_browser_asking_for_english_still_gets_chinese_pages(client_for, personas):
    html = client_for(personas.hubei).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "省专班工作台" in html


def test_the_api_follows_accept_language(api_client, personas):
    api_client.force_authenticate(personas.hubei)
    body = api_client.get("/api/v1/regions/42/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["kind_label"] == "Province"
