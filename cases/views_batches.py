"""Pages of 第N批问题清单 (batch submission and approval) and of the 问题清单 import.

The import follows enterprises/views_import.py: upload → check (dry run) → confirm. Between the check
and the confirmation the upload waits under MEDIA_ROOT/imports/<uuid>.<ext>; the session holds the uuid,
never a path a form could send.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import batches
from cases import importing as case_importing
from cases.models import CaseBatch
from chainwork import pending_uploads
from chainwork.errors import NotPermitted, ValidationError
from chainwork.exports import XLSX_TYPE

PENDING = pending_uploads.Pending("case_import")
MAX_LISTED = 1000
MAX_FILE_BYTES = 10 * 1024 * 1024


def _require_batches(user) -> None:
    if not batches.can_see_batches(user):
        raise PermissionDenied(_("您的角色不能查看问题清单批次。"))


def _report_messages(request, result: batches.BatchResult, label: str) -> None:
    if result.done:
        messages.success(request, _("已%(action)s%(n)d个问题：%(numbers)s。") % {
            "action": label, "n": len(result.done), "numbers": "、".join(o.number for o in result.done)})
    if result.refused:
        reasons = "；".join(f"{o.number}（{o.message}）" for o in result.refused)
        messages.error(request, _("%(n)d个问题未能%(action)s：%(reasons)s。") % {
            "n": len(result.refused), "action": label, "reasons": reasons})


@login_required
@require_GET
def batch_list(request):
    _require_batches(request.user)
    rows = (CaseBatch.objects.visible_to(request.user).select_related("region", "created_by")
            .prefetch_related("cases")[:200])
    return render(request, "cases/batches/list.html", {
        "batches": rows, "can_create": batches.can_submit_batch(request.user),
        "can_import": case_importing.can_import(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    user = request.user
    if not batches.can_submit_batch(user):
        raise PermissionDenied(_("只有省专班可以成批提交问题。"))
    candidates = batches.submittable_cases(user).select_related("enterprise", "category").order_by("sequence")
    selected = {value for value in (request.POST.getlist("ids") if request.method == "POST"
                                    else request.GET.getlist("ids")) if value.isdecimal()}
    title = request.POST.get("title", "") if request.method == "POST" else ""
    errors: list[str] = []
    if request.method == "POST":
        try:
            result = batches.batch_submit(user, request.POST.getlist("ids"), title)
        except ValidationError as error:
            errors = [m for ms in error.message_dict.values() for m in ms]
        else:
            _report_messages(request, result, _("提交审核"))
            if result.batch is not None:
                return redirect("cases-batch-detail", pk=result.batch.pk)
    return render(request, "cases/batches/create.html", {
        "candidates": candidates, "selected": selected, "title": title, "errors": errors})


@login_required
@require_GET
def batch_detail(request, pk: int):
    _require_batches(request.user)
    batch = batches.batch_for(request.user, pk)
    members = batch.cases.select_related("enterprise", "category").order_by("sequence", "pk")
    pending = sum(1 for case in members if case.state == "pending_approval")
    return render(request, "cases/batches/detail.html", {
        "batch": batch, "members": members, "pending": pending,
        "can_approve": batches.can_approve_batch(request.user, batch) and pending > 0})


@login_required
@require_POST
def batch_approve(request, pk: int):
    _require_batches(request.user)
    batch = batches.batch_for(request.user, pk)
    if not batches.can_approve_batch(request.user, batch):
        raise NotPermitted(_("只有本省专班负责人可以审核并上报。"))
    result = batches.batch_approve(request.user, batch)
    _report_messages(request, result, _("审核并上报"))
    return redirect("cases-batch-detail", pk=batch.pk)


# --- 问题清单 import -------------------------------------------------------------------------------------


def _require_import(user) -> None:
    if not case_importing.can_import(user):
        raise PermissionDenied(_("您的角色不能导入问题清单。"))


def _report_context(request, report, token: str = "") -> dict:
    return {"report": report, "problems": report.problems[:MAX_LISTED],
            "hidden_problems": max(0, len(report.problems) - MAX_LISTED),
            "import_warnings": report.warnings[:MAX_LISTED], "token": token,
            "can_batch": batches.can_submit_batch(request.user)}


def _form(request, error: str = ""):
    return render(request, "cases/batches/import.html", {
        "error": error, "max_rows": case_importing.MAX_ROWS, "max_mb": MAX_FILE_BYTES >> 20})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """GET: the upload form. POST: store the file, check it, show the report."""
    _require_import(request.user)
    if request.method == "GET":
        return _form(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _form(request, _("请选择要导入的文件。"))
    if Path(upload.name).suffix.lower() not in pending_uploads.EXTENSIONS:
        return _form(request, _("只能导入.xlsx或.csv文件，请使用下载的导入模板。"))
    if upload.size > MAX_FILE_BYTES:
        return _form(request, _("文件超过%(size)dMB，请拆分后分批导入。") % {
            "size": MAX_FILE_BYTES >> 20})
    token, path = PENDING.store(request, upload)
    report = case_importing.dry_run(path, actor=request.user, name=upload.name)
    if report.ok:
        PENDING.keep(request, token, path, report.file_name)
    else:
        path.unlink(missing_ok=True)
        token = ""
    return render(request, "cases/batches/import_report.html", _report_context(request, report, token))


@login_required
@require_POST
def import_confirm(request):
    """Create the checked problems, all or nothing; optionally submit them as one batch."""
    _require_import(request.user)
    taken = PENDING.take(request)
    if taken is None:
        messages.error(request, _("没有待确认的导入文件，或该文件已被新的上传替换，请重新上传。"))
        return redirect("cases-import")
    claimed, name = taken
    token = request.POST.get("token", "")
    choice = request.POST.get("duplicates") or None
    waiting = False
    try:
        report = case_importing.apply(claimed, actor=request.user, name=name, duplicates=choice)
        if report.choice_required:
            # Nothing was written: the file waits again for the official's answer on the matches.
            PENDING.release(request, token, claimed, name)
            waiting = True
    finally:
        if not waiting:
            claimed.unlink(missing_ok=True)
    if report.choice_required:
        context = _report_context(request, report, token)
        context["choice_error"] = _("请选择如何处理与已有问题重复的行：跳过，或仍然导入。")
        return render(request, "cases/batches/import_report.html", context, status=400)
    if not report.applied:
        return render(request, "cases/batches/import_report.html", _report_context(request, report))
    messages.success(request, _("已导入问题清单：新增%(n)d个问题（%(numbers)s）。") % {
        "n": report.created, "numbers": "、".join(report.numbers or [])})
    if request.POST.get("submit_batch") and batches.can_submit_batch(request.user) and report.case_ids:
        try:
            result = batches.batch_submit(request.user, report.case_ids, request.POST.get("batch_title", ""))
        except ValidationError as error:
            messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        else:
            _report_messages(request, result, _("提交审核"))
            if result.batch is not None:
                return redirect("cases-batch-detail", pk=result.batch.pk)
    return redirect("cases-list")


@login_required
@require_GET
def import_template(request):
    _require_import(request.user)
    response = HttpResponse(case_importing.build_template(), content_type=XLSX_TYPE)
    filename = _("问题清单导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

