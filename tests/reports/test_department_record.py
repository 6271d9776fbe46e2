"""各部门办理情况 (issue 19): each department's record for the 部专班, each 责任单位's for a province; the figures
add up and agree with the rows they count; one grouped query; page, .xlsx, .docx and API."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.extensions import extension_decide, extension_request
from cases.models import Case, Extension, Referral
from cases.referrals import perform_referral
from cases.workflow import perform
from chainwork.models import ExportLog
from reports.departments import Period, department_rows, period_from, totals, unit_rows
from tests.cases.workflow_support import case_in

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def route(personas, chain, *referrals, title="物流受阻"):
    case = case_in("accepted", personas, chain, title=title)
    items = [{"department": slug, "role": role, "due_date": day(n).isoformat()} for slug, role, n in referrals]
    return perform(case_id=case.pk, action="route", actor=personas.ministry, data={"referrals": items})


@pytest.fixture
def record(personas, chain):
    """交通运输部: one answered in time, one answered late, one pending (overdue in 10 days), one sent back,
    one pending with an extension asked; 财政部: one pending."""
    on_time = route(personas, chain, ("mot", "lead", 3))
    perform_referral(referral_id=on_time.referrals.get().pk, action="respond", actor=personas.dept_mot,
                     data={"response": "已办"})
    late = route(personas, chain, ("mot", "lead", 1))
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        perform_referral(referral_id=late.referrals.get().pk, action="respond", actor=personas.dept_mot,
                         data={"response": "已办（迟）"})
    route(personas, chain, ("mot", "lead", 2), ("mof", "assist", 5))
    back = route(personas, chain, ("mot", "lead", 4))
    perform_referral(referral_id=back.referrals.get().pk, action="send-back", actor=personas.dept_mot,
                     data={"reason": "非本部门职责"})
    extended = route(personas, chain, ("mot", "lead", 20))
    asked = extension_request(referral_id=extended.referrals.get().pk, actor=personas.dept_mot,
                              data={"reason": "协调中", "proposed_date": day(25).isoformat()})
    extension_decide(extension_id=asked.pk, decision="grant", actor=personas.ministry, data={})
    return {"late": late}


PERIOD = Period(dt.date.today() - dt.timedelta(days=29), dt.date.today() + dt.timedelta(days=1))


def rows_by_key(rows):
    return {row["key"]: row for row in rows}


def test_the_departments_figures(personas, record):
    mot = rows_by_key(department_rows(personas.ministry, PERIOD))["mot"]
    assert {k: mot[k] for k in ("received", "in_time", "late", "pending", "sent_back", "extensions")} == {
        "received": 5, "in_time": 1, "late": 1, "pending": 2, "sent_back": 1, "extensions": 1}


def test_overdue_counts_pending_past_their_deadline(personas, record):
    mot = rows_by_key(department_rows(personas.ministry, PERIOD, today=day(10)))["mot"]
    assert mot["overdue"] == 1  # due in 2 days; the extended one is due in 25


def test_every_row_adds_up(personas, record):
    for row in department_rows(personas.ministry, PERIOD):
        assert row["received"] == row["in_time"] + row["late"] + row["pending"] + row["sent_back"]


def test_the_figures_agree_with_the_referrals(personas, record):
    rows = rows_by_key(department_rows(personas.ministry, PERIOD))
    today = timezone.localdate()
    for slug, row in rows.items():
        referrals = list(Referral.objects.filter(department__slug=slug))
        answered = [r for r in referrals if r.state == "responded"]
        late = [r for r in answered if timezone.localtime(r.responded_at).date() > r.due_date]
        assert (row["received"], row["late"], row["in_time"], row["overdue"], row["extensions"]) == (
            len(referrals), len(late), len(answered) - len(late),
            sum(1 for r in referrals if r.state == "pending" and r.due_date < today),
            Extension.objects.filter(referral__department__slug=slug).count())


def test_the_average_days_to_answer(personas, record):
    mot = rows_by_key(department_rows(personas.ministry, PERIOD))["mot"]
    answered = Referral.objects.filter(department__slug="mot", state="responded")
    expected = sum((r.responded_at - r.created_at).total_seconds() for r in answered) / answered.count() / 86400
    assert mot["avg_days"] == round(expected, 1)


def test_the_totals_are_the_sums_of_the_rows(personas, record):
    rows = department_rows(personas.ministry, PERIOD)
    assert totals(rows)["received"] == sum(row["received"] for row in rows) == Referral.objects.count()


def test_one_grouped_query(personas, record, django_assert_num_queries):
    with django_assert_num_queries(1):
        department_rows(personas.ministry, PERIOD)


def test_a_referral_routed_before_the_period_is_not_counted(personas, record):
    later = Period(day(1), day(5))
    assert department_rows(personas.ministry, later) == []


def test_a_ministry_liaison_sees_only_its_regions(personas, record):
    assert rows_by_key(department_rows(personas.ministry_liaison, PERIOD))["mot"]["received"] == 5


def test_the_default_period_is_the_last_30_days():
    period = period_from({})
    assert (period.end - period.start).days == 29 and period.end == timezone.localdate()


# --- a province's 责任单位 ------------------------------------------------------------------------------

@pytest.fixture
def units(personas, chain):
    """武汉市经信局 (case_in's local unit): one answered in time, one still local, one escalated."""
    answered = case_in("local", personas, chain)
    perform(case_id=answered.pk, action="respond", actor=personas.hubei,
            data={"response": "已协调", "closure_type": "solved"})
    pending = case_in("local", personas, chain)
    perform(case_id=pending.pk, action="extend", actor=personas.hubei,
            data={"reason": "等设备", "proposed_date": day(20).isoformat()})
    moved = case_in("local", personas, chain)
    perform(case_id=moved.pk, action="submit", actor=personas.hubei, data={})
    return answered


def test_the_units_figures(personas, units):
    row = rows_by_key(unit_rows(personas.hubei, PERIOD))["武汉市经信局"]
    assert {k: row[k] for k in ("received", "in_time", "late", "pending", "sent_back", "extensions")} == {
        "received": 3, "in_time": 1, "late": 0, "pending": 1, "sent_back": 1, "extensions": 1}


def test_the_units_rows_add_up(personas, units):
    for row in unit_rows(personas.hubei, PERIOD):
        assert row["received"] == row["in_time"] + row["late"] + row["pending"] + row["sent_back"]
        assert row["received"] == Case.objects.filter(local_unit=row["key"]).count()


def test_guangdong_sees_no_hubei_unit(personas, units):
    assert unit_rows(personas.guangdong, PERIOD) == []


def test_the_units_record_is_one_query(personas, units, django_assert_num_queries):
    with django_assert_num_queries(1):
        unit_rows(personas.hubei, PERIOD)


# --- pages, exports, API --------------------------------------------------------------------------------

def test_page_shows_the_table(client, personas, record):
    client.force_login(personas.ministry)
    body = client.get(reverse("reports-departments")).content.decode()
    assert 'data-row="mot"' in body and 'data-testid="record-chart"' in body


def test_page_is_linked_from_the_reports(client, personas):
    client.force_login(personas.ministry)
    assert reverse("reports-departments") in client.get(reverse("reports-dashboard")).content.decode()


def test_page_refuses_a_department(client, personas):
    client.force_login(personas.dept_mot)
    assert client.get(reverse("reports-departments")).status_code == 403


def test_page_bad_date_is_400_with_a_message(client, personas):
    client.force_login(personas.ministry)
    response = client.get(reverse("reports-departments"), {"from": "2026-13-01"})
    assert response.status_code == 400 and "日期格式应为YYYY-MM-DD" in response.content.decode()


def test_xlsx_export_in_the_house_format(client, personas, record):
    client.force_login(personas.ministry)
    response = client.get(reverse("reports-departments-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1][0] == "填报单位" and values[6][0] == "序号" and values[7][1] == "交通运输部"


def test_xlsx_export_is_logged(client, personas, record):
    client.force_login(personas.ministry)
    b"".join(client.get(reverse("reports-departments-export")).streaming_content)
    assert ExportLog.objects.filter(kind="department_record", format="xlsx").count() == 1


def test_docx_report_is_a_word_file_and_logged(client, personas, record):
    client.force_login(personas.ministry)
    response = client.get(reverse("reports-departments-export"), {"format": "docx"})
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert ExportLog.objects.filter(kind="department_record", format="docx").exists()


def test_docx_report_just_after_midnight_is_dated_the_local_day(client, personas, record):
    from docx import Document

    client.force_login(personas.ministry)
    with time_machine.travel("2026-12-02T16:30:00+00:00", tick=False):  # 00:30 on the 3rd in Beijing
        response = client.get(reverse("reports-departments-export"), {"format": "docx"})
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "2026年12月3日" in text and "2026年12月2日" not in text


def test_api_rows(api_client, personas, record):
    api_client.force_authenticate(personas.ministry)
    data = api_client.get("/api/v1/reports/departments/").json()
    assert rows_by_key(data["rows"])["mot"]["received"] == 5 and data["kind"] == "departments"


def test_api_bad_date_is_400(api_client, personas):
    api_client.force_authenticate(personas.ministry)
    response = api_client.get("/api/v1/reports/departments/", {"to": "昨天"})
    assert response.status_code == 400 and "to" in response.json()


def test_api_refuses_a_liaison_officer(api_client, personas):
    api_client.force_authenticate(personas.liaison_hubei)
    assert api_client.get("/api/v1/reports/departments/").status_code == 403


def test_api_province_gets_its_units(api_client, personas, units):
    api_client.force_authenticate(personas.hubei_lead)
    data = api_client.get("/api/v1/reports/departments/").json()
    assert data["kind"] == "units" and [row["key"] for row in data["rows"]] == ["武汉市经信局"]
