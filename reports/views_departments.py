"""各部门办理情况 pages: the table and chart over a period, the .xlsx export and the .docx 情况通报. The 部专班
side sees departments, a province its 责任单位 (reports.departments); others get 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chainwork.errors import ValidationError
from chainwork.exports import Export, export_response
from reports import departments
from reports.docx import record_docx_response


def _issuer(user) -> str:
    return user.unit or (str(user.region) if user.region else _("部专班"))


def _errors(error: ValidationError) -> str:
    return " ".join(str(m) for ms in error.message_dict.values() for m in ms)


def _period(request, kind):
    """The chosen period, or the page answering 400 with what is wrong with it."""
    try:
        return departments.period_from(request.GET), None
    except ValidationError as error:
        return None, render(request, "reports/departments.html", {
            "error": _errors(error), "labels": departments.labels(kind), "kind": kind,
            "values": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}}, status=400)


@login_required
@require_GET
def department_record(request):
    kind = departments.record_kind(request.user)
    period, refused = _period(request, kind)
    if refused:
        return refused
    data = departments.record(request.user, period)
    names = departments.labels(kind)
    chart = {
        "labels": {"in_time": _("按时反馈"), "late": _("逾期反馈"), "pending": _("办理中（未超期）"),
                   "overdue": _("超期未反馈"), "sent_back": str(names["sent_back"])},
        "rows": [{"name": row["name"], "in_time": row["in_time"], "late": row["late"],
                  "pending": row["pending"] - row["overdue"], "overdue": row["overdue"],
                  "sent_back": row["sent_back"]} for row in data["rows"]],
    }
    return render(request, "reports/departments.html", {
        "data": data, "chart": chart, "labels": names, "kind": kind, "period": period,
        "values": {"from": data["from"], "to": data["to"]},
        "query": urlencode({"from": data["from"], "to": data["to"]}),
    })


@login_required
@require_GET
def department_record_export(request):
    kind = departments.record_kind(request.user)
    period, refused = _period(request, kind)
    if refused:
        return refused
    data = departments.record(request.user, period)
    names = departments.labels(kind)
    title = _("%(title)s（%(start)s至%(end)s）") % {"title": names["title"], "start": data["from"], "end": data["to"]}
    filters = {"from": data["from"], "to": data["to"], "kind": kind}
    headers = departments.export_headers(kind)
    if request.GET.get("format") == "docx":
        return record_docx_response(request, data, title=_("%(title)s的通报") % {"title": names["title"]},
                                    issuer=_issuer(request.user), headers=headers,
                                    rows=list(departments.export_rows(data)), filters=filters)
    export = Export(kind="department_record", title=title, headers=headers, rows=departments.export_rows(data),
                    filters=filters)
    return export_response(request, export, "xlsx")
