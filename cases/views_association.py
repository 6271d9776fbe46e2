"""A 行业协会's pages of problems: 登记困难 (an enterprise's difficulty registered on its behalf, for its
province to triage) and 我登记的问题 (the problems it registered and their state, in the limited view).
The rules are cases.services.case_create's; the scope is Case.objects.shared_with."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms import AssociationCaseForm
from cases.models import State
from cases.selectors import registered_case_list
from cases.services import case_create, registers_for_province, registrable_enterprises
from chainwork.errors import ValidationError, show_on_form

PAGE_SIZE = 50


def _association(request) -> None:
    if not registers_for_province(request.user):
        raise PermissionDenied


@login_required
@require_GET
def registered_list(request):
    """我登记的问题."""
    _association(request)
    cases = registered_case_list(request.user)
    state = request.GET.get("state", "")
    if state == "open":
        cases = cases.exclude(state=State.CLOSED)
    elif state == State.CLOSED:
        cases = cases.filter(state=State.CLOSED)
    else:
        state = ""
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/association/registered.html",
                  {"page": page, "state": state, "query": f"state={state}" if state else ""})


def _search(user, query: str) -> list:
    if not query:
        return []
    return list(registrable_enterprises(user).select_related("region").search(query)[:10])


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    """登记困难: find a covered enterprise, then describe its difficulty."""
    _association(request)
    form = AssociationCaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(actor=request.user, data=form.to_data())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已登记，编号：%(number)s，已转%(region)s专班研判。")
                             % {"number": case.number, "region": str(case.region)})
            return redirect("cases-detail", pk=case.pk)
    raw = request.POST.get("enterprise") if request.method == "POST" else request.GET.get("enterprise")
    enterprise = (registrable_enterprises(request.user).select_related("region", "industry")
                  .filter(pk=int(raw)).first()) if str(raw or "").isdecimal() and len(str(raw)) < 12 else None
    query = request.GET.get("q", "").strip()[:50]
    context = {"form": form, "enterprise": enterprise, "q": query, "results": _search(request.user, query)}
    return render(request, "cases/association/register.html", context, status=400 if form.errors else 200)
