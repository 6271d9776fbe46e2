"""What reading an import file may cost (chainwork/spreadsheets.py): workbooks that inflate far beyond
their size are refused quickly, in the user's language, without the reader's memory growing."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from cases import importing as case_importing
from enterprises import importing

pytestmark = pytest.mark.django_db

HEADERS = ["企业名称", "统一社会信用代码", "所属地区", "企业规模", "是否龙头企业"]
SHEET_START = (b'<?xml version="1.0" encoding="UTF-8"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
               b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe4\xbc\x81\xe4\xb8\x9a\xe5\x90\x8d\xe7\xa7\xb0</t></is></c></row>')
SHEET_END = b"</sheetData></worksheet>"


def workbook_with_sheet(*chunks: bytes, repeat: int = 1, tail: bytes = b"") -> bytes:
    """A valid workbook whose first sheet is SHEET_START, the chunks `repeat` times, then `tail`."""
    workbook = Workbook()
    workbook.active.append(HEADERS)
    template = io.BytesIO()
    workbook.save(template)
    source = zipfile.ZipFile(template)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item, source.read(item.filename))
                continue
            with archive.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(SHEET_START)
                block = b"".join(chunks) * 10_000
                for _ in range(repeat):
                    sheet.write(block)
                sheet.write(tail + SHEET_END)
    return out.getvalue()


def upload(content: bytes, name: str = "名单.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.fixture(scope="module")
def blank_rows_bomb():
    """Two million empty rows (12 MB of XML) in a file of a few tens of KB."""
    return workbook_with_sheet(b"<row/>", repeat=200)


def test_a_workbook_declaring_more_than_the_unzipped_limit_is_refused_unread(personas):
    data = workbook_with_sheet(b"<row/>" * 10, repeat=180)  # 108 MB declared
    with pytest.raises(importing.ImportFileError, match="解压后超过100MB"):
        importing.read_table(upload(data))


def test_blank_rows_past_the_limit_are_refused_within_two_seconds(personas, blank_rows_bomb):
    started = time.perf_counter()
    with pytest.raises(importing.ImportFileError, match="含空行"):
        importing.read_table(upload(blank_rows_bomb))
    assert time.perf_counter() - started < 2


def test_reading_a_blank_rows_bomb_keeps_memory_flat(personas, blank_rows_bomb):
    tracemalloc.start()
    try:
        with pytest.raises(importing.ImportFileError):
            importing.read_table(upload(blank_rows_bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_row_number_far_beyond_the_limit_is_refused(personas):
    data = workbook_with_sheet(b"", tail=b'<row r="5000000"><c r="A5000000"><v>1</v></c></row>')
    with pytest.raises(importing.ImportFileError, match="含空行"):
        importing.read_table(upload(data))


def test_a_row_of_thousands_of_cells_is_refused(personas):
    data = workbook_with_sheet(b"", tail=b"<row>" + b"<c/>" * 5000 + b"</row>")
    with pytest.raises(importing.ImportFileError, match="单元格过多"):
        importing.read_table(upload(data))


def test_a_cell_in_the_last_column_does_not_widen_every_row(personas):
    data = workbook_with_sheet(b"", tail=b'<row r="2"><c r="XFD2"><v>1</v></c></row>')
    table = importing.read_table(upload(data))
    assert len(table.headers) <= 100


def test_a_part_with_a_doctype_is_refused(personas):
    data = workbook_with_sheet(b"")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                content = content.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook', 1)
            archive.writestr(item, content)
    with pytest.raises(importing.ImportFileError, match="结构异常"):
        importing.read_table(upload(out.getvalue()))


def test_a_csv_of_millions_of_blank_lines_is_refused(personas):
    data = ",".join(HEADERS).encode() + b"\n" * 3_000_000
    with pytest.raises(importing.ImportFileError, match="含空行"):
        importing.read_table(upload(data, "名单.csv"))


def test_a_csv_row_of_millions_of_cells_is_refused(personas):
    data = ",".join(HEADERS).encode() + b"\n" + b"," * 20_000_000
    with pytest.raises(importing.ImportFileError, match="单元格过多"):
        importing.read_table(upload(data, "名单.csv"))


def test_the_message_is_in_english_for_an_english_user(personas, blank_rows_bomb):
    with translation.override("en"), pytest.raises(importing.ImportFileError, match="blank"):
        importing.read_table(upload(blank_rows_bomb))


def test_the_problem_list_import_stops_at_its_own_row_limit(personas):
    data = workbook_with_sheet(b"<row/>", repeat=2)  # 20,000 blank rows: past 2,000 problems and the blank rows
    report = case_importing.dry_run(upload(data, "问题清单.xlsx"), actor=personas.hubei)
    assert "含空行" in report.problems[0].message


def test_the_command_line_import_refuses_a_bomb(personas, blank_rows_bomb, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(blank_rows_bomb)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_enterprises", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
    assert "含空行" in err.getvalue()


def test_a_file_of_the_template_with_data_still_imports(personas):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["武汉测试有限公司", "91420100MA4K0000X0", "湖北", "中", "否"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = importing.read_table(upload(buffer.getvalue()))
    assert len(table.rows) == 1
