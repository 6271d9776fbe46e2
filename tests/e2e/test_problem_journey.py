"""The main journey of issue 5 in a real browser: a Hubei official logs a problem naming the Guangdong
supplier, sees the escalation suggestion, submits; the Hubei lead approves and escalates; the ministry
accepts it."""

import re

import pytest
from django.core.management import call_command

from cases.models import Case
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


ACTION_NAMES = {"提交审核": "submit", "审核并上报": "approve", "受理": "accept"}


def act(page, label):
    """Open the action's form and submit it, accepting the confirmation dialog if one comes."""
    page.once("dialog", lambda dialog: dialog.accept())
    section = page.get_by_test_id("actions")
    section.get_by_role("button", name=label, exact=True).first.click()
    form = page.locator(f"#action-{ACTION_NAMES[label]}")
    form.wait_for(state="visible")
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()


def log_out(page, live_server):
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()


def test_a_problem_goes_from_hubei_to_the_ministry(page, login, live_server, demo):
    page = login("hubei", demo)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#enterprise-q", "dhgd")
    page.keyboard.press("Enter")
    option = page.locator("a[data-enterprise-option]", has_text="东湖光电科技集团有限公司")
    option.wait_for()
    # Follow the result's link (htmx swaps the same page in place when a user clicks it; the search
    # answers both as one types and on Enter, so a click can land on a list being replaced).
    page.goto(f"{live_server.url}{option.get_attribute('href')}")
    page.get_by_test_id("picked-enterprise").wait_for()
    assert_accessible(page)
    page.locator("input[name=named_enterprises]").first.check()
    page.select_option("select[name=category]", label="物流运输")
    page.fill("input[name=title]", "芯片运输车辆跨省通行受阻")
    page.fill("textarea[name=request]", "请协调开通深圳至武汉运输绿色通道")
    page.fill("textarea[name=description]", "深圳鹏城芯片封装有限公司的货车在省界受阻")
    with page.expect_navigation():
        page.locator("#case-form button[type=submit]").click()

    number = page.get_by_test_id("case-number").inner_text()
    assert re.search(r"鄂〔\d{4}〕第\d{4}号", number)
    suggestion = page.get_by_test_id("escalation-suggestion").inner_text()
    assert "广东省" in suggestion
    assert_accessible(page)
    act(page, "提交审核")
    case = Case.objects.get(title="芯片运输车辆跨省通行受阻")
    assert case.state == "pending_approval"

    log_out(page, live_server)
    page = login("hubei-lead", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "审核并上报")
    case.refresh_from_db()
    assert (case.state, case.signed_by.username) == ("escalated", "hubei-lead")

    log_out(page, live_server)
    page = login("ministry", demo)
    page.goto(f"{live_server.url}/cases/queue/")
    assert number in page.get_by_test_id("queue-table").inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    act(page, "受理")
    case.refresh_from_db()
    assert case.state == "accepted"
