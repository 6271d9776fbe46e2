"""Issue 11's accessibility pass in a real browser: axe-core (WCAG 2.1 A/AA and best practice) finds
nothing serious or critical on the main pages of each role; every form field is labelled and its error
sits beside it, tied to it by aria-describedby; the keyboard reaches the content and the menu."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import accessibility_violations, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAIN_PAGES = {
    "hubei": ["/", "/enterprises/", "/enterprises/chains/", "/enterprises/status/", "/cases/", "/cases/shares/",
              "/cases/new/",
              "/cases/batches/", "/enterprises/contacts/", "/enterprises/contacts/assignments/", "/policies/",
              "/reports/", "/reports/daily/", "/notifications/", "/accounts/password/", "/directory/",
              "/directory/me/"],
    "hubei-lead": ["/"],
    "ministry": ["/", "/cases/queue/", "/cases/referrals/", "/cases/shares/", "/cases/groups/", "/cases/listed/",
                 "/reports/weekly/",
                 "/policies/applications/", "/policies/report/", "/enterprises/contacts/coverage/"],
    "liaison-hubei": ["/", "/enterprises/contacts/", "/enterprises/contacts/new/"],
    "dept-mot": ["/", "/cases/referrals/"],
}


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_the_login_page_has_no_serious_accessibility_violation(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    assert accessibility_violations(page) == []


@pytest.mark.parametrize("username", MAIN_PAGES)
def test_main_pages_have_no_serious_accessibility_violation(new_page, live_server, demo, username):
    page = log_in(new_page(), live_server, username, demo)
    found = {}
    for path in MAIN_PAGES[username]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        if violations := accessibility_violations(page):
            found[path] = violations
    assert found == {}


def test_an_error_sits_beside_its_field_and_is_announced_with_it(page, live_server, demo):
    log_in(page, live_server, "liaison-hubei", demo)
    page.goto(f"{live_server.url}/enterprises/contacts/new/")
    with page.expect_navigation():
        page.get_by_test_id("contact-form").get_by_role("button", name="保存").click()
    summary = page.get_by_label("联系情况")
    assert summary.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{summary.get_attribute('aria-describedby').split()[0]}")
    assert error.inner_text() == "该字段是必填项。"
    assert accessibility_violations(page) == []


def test_the_keyboard_skips_to_the_content_first(page, live_server, demo):
    log_in(page, live_server, "hubei", demo)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_menu_opens_and_is_followed_with_the_keyboard_on_a_phone(new_page, live_server, demo):
    page = log_in(new_page(viewport={"width": 390, "height": 844}), live_server, "hubei", demo)
    toggler = page.get_by_role("button", name="展开菜单")
    toggler.focus()
    page.keyboard.press("Enter")
    assert toggler.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="问题台账").wait_for(state="visible")
    for _ in range(10):  # Tab on from the toggler to the menu entry
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "问题台账":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/cases/")
