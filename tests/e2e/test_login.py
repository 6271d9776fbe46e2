import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_hubei_official_logs_in_and_sees_the_provincial_workbench(login, demo):
    page = login("hubei", demo)
    assert page.get_by_test_id("home-title").inner_text() == "省专班工作台"


def test_ministry_member_sees_system_management_in_the_menu(login, demo):
    page = login("ministry", demo)
    assert page.get_by_role("link", name="系统管理").is_visible()


def test_wrong_password_keeps_the_user_on_the_login_page(login, demo):
    page = login("hubei", "not-the-password")
    assert page.locator(".alert-danger").is_visible()


def test_language_switch_to_english_is_remembered(login, demo, live_server):
    page = login("guangdong", demo)
    with page.expect_navigation():
        page.select_option("#cw-language-select", "en")
    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("home-title").inner_text() == "Provincial work group workbench"
