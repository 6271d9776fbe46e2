"""Bad input on the imports (enterprise list, daily status, 问题清单; .xlsx and .csv): damaged, cut off,
oversized, wrongly encoded or hostile files are refused with a reason in the user's language, never a
server error, and an import writes every row or none.
"""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from cases import importing as case_importing
from cases.models import Case, CaseEvent
from enterprises import importing
from enterprises.models import Enterprise, StatusReport
from tests.factories import EnterpriseFactory, make_credit_code
from tests.reliability.conftest import PROFILE
from tests.reliability.support import (
    CJK,
    MARKER,
    NASTY,
    assert_no_formula,
    assert_page_is_sane,
    csv_cells,
    texts,
    xlsx_cells,
)

pytestmark = pytest.mark.django_db

ENTERPRISE_HEADERS = ["企业名称", "统一社会信用代码", "所属地区", "行业门类", "是否龙头企业", "地址", "联系人", "联系电话"]
STATUS_HEADERS = ["统一社会信用代码", "日期", "复工情况", "到岗人数", "正常用工人数", "当日产值（万元）", "正常产值（万元）"]
PROBLEM_HEADERS = ["企业信用代码", "问题类别", "问题标题", "问题描述", "企业诉求", "紧急程度", "来源"]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    """A workbook whose text cells are text, even "=…" (openpyxl would otherwise store it as a formula)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
        for cell in workbook.active[workbook.active.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def enterprise_row(n: int, **values) -> list:
    row = {"name": f"导入企业{n}有限公司", "code": make_credit_code("420100", 3_000_000 + n), "region": "湖北省",
           "industry": "C", "lead": "否", "address": "武汉市", "contact": "张三", "phone": "027-84000000"}
    row.update(values)
    return list(row.values())


def counts():
    return (Enterprise.objects.count(), StatusReport.objects.count(), Case.objects.count(), CaseEvent.objects.count())


def messages_of(report) -> list[str]:
    return [problem.message for problem in report.problems]


def assert_refused(report, before) -> None:
    """Refused: not applied, nothing written, and every reason said in Chinese."""
    assert not report.applied and report.problems
    assert counts() == before
    for message in messages_of(report):
        assert CJK.search(message), message


def upload(client, url_name: str, name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse(url_name), {"file": file})


# --- any bytes at all ---------------------------------------------------------------------------------------


@PROFILE
@given(content=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_as_an_import_file_are_checked_not_crashed_on(personas, content, suffix):
    before = counts()
    for module in (importing, case_importing):
        report = module.apply(io.BytesIO(content), actor=personas.hubei, name=f"随便{suffix}")
        if report.applied:  # random bytes that happen to be a valid empty-ish file write what they say
            continue
        assert_refused(report, before)


@PROFILE
@given(cut=st.integers(min_value=0, max_value=10_000), flip=st.integers(min_value=0, max_value=10_000),
       byte=st.integers(min_value=0, max_value=255))
def test_a_cut_off_or_damaged_workbook_is_refused_whole(personas, cut, flip, byte):
    good = xlsx_bytes([ENTERPRISE_HEADERS, *(enterprise_row(n) for n in range(3))])
    damaged = bytearray(good[: cut % len(good)] if cut % 3 else good)
    if damaged:
        damaged[flip % len(damaged)] = byte
    before = counts()
    report = importing.apply(io.BytesIO(bytes(damaged)), actor=personas.hubei, name="名单.xlsx")
    if report.applied:  # the change hit a byte the reader ignores: then it is the whole file or nothing
        # (Examples share the database: an earlier one may have written these rows already.)
        assert counts()[0] == before[0] + report.created
        assert report.created + report.updated + report.unchanged == 3
    else:
        assert_refused(report, before)


# --- encodings ------------------------------------------------------------------------------------------------

ENCODABLE = st.text(alphabet=st.characters(codec="gb18030", exclude_categories=("Cs", "Cc")), min_size=1,
                    max_size=30).map(str.strip).filter(bool)


@PROFILE
@given(name=ENCODABLE, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_the_same_list_reads_the_same_in_every_supported_encoding(personas, name, encoding):
    rows = [ENTERPRISE_HEADERS, enterprise_row(1, name=name)]
    report = importing.dry_run(io.BytesIO(csv_bytes(rows, encoding)), actor=personas.hubei, name="名单.csv")
    reference = importing.dry_run(io.BytesIO(csv_bytes(rows)), actor=personas.hubei, name="名单.csv")
    assert (report.ok, report.created, messages_of(report)) == (reference.ok, reference.created, messages_of(reference))


@pytest.mark.parametrize("content", [
    b"\xff\xfe" + "企业名称\n甲".encode("utf-16-le")[:-1],  # UTF-16 cut off mid-character: was a 500
    b"\x81\x30\xff\xfe\x80\x80,\n\xff\xff",  # neither UTF-8 nor GB18030
])
def test_an_undecodable_csv_is_refused_with_the_encoding_named(personas, content):
    before = counts()
    report = importing.apply(io.BytesIO(content), actor=personas.hubei, name="名单.csv")
    assert_refused(report, before)
    assert "编码" in messages_of(report)[0]


@pytest.mark.parametrize("position", ["first row", "after 8 KB"])
def test_a_nul_byte_anywhere_in_a_csv_refuses_the_file(personas, position):
    """A NUL past the first 8 KB reached PostgreSQL, which cannot store it: a 500, on the check already."""
    rows = [ENTERPRISE_HEADERS, *(enterprise_row(n, address="地" * 60) for n in range(60))]
    text = csv_bytes(rows)
    nul = enterprise_row(99, name="坏\x00企业")
    content = csv_bytes([ENTERPRISE_HEADERS, nul, *rows[1:]]) if position == "first row" else text + csv_bytes([nul])
    assert len(content) > 8192
    before = counts()
    for run in (importing.dry_run, importing.apply):
        report = run(io.BytesIO(content), actor=personas.hubei, name="名单.csv")
        assert_refused(report, before)


# --- oversized ------------------------------------------------------------------------------------------------


def test_an_oversized_cell_is_reported_by_row_and_nothing_is_written(personas):
    rows = [ENTERPRISE_HEADERS, enterprise_row(1), enterprise_row(2, name="长" * 5000), enterprise_row(3)]
    before = counts()
    report = importing.apply(io.BytesIO(xlsx_bytes(rows)), actor=personas.hubei, name="名单.xlsx")
    assert_refused(report, before)
    assert [(p.row, p.column) for p in report.problems] == [(3, "企业名称")]


def test_an_oversized_problem_title_is_reported_and_nothing_is_written(personas, chain):
    code = chain["lead"].credit_code
    rows = [PROBLEM_HEADERS, [code, "物流运输", "好标题", "描述", "诉求", "一般", "上报"],
            [code, "物流运输", "题" * 201, "描" * 100_000, "诉求", "一般", "上报"]]
    before = counts()
    report = case_importing.apply(io.BytesIO(xlsx_bytes(rows)), actor=personas.hubei, name="问题清单.xlsx")
    assert_refused(report, before)
    assert [(p.row, p.column) for p in report.problems] == [(3, "问题标题")]


@pytest.mark.parametrize("url_name, module", [("enterprises-import", "enterprises.importing.MAX_FILE_BYTES"),
                                              ("cases-import", "cases.views_batches.MAX_FILE_BYTES")])
def test_an_oversized_upload_is_refused_on_the_page(personas, client, monkeypatch, url_name, module):
    monkeypatch.setattr(module, 2048)  # the limit, not the database, is what is shrunk
    client.force_login(personas.hubei)
    before = counts()
    response = upload(client, url_name, "大文件.csv", b"a," * 2000)
    assert response.status_code == 200 and counts() == before
    assert "文件超过" in response.content.decode()


def test_too_many_rows_are_refused_whole(personas, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 5)
    before = counts()
    report = importing.apply(io.BytesIO(csv_bytes([ENTERPRISE_HEADERS, *(enterprise_row(n) for n in range(6))])),
                             actor=personas.hubei, name="名单.csv")
    assert_refused(report, before)


# --- hostile cells, all or nothing ------------------------------------------------------------------------------

cells = st.one_of(texts(60), st.integers(-(10**20), 10**20), st.floats(), st.booleans(), st.none())


def _xlsx_safe(value):
    """Hypothesis may write what openpyxl cannot store; the product's reader never sees that in a real file."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@PROFILE
@given(data=st.data(), as_xlsx=st.booleans())
def test_generated_enterprise_lists_are_written_whole_or_not_at_all(personas, data, as_xlsx):
    good = [enterprise_row(n) for n in range(3)]
    hostile = data.draw(st.lists(cells, min_size=len(ENTERPRISE_HEADERS), max_size=len(ENTERPRISE_HEADERS)))
    rows = [ENTERPRISE_HEADERS, *good, hostile]
    content = xlsx_bytes([[_xlsx_safe(v) for v in row] for row in rows]) if as_xlsx else csv_bytes(
        [["" if v is None else v for v in row] for row in rows])
    before = counts()
    report = importing.apply(io.BytesIO(content), actor=personas.hubei, name="名单.xlsx" if as_xlsx else "名单.csv")
    if report.applied:
        assert counts()[0] == before[0] + report.created
        assert report.created + report.updated + report.unchanged == report.rows  # blank rows are skipped
    else:
        assert_refused(report, before)


@PROFILE
@given(data=st.data())
def test_generated_status_files_are_written_whole_or_not_at_all(personas, data):
    enterprise = EnterpriseFactory(credit_code=make_credit_code("420100", 4_000_000 + Enterprise.objects.count()))
    hostile = data.draw(st.lists(cells, min_size=len(STATUS_HEADERS), max_size=len(STATUS_HEADERS)))
    hostile[0] = data.draw(st.sampled_from([enterprise.credit_code, hostile[0]]))
    rows = [STATUS_HEADERS, [enterprise.credit_code, "2026-01-05", "部分", 80, 100, 10, 20], hostile]
    before = counts()
    report = importing.apply(io.BytesIO(xlsx_bytes([[_xlsx_safe(v) for v in row] for row in rows])),
                             actor=personas.hubei, name="复工.xlsx")
    if report.applied:
        assert counts()[1] == before[1] + report.created
    else:
        assert_refused(report, before)


@PROFILE
@given(data=st.data())
def test_generated_problem_lists_are_written_whole_or_not_at_all(personas, chain, data):
    code = chain["lead"].credit_code
    hostile = data.draw(st.fixed_dictionaries({
        "code": st.sampled_from([code, chain["guangdong_lead"].credit_code, "", "<cw-xss>"]),
        "category": st.sampled_from(["物流运输", "logistics", "", "=cmd|' /C calc'!A0"]),
        "title": texts(), "description": texts(), "request": texts(),
        "urgency": st.sampled_from(["", "紧急", "特急", "@SUM(1)"]), "source": st.sampled_from(["", "热线", "?"]),
    }))
    rows = [PROBLEM_HEADERS, [code, "物流运输", "芯片断供", "库存仅够三天", "请协调供货", "一般", "上报"],
            list(hostile.values())]
    before = counts()
    report = case_importing.apply(io.BytesIO(csv_bytes(rows)), actor=personas.hubei, name="问题清单.csv")
    if report.applied:
        assert counts()[2:] == (before[2] + 2, before[3] + 2) and report.created == 2
    else:
        assert_refused(report, before)


def test_a_problem_list_failing_on_its_last_row_writes_none(personas, chain):
    """The last row passes the check but the service refuses it (a named enterprise out of sight)."""
    code = chain["lead"].credit_code
    rows = [[*PROBLEM_HEADERS, "涉及企业信用代码"],
            *([code, "物流运输", f"问题{n}", "描述", "诉求", "一般", "上报", ""] for n in range(3)),
            [code, "物流运输", "跨省", "描述", "诉求", "一般", "上报", chain["zhejiang"].credit_code]]
    before = counts()
    report = case_importing.apply(io.BytesIO(csv_bytes(rows)), actor=personas.hubei, name="问题清单.csv")
    assert_refused(report, before)


# --- what was imported comes out inert: formulas in the exports, markup on the pages -----------------------------


def test_formulas_imported_from_a_file_are_inert_in_the_exports(personas, chain, client):
    formulas = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "=HYPERLINK(\"http://x\")"]
    rows = [ENTERPRISE_HEADERS, *(enterprise_row(n, name=f"{f}公司{n}", address=f, contact=f[:32])
                                  for n, f in enumerate(formulas))]
    report = importing.apply(io.BytesIO(csv_bytes(rows)), actor=personas.hubei, name="名单.csv")
    assert report.applied and report.created == len(formulas)
    code = chain["lead"].credit_code
    problems = [PROBLEM_HEADERS, *([code, "物流运输", f, f, f, "一般", "上报"] for f in formulas)]
    assert case_importing.apply(io.BytesIO(xlsx_bytes(problems)), actor=personas.hubei, name="问题.xlsx").applied
    client.force_login(personas.hubei)
    for url in (reverse("enterprises-export"), reverse("cases-export")):
        as_csv, as_xlsx = client.get(url, {"format": "csv"}), client.get(url, {"format": "xlsx"})
        csv_rows, xlsx_rows = csv_cells(as_csv.getvalue()), xlsx_cells(as_xlsx.getvalue())
        assert_no_formula(csv_rows)
        assert_no_formula(xlsx_rows)
        assert any(value == "'=cmd|' /C calc'!A0" for row in xlsx_rows for value in row)


def test_a_formula_cell_in_a_workbook_is_not_taken_as_its_text(personas):
    """A real formula has no value to import (no cached result): the row is refused, not run or copied."""
    workbook = Workbook()
    workbook.active.append(ENTERPRISE_HEADERS)
    workbook.active.append(enterprise_row(1, name="=cmd|' /C calc'!A0"))
    assert workbook.active["A2"].data_type == "f"
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = counts()
    report = importing.apply(io.BytesIO(buffer.getvalue()), actor=personas.hubei, name="名单.xlsx")
    assert_refused(report, before)
    assert [(p.row, p.column) for p in report.problems] == [(2, "企业名称")]


@pytest.mark.parametrize("url_name, headers, row", [
    ("enterprises-import", ENTERPRISE_HEADERS, enterprise_row(1, region="<cw-xss>", industry='"><cw-xss>')),
    ("enterprises-import", STATUS_HEADERS, ["<cw-xss>", "<cw-xss>", "<cw-xss>", "", "", "", ""]),
    ("cases-import", PROBLEM_HEADERS, ["<cw-xss>", "<cw-xss>", "t", "d", "r", "<cw-xss>", "<cw-xss>"]),
])
def test_markup_in_a_file_is_escaped_in_the_check_report(personas, client, url_name, headers, row):
    client.force_login(personas.hubei)
    before = counts()
    response = upload(client, url_name, "<cw-xss>.csv", csv_bytes([[*headers, "<cw-xss>"], row]))
    assert_page_is_sane(response)
    assert response.status_code == 200 and counts() == before
    assert "&lt;cw-xss&gt;" in response.content.decode()


@pytest.mark.parametrize("url_name", ["enterprises-import", "cases-import"])
@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage", b"PK\x03\x04truncated", NASTY[0].encode()])
def test_a_broken_upload_gets_a_chinese_reason_on_the_page(personas, client, url_name, content):
    client.force_login(personas.hubei)
    before = counts()
    response = upload(client, url_name, "名单.xlsx", content)
    assert_page_is_sane(response)
    assert response.status_code == 200 and counts() == before
    assert 'data-testid="import-failed"' in response.content.decode()


def test_a_broken_upload_gets_an_english_reason_for_an_english_user(personas, client, settings):
    client.force_login(personas.hubei)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(client, "enterprises-import", "list.xlsx", b"not a workbook")
    assert response.status_code == 200 and not Enterprise.objects.filter(name="not a workbook").exists()
    html = response.content.decode()
    assert "not a valid Excel" in html or "Excel (.xlsx)" in html, html[:2000]
    assert MARKER not in response.content
