"""Limits on what reading an uploaded spreadsheet may cost, checked before a parser builds anything.

An .xlsx is a zip of XML: a few hundred KB can declare a sheet of hundreds of MB (tens of millions of
empty rows), which openpyxl would inflate and parse for minutes while its tree grows by gigabytes. So a
workbook is checked first: the sizes its zip declares (zipfile never inflates past a declared size, and
a lie fails the CRC), then every XML part is streamed through expat counting elements — rows, blank
rows included, the row numbers a sheet claims, and elements inside one row — stopping at the first
limit crossed, in constant memory. A DOCTYPE is refused: no OOXML part has one, and it is where entity
expansion lives. Only a workbook that passes is handed to openpyxl, whose work is then bounded too.
"""

from __future__ import annotations

import zipfile
from xml.parsers import expat

from django.utils.translation import gettext as _

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # every part together, as the zip declares them
MAX_PART_BYTES = 4 * 1024 * 1024  # a part other than a worksheet or the shared strings (styles, theme…)
MAX_PARTS = 1000
MAX_BLANK_ROWS = 10_000  # rows a sheet may hold beyond its data rows: blank, formatted or the header
MAX_ROW_ELEMENTS = 2_000  # cells and their parts within one row
MAX_COLUMNS = 100  # columns read from a row; no import template has more than a dozen
ELEMENTS_PER_ROW = 100  # a row's cells with their values, rich-text runs and shared strings
BASE_ELEMENTS = 200_000  # styles, theme, workbook and relationships of any workbook
CHUNK = 1024 * 1024


def max_rows_read(max_rows: int) -> int:
    """Rows a reader may go through for `max_rows` data rows: the header and some blank or formatted rows."""
    return max_rows + 1 + MAX_BLANK_ROWS


def max_cells(max_rows: int) -> int:
    """Elements (or CSV fields) a reader may go through for `max_rows` data rows."""
    return max_rows * ELEMENTS_PER_ROW + BASE_ELEMENTS


def too_many_rows(max_read: int) -> str:
    return _("表格超过%(max)d行（含空行和设置了格式的行），请删除多余的空行或拆分后分批导入。") % {"max": max_read}


def too_many_cells() -> str:
    return _("表格的单元格过多（可能含有大量空列或格式），请只保留导入模板的列后再导入。")


class SpreadsheetTooLarge(Exception):
    """The workbook would cost more to read than an import may spend; the message says why, translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def _large_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") or name.endswith("sharedStrings.xml")


def check_xlsx(archive: zipfile.ZipFile, *, max_rows: int) -> None:
    """Raise SpreadsheetTooLarge when reading the workbook for `max_rows` data rows would cost too much."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise SpreadsheetTooLarge(_("Excel文件内部结构异常（部件过多），请另存为新的.xlsx文件后再导入。"))
    declared = sum(part.file_size for part in parts)
    if declared > MAX_UNZIPPED_BYTES or any(
            part.file_size > MAX_PART_BYTES and not _large_part(part.filename) for part in parts):
        message = _("Excel文件解压后超过%(size)dMB，可能含有大量空行或格式，请删除多余的行列或拆分后再导入。")
        raise SpreadsheetTooLarge(message % {"size": MAX_UNZIPPED_BYTES >> 20})
    budget = _Budget(max_rows=max_rows)
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            with archive.open(part) as stream:
                budget.scan(stream, sheet=part.filename.startswith("xl/worksheets/"))


class _Budget:
    """Counts elements across the workbook and rows within each sheet, raising at the first limit crossed."""

    def __init__(self, *, max_rows: int):
        self.max_rows = max_rows_read(max_rows)
        self.elements_left = max_cells(max_rows)

    def scan(self, stream, *, sheet: bool) -> None:
        parser = expat.ParserCreate()
        rows = 0  # the sheet's last row number: openpyxl yields the gaps before a numbered row as blank rows
        in_row = 0  # elements since the current row began (0: not in a row)

        def start(name, attrs):
            nonlocal rows, in_row
            self.elements_left -= 1
            if self.elements_left < 0:
                raise SpreadsheetTooLarge(too_many_cells())
            if not sheet:
                return
            if name.rpartition(":")[2] == "row":
                number = attrs.get("r", "")
                rows = int(number) if number.isdigit() else rows + 1
                if rows > self.max_rows:
                    raise SpreadsheetTooLarge(too_many_rows(self.max_rows))
                in_row = 1
            elif in_row:
                in_row += 1
                if in_row > MAX_ROW_ELEMENTS:
                    raise SpreadsheetTooLarge(too_many_cells())

        def end(name):
            nonlocal in_row
            if sheet and name.rpartition(":")[2] == "row":
                in_row = 0

        def doctype(*args):
            raise SpreadsheetTooLarge(_("Excel文件内部结构异常，请另存为新的.xlsx文件后再导入。"))

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise SpreadsheetTooLarge(_("文件不是有效的Excel（.xlsx）文件，请使用下载的导入模板。")) from error
