"""Issue 19's journey in a real browser, with a real Celery worker writing the notices: the 部专班 refers a
problem to 交通运输部; `dept-mot` sees its bell count rise and the referral on its 工作台 in deadline order,
answers it there; the 部专班 finds the answer among its notifications."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, Referral
from chainwork.models import Notification
from tests.celery_worker import worker_on_own_queue
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(django_db_blocker):
    with worker_on_own_queue("told", django_db_blocker) as queue:
        yield queue


@pytest.fixture
def demo(settings, worker):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def settle():
    """Wait until the worker has written the notices the demo's own events queued."""
    last, still_since = -1, time.monotonic()
    while time.monotonic() - still_since < 1.5:
        count = Notification.objects.count()
        if count != last:
            last, still_since = count, time.monotonic()
        time.sleep(0.2)


def unread(page) -> int:
    badge = page.get_by_test_id("notification-badge").locator(".badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_referral_reaches_the_department_and_its_answer_the_ministry(new_page, live_server, demo):
    case = Case.objects.get(title="印染企业天然气供应不足")  # accepted, not yet routed (cases/demo.py)
    today = timezone.localdate()
    settle()

    department = log_in(new_page(), live_server, "dept-mot", demo)
    before = unread(department)

    ministry = log_in(new_page(), live_server, "ministry", demo)
    ministry.goto(f"{live_server.url}/cases/{case.pk}/")
    ministry.get_by_test_id("actions").get_by_role("button", name="转办", exact=True).first.click()
    form = ministry.locator("#action-route")
    form.wait_for(state="visible")
    form.locator("select[name=department_1]").select_option("mot")
    form.locator("select[name=role_1]").select_option("lead")
    form.locator("input[name=due_date_1]").fill(today.isoformat())
    with ministry.expect_navigation():
        form.get_by_role("button", name="转办", exact=True).click()
    referral = Referral.objects.get(case=case, department__slug="mot")
    wait_for(lambda: Notification.objects.filter(user__username="dept-mot", case_event_id__isnull=False,
                                                 url=f"/cases/{case.pk}/").exists())

    department.reload()
    assert unread(department) == before + 1
    rows = department.get_by_test_id("department-queue").locator("li[data-referral]")
    overdue = Referral.objects.filter(department__slug="mot", state="pending", due_date__lt=today).count()
    assert rows.nth(overdue).get_attribute("data-referral") == str(referral.pk)
    assert_accessible(department)

    row = rows.nth(overdue)
    row.locator(f'button[aria-controls="q-respond-{referral.pk}"]').click()
    respond = department.locator(f"#q-respond-{referral.pk}")
    respond.wait_for(state="visible")
    respond.locator("textarea[name=response]").fill("已协调开通天然气运输绿色通道")
    with department.expect_navigation():
        respond.get_by_role("button", name="提交").click()
    referral.refresh_from_db()
    assert referral.state == "responded"

    wait_for(lambda: Notification.objects.filter(user__username="ministry", kind="referral-respond",
                                                 url=f"/cases/{case.pk}/").exists())
    ministry.goto(f"{live_server.url}/notifications/")
    assert case.number in ministry.locator("main").inner_text()
