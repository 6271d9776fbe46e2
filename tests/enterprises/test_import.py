"""Import of enterprise lists, supply links and daily status (enterprises/importing.py and its pages)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pghistory.models import Events

from enterprises import importing
from enterprises.models import Enterprise, StatusReport, SupplyLink
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, SupplyLinkFactory, make_credit_code, region

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADERS = ["企业名称", "统一社会信用代码", "所属地区", "国家", "行业门类", "重点领域", "企业规模",
                      "是否龙头企业", "地址", "联系人", "联系电话"]
LINK_HEADERS = ["龙头企业信用代码", "配套企业信用代码", "关系", "产品", "重要程度", "唯一供应"]
STATUS_HEADERS = ["统一社会信用代码", "日期", "复工情况", "到岗人数", "正常用工人数", "当日产值（万元）",
                  "正常产值（万元）", "产能（万元）"]
HUBEI_1 = make_credit_code("420100", 1)
HUBEI_2 = make_credit_code("420100", 2)
GUANGDONG_1 = make_credit_code("440300", 3)
DAY = dt.date(2026, 11, 20)
DAY_TEXT = DAY.isoformat()


def xlsx(headers, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, *rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def enterprise_row(name="武汉甲汽车零部件有限公司", code=HUBEI_1, region_value="湖北省", **overrides):
    row = {"企业名称": name, "统一社会信用代码": code, "所属地区": region_value, "国家": "", "行业门类": "C",
           "重点领域": "", "企业规模": "大", "是否龙头企业": "是", "地址": "武汉市", "联系人": "张三",
           "联系电话": "027-84000000", **overrides}
    return [row[header] for header in ENTERPRISE_HEADERS]


def run(data: bytes, actor, name="list.xlsx", dry=False) -> importing.ImportReport:
    function = importing.dry_run if dry else importing.apply
    return function(io.BytesIO(data), actor=actor, name=name)


def messages_of(report) -> list[str]:
    return [problem.message for problem in report.problems]


# --- enterprises ------------------------------------------------------------------------------------


def test_chinese_headers_create_the_enterprise(personas):
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row()), personas.hubei)
    assert report.applied and report.created == 1
    assert Enterprise.objects.get(credit_code=HUBEI_1).name == "武汉甲汽车零部件有限公司"


def test_english_headers_are_read(personas):
    data = xlsx(["name", "credit_code", "region", "size", "is_lead"], ["武汉乙有限公司", HUBEI_2, "42", "large", "否"])
    run(data, personas.hubei)
    assert Enterprise.objects.get(credit_code=HUBEI_2).size == "large"


def test_headers_are_trimmed_and_full_width_folded(personas):
    data = xlsx([" 企业名称 ", "统一社会信用代码＊", "所属地区"], ["武汉乙有限公司", HUBEI_2, "42"])
    report = run(data, personas.hubei)
    assert report.ok and Enterprise.objects.filter(credit_code=HUBEI_2).exists()


def test_new_enterprise_gets_pinyin_list_region_and_registrar(personas):
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row(name="华为技术有限公司")), personas.hubei)
    enterprise = Enterprise.objects.get(credit_code=HUBEI_1)
    assert (enterprise.name_initials, enterprise.list_region_id, enterprise.created_by) == (
        "hwjsyxgs", "42", personas.hubei)


def test_gb18030_csv_is_read(personas):
    data = csv_bytes(ENTERPRISE_HEADERS, enterprise_row(), encoding="gb18030")
    report = run(data, personas.hubei, name="名单.csv")
    assert report.applied
    assert Enterprise.objects.get(credit_code=HUBEI_1).name == "武汉甲汽车零部件有限公司"


def test_utf8_csv_with_bom_is_read(personas):
    report = run(csv_bytes(ENTERPRISE_HEADERS, enterprise_row()), personas.hubei, name="list.csv")
    assert report.applied and report.created == 1


def test_full_width_credit_code_is_normalised(personas):
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in HUBEI_1)
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row(code=full_width)), personas.hubei)
    assert Enterprise.objects.filter(credit_code=HUBEI_1).exists()


@pytest.mark.parametrize("value", ["42", 42, "湖北省", "湖北", "鄂", "４２"])
def test_region_is_read_by_code_name_short_name_or_abbreviation(personas, value):
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row(region_value=value)), personas.hubei)
    assert Enterprise.objects.get(credit_code=HUBEI_1).region_id == "42"


def test_unknown_region_is_reported(personas):
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row(region_value="火星")), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(2, "所属地区")]


def test_key_fields_are_matched_by_name(personas):
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row(**{"重点领域": "防疫物资；民生保障"})), personas.hubei)
    names = set(Enterprise.objects.get(credit_code=HUBEI_1).key_fields.values_list("name", flat=True))
    assert names == {"防疫物资", "民生保障"}


def test_unknown_key_field_is_reported(personas):
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row(**{"重点领域": "防疫物资、航天"})), personas.hubei)
    assert report.problems[0].column == "重点领域" and "航天" in report.problems[0].message


def test_wrong_check_character_names_the_expected_one(personas):
    wrong = HUBEI_1[:17] + ("0" if HUBEI_1[17] != "0" else "1")
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row(code=wrong)), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(2, "统一社会信用代码")]
    assert f"第18位应为{HUBEI_1[17]}" in report.problems[0].message


def test_problem_row_counts_the_header_as_row_1_and_names_the_header_as_written(personas):
    data = xlsx(["Name", "Credit Code", "Region"], ["甲公司", HUBEI_1, "42"], ["乙公司", "123", "42"])
    report = run(data, personas.hubei, dry=True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "Credit Code")]


def test_bad_phone_is_reported_like_in_the_form(personas):
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row(**{"联系电话": "打电话"})), personas.hubei)
    assert report.problems[0].column == "联系电话" and "联系电话格式不正确" in report.problems[0].message


def test_every_problem_of_a_row_is_reported(personas):
    row = enterprise_row(code="123", **{"企业规模": "巨大", "是否龙头企业": "也许"})
    report = run(xlsx(ENTERPRISE_HEADERS, row), personas.hubei)
    assert {p.column for p in report.problems} == {"统一社会信用代码", "企业规模", "是否龙头企业"}


def test_same_credit_code_twice_in_the_file_is_reported(personas):
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(), enterprise_row(name="另一家公司"))
    report = run(data, personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(3, "统一社会信用代码")]
    assert "第2行" in report.problems[0].message


def test_one_bad_row_writes_nothing(personas):
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(), enterprise_row(name="", code=HUBEI_2))
    report = run(data, personas.hubei)
    assert not report.applied
    assert not Enterprise.objects.filter(credit_code__in=[HUBEI_1, HUBEI_2]).exists()


def test_existing_credit_code_is_updated(personas):
    EnterpriseFactory(credit_code=HUBEI_1, name="旧名称有限公司")
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row(name="新名称有限公司")), personas.hubei)
    assert (report.created, report.updated) == (0, 1)
    assert Enterprise.objects.get(credit_code=HUBEI_1).name == "新名称有限公司"


def test_blank_cells_keep_the_existing_values_on_update(personas):
    EnterpriseFactory(credit_code=HUBEI_1, contact_name="李四")
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row(**{"联系人": ""})), personas.hubei)
    assert Enterprise.objects.get(credit_code=HUBEI_1).contact_name == "李四"


def test_dry_run_counts_new_changed_and_unchanged_rows(personas):
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row(), enterprise_row(name="乙公司", code=HUBEI_2)), personas.hubei)
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(), enterprise_row(name="乙公司改名", code=HUBEI_2),
                enterprise_row(name="丙公司", code=make_credit_code("420100", 9)))
    report = run(data, personas.hubei, dry=True)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)


def test_dry_run_writes_nothing(personas):
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row()), personas.hubei, dry=True)
    assert report.ok and report.created == 1
    assert not Enterprise.objects.filter(credit_code=HUBEI_1).exists()


def test_hubei_official_cannot_import_a_guangdong_row(personas):
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(), enterprise_row(name="深圳丙公司", code=GUANGDONG_1,
                                                                      region_value="广东"))
    report = run(data, personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(3, "所属地区")]
    assert Enterprise.objects.filter(credit_code__in=[HUBEI_1, GUANGDONG_1]).count() == 0


def test_ministry_may_import_rows_of_any_region(personas):
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(), enterprise_row(name="深圳丙公司", code=GUANGDONG_1,
                                                                      region_value="广东"))
    report = run(data, personas.ministry)
    assert report.applied and report.created == 2


def test_abroad_row_with_country_and_no_region_is_on_no_list(personas):
    row = enterprise_row(name="Bosch GmbH", code="", region_value="", **{"国家": "德国"})
    run(xlsx(ENTERPRISE_HEADERS, row), personas.hubei)
    enterprise = Enterprise.objects.get(name="Bosch GmbH")
    assert (enterprise.country, enterprise.region_id, enterprise.list_region_id) == ("德国", None, None)


def test_abroad_row_is_added_by_the_importers_region(personas):
    row = enterprise_row(name="Bosch GmbH", code="", region_value="", **{"国家": "德国"})
    run(xlsx(ENTERPRISE_HEADERS, row), personas.hubei)
    assert Enterprise.objects.get(name="Bosch GmbH").added_by_region_id == "42"


def test_abroad_row_imported_by_the_ministry_is_added_by_no_region(personas):
    row = enterprise_row(name="Bosch GmbH", code="", region_value="", **{"国家": "德国"})
    run(xlsx(ENTERPRISE_HEADERS, row), personas.ministry)
    assert Enterprise.objects.get(name="Bosch GmbH").added_by_region_id is None


def test_abroad_row_with_a_region_is_refused_and_nothing_is_written(personas):
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(),
                enterprise_row(name="Bosch GmbH", code="", region_value="湖北", **{"国家": "德国"}))
    report = run(data, personas.hubei)
    assert not report.applied and not Enterprise.objects.exists()
    assert "所属地区请留空" in messages_of(report)[0]


def test_abroad_row_of_an_enterprise_another_region_added_is_refused(personas):
    AbroadEnterpriseFactory(name="Bosch GmbH", country="德国", added_by_region=region("44"))
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row(name="Bosch GmbH", code="", region_value="",
                                                         **{"国家": "德国"})), personas.hubei)
    assert not report.applied and "由广东省登记" in messages_of(report)[0]


def test_abroad_row_imported_twice_updates_the_same_enterprise(personas):
    data = xlsx(ENTERPRISE_HEADERS, enterprise_row(name="Bosch GmbH", code="", region_value="", **{"国家": "德国"}))
    run(data, personas.hubei)
    report = run(data, personas.hubei)
    assert report.unchanged == 1 and Enterprise.objects.filter(name="Bosch GmbH").count() == 1


def test_import_is_recorded_in_the_history_with_the_file_and_the_user(personas):
    run(xlsx(ENTERPRISE_HEADERS, enterprise_row()), personas.hubei, name="湖北名单.xlsx")
    event = Events.objects.tracks(Enterprise.objects.get(credit_code=HUBEI_1)).get()
    assert event.pgh_context["import_file"] == "湖北名单.xlsx"
    assert event.pgh_context["user"] == personas.hubei.pk


# --- the file -----------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(personas):
    report = run(b"%PDF-1.4 not a workbook", personas.hubei, name="list.xlsx")
    assert "不是有效的Excel" in messages_of(report)[0]


def test_an_old_xls_file_is_refused_with_advice(personas):
    report = run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, personas.hubei, name="list.xls")
    assert ".xlsx" in messages_of(report)[0]


def test_unknown_headers_are_reported(personas):
    report = run(xlsx(["甲", "乙"], ["1", "2"]), personas.hubei)
    assert report.kind is None and "无法识别文件类型" in messages_of(report)[0]


def test_missing_required_column_is_reported(personas):
    report = run(xlsx(["龙头企业信用代码", "配套企业信用代码"], [HUBEI_1, HUBEI_2]), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(1, "关系")]


def test_rows_over_the_cap_are_refused(personas, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    data = xlsx(ENTERPRISE_HEADERS, *(enterprise_row(code=make_credit_code("420100", n)) for n in range(3)))
    assert "上限" in messages_of(run(data, personas.hubei))[0]


def test_liaison_may_not_import_an_enterprise_list(personas):
    report = run(xlsx(ENTERPRISE_HEADERS, enterprise_row()), personas.liaison_hubei)
    assert [(p.row, p.message) for p in report.problems] == [(None, "您的角色不能导入企业名单。")]


# --- supply links -------------------------------------------------------------------------------------


def test_supply_links_are_imported(personas):
    lead = EnterpriseFactory(credit_code=HUBEI_1, is_lead=True)
    partner = EnterpriseFactory(credit_code=GUANGDONG_1, region=region("44"))
    run(xlsx(LINK_HEADERS, [HUBEI_1, GUANGDONG_1, "上游", "线束", "核心", "是"]), personas.hubei, name="links.xlsx")
    link = SupplyLink.objects.get(lead=lead, partner=partner)
    assert (link.direction, link.criticality, link.single_source) == ("upstream", "core", True)


def test_supply_link_with_an_unknown_lead_is_reported(personas):
    EnterpriseFactory(credit_code=GUANGDONG_1, region=region("44"))
    report = run(xlsx(LINK_HEADERS, [HUBEI_1, GUANGDONG_1, "上游", "线束", "核心", "否"]), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(2, "龙头企业信用代码")]
    assert "数据库中没有" in report.problems[0].message


def test_supply_link_for_an_enterprise_that_is_not_a_lead_is_refused(personas):
    EnterpriseFactory(credit_code=HUBEI_1, is_lead=False)
    EnterpriseFactory(credit_code=GUANGDONG_1, region=region("44"))
    report = run(xlsx(LINK_HEADERS, [HUBEI_1, GUANGDONG_1, "上游", "", "", ""]), personas.hubei)
    assert "不是龙头企业" in messages_of(report)[0]


def test_guangdong_official_cannot_import_links_of_a_hubei_lead(personas):
    EnterpriseFactory(credit_code=HUBEI_1, is_lead=True)
    EnterpriseFactory(credit_code=GUANGDONG_1, region=region("44"))
    report = run(xlsx(LINK_HEADERS, [HUBEI_1, GUANGDONG_1, "下游", "", "", ""]), personas.guangdong)
    assert [(p.row, p.column) for p in report.problems] == [(2, "龙头企业信用代码")]


def test_same_link_twice_in_the_file_is_reported(personas):
    EnterpriseFactory(credit_code=HUBEI_1, is_lead=True)
    EnterpriseFactory(credit_code=GUANGDONG_1, region=region("44"))
    row = [HUBEI_1, GUANGDONG_1, "上游", "线束", "核心", "否"]
    report = run(xlsx(LINK_HEADERS, row, row), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(3, "配套企业信用代码")]


def test_existing_link_is_updated_not_doubled(personas):
    link = SupplyLinkFactory(lead__credit_code=HUBEI_1, partner__credit_code=HUBEI_2, criticality="core")
    report = run(xlsx(LINK_HEADERS, [HUBEI_1, HUBEI_2, "上游", "", "一般", ""]), personas.hubei)
    assert report.updated == 1 and SupplyLink.objects.get(pk=link.pk).criticality == "general"


# --- daily status -------------------------------------------------------------------------------------


def status_row(code=HUBEI_1, date=DAY_TEXT, resumed="部分", staff=80, normal=100, output=50, normal_output=100,
               capacity=200):
    return [code, date, resumed, staff, normal, output, normal_output, capacity]


def test_status_import_updates_the_enterprises_current_status(personas):
    EnterpriseFactory(credit_code=HUBEI_1)
    run(xlsx(STATUS_HEADERS, status_row()), personas.hubei, name="status.xlsx")
    enterprise = Enterprise.objects.get(credit_code=HUBEI_1)
    assert (enterprise.status, enterprise.status_date, enterprise.staff_rate) == ("partly", DAY, Decimal("0.8"))


def test_status_import_keeps_the_latest_day_as_current(personas):
    EnterpriseFactory(credit_code=HUBEI_1)
    earlier = (DAY - dt.timedelta(days=1)).isoformat()
    run(xlsx(STATUS_HEADERS, status_row(resumed="是"), status_row(date=earlier, resumed="否", staff=0, output=0)),
        personas.hubei)
    assert Enterprise.objects.get(credit_code=HUBEI_1).status == "yes"


def test_status_of_the_same_day_is_corrected_not_doubled(personas):
    enterprise = EnterpriseFactory(credit_code=HUBEI_1)
    run(xlsx(STATUS_HEADERS, status_row(staff=10)), personas.hubei)
    report = run(xlsx(STATUS_HEADERS, status_row(staff=90)), personas.hubei)
    assert report.updated == 1
    assert StatusReport.objects.get(enterprise=enterprise).staff_at_work == 90


def test_numbers_stored_as_text_and_full_width_digits_are_read(personas):
    enterprise = EnterpriseFactory(credit_code=HUBEI_1)
    run(xlsx(STATUS_HEADERS, status_row(staff="１２３", normal="200.0", output="１２．５")), personas.hubei)
    report = StatusReport.objects.get(enterprise=enterprise)
    assert (report.staff_at_work, report.staff_normal, report.output) == (123, 200, Decimal("12.50"))


@pytest.mark.parametrize("value", ["2026-11-20", "2026/11/20", "2026年11月20日", "20261120",
                                   dt.datetime(2026, 11, 20), "２０２６－１１－２０"])
def test_dates_are_read_from_date_cells_and_common_text_forms(personas, value):
    enterprise = EnterpriseFactory(credit_code=HUBEI_1)
    run(xlsx(STATUS_HEADERS, status_row(date=value)), personas.hubei)
    assert StatusReport.objects.get(enterprise=enterprise).date == DAY


def test_an_unreadable_date_is_reported(personas):
    EnterpriseFactory(credit_code=HUBEI_1)
    report = run(xlsx(STATUS_HEADERS, status_row(date="上周五")), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(2, "日期")]


def test_status_rules_of_the_form_apply(personas):
    EnterpriseFactory(credit_code=HUBEI_1)
    report = run(xlsx(STATUS_HEADERS, status_row(resumed="否", staff=5)), personas.hubei)
    assert [(p.column, p.message) for p in report.problems] == [("复工情况", "未复工的企业到岗人数和产值应为0。")]


def test_same_enterprise_and_date_twice_is_reported(personas):
    EnterpriseFactory(credit_code=HUBEI_1)
    report = run(xlsx(STATUS_HEADERS, status_row(), status_row()), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(3, "日期")]


def test_hubei_official_cannot_report_status_of_a_guangdong_enterprise(personas):
    EnterpriseFactory(credit_code=GUANGDONG_1, region=region("44"))
    report = run(xlsx(STATUS_HEADERS, status_row(code=GUANGDONG_1)), personas.hubei)
    assert [(p.row, p.column) for p in report.problems] == [(2, "统一社会信用代码")]


def test_status_of_an_unknown_enterprise_is_reported(personas):
    report = run(xlsx(STATUS_HEADERS, status_row()), personas.hubei)
    assert "请先导入" in messages_of(report)[0]


# --- concurrency --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_create_each_enterprise_once(personas):
    data = xlsx(ENTERPRISE_HEADERS, *(enterprise_row(name=f"企业{n}", code=make_credit_code("420100", n))
                                      for n in range(50)))
    reports, errors = [], []

    def worker():
        try:
            reports.append(run(data, personas.hubei))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(r.created for r in reports) == [0, 50]
    assert Enterprise.objects.filter(credit_code__startswith="91420100").count() == 50


# --- templates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", importing.Kind.values)
def test_template_has_the_chinese_headers_and_a_notes_sheet(reference_data, kind):
    workbook = load_workbook(io.BytesIO(importing.build_template(kind)))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == [column.header for column in importing.COLUMNS[kind]]
    assert workbook.sheetnames[1] == "说明"


def test_the_enterprise_template_example_row_passes_the_check(personas):
    report = run(importing.build_template("enterprises"), personas.hubei, name="模板.xlsx", dry=True)
    assert report.ok and report.created == 1


# --- pages --------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data: bytes, name="list.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("enterprises-import"), {"file": file})


def test_import_page_offers_the_three_templates(client_for, personas):
    html = client_for(personas.hubei).get(reverse("enterprises-import")).content.decode()
    assert all(reverse("enterprises-import-template", args=[kind]) in html for kind in importing.Kind.values)


def test_import_page_shows_a_checking_state_while_uploading(client_for, personas):
    html = client_for(personas.hubei).get(reverse("enterprises-import")).content.decode()
    assert 'hx-indicator="#import-progress"' in html and "正在校验…" in html


def test_upload_with_problems_lists_them_by_row_column_and_reason(client_for, personas, media):
    response = upload(client_for(personas.hubei), xlsx(ENTERPRISE_HEADERS, enterprise_row(**{"企业规模": "巨大"})))
    html = response.content.decode()
    assert "第2行" in html and "企业规模" in html and "企业规模应为大、中、小或微" in html
    assert 'data-testid="import-confirm"' not in html


def test_upload_of_a_clean_file_shows_the_counts_and_a_confirm_button(client_for, personas, media):
    response = upload(client_for(personas.hubei), xlsx(ENTERPRISE_HEADERS, enterprise_row()))
    assert "确认导入" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=HUBEI_1).exists()


def test_upload_then_confirm_imports_the_file(client_for, personas, media):
    client = client_for(personas.hubei)
    report = upload(client, xlsx(ENTERPRISE_HEADERS, enterprise_row())).context["report"]
    token = client.session["enterprise_import"]["token"]
    response = client.post(reverse("enterprises-import-confirm"), {"token": token}, follow=True)
    assert report.created == 1 and Enterprise.objects.filter(credit_code=HUBEI_1).exists()
    assert "已导入企业名单：新增1家" in response.content.decode()


def test_confirm_deletes_the_uploaded_file(client_for, personas, media):
    client = client_for(personas.hubei)
    upload(client, xlsx(ENTERPRISE_HEADERS, enterprise_row()))
    client.post(reverse("enterprises-import-confirm"), {"token": client.session["enterprise_import"]["token"]})
    assert list((media / "imports").iterdir()) == []


def test_confirm_without_a_checked_upload_imports_nothing(client_for, personas, media):
    client = client_for(personas.hubei)
    upload(client, xlsx(ENTERPRISE_HEADERS, enterprise_row()))
    response = client.post(reverse("enterprises-import-confirm"), {"token": "../../etc/passwd"}, follow=True)
    assert "没有待确认的导入文件" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=HUBEI_1).exists()


def test_upload_of_a_file_that_is_not_a_spreadsheet_shows_a_message(client_for, personas, media):
    response = upload(client_for(personas.hubei), b"\x00\x01garbage", name="list.xlsx")
    assert response.status_code == 200 and "不是有效的Excel" in response.content.decode()


def test_upload_of_another_file_type_is_refused(client_for, personas, media):
    response = upload(client_for(personas.hubei), b"hello", name="list.pdf")
    assert "只能导入.xlsx或.csv文件" in response.content.decode()


def test_department_user_gets_403_on_the_import_page(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("enterprises-import")).status_code == 403


def test_department_user_gets_403_on_upload(client_for, personas, media):
    assert upload(client_for(personas.dept_mot), xlsx(ENTERPRISE_HEADERS, enterprise_row())).status_code == 403


def test_department_user_cannot_download_a_template(client_for, personas):
    url = reverse("enterprises-import-template", args=["enterprises"])
    assert client_for(personas.dept_mot).get(url).status_code == 403


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(reverse("enterprises-import"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_liaison_is_offered_only_the_status_template(client_for, personas):
    html = client_for(personas.liaison_hubei).get(reverse("enterprises-import")).content.decode()
    assert 'data-testid="template-status"' in html and 'data-testid="template-enterprises"' not in html


def test_template_download_is_a_valid_xlsx_with_the_chinese_headers(client_for, personas):
    response = client_for(personas.hubei).get(reverse("enterprises-import-template", args=["status"]))
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert [cell.value for cell in workbook.worksheets[0][1]][:3] == ["统一社会信用代码", "日期", "复工情况"]


def test_unknown_template_kind_is_404(client_for, personas):
    url = reverse("enterprises-import-template", args=["cases"])
    assert client_for(personas.hubei).get(url).status_code == 404

