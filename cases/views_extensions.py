"""申请延期 pages: a department's request on its referral, the list of requests (the decider's pending ones
with their 批准 / 不予延期 forms first), and the decisions. Changes go through cases.extensions; a
province's request on its local problem is the lifecycle action `extend` (the problem page's form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.extensions import extension_decide, extension_request, extensions_for, pending_for
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Role
from chainwork.scope import role_for

PAGE_SIZE = 50
ROLES = (Role.PROVINCE, Role.PROVINCE_LEAD, Role.MINISTRY, Role.MINISTRY_LIAISON, Role.DEPARTMENT, Role.ADMIN)


def _may_see(user) -> bool:
    return role_for(user) in ROLES


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _message(error) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return " ".join(str(m) for ms in error.message_dict.values() for m in ms)
    return getattr(error, "message", None) or " ".join(getattr(error, "messages", [])) or str(error)


def _page(request, *, failed: dict | None = None, status: int = 200):
    user = request.user
    history = Paginator(extensions_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/extensions.html", {
        "pending": list(pending_for(user)), "history": history, "role": role_for(user),
        "is_decider": role_for(user) in (Role.MINISTRY, Role.PROVINCE_LEAD),
        "next": request.get_full_path(), "failed": failed or {},
    }, status=status)


@login_required
@require_GET
def extension_list(request):
    """申请延期: the requests the user decides, then every request they may see."""
    if not _may_see(request.user):
        raise PermissionDenied
    return _page(request)


def _post(request, pk: int, action: str, call):
    if not _may_see(request.user):
        raise PermissionDenied
    data = {key: request.POST.get(key, "") for key in ("reason", "proposed_date", "due_date", "note")
            if key in request.POST}
    try:
        done = call(data)
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except (InvalidState, ValidationError) as error:
        message = _message(error)
        messages.error(request, message)
        return _page(request, failed={"pk": pk, "action": action, "message": message, "data": data},
                     status=409 if isinstance(error, InvalidState) else 400)
    return done


@login_required
@require_POST
def referral_extend(request, pk: int):
    def call(data):
        extension = extension_request(referral_id=pk, actor=request.user, data=data)
        messages.success(request, _("%(number)s：已申请延期至%(date)s，待部专班审批。")
                         % {"number": extension.case.number, "date": extension.proposed_date.isoformat()})
        return redirect(_back(request, reverse("cases-detail", args=[extension.case_id])))

    return _post(request, pk, "extend", call)


def _decide(request, pk: int, decision: str):
    def call(data):
        if decision == "grant" and not data.get("due_date"):
            data.pop("due_date", None)
        extension = extension_decide(extension_id=pk, decision=decision, actor=request.user, data=data)
        if decision == "grant":
            messages.success(request, _("%(number)s：已批准延期至%(date)s。")
                             % {"number": extension.case.number, "date": extension.granted_date.isoformat()})
        else:
            messages.success(request, _("%(number)s：不予延期。") % {"number": extension.case.number})
        return redirect(_back(request, reverse("cases-extensions")))

    return _post(request, pk, decision, call)


@login_required
@require_POST
def extension_grant(request, pk: int):
    return _decide(request, pk, "grant")


@login_required
@require_POST
def extension_refuse(request, pk: int):
    return _decide(request, pk, "refuse")
