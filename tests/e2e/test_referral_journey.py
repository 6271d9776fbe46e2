"""Issue 11's second journey in a real browser: the ministry routes an accepted problem to 交通运输部
with a deadline; the department user answers it on the 转办督办 page; the ministry sees the answer."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, Referral

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_the_ministry_routes_to_the_transport_ministry_which_answers(page, login, live_server, demo):
    case = Case.objects.get(title="印染企业天然气供应不足")  # accepted, not yet routed (cases/demo.py)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()

    page = login("ministry", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    actions = page.get_by_test_id("actions")
    actions.get_by_role("button", name="转办", exact=True).first.click()
    form = page.locator("#action-route")
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
    respond.locator("textarea[name=response]").fill("已协调开通运输绿色通道")
    with page.expect_navigation():
        respond.get_by_role("button", name="提交").click()
    referral.refresh_from_db()
    assert (referral.state, referral.responded_by.username) == ("responded", "dept-mot")
