"""Issue 11's second journey in a real browser: the ministry routes an accepted problem to 交通运输部
with a deadline; the department user answers it on the 转办督办 page; the ministry records the
response; the province records the enterprise's confirmation; the ministry closes it. And an official
of another province gets 404 for the problem."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, Referral
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def open_action(page, name, label):
    page.get_by_test_id("actions").get_by_role("button", name=label, exact=True).first.click()
    form = page.locator(f"#action-{name}")
    form.wait_for(state="visible")
    return form


def submit(page, form, label):
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()


def log_out(page, live_server):
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()


def test_the_ministry_routes_to_the_transport_ministry_which_answers(page, login, live_server, demo):
    case = Case.objects.get(title="印染企业天然气供应不足")  # accepted, not yet routed (cases/demo.py)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()

    page = login("ministry", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    actions = page.get_by_test_id("actions")
    actions.get_by_role("button", name="转办", exact=True).first.click()
    form = page.locator("#action-route")
    form.wait_for(state="visible")
    form.locator("select[name=department_1]").select_option("mot")
    form.locator("select[name=role_1]").select_option("lead")
    form.locator("input[name=due_date_1]").fill(due)
    with page.expect_navigation():
        form.get_by_role("button", name="转办", exact=True).click()
    referral = Referral.objects.get(case=case, department__slug="mot")
    assert (referral.state, referral.due_date.isoformat()) == ("pending", due)

    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    page = login("dept-mot", demo)
    page.goto(f"{live_server.url}/cases/referrals/")
    page.locator(f'button[aria-controls="respond-{referral.pk}"]').click()
    respond = page.locator(f"#respond-{referral.pk}")
    respond.wait_for(state="visible")
    assert_accessible(page)
    respond.locator("textarea[name=response]").fill("已协调开通运输绿色通道")
    with page.expect_navigation():
        respond.get_by_role("button", name="提交").click()
    referral.refresh_from_db()
    assert (referral.state, referral.responded_by.username) == ("responded", "dept-mot")

    log_out(page, live_server)
    page = login("ministry", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    form = open_action(page, "respond", "录入办理情况")
    form.locator("textarea[name=response]").fill("交通运输部已协调增开运输通道，企业原料已到厂")
    form.locator("select[name=closure_type]").select_option("solved")
    submit(page, form, "录入办理情况")
    case.refresh_from_db()
    assert case.state == "responded"

    log_out(page, live_server)
    page = login("guangdong", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    form = open_action(page, "confirm", "企业确认")
    form.locator("input[name=confirmed_by]").fill("佛山顺德印染 陈经理")
    form.locator("input[name=method]").fill("电话")
    form.locator("input[name=satisfaction][value=satisfied]").check()
    submit(page, form, "企业确认")
    case.refresh_from_db()
    assert case.state == "confirmed"

    log_out(page, live_server)
    page = login("ministry", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    submit(page, open_action(page, "close", "销号"), "销号")
    case.refresh_from_db()
    assert case.state == "closed"


def test_another_province_gets_404_for_a_hubei_only_problem(page, login, live_server, demo, browser_log):
    case = Case.objects.filter(region_id="42").exclude(shares__region_id="44").first()
    browser_log.expect_status(404)
    page = login("guangdong", demo)
    response = page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert response.status == 404
