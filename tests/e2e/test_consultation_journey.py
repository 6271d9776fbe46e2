"""Issue 21's journey in a real browser: the 部专班 calls today's 调度会, proposes its agenda, holds it and
records two decisions, for 交通运输部 and for 湖北; each owner sees its decision on its 工作台 and marks it
done; the problem's timeline shows both; the 纪要 prints and exports .docx."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import AgendaItem, Consultation, Decision
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    call_command("seed_demo")
    return settings.DEMO_PASSWORD


def log_out(page, live_server):
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()


def record_decision(page, text, owner, case_id, due):
    form = page.get_by_test_id("decision-form")
    form.locator("textarea[name=text]").fill(text)
    form.locator("select[name=case]").select_option(str(case_id))
    form.locator("select[name=owner]").select_option(owner)
    form.locator("input[name=due_date]").fill(due)
    with page.expect_navigation():
        form.get_by_role("button", name="记录议定事项").click()


def mark_done_from_home(page, live_server, text, note):
    page.goto(f"{live_server.url}/")
    assert text in page.content()
    page.goto(f"{live_server.url}/consultations/decisions/?mine=true&state=open")
    row = page.locator("tr", has_text=text)
    row.locator("input[name=note]").fill(note)
    with page.expect_navigation():
        row.get_by_role("button", name="已落实").click()


def test_the_ministry_holds_a_dispatch_meeting_whose_owners_carry_out_its_decisions(page, login, live_server, demo):
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page = login("ministry", demo)
    page.goto(f"{live_server.url}/consultations/")
    with page.expect_navigation():
        page.get_by_test_id("meeting-create").click()
    form = page.get_by_test_id("meeting-form")
    form.locator("input[name=chair]").fill("部专班负责同志")
    form.locator("select[name=departments]").select_option(["mot"])
    form.locator("select[name=regions]").select_option(["42"])
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    meeting = Consultation.objects.order_by("-pk").first()
    assert page.get_by_test_id("meeting-title").inner_text() == "部专班调度会"

    with page.expect_navigation():
        page.get_by_test_id("agenda-propose").click()
    with page.expect_navigation():
        page.get_by_test_id("proposal-submit").click()
    item = AgendaItem.objects.filter(consultation=meeting, case__region_id="42").order_by("position").first()
    assert item is not None

    page.goto(f"{live_server.url}/consultations/{meeting.pk}/edit/")
    page.locator("select[name=state]").select_option("held")
    page.locator("textarea[name=minutes]").fill("会议听取了交通运输部和湖北省专班汇报。")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    record_decision(page, "交通运输部协调开通绿色通道", "department:mot", item.case_id, due)
    record_decision(page, "湖北省专班组织员工返岗", "region:42", item.case_id, due)
    assert_accessible(page)
    assert Decision.objects.filter(consultation=meeting).count() == 2

    with page.expect_download() as download:
        page.get_by_test_id("minutes-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.goto(f"{live_server.url}/consultations/{meeting.pk}/minutes/")
    assert "交通运输部协调开通绿色通道" in page.get_by_test_id("print-sheet").inner_text()

    log_out(page, live_server)
    page = login("dept-mot", demo)
    mark_done_from_home(page, live_server, "交通运输部协调开通绿色通道", "已开通绿色通道")
    log_out(page, live_server)
    page = login("hubei", demo)
    mark_done_from_home(page, live_server, "湖北省专班组织员工返岗", "已组织返岗")
    assert set(Decision.objects.filter(consultation=meeting).values_list("state", flat=True)) == {"done"}

    page.goto(f"{live_server.url}/cases/{item.case_id}/")
    timeline = page.content()
    day = timezone.localtime(meeting.starts_at)
    assert timeline.count(f"经{day.month}月{day.day}日部专班调度会议定") >= 4  # each recorded and done
