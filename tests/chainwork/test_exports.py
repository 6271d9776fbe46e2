import csv
import io

import pytest
import time_machine
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from chainwork.exports import Export, export_response, safe_cell
from chainwork.models import ExportLog

pytestmark = pytest.mark.django_db


def make_export(rows=None):
    return Export(kind="test", title="测试名单", headers=["名称", "备注"],
                  rows=rows if rows is not None else [["甲", "=1+1"], ["乙", "正常"]],
                  filters={"region": "42"})


def export_as(user, fmt="xlsx", rows=None):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.8")
    request.user = user
    return export_response(request, make_export(rows), fmt)


def test_an_export_is_logged_with_who_what_and_how_many(personas):
    export_as(personas.hubei)
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.rows, log.filters) == (personas.hubei, "test", 2, {"region": "42"})


def test_an_export_log_records_the_address(personas):
    export_as(personas.hubei)
    assert ExportLog.objects.get().ip == "10.0.0.8"


def test_the_workbook_carries_the_watermark_in_its_page_header(personas):
    workbook = load_workbook(io.BytesIO(export_as(personas.hubei).getvalue()))
    header = workbook.active.oddHeader.center.text
    assert "内部资料" in header and "p-hubei" in header


def test_the_workbook_shows_the_watermark_in_a_row(personas):
    sheet = load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active
    assert any("内部资料" in str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0])


def test_the_workbook_starts_with_the_title_and_the_reporting_rows(personas):
    rows = list(load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active.iter_rows(values_only=True))
    assert [rows[0][0], rows[1][0], rows[2][0], rows[3][0], rows[4][0]] == [
        "测试名单", "填报单位", "填报人", "联系电话", "填报日期"]


def test_the_header_row_starts_with_a_sequence_number(personas):
    rows = list(load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active.iter_rows(values_only=True))
    assert rows[6] == ("序号", "名称", "备注")


def test_the_filing_date_is_written_the_chinese_way(personas):
    rows = list(load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active.iter_rows(values_only=True))
    assert "年" in rows[4][1] and rows[4][1].endswith("日")


# 00:30 in Beijing on 3 December is still 2 December in UTC.
JUST_AFTER_MIDNIGHT = "2026-12-02T16:30:00+00:00"


def test_an_export_just_after_midnight_is_filed_on_the_local_date(personas):
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        rows = list(load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active.iter_rows(values_only=True))
    assert rows[4][1] == "2026年12月3日"


def test_a_csv_export_just_after_midnight_is_filed_on_the_local_date(personas):
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        content = export_as(personas.hubei, fmt="csv").getvalue().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(content)))[4][1] == "2026年12月3日"


def test_the_filing_date_and_the_watermark_agree_just_after_midnight(personas):
    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        rows = list(load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active.iter_rows(values_only=True))
    assert rows[4][1] in rows[5][0]


def test_a_formula_in_a_cell_is_neutralised(personas):
    rows = list(load_workbook(io.BytesIO(export_as(personas.hubei).getvalue())).active.iter_rows(values_only=True))
    assert rows[7] == (1, "甲", "'=1+1")


def test_csv_is_utf8_with_a_bom_and_the_watermark(personas):
    content = export_as(personas.hubei, fmt="csv").getvalue()
    assert content.startswith("\ufeff".encode()) and "内部资料" in content.decode("utf-8-sig")


def test_csv_neutralises_formulas(personas):
    rows = list(csv.reader(io.StringIO(export_as(personas.hubei, fmt="csv").getvalue().decode("utf-8-sig"))))
    assert rows[7] == ["1", "甲", "'=1+1"]


def test_an_empty_export_is_logged_with_zero_rows(personas):
    export_as(personas.hubei, rows=[])
    assert ExportLog.objects.get().rows == 0


def test_the_download_is_named_after_the_title(personas):
    disposition = export_as(personas.hubei)["Content-Disposition"]
    assert "attachment" in disposition and "%E6%B5%8B%E8%AF%95" in disposition


@pytest.mark.parametrize("value", ["=cmd()", "+1", "-1", "@SUM(A1)"])
def test_formula_prefixes_get_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


def test_plain_text_is_left_alone():
    assert safe_cell("湖北") == "湖北"


def test_export_log_rows_cannot_be_deleted(personas):
    from django.db import InternalError

    export_as(personas.hubei)
    with pytest.raises(InternalError):
        ExportLog.objects.all().delete()


def test_the_administrator_exports_users_from_the_admin(client_for, personas):
    client = client_for(personas.admin)
    response = client.post(reverse("admin:chainwork_user_changelist"),
                           {"action": "export_users", "_selected_action": [personas.hubei.pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ExportLog.objects.get().kind == "users"


def test_the_administrator_lists_the_export_log(client_for, personas):
    export_as(personas.hubei)
    response = client_for(personas.admin).get(reverse("admin:chainwork_exportlog_changelist"))
    assert "测试名单" in response.content.decode()


def test_the_ministry_does_not_see_the_export_log(client_for, personas):
    assert client_for(personas.ministry).get(reverse("admin:chainwork_exportlog_changelist")).status_code == 403


def test_every_page_carries_the_watermark_of_the_user(client_for, personas):
    html = client_for(personas.guangdong).get("/").content.decode()
    assert 'data-testid="watermark"' in html and "p-guangdong" in html


def test_a_csv_export_is_streamed_in_chunks_of_rows(personas):
    response = export_as(personas.hubei, fmt="csv", rows=[[f"企业{n}", ""] for n in range(1200)])
    chunks = list(response.streaming_content)
    assert response.streaming and len(chunks) == 4  # the preamble, then 500, 500 and 200 rows


def test_a_csv_export_cut_short_is_logged_with_the_rows_sent(personas):
    response = export_as(personas.hubei, fmt="csv")
    next(iter(response.streaming_content))  # the preamble only, then the download stops
    # The server closes the response; keep the test's database connection open as the test client does.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert ExportLog.objects.get().rows == 0


def test_an_xlsx_export_is_sent_from_a_file(personas):
    response = export_as(personas.hubei)
    assert response.streaming and response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("value", ["＝cmd()", "＋1", "－1", "＠SUM(A1)", "﹦1+1"])
def test_full_width_formula_prefixes_get_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["\u200b=cmd()", "\ufeff+1", "\u200d\u2060@SUM(A1)", "\u3000＝1"])
def test_a_formula_behind_invisible_characters_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


def test_full_width_text_that_is_no_formula_is_left_alone():
    assert safe_cell("（湖北）１２３") == "（湖北）１２３"


def test_csv_neutralises_full_width_formulas(personas):
    response = export_as(personas.hubei, fmt="csv", rows=[["甲", "＝HYPERLINK(\"http://x\")"]])
    assert "'＝HYPERLINK" in response.getvalue().decode("utf-8-sig")
