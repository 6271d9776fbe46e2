"""周报定稿, the 分地区情况 table of the national 日报 (page and .xlsx) and the A4 print view."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from chainwork.models import ExportLog
from chainwork.scope import scope_for
from reports import daily
from reports.models import DailyReport
from tests.factories import region
from tests.reports.support import CUT_OFF, D, at, enterprise, report
from tests.reports.test_daily import rows

WEEK_AGO = D - dt.timedelta(days=3)


@pytest.fixture
def week(personas):
    """One Hubei enterprise resumed three days before D: the 周报 ending on D counts 1."""
    firm = enterprise()
    report(firm, WEEK_AGO, "yes", logged_at=at(WEEK_AGO, 9))
    return firm


def finalise_week(personas, persona="hubei_lead", code="42"):
    user = getattr(personas, persona)
    return daily.finalise(scope=scope_for(user), region=region(code) if code else None, date=D, actor=user,
                          period="week")


# --- 周报定稿 -------------------------------------------------------------------------------------------


def test_finalised_weekly_is_not_recalculated_after_new_data(week, personas):
    finalise_week(personas)
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    figures, _stored = daily.figures_for(scope_for(personas.hubei), region("42"), D, keyed=True, period="week")
    assert rows(figures)["resumed_all"]["total"] == 1


def test_live_weekly_changes_before_finalising(week, personas):
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    figures, _stored = daily.figures_for(scope_for(personas.hubei), region("42"), D, keyed=True, period="week")
    assert rows(figures)["resumed_all"]["total"] == 2


def test_finalising_the_weekly_leaves_the_daily_live(week, personas):
    finalise_week(personas)
    stored = DailyReport.objects.get(region="42", date=D)
    assert not stored.is_final and stored.weekly["figures"]["period"] == "week"


def test_finalising_the_weekly_again_keeps_the_first_figures(week, personas):
    first = finalise_week(personas, "ministry", None)
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    again = finalise_week(personas, "ministry", None)
    assert again.weekly == first.weekly and DailyReport.objects.count() == 1


def test_province_lead_finalises_their_weekly(week, personas, client_for):
    client_for(personas.hubei_lead).post(reverse("reports-weekly-finalise"), {"date": D.isoformat()})
    assert DailyReport.objects.get(region="42", date=D).weekly["finalised_by"] == personas.hubei_lead.pk


def test_province_official_may_not_finalise_the_weekly(week, personas, client_for):
    response = client_for(personas.hubei).post(reverse("reports-weekly-finalise"), {"date": D.isoformat()})
    assert response.status_code == 403 and not DailyReport.objects.exists()


def test_ministry_finalises_the_national_weekly(week, personas, client_for):
    client_for(personas.ministry).post(reverse("reports-weekly-finalise"), {"date": D.isoformat()})
    assert DailyReport.objects.get(region=None, date=D).weekly["figures"]["scope"] == "全国"


def test_finalised_weekly_page_shows_the_frozen_state(week, personas, client_for):
    finalise_week(personas)
    page = client_for(personas.hubei).get(reverse("reports-weekly"), {"date": D.isoformat()}).content.decode()
    assert "已定稿" in page and 'data-testid="finalise"' not in page


def test_finalised_weekly_xlsx_export_is_frozen_and_logged_final(week, personas, client_for):
    finalise_week(personas)
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    response = client_for(personas.hubei).get(reverse("reports-daily-export"),
                                              {"date": D.isoformat(), "period": "week", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    resumed = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "已复工企业（含部分复工）")
    assert resumed[3] == 1 and ExportLog.objects.get().filters["final"] is True


def test_finalised_weekly_docx_says_final(week, personas, client_for):
    finalise_week(personas)
    response = client_for(personas.hubei).get(reverse("reports-daily-export"),
                                              {"date": D.isoformat(), "period": "week", "format": "docx"})
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "（定稿）" in text and "周报" in text


# --- 分地区情况 (the national 日报) ------------------------------------------------------------------------


def national(personas):
    figures = daily.build(scope_for(personas.ministry), D, CUT_OFF)
    return {row["code"]: row for row in figures["regions"]}


def test_national_daily_region_row_counts_resumed_enterprises(day, personas):
    hubei = national(personas)["42"]
    # 4 resumed by D's cut-off, 2 by D-1's, of 5 enterprises
    assert (hubei["resumed_new"], hubei["resumed_total"], hubei["resumption"]["pct"]) == (2, 4, 80.0)


def test_national_daily_region_row_counts_problems_and_closure(day, personas):
    hubei = national(personas)["42"]
    # 4 logged by D's cut-off (3 by D-1's), 1 closed
    assert (hubei["logged_new"], hubei["logged_total"], hubei["closure"]["pct"]) == (1, 4, 25.0)


def test_national_daily_region_rows_say_who_reported(day, personas):
    table = national(personas)
    assert (table["42"]["reporting"], table["44"]["reporting"], table["33"]["reporting"]) == (
        "reported", "zero", "missing")


def test_region_without_enterprises_has_no_rate(day, personas):
    guangdong = national(personas)["44"]
    assert (guangdong["resumed_total"], guangdong["resumption"]["pct"]) == (0, None)


def test_one_region_daily_has_no_region_table(day, personas):
    assert daily.build(scope_for(personas.hubei), D, CUT_OFF)["regions"] is None


def test_national_daily_page_shows_the_region_table(day, personas, client_for):
    page = client_for(personas.ministry).get(reverse("reports-daily"), {"date": D.isoformat()}).content.decode()
    assert 'data-testid="daily-region-table"' in page and 'data-region="44"' in page


def test_national_daily_xlsx_has_the_region_sheet(day, personas, client_for):
    response = client_for(personas.ministry).get(reverse("reports-daily-export"),
                                                 {"date": D.isoformat(), "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue()))["分地区情况"]
    hubei = next(row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int) and row[1] == "湖北省")
    assert hubei[2:] == (2, 4, "80.0%", 1, 4, "25.0%", "已报送")


def test_region_sheet_carries_the_watermark_and_preamble(day, personas, client_for):
    response = client_for(personas.ministry).get(reverse("reports-daily-export"),
                                                 {"date": D.isoformat(), "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue()))["分地区情况"]
    cells = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "内部资料" in sheet.oddHeader.center.text and "填报单位" in cells and "序号" in cells


# --- A4 print view ------------------------------------------------------------------------------------


def test_print_view_shows_the_daily_with_a_print_button(day, personas, client_for):
    page = client_for(personas.hubei).get(reverse("reports-daily-print"), {"date": D.isoformat()}).content.decode()
    assert 'data-testid="print-sheet"' in page and "data-print" in page and "js/case_print.js" in page


def test_print_view_has_no_inline_script(day, personas, client_for):
    page = client_for(personas.hubei).get(reverse("reports-daily-print"), {"date": D.isoformat()}).content.decode()
    assert "onclick" not in page and "window.print" not in page


def test_print_view_of_the_weekly(week, personas, client_for):
    page = client_for(personas.hubei).get(reverse("reports-daily-print"),
                                          {"date": D.isoformat(), "period": "week"}).content.decode()
    assert "本周新增" in page and "周报" in page


def test_print_view_of_a_finalised_weekly_says_final(week, personas, client_for):
    finalise_week(personas)
    page = client_for(personas.hubei).get(reverse("reports-daily-print"),
                                          {"date": D.isoformat(), "period": "week"}).content.decode()
    assert 'data-testid="print-final"' in page


def test_print_view_is_403_for_a_department(personas, client_for):
    assert client_for(personas.dept_mot).get(reverse("reports-daily-print")).status_code == 403


def test_print_css_sets_a4_pages():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "reports.css").read_text()
    assert "@page { size: A4" in css and "@media print" in css


def test_national_daily_docx_has_the_region_table(day, personas, client_for):
    response = client_for(personas.ministry).get(reverse("reports-daily-export"),
                                                 {"date": D.isoformat(), "format": "docx"})
    table = Document(io.BytesIO(response.content)).tables[1]
    hubei = next(row for row in table.rows if row.cells[1].text == "湖北省")
    assert [cell.text for cell in hubei.cells[2:]] == ["2", "4", "80.0%", "1", "4", "25.0%", "已报送"]
