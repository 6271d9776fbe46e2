"""The 工作台 and the 通讯录 at a phone's width (issue 19): rows are compact cards, nothing scrolls sideways,
and a to-do's action opens its form on the problem page."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


@pytest.mark.parametrize(("username", "path"), [("hubei-lead", "/"), ("ministry", "/"), ("hubei", "/directory/")])
def test_the_page_fits_a_phone(new_page, live_server, demo, username, path):
    page = log_in(new_page(**PHONE), live_server, username, demo)
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_to_dos_action_opens_its_form(new_page, live_server, demo):
    page = log_in(new_page(**PHONE), live_server, "hubei-lead", demo)
    page.goto(f"{live_server.url}/")
    row = page.locator('[data-testid="todo-row"][data-kind="approve"]').first
    with page.expect_navigation():
        row.get_by_role("link").click()
    assert page.get_by_test_id("action-approve").is_visible()
