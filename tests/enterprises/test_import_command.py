"""manage.py import_enterprises FILE [--dry-run] [--user USERNAME] (design.md "Contract")."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from chainwork.models import User
from enterprises.models import Enterprise, StatusReport
from tests.factories import EnterpriseFactory, make_credit_code

pytestmark = pytest.mark.django_db

HEADERS = ["企业名称", "统一社会信用代码", "所属地区", "企业规模", "是否龙头企业"]


def write_xlsx(path, headers, rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return str(path)


def clean_file(tmp_path, count=2):
    rows = ([f"武汉测试{n}有限公司", make_credit_code("420100", n), "湖北", "中", "否"] for n in range(count))
    return write_xlsx(tmp_path / "list.xlsx", HEADERS, rows)


def bad_file(tmp_path):
    rows = [["武汉甲有限公司", make_credit_code("420100", 1), "湖北", "中", "否"],
            ["武汉乙有限公司", "91420100XXXXXXXXXX", "湖北", "中", "否"]]
    return write_xlsx(tmp_path / "bad.xlsx", HEADERS, rows)


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_enterprises", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_of_a_clean_file_succeeds_and_writes_nothing(personas, tmp_path):
    out, _err = command(clean_file(tmp_path), "--dry-run")
    assert "新增2家" in out
    assert Enterprise.objects.count() == 0


def test_a_clean_file_is_imported(personas, tmp_path):
    command(clean_file(tmp_path))
    assert Enterprise.objects.count() == 2


def test_a_file_with_errors_exits_non_zero_and_writes_nothing(personas, tmp_path):
    with pytest.raises(CommandError):
        command(bad_file(tmp_path))
    assert Enterprise.objects.count() == 0


def test_dry_run_of_a_file_with_errors_exits_non_zero(personas, tmp_path):
    with pytest.raises(CommandError):
        command(bad_file(tmp_path), "--dry-run")


def test_problems_are_printed_with_row_column_and_reason(personas, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_enterprises", bad_file(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "第3行［统一社会信用代码］" in err.getvalue()


def test_rows_per_second_are_printed(personas, tmp_path):
    out, _err = command(clean_file(tmp_path))
    assert "rows/s" in out


def test_the_given_user_sets_the_scope(personas, tmp_path):
    rows = [["深圳甲有限公司", make_credit_code("440300", 1), "广东", "中", "否"]]
    with pytest.raises(CommandError):
        command(write_xlsx(tmp_path / "gd.xlsx", HEADERS, rows), "--user", "p-hubei")


def test_an_unknown_user_is_refused(personas, tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        command(clean_file(tmp_path), "--user", "nobody")


def test_without_an_administrator_account_the_user_must_be_given(reference_data, tmp_path):
    assert not User.objects.filter(is_superuser=True).exists()
    with pytest.raises(CommandError, match="--user"):
        command(clean_file(tmp_path))


def test_a_missing_file_is_refused(personas, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        command(str(tmp_path / "missing.xlsx"))


def test_a_status_file_is_recognised_by_its_headers(personas, tmp_path):
    enterprise = EnterpriseFactory()
    rows = [[enterprise.credit_code, "2026-11-20", "是", 10, 10]]
    headers = ["统一社会信用代码", "日期", "复工情况", "到岗人数", "正常用工人数"]
    command(write_xlsx(tmp_path / "status.xlsx", headers, rows))
    assert StatusReport.objects.filter(enterprise=enterprise).count() == 1


def test_a_list_of_10000_rows_is_imported(personas, tmp_path):
    out, _err = command(clean_file(tmp_path, count=10_000))
    print(out.splitlines()[-2])  # the timing line, for the record (no timing assertion)
    assert Enterprise.objects.count() == 10_000
