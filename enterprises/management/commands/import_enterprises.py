"""manage.py import_enterprises FILE [--dry-run] [--user USERNAME] (design.md "Contract").

Reads an enterprise list, supply links or daily status by its headers. A file with any problem writes
nothing and the command exits non-zero; --dry-run only checks.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from chainwork.audit import command_context
from chainwork.models import Role, User
from enterprises import importing


class Command(BaseCommand):
    help = "Import an enterprise list, supply links or daily status from .xlsx or .csv; --dry-run only checks."

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx or .csv with one header row")
        parser.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
        parser.add_argument("--user", help="the account that imports (scope and audit); default: an administrator")

    def handle(self, *args, file, dry_run, user, **options):
        actor = self._actor(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        run = importing.dry_run if dry_run else importing.apply
        with command_context("import_enterprises"):
            report = run(path, actor=actor, name=path.name)
        for problem in report.problems:
            self.stderr.write(self._line(problem))
        for warning in report.warnings:
            self.stdout.write(self._line(warning, _("提示")))
        if report.kind:
            self.stdout.write(_("%(kind)s，%(rows)d行：%(summary)s。") % {
                "kind": report.kind_label, "rows": report.rows, "summary": report.summary()})
        self.stdout.write(_("共%(rows)d行，用时%(seconds).2f秒（%(rate).0f rows/s）") % {
            "rows": report.rows, "seconds": report.seconds, "rate": report.rows_per_second})
        if not report.ok:
            raise CommandError(_("文件有%(count)d个问题，未导入任何数据。") % {"count": len(report.problems)})
        if dry_run:
            self.stdout.write(self.style.SUCCESS(_("校验通过（试运行，未写入数据）。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("已导入：%(summary)s。") % {"summary": report.summary()}))

    @staticmethod
    def _actor(username: str | None) -> User:
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(_("找不到启用的用户“%(username)s”。") % {"username": username}) from None
        admin = User.objects.filter(Q(is_superuser=True) | Q(role=Role.ADMIN), is_active=True).order_by("pk").first()
        if admin is None:
            raise CommandError(_("没有可用的管理员账号，请用 --user 指定导入人。"))
        return admin

    @staticmethod
    def _line(problem: importing.Problem, label: str = "") -> str:
        where = _("第%(row)d行") % {"row": problem.row} if problem.row else _("文件")
        column = f"［{problem.column}］" if problem.column else ""
        prefix = f"{label}：" if label else ""
        return f"{prefix}{where}{column} {problem.message}"
