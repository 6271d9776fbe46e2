"""Issue 11's liaison journey on a phone: the Hubei liaison officer records a contact by 微信群 with an
enterprise assigned to them, raises a problem from that contact in one step, and after the reminder
sweep finds the follow-up that is due today in the notification list. Every page on the way fits the
phone's width: nothing scrolls sideways."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.models import ContactRecord
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENTERPRISE = "汉江精密模具有限公司"  # assigned to liaison-hubei, next follow-up in five days (demo_contacts.py)

# The widest elements past the right edge, to say what to fix when a page scrolls sideways.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('main *, nav *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 8)};
}"""


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def assert_fits_the_phone(page):
    """Nothing scrolls sideways, and axe finds nothing serious in the page as a phone shows it."""
    page.wait_for_load_state()
    width = page.evaluate(OVERFLOW)
    assert width["scrollWidth"] <= width["innerWidth"] + 1, f"{page.url} scrolls sideways: {width}"
    assert_accessible(page)


def test_liaison_records_a_wechat_contact_raises_a_problem_and_is_reminded(phone_page, live_server, demo):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert_fits_the_phone(page)
    log_in(page, live_server, "liaison-hubei", demo)
    assert page.get_by_test_id("home-title").inner_text() == "驻企联络员工作台"
    assert_fits_the_phone(page)

    # The menu folds behind its toggler on a phone.
    page.get_by_role("button", name="展开菜单").tap()
    with page.expect_navigation():
        page.get_by_role("link", name="一对一联系").tap()
    assert_fits_the_phone(page)
    row = page.get_by_test_id("my-enterprises").locator("li", has_text=ENTERPRISE)
    with page.expect_navigation():
        row.get_by_role("link", name="登记联系").tap()
    assert_fits_the_phone(page)

    form = page.get_by_test_id("contact-form")
    assert form.locator("#id_enterprise").input_value() == ENTERPRISE
    form.get_by_label("联系方式").select_option(label="微信群")
    form.get_by_label("联系情况").fill("企业联络群沟通，模具订单充足，钢材到货慢。")
    form.get_by_label("企业反映的问题").fill("模具钢材跨省运输到货慢")
    form.locator("summary").tap()
    today = timezone.localdate()
    form.get_by_label("下次联系日期").fill(today.isoformat())
    with page.expect_navigation():
        form.get_by_role("button", name="保存").tap()
    record = ContactRecord.objects.get(enterprise__name=ENTERPRISE, summary__startswith="企业联络群沟通")
    assert (record.channel, record.next_follow_up) == ("wechat", today)
    assert_fits_the_phone(page)

    raise_form = page.get_by_test_id("raise-problem")
    assert raise_form.get_by_label("问题标题").input_value() == "模具钢材跨省运输到货慢"
    raise_form.get_by_label("问题类别").select_option(label="物流运输")
    raise_form.get_by_label("企业诉求").fill("请协调钢材运输车辆跨省通行")
    with page.expect_navigation():
        raise_form.get_by_role("button", name="登记为问题").tap()
    case = record.problems.get()
    assert (case.title, case.source, case.enterprise.name) == ("模具钢材跨省运输到货慢", "contact", ENTERPRISE)
    assert page.get_by_test_id("case-number").inner_text() == case.number
    assert_fits_the_phone(page)

    # The sweep Celery beat runs every minute, here once and in-process.
    call_command("send_reminders")
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="展开菜单").tap()
    with page.expect_navigation():
        page.get_by_test_id("notification-badge").tap()
    assert f"联系提醒：今天应联系{ENTERPRISE}" in page.get_by_test_id("notification-list").inner_text()
    assert_fits_the_phone(page)
