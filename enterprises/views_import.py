"""Pages for importing lists, supply links and daily status: upload → check (dry run) → confirm.

Between the check and the confirmation the upload waits under MEDIA_ROOT/imports/<uuid>.<ext>; the
session holds the uuid, never a path a form could send. The confirmation reads and checks the file
again before writing, then deletes it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chainwork import pending_uploads
from chainwork.exports import XLSX_TYPE
from enterprises import importing

PENDING = pending_uploads.Pending("enterprise_import")
MAX_LISTED = 1000  # problems shown on the page; the count says how many more there are


def _kinds(user) -> list[str]:
    kinds = importing.importable_kinds(user)
    if not kinds:
        raise PermissionDenied(_("您的角色不能导入名单或复工情况。"))
    return kinds


def _form_context(user, error: str = "") -> dict:
    return {
        "kinds": [(kind, importing.Kind(kind).label) for kind in _kinds(user)],
        "max_rows": importing.MAX_ROWS, "max_mb": importing.MAX_FILE_BYTES >> 20, "error": error,
    }


def _report_context(report: importing.ImportReport, token: str = "") -> dict:
    return {"report": report, "problems": report.problems[:MAX_LISTED],
            "hidden_problems": max(0, len(report.problems) - MAX_LISTED),
            "import_warnings": report.warnings[:MAX_LISTED], "token": token}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """GET: the upload form and the templates. POST: store the file, check it, show the report."""
    context = _form_context(request.user)
    if request.method == "GET":
        return render(request, "enterprises/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "enterprises/import.html", {**context, "error": _("请选择要导入的文件。")})
    if Path(upload.name).suffix.lower() not in pending_uploads.EXTENSIONS:
        return render(request, "enterprises/import.html",
                      {**context, "error": _("只能导入.xlsx或.csv文件，请使用下载的导入模板。")})
    if upload.size > importing.MAX_FILE_BYTES:
        return render(request, "enterprises/import.html", {**context, "error": _(
            "文件超过%(size)dMB，请拆分后分批导入。") % {"size": importing.MAX_FILE_BYTES >> 20}})
    pending_uploads.sweep_stale()
    token, path = PENDING.store(request, upload)
    report = importing.dry_run(path, actor=request.user, name=upload.name)
    if report.ok:
        PENDING.keep(request, token, path, report.file_name)
    else:
        path.unlink(missing_ok=True)
        token = ""
    return render(request, "enterprises/import_report.html", _report_context(report, token))


@login_required
@require_http_methods(["POST"])
def import_confirm(request):
    """Import the checked upload: checked again, written all or nothing, then deleted."""
    _kinds(request.user)
    taken = PENDING.take(request)
    if taken is None:
        messages.error(request, _("没有待确认的导入文件，或该文件已被新的上传替换，请重新上传。"))
        return redirect("enterprises-import")
    claimed, name = taken
    try:
        report = importing.apply(claimed, actor=request.user, name=name)
    finally:
        claimed.unlink(missing_ok=True)
    if not report.applied:
        return render(request, "enterprises/import_report.html", _report_context(report))
    messages.success(request, _("已导入%(kind)s：%(summary)s。") % {
        "kind": report.kind_label, "summary": report.summary()})
    return redirect("enterprises-import")


@login_required
@require_http_methods(["GET"])
def import_template(request, kind: str):
    """The .xlsx template of one kind."""
    if kind not in importing.Kind.values:
        raise Http404
    if kind not in _kinds(request.user):
        raise PermissionDenied(_("您的角色不能导入该类数据。"))
    label = importing.Kind(kind).label
    response = HttpResponse(importing.build_template(kind), content_type=XLSX_TYPE)
    filename = _("%(kind)s导入模板.xlsx") % {"kind": label}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
