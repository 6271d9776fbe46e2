"""The 行业协会 on a phone (issue #21): assoc-auto finds a covered enterprise, registers its difficulty and
follows it under 我登记的问题; every page fits 390 px, rows as compact cards."""

import pytest
from django.core.management import call_command

from tests.e2e.conftest import PHONE, assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


@pytest.mark.parametrize("path", ["/", "/enterprises/covered/", "/cases/registered/", "/cases/register/"])
def test_the_association_page_fits_a_phone(new_page, live_server, demo, path):
    page = log_in(new_page(**PHONE), live_server, "assoc-auto", demo)
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_association_registers_a_difficulty_and_follows_it(new_page, live_server, demo):
    page = log_in(new_page(**PHONE), live_server, "assoc-auto", demo)
    page.goto(f"{live_server.url}/enterprises/covered/")
    row = page.locator('[data-testid="covered-table"] tr', has_text="江城汽车零部件股份有限公司")
    with page.expect_navigation():
        row.get_by_role("link", name="登记困难").click()
    page.select_option("#id_category", label="上下游配套")
    page.fill("#id_title", "冲压模具供应商停产")
    page.fill("#id_request", "请协调模具供应商尽快复工")
    page.fill("#id_description", "模具库存仅够一周")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert page.get_by_test_id("case-source").inner_text().strip() == "行业协会（中国汽车产业链协会（示例））"


def test_the_association_pages_are_accessible(page, live_server, demo):
    log_in(page, live_server, "assoc-auto", demo)
    for path in ("/", "/enterprises/covered/", "/cases/registered/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
