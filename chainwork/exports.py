"""One mechanism for every export: the conventions of design.md, the watermark, and the export log.

An export is a title row, the 填报单位 / 填报人 / 联系电话 / 填报日期 rows, a header row starting with 序号,
then the data; every sheet carries the watermark (内部资料, the user, the time) in its page header and
in a visible row; the export is logged (what, filters, rows, who, when, from where). Cells a
spreadsheet would run as a formula are neutralised (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from chainwork.audit import client_ip
from chainwork.models import ExportLog

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chinese_date(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return _("%(year)d年%(month)d月%(day)d日 %(time)s") % {
            "year": value.year, "month": value.month, "day": value.day, "time": f"{value:%H:%M}"}
    return _("%(year)d年%(month)d月%(day)d日") % {"year": value.year, "month": value.month, "day": value.day}


# Characters a reader does not see before a formula: zero-width ones, the BOM, blank spaces.
INVISIBLE_LEAD = "\u200b\u200c\u200d\u2060\ufeff\u180e \u3000\u00a0"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet may run `text`: it starts with = + - @ (or tab, CR), also in their full-width
    and small forms (＝＋－＠, which WPS and Excel users paste) and behind invisible characters."""
    if text.startswith(FORMULA_PREFIXES):
        return True
    head = text.lstrip(INVISIBLE_LEAD)[:1]
    return bool(head) and unicodedata.normalize("NFKC", head).startswith(FORMULA_PREFIXES)

def local_date(value: dt.date | dt.datetime) -> dt.date:
    """The day a reader in TIME_ZONE calls it: an aware datetime's UTC date is the day before until 08:00."""
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def safe_cell(value):
    """Text that a spreadsheet would evaluate gets a leading apostrophe; other values pass."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    if isinstance(value, dt.datetime):
        return chinese_date(value)
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value


@dataclass
class Export:
    kind: str  # machine name, e.g. "users"
    title: str  # the title row, e.g. 用户名单
    headers: Sequence[str]
    rows: Iterable[Sequence]
    filters: dict = field(default_factory=dict)


def watermark_text(user, when: dt.datetime) -> str:
    return _("内部资料 · %(user)s（%(username)s）· %(time)s") % {
        "user": user, "username": user.get_username(), "time": chinese_date(when)}


def _preamble(export: Export, user, when) -> list[list]:
    return [
        [str(export.title)],
        [_("填报单位"), user.unit or (str(user.region) if user.region else "")],
        [_("填报人"), str(user)],
        [_("联系电话"), user.phone],
        [_("填报日期"), chinese_date(local_date(when))],
        [watermark_text(user, when)],
        [_("序号"), *(str(header) for header in export.headers)],
    ]


def _xlsx_cell(value):
    """safe_cell, without the control characters an .xlsx cannot hold (openpyxl refuses the whole file).

    They go first, so that a formula behind one ("\x01=cmd") is still seen and neutralised."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def _xlsx(export: Export, user, when, target) -> int:
    """Write the workbook into `target` (a file); openpyxl's write-only mode keeps memory flat."""
    workbook = Workbook(write_only=True)
    # A sheet's title may not hold []:*?/\ (e.g. 封锁/停工); the title row keeps them.
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "", str(export.title))[:31])
    mark = watermark_text(user, when)
    sheet.oddHeader.center.text = mark
    sheet.oddFooter.center.text = mark
    sheet.evenHeader.center.text = mark
    sheet.evenFooter.center.text = mark
    preamble = _preamble(export, user, when)
    from openpyxl.cell import WriteOnlyCell

    title = WriteOnlyCell(sheet, value=_xlsx_cell(preamble[0][0]))
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="left")
    sheet.append([title])
    for line in preamble[1:]:
        sheet.append([_xlsx_cell(value) for value in line])
    count = 0
    for count, row in enumerate(export.rows, start=1):
        sheet.append([count, *(_xlsx_cell(value) for value in row)])
    workbook.save(target)
    return count


class _Echo:
    """csv.writer's file that hands each written line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


CSV_CHUNK_ROWS = 500


def _csv_lines(export: Export, user, when, log) -> Iterator[str]:
    """The CSV, a few hundred rows at a time; `log(rows)` runs at the end with the rows delivered, also
    when the download stops early (the response closes the generator)."""
    writer = csv.writer(_Echo())
    count = 0
    chunk: list[str] = []
    try:
        # UTF-8 with BOM: Excel on Chinese Windows opens it without garbling.
        yield "\ufeff" + "".join(writer.writerow([safe_cell(value) for value in line])
                                 for line in _preamble(export, user, when))
        for count, row in enumerate(export.rows, start=1):
            chunk.append(writer.writerow([count, *(safe_cell(value) for value in row)]))
            if len(chunk) >= CSV_CHUNK_ROWS:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)
    finally:
        log(count)


def _filename(export: Export, when: dt.datetime, fmt: str) -> str:
    return f"{export.title}-{timezone.localtime(when):%Y%m%d-%H%M}.{fmt}"


def _disposition(response, filename: str):
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_response(request, export: Export, fmt: str = "xlsx", *, stream: bool = True) -> HttpResponse:
    """Build the file, log the export, and answer with the download.

    CSV streams as it is read from the database; an .xlsx is written to a temporary file and sent from
    there, so neither holds the whole export in memory. `stream=False` gives an .xlsx in memory, for the
    callers that add to the workbook (the 日报's region sheet)."""
    user = request.user
    when = timezone.now()

    def log(rows: int) -> None:
        with transaction.atomic():
            ExportLog.objects.create(
                user=user, kind=export.kind, title=export.title, filters=export.filters, rows=rows,
                format=fmt, ip=client_ip(request), watermark=watermark_text(user, when),
            )

    if fmt == ExportLog.Format.CSV:
        response = StreamingHttpResponse(_csv_lines(export, user, when, log), content_type="text/csv; charset=utf-8")
        return _disposition(response, _filename(export, when, fmt))
    fmt = ExportLog.Format.XLSX
    if not stream:
        buffer = io.BytesIO()
        log(_xlsx(export, user, when, buffer))
        return _disposition(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), _filename(export, when, fmt))
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    try:
        log(_xlsx(export, user, when, target))
    except BaseException:
        target.close()
        raise
    target.seek(0)
    response = FileResponse(target, content_type=XLSX_TYPE)  # closes the file when sent
    return _disposition(response, _filename(export, when, fmt))
