"""The report pages and the API: who may see them, scope, 定稿, 零报告 and exports."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from chainwork.models import ExportLog
from reports.models import DailyReport, ZeroReport
from tests.reports.support import enterprise, problem, report

TODAY = timezone.localdate()
API = "/api/v1/reports/dashboard/"


@pytest.fixture
def data(personas):
    hubei = enterprise(is_lead=True)
    guangdong = enterprise("44")
    report(hubei, TODAY, "yes", staff=(9, 10))
    report(guangdong, TODAY, "partly", staff=(1, 10))
    problem(hubei, personas.hubei, created_at=timezone.now() - dt.timedelta(hours=2))
    return {"hubei": hubei, "guangdong": guangdong}


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("admin", 200), ("ministry_liaison", 200), ("hubei", 200), ("hubei_lead", 200),
    ("liaison_hubei", 403), ("dept_mot", 403),
])
def test_dashboard_permission(data, personas, client_for, persona, status):
    response = client_for(getattr(personas, persona)).get(reverse("reports-dashboard"))
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("ministry", 200), ("guangdong_lead", 200), ("zhejiang", 200), ("liaison_guangdong", 403), ("dept_mof", 403),
])
def test_daily_page_permission(data, personas, client_for, persona, status):
    assert client_for(getattr(personas, persona)).get(reverse("reports-daily")).status_code == status


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("reports-dashboard")).status_code == 302


def test_guangdong_official_gets_guangdong_figures_only(data, personas, api_client):
    api_client.force_authenticate(personas.guangdong)
    body = api_client.get(API).json()
    assert body["enterprises"]["total"] == 1 and [row["code"] for row in body["regions"]] == ["44"]


def test_province_official_cannot_drill_into_another_region(data, personas, api_client):
    api_client.force_authenticate(personas.guangdong)
    assert api_client.get(API, {"region": "42"}).status_code == 404


def test_ministry_drills_into_one_region(data, personas, api_client):
    api_client.force_authenticate(personas.ministry)
    body = api_client.get(API, {"region": "42"}).json()
    assert (body["enterprises"]["total"], body["cases"]["total"]) == (1, 1)


def test_department_gets_403_from_the_api(data, personas, api_client):
    api_client.force_authenticate(personas.dept_mot)
    assert api_client.get(API).status_code == 403


def test_referrals_are_shown_to_the_ministry_only(data, personas, api_client):
    api_client.force_authenticate(personas.hubei)
    assert api_client.get(API).json()["referrals"] is None


def test_dashboard_links_region_numbers_to_the_enterprise_list(data, personas, client_for):
    page = client_for(personas.ministry).get(reverse("reports-dashboard")).content.decode()
    assert 'href="/enterprises/?region=42&status=yes"' in page


def test_dashboard_query_count_does_not_grow_with_data(data, personas, client_for):
    client = client_for(personas.ministry)
    client.get(reverse("reports-dashboard"))  # the session's first refresh writes it: not the page's cost
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reports-dashboard"))
    for code in ("11", "31", "33", "51"):
        firm = enterprise(code, is_lead=True)
        report(firm, TODAY, "no")
        problem(firm, personas.ministry, created_at=timezone.now() - dt.timedelta(hours=1), state="escalated",
                escalated_at=timezone.now())
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("reports-dashboard"))
    assert len(after) == len(before) <= 20


def test_daily_page_query_count_is_bounded(data, personas, client_for):
    client = client_for(personas.ministry)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports-daily")).status_code == 200
    assert len(queries) <= 20


def test_province_lead_finalises_their_region(data, personas, client_for):
    client_for(personas.hubei_lead).post(reverse("reports-daily-finalise"), {"date": TODAY.isoformat()})
    assert DailyReport.objects.get(region="42", date=TODAY).is_final


def test_province_official_may_not_finalise(data, personas, client_for):
    response = client_for(personas.hubei).post(reverse("reports-daily-finalise"), {"date": TODAY.isoformat()})
    assert response.status_code == 403 and not DailyReport.objects.exists()


def test_ministry_finalises_the_national_report(data, personas, client_for):
    client_for(personas.ministry).post(reverse("reports-daily-finalise"), {"date": TODAY.isoformat()})
    assert DailyReport.objects.get(region=None, date=TODAY).finalised_by == personas.ministry


def test_finalised_page_shows_the_frozen_figures(data, personas, client_for):
    client = client_for(personas.hubei_lead)
    client.post(reverse("reports-daily-finalise"), {"date": TODAY.isoformat()})
    report(enterprise(), TODAY, "yes")
    page = client.get(reverse("reports-daily")).content.decode()
    assert "已定稿" in page and "纳入监测的重点企业1家" in page


def test_province_official_sends_a_zero_report(personas, client_for):
    client_for(personas.zhejiang).post(reverse("reports-zero-report"))
    assert ZeroReport.objects.filter(region="33", date=TODAY, user=personas.zhejiang).exists()


def test_ministry_cannot_send_a_zero_report(personas, client_for):
    assert client_for(personas.ministry).post(reverse("reports-zero-report")).status_code == 403


def test_zero_report_marks_the_region_reported(personas, client_for):
    client = client_for(personas.zhejiang)
    client.post(reverse("reports-zero-report"))
    page = client.get(reverse("reports-daily")).content.decode()
    assert "本地区今日已报送" in page


def test_xlsx_export_is_logged(data, personas, client_for):
    response = client_for(personas.hubei).get(reverse("reports-daily-export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert ExportLog.objects.get(user=personas.hubei).format == "xlsx"


def test_docx_export_is_logged_with_the_watermark(data, personas, client_for):
    client_for(personas.hubei).get(reverse("reports-daily-export"), {"format": "docx"})
    log = ExportLog.objects.get(user=personas.hubei)
    assert log.format == "docx" and "内部资料" in log.watermark


def test_docx_carries_the_watermark_in_its_header_and_the_table(data, personas, client_for):
    response = client_for(personas.hubei).get(reverse("reports-daily-export"), {"format": "docx"})
    document = Document(io.BytesIO(response.content))
    assert "内部资料" in document.sections[0].header.paragraphs[0].text
    assert document.tables[0].rows[0].cells[0].text == "序号"


def test_export_outside_scope_is_404(data, personas, client_for):
    response = client_for(personas.guangdong).get(reverse("reports-daily-export"), {"region": "42"})
    assert response.status_code == 404 and not ExportLog.objects.exists()


def test_weekly_page_shows_the_week_columns(data, personas, client_for):
    page = client_for(personas.hubei).get(reverse("reports-weekly")).content.decode()
    assert "本周新增" in page and "较上周" in page


def test_weekly_export_is_logged_as_weekly(data, personas, client_for):
    client_for(personas.hubei).get(reverse("reports-daily-export"), {"format": "docx", "period": "week"})
    assert ExportLog.objects.get(user=personas.hubei).kind == "weekly_report"


def test_weekly_page_is_403_for_a_department(personas, client_for):
    assert client_for(personas.dept_mot).get(reverse("reports-weekly")).status_code == 403


def test_a_region_with_a_nul_character_is_refused_in_the_api(api_client, personas):
    # Found by the API's property-based run: PostgreSQL refuses NUL in a query, which was a 500; a NUL in
    # any query parameter is now refused before the view (chainwork RejectNulMiddleware).
    api_client.force_authenticate(personas.ministry)
    response = api_client.get("/api/v1/reports/dashboard/", {"region": "4\x002"})
    assert response.status_code == 400
