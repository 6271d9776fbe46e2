"""Issue 19 in a real browser at phone width: 交通运输部's 工作台 lists its referrals with the 反馈 / 退回 /
申请延期 forms one click away; the 部专班 decides a pending request on its 申请延期 page; the 各部门办理情况
page draws its chart. Each page passes the accessibility check."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Extension, Referral
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}}


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_the_department_asks_for_an_extension_from_its_home(new_page, live_server, demo):
    page = log_in(new_page(**PHONE), live_server, "dept-mot", demo)
    queue = page.get_by_test_id("department-queue")
    queue.wait_for(state="visible")
    referral = Referral.objects.filter(department__slug="mot", state="pending").exclude(
        extensions__state="pending").order_by("due_date").first()
    page.locator(f'button[aria-controls="q-extend-{referral.pk}"]').click()
    form = page.locator(f"#q-extend-{referral.pk}")
    form.wait_for(state="visible")
    assert_accessible(page)
    form.locator("textarea[name=reason]").fill("需协调多省交通运输部门")
    form.locator("input[name=proposed_date]").fill((referral.due_date + dt.timedelta(days=5)).isoformat())
    with page.expect_navigation():
        form.get_by_role("button", name="提交申请").click()
    assert Extension.objects.filter(referral=referral, state="pending").exists()


def test_the_ministry_grants_on_its_extensions_page(new_page, live_server, demo):
    page = log_in(new_page(**PHONE), live_server, "ministry", demo)
    page.goto(f"{live_server.url}/cases/extensions/")
    pending = Extension.objects.get(referral__department__slug="mot", state="pending")
    form = page.get_by_test_id(f"grant-{pending.pk}")
    assert_accessible(page)
    with page.expect_navigation():
        form.get_by_role("button", name="批准延期").click()
    pending.refresh_from_db()
    assert pending.state == "granted" and pending.granted_date == pending.proposed_date


def test_the_departments_record_draws_its_chart(new_page, live_server, demo):
    page = log_in(new_page(), live_server, "ministry", demo)
    page.goto(f"{live_server.url}/reports/departments/?from={(timezone.localdate() - dt.timedelta(days=30)).isoformat()}")
    page.locator("#record-chart canvas").wait_for(state="attached")
    assert_accessible(page)
