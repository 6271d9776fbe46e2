"""Import of a 问题清单 (.xlsx or .csv): one header row, Chinese or English column names.

The file is read with the enterprise import's reader and reported the same way (enterprises.importing:
read_table, header_key, ImportReport, Problem): a dry run lists every problem by row, column and reason;
`apply` checks again and creates every problem through cases.services.case_create in one transaction,
or none.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cases.models import Case, CaseImport, Source, State, Urgency
from cases.services import REGISTRAR_ROLES, CaseData, case_create
from chainwork.models import Category, Role
from chainwork.scope import scope_for
from enterprises.importing import ImportFileError, ImportReport, Problem, header_key, read_table
from enterprises.models import Enterprise

MAX_ROWS = 2000  # a 问题清单 is a list of problems, not a registry

# What to do with rows matching open problems (and a file imported before): the official's choice.
SKIP = "skip"
IMPORT_ANYWAY = "import"
DUPLICATE_CHOICES = (SKIP, IMPORT_ANYWAY)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # a contract name, like an API field, so not translated
    help: str
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "企业信用代码",
           gettext_lazy("统一社会信用代码；企业须在本地区名单中。境外企业不填，改填企业名称。"), "91420100MA4K000000",
           aliases=("统一社会信用代码", "信用代码")),
    Column("enterprise", "企业名称", gettext_lazy("仅境外企业填写（须已列入本地区名单）；境内企业按信用代码识别。"), "",
           aliases=("企业",)),
    Column("category", "问题类别", gettext_lazy("问题类别名称或标识，如：物流运输。"), "物流运输", True, ("类别",)),
    Column("title", "问题标题", gettext_lazy("不超过200字。"), "核心供应商停产导致芯片断供", True, ("标题",)),
    Column("description", "问题描述", gettext_lazy("问题的具体情况。"), "供应商停产，库存仅够三天。", True, ("描述",)),
    Column("request", "企业诉求", gettext_lazy("企业希望协调解决的事项。"), "请协调尽快恢复供货。", True, ("诉求",)),
    Column("urgency", "紧急程度", gettext_lazy("特急、紧急或一般；留空按一般。"), "紧急"),
    Column("source", "来源", gettext_lazy("联系服务、热线、走访、上报或其他；留空按上报。"), "上报",
           aliases=("问题来源",)),
    Column("named", "涉及企业信用代码", gettext_lazy("涉及的其他企业的信用代码，多个用“、”或“;”分隔。"), "",
           aliases=("涉及企业",)),
)
_COLUMNS = {column.key: column for column in COLUMNS}
_HEADER_KEYS = {header_key(name): column.key for column in COLUMNS
                for name in (column.header, column.key, *column.aliases)}


def _choices(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices:
        mapping[header_key(value)] = value
        mapping[header_key(str(label))] = value
    return mapping


URGENCIES = _choices(Urgency.choices)
# 行业协会 is no source a file may claim: an association registers one difficulty at a time.
SOURCES = _choices([c for c in Source.choices if c[0] != Source.ASSOCIATION])


def can_import(user) -> bool:
    """Province roles and liaison officers register problems, so they may import them (their region)."""
    return scope_for(user).role in REGISTRAR_ROLES and scope_for(user).role != Role.ASSOCIATION


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class EarlierImport:
    """The same file (by content) imported before in the user's region."""

    imported_at: object
    imported_by: str
    created: int


@dataclass(frozen=True)
class Match:
    """A row of the file whose enterprise already has an open problem of the same title the user sees."""

    row: int
    title: str
    enterprise: str
    numbers: list[str]
    registered: list[object]  # the matching problems' registration times, in the order of `numbers`


@dataclass
class ProblemReport(ImportReport):
    case_ids: list[int] | None = None
    numbers: list[str] | None = None
    file_hash: str = ""
    earlier_imports: list[EarlierImport] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    # Set when an apply found earlier imports or matches and no choice was made: nothing was written.
    choice_required: bool = False

    @property
    def needs_choice(self) -> bool:
        return bool(self.earlier_imports or self.matches)

    @property
    def kind_label(self) -> str:
        return _("问题清单")

    def summary(self) -> str:
        return _("新增%(n)d个问题") % {"n": self.created}


class _Lookups:
    """Categories and enterprises of the file, loaded once."""

    def __init__(self, actor, rows: list[dict]):
        self.actor = actor
        self.categories: dict[str, Category] = {}
        for category in Category.objects.filter(is_active=True):
            self.categories[header_key(category.name)] = category
            self.categories[header_key(category.slug)] = category
        codes = {row["credit_code"].upper() for row in rows if row.get("credit_code")}
        for row in rows:
            codes.update(_split(row.get("named", "")))
        self.by_code = {e.credit_code.upper(): e for e in Enterprise.objects.filter(credit_code__in=codes)}
        self.visible = set(Enterprise.objects.visible_to(actor).filter(credit_code__in=codes)
                           .values_list("pk", flat=True))
        self.linked = set(Enterprise.objects.linked_visible_to(actor).filter(credit_code__in=codes)
                          .values_list("pk", flat=True))
        names = {row["enterprise"] for row in rows if row.get("enterprise") and not row.get("credit_code")}
        self.abroad: dict[str, list[Enterprise]] = {}
        for enterprise in Enterprise.objects.visible_to(actor).filter(name__in=names):
            self.abroad.setdefault(enterprise.name, []).append(enterprise)
        self.category_names = "、".join(c.name for c in Category.objects.filter(is_active=True))


def _split(value: str) -> list[str]:
    return [part.strip().upper() for part in re.split(r"[、;；,，\s]+", value or "") if part.strip()]


def _parse(table, report: ProblemReport, actor) -> list[tuple[int, CaseData]]:
    """Each row as CaseData, or problems in the report."""
    position: dict[str, int] = {}
    header: dict[str, str] = {}
    for index, written in enumerate(table.headers):
        if not written.strip():
            continue
        key = _HEADER_KEYS.get(header_key(written))
        if key is None:
            report.warnings.append(Problem(1, written, _("未识别的列，已忽略。")))
        elif key in position:
            report.problems.append(Problem(1, written, _("与第%(column)s列的表头重复。") % {
                "column": get_column_letter(position[key] + 1)}))
        else:
            position[key], header[key] = index, written
    for column in COLUMNS:
        if column.required and column.key not in position:
            report.problems.append(Problem(1, column.header, _("缺少必填列“%(header)s”。") % {"header": column.header}))
    if "credit_code" not in position and "enterprise" not in position:
        report.problems.append(Problem(1, _COLUMNS["credit_code"].header, _(
            "缺少“企业信用代码”列（境外企业可用“企业名称”列）。")))
    if report.problems:
        return []
    if not table.rows:
        report.problems.append(Problem(None, "", _("文件只有表头，没有数据行。")))
        return []
    if len(table.rows) > MAX_ROWS:
        message = _("每个文件最多%(max)d个问题，请拆分后分批导入。") % {"max": MAX_ROWS}
        report.problems.append(Problem(None, "", message))
        return []

    def column_name(key: str) -> str:
        return header.get(key) or _COLUMNS[key].header

    rows = []
    for number, values in table.rows:
        rows.append((number, {key: _text(values[index]) if index < len(values) else ""
                              for key, index in position.items()}))
    lookups = _Lookups(actor, [row for _number, row in rows])
    parsed: list[tuple[int, CaseData]] = []
    for number, row in rows:
        errors: list[tuple[str, str]] = []
        enterprise = None
        code = row.get("credit_code", "").upper()
        if code:
            found = lookups.by_code.get(code)
            if found is None:
                errors.append(("credit_code", _("未找到信用代码为“%(code)s”的企业，请先登记该企业。") % {"code": code}))
            elif found.pk not in lookups.visible:
                message = (_("企业“%(name)s”不是您联系服务的企业。") if scope_for(actor).role == Role.LIAISON
                           else _("企业“%(name)s”不在您所在地区的名单中。"))
                errors.append(("credit_code", message % {"name": found.name}))
            else:
                enterprise = found
        elif row.get("enterprise"):
            matches = lookups.abroad.get(row["enterprise"], [])
            abroad = [e for e in matches if e.region_id is None]
            if len(abroad) == 1:
                enterprise = abroad[0]
            elif matches:
                errors.append(("enterprise", _("境内企业请填写企业信用代码。")))
            else:
                errors.append(("enterprise", _("本地区名单中没有名为“%(name)s”的境外企业。")
                               % {"name": row["enterprise"]}))
        else:
            errors.append(("credit_code", _("请填写企业信用代码（境外企业填写企业名称）。")))
        category = None
        if not row.get("category"):
            errors.append(("category", _("请填写问题类别。")))
        else:
            category = lookups.categories.get(header_key(row["category"]))
            if category is None:
                errors.append(("category", _("未找到问题类别“%(value)s”，可填：%(names)s。")
                               % {"value": row["category"], "names": lookups.category_names}))
        for key in ("title", "description", "request"):
            if not row.get(key):
                errors.append((key, _("请填写%(label)s。") % {"label": _COLUMNS[key].header}))
        if len(row.get("title", "")) > 200:
            errors.append(("title", _("问题标题最多200个字，当前%(n)d个。") % {"n": len(row["title"])}))
        urgency = URGENCIES.get(header_key(row.get("urgency", "")), None) if row.get("urgency") else Urgency.NORMAL
        if urgency is None:
            errors.append(("urgency", _("紧急程度“%(value)s”无法识别，请填写特急、紧急或一般。")
                           % {"value": row["urgency"]}))
        source = SOURCES.get(header_key(row.get("source", "")), None) if row.get("source") else Source.REPORT
        if source is None:
            errors.append(("source", _("来源“%(value)s”无法识别，请填写联系服务、热线、走访、上报或其他。")
                           % {"value": row["source"]}))
        named_ids = []
        for named_code in _split(row.get("named", "")):
            found = lookups.by_code.get(named_code)
            if found is None:
                errors.append(("named", _("未找到信用代码为“%(code)s”的企业。") % {"code": named_code}))
            elif found.pk not in lookups.linked:
                errors.append(("named", _("您无权查看企业“%(code)s”，不能将其列为涉及企业。") % {"code": named_code}))
            elif found.pk not in named_ids and (enterprise is None or found.pk != enterprise.pk):
                named_ids.append(found.pk)
        if errors:
            order = list(position)
            for key, message in sorted(errors, key=lambda item: order.index(item[0]) if item[0] in order else 99):
                report.problems.append(Problem(number, column_name(key), message))
            continue
        parsed.append((number, CaseData(
            enterprise_id=enterprise.pk, category_id=category.pk, title=row["title"], description=row["description"],
            request=row["request"], urgency=urgency, source=source, named_enterprise_ids=named_ids)))
    return parsed


_SERVICE_FIELDS = {"enterprise": "credit_code", "named_enterprises": "named"}


def _digest(source) -> str:
    """SHA-256 of the file's bytes (a path or a file object, left at its start)."""
    if isinstance(source, str | Path):
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    position = source.tell()
    digest = hashlib.sha256(source.read()).hexdigest()
    source.seek(position)
    return digest


def _earlier_imports(file_hash: str, actor) -> list[EarlierImport]:
    """Imports of the same file in the actor's region (another region's imports are not theirs to know)."""
    imports = (CaseImport.objects.filter(scope_for(actor).region_q("region"), file_hash=file_hash)
               .select_related("imported_by").order_by("-imported_at")[:5])
    return [EarlierImport(i.imported_at, str(i.imported_by), i.created) for i in imports]


def _matches(parsed: list[tuple[int, CaseData]], actor) -> list[Match]:
    """Rows naming an enterprise that already has an open problem of the same title, among the problems
    the actor sees. The file carries no date: the matches' registration times are shown to judge by."""
    if not parsed:
        return []
    existing: dict[tuple[int, str], list[Case]] = {}
    candidates = (Case.objects.visible_to(actor).exclude(state=State.CLOSED)
                  .filter(enterprise_id__in={data.enterprise_id for _number, data in parsed},
                          title__in={data.title for _number, data in parsed})
                  .select_related("enterprise").only("number", "title", "created_at", "enterprise__name")
                  .order_by("created_at", "pk"))
    for case in candidates:
        existing.setdefault((case.enterprise_id, case.title), []).append(case)
    matches = []
    for number, data in parsed:
        found = existing.get((data.enterprise_id, data.title))
        if found:
            matches.append(Match(row=number, title=data.title, enterprise=found[0].enterprise.name,
                                 numbers=[c.number for c in found], registered=[c.created_at for c in found]))
    return matches


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it when a row fails late."""


def _run(source, *, actor, name, write: bool, duplicates: str | None = None) -> ProblemReport:
    started = time.perf_counter()
    name = name or getattr(source, "name", None) or str(source)
    report = ProblemReport(file_name=Path(name).name)
    if not can_import(actor):
        report.problems.append(Problem(None, "", _("您的角色不能导入问题清单。")))
        return report
    try:
        report.file_hash = _digest(source)
        table = read_table(source, name, max_rows=MAX_ROWS)
    except ImportFileError as error:
        report.problems.append(Problem(None, "", error.message))
        return report
    report.rows = len(table.rows)
    parsed = _parse(table, report, actor)
    if report.ok:
        report.earlier_imports = _earlier_imports(report.file_hash, actor)
        report.matches = _matches(parsed, actor)
    if not write or not report.ok:
        report.created = len(parsed) if report.ok else 0
        report.seconds = time.perf_counter() - started
        return report
    if report.needs_choice and duplicates not in DUPLICATE_CHOICES:
        # Asked before anything is written: the page lists the matches and offers the choice.
        report.choice_required = True
        report.created = 0
        report.seconds = time.perf_counter() - started
        return report
    if duplicates == SKIP:
        matched = {match.row for match in report.matches}
        parsed = [(number, data) for number, data in parsed if number not in matched]
    created: list[Case] = []
    try:
        with transaction.atomic(), pghistory.context(import_file=report.file_name, user=actor.pk):
            for number, data in parsed:
                try:
                    created.append(case_create(actor=actor, data=data))
                except ValidationError as error:
                    for key, messages in error.message_dict.items():
                        column = _SERVICE_FIELDS.get(key, key)
                        header = _COLUMNS[column].header if column in _COLUMNS else ""
                        for message in messages:
                            report.problems.append(Problem(number, header, message))
            if report.problems:
                raise _Rollback
            CaseImport.objects.create(file_hash=report.file_hash, file_name=report.file_name[:255],
                                      region=getattr(actor, "region", None), imported_by=actor,
                                      created=len(created))
    except _Rollback:
        created = []
    if report.ok:
        report.applied = True
        report.created = len(created)
        report.case_ids = [case.pk for case in created]
        report.numbers = [case.number for case in created]
    report.seconds = time.perf_counter() - started
    return report


def dry_run(source, *, actor, name: str | None = None) -> ProblemReport:
    """Check the file and count the problems an import would create; write nothing."""
    return _run(source, actor=actor, name=name, write=False)


def apply(source, *, actor, name: str | None = None, duplicates: str | None = None) -> ProblemReport:
    """Check the file again and, when no row has a problem, create every problem in one transaction.

    When the file was imported before or rows match open problems, `duplicates` says what to do: SKIP
    the matching rows or IMPORT_ANYWAY; without it nothing is written and `choice_required` is set."""
    return _run(source, actor=actor, name=name, write=True, duplicates=duplicates)


def build_template() -> bytes:
    """The .xlsx template: the Chinese headers, one example row, and a sheet 说明 on each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("问题清单")
    sheet.append([column.header for column in COLUMNS])
    sheet.append([column.example for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.header) * 2 + 4)
        if column.key in ("credit_code", "named"):
            sheet[f"{letter}2"].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("列名"), _("英文列名"), _("必填"), _("填写说明")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        notes.append([column.header, column.key, _("是") if column.required else _("否"), str(column.help)])
    notes.append([])
    notes.append([_("第1行为表头（中文或英文列名均可），从第2行起每行一个问题；示例行请删除或改为实际数据。")])
    notes.append([_("导入前先校验，任何一行有问题都不会导入，请按问题清单修改后重新上传。")])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
