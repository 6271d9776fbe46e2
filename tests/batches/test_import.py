"""问题清单 import (cases/importing.py and its pages): dry run by row/column/reason, all or nothing."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases import importing
from cases.models import Case, CaseBatch, State

pytestmark = pytest.mark.django_db

HEADERS = ["企业信用代码", "企业名称", "问题类别", "问题标题", "问题描述", "企业诉求", "紧急程度", "来源", "涉及企业信用代码"]


def xlsx(headers, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "问题清单.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return file


def row(code="", name="", category="物流运输", title="物流受阻", description="芯片运输受阻",
        request="请协调绿色通道", urgency="紧急", source="走访", named=""):
    return [code, name, category, title, description, request, urgency, source, named]


@pytest.fixture
def good_rows(chain):
    return [
        row(chain["lead"].credit_code, named=f"{chain['guangdong_supplier'].credit_code}、"),
        row(chain["hubei_customer"].credit_code, category="supply-chain", title="配套不足", urgency="特急", source=""),
        row("", chain["german_supplier"].name, title="境外零件断供", urgency="", source="热线"),
    ]


def test_good_file_creates_every_problem_with_numbers(personas, chain, good_rows):
    content = xlsx(HEADERS, *good_rows)
    report = importing.dry_run(upload(content), actor=personas.hubei)
    assert report.ok and report.created == 3 and not Case.objects.exists()
    report = importing.apply(upload(content), actor=personas.hubei)
    assert report.ok and report.applied and report.created == 3
    cases = list(Case.objects.order_by("sequence"))
    assert [c.number for c in cases] == report.numbers
    assert all(c.number.startswith("鄂〔") and c.state == State.NEW and c.reporter == personas.hubei for c in cases)
    first, second, third = cases
    assert first.urgency == "urgent" and first.source == "visit"
    assert list(first.named_enterprises.all()) == [chain["guangdong_supplier"]]
    assert second.category.slug == "supply-chain" and second.urgency == "critical" and second.source == "report"
    assert third.enterprise == chain["german_supplier"] and third.urgency == "normal" and third.source == "hotline"


def test_english_headers_and_csv(personas, chain):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["credit_code", "category", "title", "description", "request", "urgency", "source"])
    writer.writerow([chain["lead"].credit_code, "logistics", "T", "D", "R", "一般", "其他"])
    report = importing.apply(upload(buffer.getvalue().encode("utf-8-sig"), "list.csv"), actor=personas.hubei)
    assert report.applied and Case.objects.get().source == "other"


def test_dry_run_reports_each_problem_by_row_and_column(personas, chain):
    content = xlsx(
        HEADERS,
        row(chain["lead"].credit_code),  # row 2: fine
        row("91420100MA0000000X"),  # row 3: unknown enterprise
        row(chain["guangdong_lead"].credit_code),  # row 4: another region's enterprise
        row(chain["lead"].credit_code, category="不存在的类别"),  # row 5
        row(chain["lead"].credit_code, title="", request=""),  # row 6: missing text
        row(chain["lead"].credit_code, urgency="很急", source="电话"),  # row 7
        row(chain["lead"].credit_code, named="91420100MA0000000X"),  # row 8
        row("", "不存在的境外企业"),  # row 9
    )
    report = importing.dry_run(upload(content), actor=personas.hubei)
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(3, "企业信用代码"), (4, "企业信用代码"), (5, "问题类别"), (6, "问题标题"), (6, "企业诉求"),
                     (7, "紧急程度"), (7, "来源"), (8, "涉及企业信用代码"), (9, "企业名称")}
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert "不在您所在地区" in messages[(4, "企业信用代码")]
    assert "未找到问题类别" in messages[(5, "问题类别")]
    assert not Case.objects.exists()


def test_missing_columns_are_reported_on_the_header_row(personas):
    report = importing.dry_run(upload(xlsx(["企业信用代码", "问题标题"], ["x", "y"])), actor=personas.hubei)
    assert {p.column for p in report.problems if p.row == 1} >= {"问题类别", "问题描述", "企业诉求"}


def test_one_bad_row_imports_nothing(personas, chain, good_rows):
    content = xlsx(HEADERS, *good_rows, row(chain["lead"].credit_code, description=""))
    report = importing.apply(upload(content), actor=personas.hubei)
    assert not report.applied and [(p.row, p.column) for p in report.problems] == [(5, "问题描述")]
    assert not Case.objects.exists()


def test_guangdong_cannot_import_hubei_enterprises(personas, chain, good_rows):
    report = importing.dry_run(upload(xlsx(HEADERS, good_rows[0])), actor=personas.guangdong)
    assert [(p.row, p.column) for p in report.problems] == [(2, "企业信用代码")]


@pytest.mark.parametrize("persona", ["ministry", "dept_mot", "ministry_liaison"])
def test_other_roles_cannot_import(personas, chain, good_rows, persona):
    report = importing.apply(upload(xlsx(HEADERS, *good_rows)), actor=getattr(personas, persona))
    assert not report.applied and not Case.objects.exists()


def test_template_has_the_headers_and_an_example(client_for, personas):
    response = client_for(personas.hubei).get(reverse("cases-import-template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and any(rows[1])


# --- pages ------------------------------------------------------------------------------------------


def test_upload_check_confirm_and_submit_as_batch(client_for, personas, good_rows, settings):
    client = client_for(personas.hubei)
    response = client.post(reverse("cases-import"), {"file": upload(xlsx(HEADERS, *good_rows))})
    assert response.status_code == 200 and 'data-testid="import-ready"' in response.content.decode()
    token = response.context["token"]
    assert token and client.session["case_import"]["token"] == token
    assert not Case.objects.exists()
    response = client.post(reverse("cases-import-confirm"),
                           {"token": token, "submit_batch": "1", "batch_title": "导入第一批"})
    batch = CaseBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases-batch-detail", args=[batch.pk])
    assert batch.title == "导入第一批" and batch.cases.count() == 3
    assert set(Case.objects.values_list("state", flat=True)) == {State.PENDING_APPROVAL}
    from pathlib import Path
    assert not any((Path(settings.MEDIA_ROOT) / "imports").iterdir())


def test_bad_upload_shows_the_report_and_keeps_nothing(client_for, personas, chain, settings):
    client = client_for(personas.hubei)
    response = client.post(reverse("cases-import"), {"file": upload(xlsx(HEADERS, row("91420100MA0000000X")))})
    body = response.content.decode()
    assert 'data-testid="import-failed"' in body and "第2行" in body and "企业信用代码" in body
    assert "case_import" not in client.session
    assert client.post(reverse("cases-import-confirm"), {"token": "x"}).status_code == 302
    assert not Case.objects.exists()


def test_confirm_without_batch_leaves_problems_new(client_for, personas, good_rows):
    client = client_for(personas.hubei)
    token = client.post(reverse("cases-import"), {"file": upload(xlsx(HEADERS, *good_rows))}).context["token"]
    response = client.post(reverse("cases-import-confirm"), {"token": token})
    assert response.status_code == 302 and Case.objects.count() == 3 and not CaseBatch.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("hubei", 200), ("hubei_lead", 200), ("guangdong", 200), ("liaison_hubei", 200),
    ("ministry", 403), ("ministry_liaison", 403), ("dept_mot", 403), ("admin", 403),
])
def test_import_page_permissions(client_for, personas, persona, status):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("cases-import")).status_code == status
    assert client.get(reverse("cases-import-template")).status_code == status
    assert client.post(reverse("cases-import-confirm"), {"token": "x"}).status_code == (302 if status == 200 else 403)
