"""Issue 19's 协办 between provinces in a real browser: Hubei asks Guangdong for 协办 on a problem naming
a Guangdong supplier, with a deadline; Guangdong finds it on its phone in the 协办 list with its light,
answers with a 协办意见; the 部专班 sees it answered."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseShare
from tests.e2e.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def test_hubei_asks_guangdong_which_answers_on_its_phone(new_page, phone_page, live_server, demo):
    case = Case.objects.get(title="熔喷材料供应不足")  # a new Hubei problem naming a Dongguan supplier (cases/demo.py)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()

    page = log_in(new_page(), live_server, "hubei", demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("actions").get_by_role("button", name="请求协办", exact=True).click()
    form = page.locator("#action-share")
    form.wait_for(state="visible")
    form.locator("select[name=region]").select_option("44")
    form.locator("textarea[name=note]").fill("请协调东莞松湖电子材料有限公司增加熔喷材料供应")
    form.locator("input[name=due_date]").fill(due)
    with page.expect_navigation():
        form.get_by_role("button", name="请求协办", exact=True).click()
    assert CaseShare.objects.get(case=case, region="44").state == "pending"

    phone = log_in(phone_page, live_server, "guangdong", demo)
    phone.goto(f"{live_server.url}/cases/shares/")
    row = phone.locator(f"[data-share] >> text={case.number}").locator("xpath=ancestor::li[1]")
    assert "正常" in row.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    with phone.expect_navigation():
        row.get_by_role("link", name=case.number).click()
    assert "东莞松湖电子材料有限公司" in phone.get_by_test_id("own-enterprises").inner_text()
    reply = phone.get_by_test_id("share-reply-form")
    reply.locator("textarea[name=text]").fill("已协调东莞松湖电子材料有限公司本周增产熔喷材料20吨")
    with phone.expect_navigation():
        reply.get_by_role("button", name="提交协办意见").click()
    assert CaseShare.objects.get(case=case, region="44").state == "replied"

    ministry = log_in(new_page(), live_server, "ministry", demo)
    ministry.goto(f"{live_server.url}/cases/shares/?state=replied")
    assert "已协调东莞松湖电子材料有限公司本周增产熔喷材料20吨" in ministry.get_by_test_id("share-list").inner_text()
    assert_accessible(ministry)
