"""The 日报 as a Word file in 公文 layout: a red title, the 发文 line, body paragraphs (仿宋), a table;
the watermark (内部资料, the user, the time) in the page header. Every download writes an ExportLog row."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from chainwork.audit import client_ip
from chainwork.exports import chinese_date, local_date, watermark_text
from chainwork.models import ExportLog

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # East Asian text takes the eastAsia font attribute, not the Latin one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, size: float = 16, indent: bool = True, align=None, bold=False):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), BODY_FONT, size, bold=bold)
    return paragraph


def _number(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    return str(value)


def _change(row: dict) -> str:
    change = row["change"]
    if change is None:
        return "—"
    if row["unit"] == "%":
        return _("%(sign)s%(value).1f个百分点") % {"sign": "+" if change > 0 else "", "value": change}
    return f"{change:+d}"


def build_docx(figures: dict, *, title: str, issuer: str, user, when: dt.datetime, final: bool) -> bytes:
    date = dt.date.fromisoformat(figures["date"])
    state = _("定稿") if final else _("未定稿")
    document = _document(user, when, title, _("%(issuer)s　　%(date)s　　（%(state)s）") % {
        "issuer": issuer, "date": chinese_date(date), "state": state})

    _paragraph(document, _("一、总体情况"), indent=True, bold=True)
    _paragraph(document, figures["brief"])
    _paragraph(document, _("二、主要指标（截至%(time)s）") % {"time": figures["cut_off"]}, bold=True)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    names = figures.get("columns") or {"new": _("当日新增"), "change": _("较上日")}
    for cell, text in zip(table.rows[0].cells, [_("序号"), _("指标"), names["new"], _("累计"), names["change"]],
                          strict=True):
        _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12, bold=True)
    for number, row in enumerate(figures["rows"], start=1):
        total = _number(row["total"], row["unit"])
        values = [str(number), row["label"], _number(row["new"]), total, _change(row)]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)

    if figures.get("regions"):
        _paragraph(document, _("分地区情况"), bold=True)
        regions = document.add_table(rows=1, cols=9)
        regions.style = "Table Grid"
        regions.alignment = WD_TABLE_ALIGNMENT.CENTER
        headers = [_("序号"), _("地区"), _("新增复工"), _("累计复工"), _("复工率"), _("新增问题"), _("累计问题"),
                   _("办结率"), _("报送")]
        for cell, text in zip(regions.rows[0].cells, headers, strict=True):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10, bold=True)
        for number, row in enumerate(figures["regions"], start=1):
            values = [str(number), row["name"], str(row["resumed_new"]), str(row["resumed_total"]),
                      _number(row["resumption"]["pct"], "%"), str(row["logged_new"]), str(row["logged_total"]),
                      _number(row["closure"]["pct"], "%"), row["reporting_label"]]
            for cell, text in zip(regions.add_row().cells, values, strict=True):
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10)

    if figures["key_problems"]:
        _paragraph(document, _("三、重点问题"), bold=True)
        for number, row in enumerate(figures["key_problems"], start=1):
            marks = "、".join(str(mark) for mark, on in ((_("特急"), row["critical"]), (_("挂牌督办"), row["listed"]))
                             if on)
            where = "，".join([row["region"], marks, row["state"]])
            _paragraph(document, f"{number}. {row['number']} {row['title']}（{where}）")
    report = figures["reporting"]
    if report and report["total"] > 1:
        _paragraph(document, _("四、报送情况"), bold=True)
        _paragraph(document, _("已报送：%(names)s。") % {"names": "、".join(report["reported"]) or _("无")})
        _paragraph(document, _("零报告：%(names)s。") % {"names": "、".join(report["zero"]) or _("无")})
        _paragraph(document, _("未报送：%(names)s。") % {"names": "、".join(report["missing"]) or _("无")})
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(request, figures: dict, *, title: str, issuer: str, filters: dict, final: bool,
                  kind: str = "daily_report") -> HttpResponse:
    """Build the Word file, log the export in ExportLog (format docx) and answer with the download."""
    user = request.user
    when = timezone.now()
    content = build_docx(figures, title=title, issuer=issuer, user=user, when=when, final=final)
    with transaction.atomic():
        ExportLog.objects.create(
            user=user, kind=kind, title=title, filters=filters, rows=len(figures["rows"]),
            format=ExportLog.Format.DOCX, ip=client_ip(request), watermark=watermark_text(user, when),
        )
    filename = f"{title}-{timezone.localtime(when):%Y%m%d-%H%M}.docx"
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _document(user, when: dt.datetime, title: str, subtitle: str):
    """An A4 page in 公文 layout with the watermark in its header, a red title, the 发文 line and a rule."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(watermark_text(user, when)), BODY_FONT, 9, color=RGBColor(0x99, 0x99, 0x99))
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(title), TITLE_FONT, 22, color=RGBColor(0xC0, 0x00, 0x00))
    issue = document.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(issue.add_run(subtitle), BODY_FONT, 16)
    rule = document.add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(rule.add_run("—" * 24), BODY_FONT, 12, color=RGBColor(0xC0, 0x00, 0x00))
    return document


def _table(document, headers: list[str], rows: list[list[str]], size: float = 10) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _font(cell.paragraphs[0].add_run(text), BODY_FONT, size, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, size)


def build_record_docx(data: dict, *, title: str, issuer: str, headers: list[str], rows: list[list], user,
                      when: dt.datetime) -> bytes:
    """情况通报 of each department's (or 责任单位's) record: the overview, the table, who needs attention."""
    start, end = dt.date.fromisoformat(data["from"]), dt.date.fromisoformat(data["to"])
    document = _document(user, when, title, _("%(issuer)s　　%(date)s") % {"issuer": issuer,
                                                                          "date": chinese_date(local_date(when))})
    total = data["totals"]
    _paragraph(document, _("一、总体情况"), bold=True)
    _paragraph(document, _(
        "%(start)s至%(end)s，共交办%(received)d项，按时反馈%(in_time)d项，逾期反馈%(late)d项，仍在办理%(pending)d项"
        "（其中超期%(overdue)d项），退回或转出%(sent_back)d项，申请延期%(extensions)d次；平均%(avg)s天反馈。") % {
        "start": chinese_date(start), "end": chinese_date(end), "received": total["received"],
        "in_time": total["in_time"], "late": total["late"], "pending": total["pending"], "overdue": total["overdue"],
        "sent_back": total["sent_back"], "extensions": total["extensions"],
        "avg": "—" if total["avg_days"] is None else total["avg_days"]})
    _paragraph(document, _("二、分单位情况"), bold=True)
    _table(document, [_("序号"), *headers], [[number, *row] for number, row in enumerate(rows, start=1)], size=9)
    overdue = [row for row in data["rows"] if row["overdue"]]
    _paragraph(document, _("三、需关注事项"), bold=True)
    if overdue:
        names = "、".join(_("%(name)s（%(n)d项）") % {"name": row["name"], "n": row["overdue"]} for row in overdue)
        _paragraph(document, _("以下单位有超期未反馈事项，请抓紧办理：%(names)s。") % {"names": names})
    else:
        _paragraph(document, _("本期无超期未反馈事项。"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def record_docx_response(request, data: dict, *, title: str, issuer: str, headers: list[str], rows: list[list],
                         filters: dict) -> HttpResponse:
    """The 情况通报 as a Word download, logged in ExportLog like every export."""
    user = request.user
    when = timezone.now()
    content = build_record_docx(data, title=title, issuer=issuer, headers=headers, rows=rows, user=user, when=when)
    with transaction.atomic():
        ExportLog.objects.create(
            user=user, kind="department_record", title=title, filters=filters, rows=len(rows),
            format=ExportLog.Format.DOCX, ip=client_ip(request), watermark=watermark_text(user, when))
    filename = f"{title}-{timezone.localtime(when):%Y%m%d-%H%M}.docx"
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def build_minutes_docx(minutes: dict, *, user, when: dt.datetime) -> bytes:
    """会议纪要: the meeting (time, form, chair, participants), each agenda item with what was said, the
    meeting's own minutes, then the 议定事项 numbered with owner and deadline."""
    meeting = minutes["consultation"]
    starts = timezone.localtime(meeting.starts_at)
    subtitle = _("%(holder)s　　%(date)s") % {"holder": meeting.holder_label, "date": chinese_date(starts.date())}
    document = _document(user, when, _("%(title)s纪要") % {"title": meeting.title}, subtitle)
    names = "、".join(p.name for p in minutes["participants"]) or _("无")
    opening = _("%(date)s %(time)s，%(holder)s以%(kind)s形式召开%(title)s，%(chair)s主持，%(names)s参加。")
    _paragraph(document, opening % {
        "date": chinese_date(starts.date()), "time": f"{starts:%H:%M}", "holder": meeting.holder_label,
        "kind": meeting.get_kind_display(), "title": meeting.title, "chair": meeting.chair, "names": names})
    if meeting.minutes:
        for line in meeting.minutes.splitlines():
            if line.strip():
                _paragraph(document, line.strip())
    if minutes["items"]:
        _paragraph(document, _("一、会商问题"), bold=True)
        for number, item in enumerate(minutes["items"], start=1):
            case = item.glance
            _paragraph(document, f"{number}. {case.number} {case.title}（{case.region.name}，{case.state_label}）")
            if item.minutes:
                _paragraph(document, item.minutes)
    _paragraph(document, _("二、议定事项"), bold=True)
    if minutes["decisions"]:
        for number, decision in enumerate(minutes["decisions"], start=1):
            about = f"（{decision.case.number}）" if decision.case_id and decision.case_seen else ""
            _paragraph(document, _("%(n)d. %(text)s%(about)s责任单位：%(owner)s；完成时限：%(due)s。") % {
                "n": number, "text": decision.text.rstrip("。") + "。", "about": about, "owner": decision.owner_name,
                "due": chinese_date(decision.due_date)})
    else:
        _paragraph(document, _("本次会商无议定事项。"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_docx_response(request, minutes: dict) -> HttpResponse:
    """The 会议纪要 as a Word download, logged in ExportLog like every export."""
    user = request.user
    when = timezone.now()
    meeting = minutes["consultation"]
    title = _("%(title)s纪要") % {"title": meeting.title}
    content = build_minutes_docx(minutes, user=user, when=when)
    with transaction.atomic():
        ExportLog.objects.create(
            user=user, kind="consultation_minutes", title=title, filters={"consultation": meeting.pk},
            rows=len(minutes["decisions"]), format=ExportLog.Format.DOCX, ip=client_ip(request),
            watermark=watermark_text(user, when))
    filename = f"{title}-{timezone.localtime(meeting.starts_at):%Y%m%d}.docx"
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
