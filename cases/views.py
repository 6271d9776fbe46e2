"""问题台账 pages: the list (quick filters, saved views, export, bulk actions), the 部专班 queue,
registering a problem, the detail page (full or 协办 limited) with its action forms, attachments and
the printable 问题交办单. Every change of a problem goes through cases.workflow.perform()."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import attachments, deadlines, ledger, page_cache, sheets
from cases.deadlines import light, watching_lights
from cases.extensions import pending_for
from cases.filters import CaseFilter
from cases.forms import AttachmentForm, CaseCreateForm, SavedViewForm, action_form
from cases.models import Case, CaseLink, CaseShare, Referral, State
from cases.selectors import (
    case_for_view,
    case_list,
    for_rows,
    responsible_official,
    shared_case_list,
    visible_events,
    with_light,
)
from cases.services import can_register, case_create, escalation_reasons, registers_for_province
from cases.timeline import timeline
from cases.workflow import ACTIONS, may_perform, perform
from chainwork.errors import InvalidState, NotPermitted, ValidationError, show_on_form
from chainwork.exports import Export, export_response
from chainwork.models import Role
from chainwork.scope import scope_for
from enterprises.chains import chain_for
from enterprises.models import Enterprise

PAGE_SIZE = 50
SORTABLE = {"number": gettext_lazy("编号"), "urgency": gettext_lazy("紧急程度"), "due_at": gettext_lazy("办理时限"),
            "created_at": gettext_lazy("登记时间")}
EMPTY_LABELS = {"region": gettext_lazy("全部地区"), "category": gettext_lazy("全部类别"),
                "urgency": gettext_lazy("全部"), "light": gettext_lazy("全部"),
                "ordering": gettext_lazy("默认（时限最近的在前）")}


# --- 问题台账 ------------------------------------------------------------------------------------------


def _filtered(request, queryset):
    filterset = CaseFilter(request.GET or None, queryset=queryset, request=request)
    for name, label in EMPTY_LABELS.items():
        field = filterset.form.fields[name]
        field.empty_label = label
        if not hasattr(field, "queryset"):
            # The copied Select still iterates the class-level field's choices: hand it its own again.
            field.choices = [choice for choice in field.choices if choice[0] != ""]
    return filterset, (filterset.qs if filterset.is_bound else filterset.queryset)


def _sort_links(request) -> dict[str, dict]:
    current = request.GET.get("ordering", "")
    links = {}
    for key in SORTABLE:
        query = QueryDict(ledger.clean_query(request.GET), mutable=True)
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        query["ordering"] = f"-{key}" if direction == "asc" else key
        links[key] = {"url": f"?{query.urlencode()}", "direction": direction}
    return links


def _page_of_rows(queryset, number, count: int | None = None):
    """A page of list rows (selectors.for_rows). The total comes from the problems themselves, or from
    the caller when it counted already: counting the rows would join what each row shows."""
    paginator = Paginator(for_rows(queryset), PAGE_SIZE)
    paginator.count = queryset.count() if count is None else count  # a cached property, set beforehand
    return paginator.get_page(number)


def _list_context(request, queryset, filterset, count: int | None = None) -> dict:
    user = request.user
    page = _page_of_rows(queryset, request.GET.get("page"), count)
    bulk = ledger.bulk_action_for(user)
    scope = scope_for(user)
    return {
        "filter": filterset, "page": page, "query": ledger.clean_query(request.GET),
        "sort": _sort_links(request), "bulk_action": bulk[0] if bulk else "",
        "bulk_label": ACTIONS[bulk[0]].label if bulk else "", "bulk_state": bulk[1] if bulk else "",
        "can_register": can_register(user), "many_regions": scope.is_national or len(scope.regions) > 1,
        "selected_states": request.GET.getlist("state"), "role": ledger.page_role(user),
        "next": request.get_full_path(),
    }


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_GET
def case_list_page(request):
    user = request.user
    if _partial(request):
        filterset, queryset = _filtered(request, case_list(user))
        return render(request, "cases/partials/_list_table.html", _list_context(request, queryset, filterset))
    # Kept whole per reader and URL while nothing it shows has changed (cases/page_cache.py).
    key = page_cache.list_key(request)
    body = page_cache.kept(request, key)
    if body is None:
        body, first_change = _list_body(request)
        page_cache.keep(key, body, first_change)
    return render(request, "cases/list.html", {"body": body})


def _list_body(request) -> tuple[str, dt.datetime | None]:
    """The 问题台账's body, and when the first thing it shows changes with time alone (a light)."""
    user = request.user
    now = timezone.now()
    base = case_list(user)
    filterset, queryset = _filtered(request, base)
    tabs, count = ledger.tabs_for(user, base, request.GET, queryset if filterset.is_bound else None)
    context = _list_context(request, queryset, filterset, count)
    context.update({
        "tabs": tabs,
        "saved_views": ledger.saved_views_for(user),
        "shared_cases": list(for_rows(shared_case_list(user))[:PAGE_SIZE]),
    })
    body = render_to_string("cases/partials/_list_body.html", context, request=request)
    rows = [*context["page"].object_list, *context["shared_cases"]]
    changes = [deadlines.first_change([row.due_at for row in rows if row.state != State.CLOSED], now)]
    if settings.PAGE_CACHE_SECONDS and ledger.shows_lights(user, request.GET):
        changes.append(deadlines.next_crossing(base, now))
    return body, min((change for change in changes if change is not None), default=None)


@login_required
@require_GET
def case_export(request):
    _filterset, queryset = _filtered(request, case_list(request.user))
    export = Export(kind="cases", title=_("问题台账"), headers=ledger.EXPORT_HEADERS,
                    rows=ledger.export_rows(queryset), filters=ledger.export_filters(request.GET))
    return export_response(request, export, "csv" if request.GET.get("format") == "csv" else "xlsx")


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def case_bulk(request):
    bulk = ledger.bulk_action_for(request.user)
    if bulk is None or request.POST.get("action") != bulk[0]:
        raise PermissionDenied
    items = ledger.parse_bulk_items(request.POST.getlist("ids"))
    back = _back(request, reverse("cases-list"))
    label = ACTIONS[bulk[0]].label
    if not items:
        messages.warning(request, _("请先勾选要%(action)s的问题。") % {"action": label})
        return redirect(back)
    result = ledger.bulk_perform(actor=request.user, action=bulk[0], items=items)
    if result.done:
        messages.success(request, _("已%(action)s%(n)d个问题：%(numbers)s。")
                         % {"action": label, "n": len(result.done), "numbers": "、".join(result.done)})
    if result.failed:
        reasons = "；".join(f"{number}（{reason}）" for number, reason in result.failed)
        messages.error(request, _("%(n)d个问题未能%(action)s：%(reasons)s。")
                       % {"n": len(result.failed), "action": label, "reasons": reasons})
    return redirect(back)


@login_required
@require_POST
def saved_view_create(request):
    form = SavedViewForm(request.POST)
    query = ledger.clean_query(QueryDict(request.POST.get("query", "")))
    if form.is_valid():
        view = ledger.saved_view_save(owner=request.user, name=form.cleaned_data["name"], query=query,
                                       shared=form.cleaned_data["shared"])
        messages.success(request, _("已保存视图“%(name)s”。") % {"name": view.name})
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect(f"{reverse('cases-list')}?{query}")


@login_required
@require_POST
def saved_view_delete(request, pk: int):
    ledger.saved_view_delete(owner=request.user, pk=pk)
    messages.success(request, _("已删除视图。"))
    return redirect("cases-list")


# --- the 部专班 queue --------------------------------------------------------------------------------------

AGES = {"1": 1, "3": 3, "7": 7}


@login_required
@require_GET
def case_queue(request):
    """Escalated problems waiting for acceptance, across regions, the longest waiting first."""
    user = request.user
    if not ledger.can_see_queue(user):
        raise PermissionDenied
    waiting = case_list(user).filter(state=State.ESCALATED).order_by("escalated_at", "pk")
    filterset, queryset = _filtered(request, waiting)
    age = request.GET.get("age", "")
    if age in AGES:
        queryset = queryset.filter(escalated_at__lte=timezone.now() - dt.timedelta(days=AGES[age]))
    bulk = ledger.bulk_action_for(user)
    context = {
        "filter": filterset, "page": _page_of_rows(queryset, request.GET.get("page")),
        "query": ledger.clean_query(request.GET) + (f"&age={age}" if age in AGES else ""), "age": age,
        "can_accept": ledger.page_role(user) == "ministry", "bulk_action": bulk[0] if bulk else "",
        "bulk_label": ACTIONS[bulk[0]].label if bulk else "", "next": request.get_full_path(),
    }
    if _partial(request):
        return render(request, "cases/partials/_queue_table.html", context)
    return render(request, "cases/queue.html", context)


# --- 登记问题 ------------------------------------------------------------------------------------------


def _registrar(request) -> None:
    # A 行业协会 registers from its own page (登记困难, cases.views_association), among the enterprises it covers.
    if not can_register(request.user) or registers_for_province(request.user):
        raise PermissionDenied


def _search(user, query: str) -> list[Enterprise]:
    """The user's own enterprises by name, pinyin initials or credit code (a registrar's list only)."""
    if not query:
        return []
    return list(Enterprise.objects.visible_to(user).select_related("region").search(query)[:10])


def _picked(user, enterprise_id) -> dict:
    """The chosen enterprise and its chain, to tick the blocking suppliers."""
    enterprise = Enterprise.objects.visible_to(user).select_related("region", "list_region").filter(
        pk=enterprise_id).first() if str(enterprise_id or "").isdecimal() else None
    if enterprise is None:
        return {"enterprise": None}
    chain = chain_for(enterprise, user)
    return {"enterprise": enterprise, "partners": chain.partners}


@login_required
@require_http_methods(["GET", "POST"])
def case_create_page(request):
    if registers_for_province(request.user):
        return redirect("cases-register")
    _registrar(request)
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(actor=request.user, data=form.to_data())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已登记问题，编号：%(number)s。") % {"number": case.number})
            return redirect("cases-detail", pk=case.pk)
    enterprise_id = request.POST.get("enterprise") if request.method == "POST" else request.GET.get("enterprise")
    query = request.GET.get("q", "").strip()
    context = {"form": form, **_picked(request.user, enterprise_id), "q": query,
               "results": _search(request.user, query),
               "ticked": {int(v) for v in request.POST.getlist("named_enterprises") if v.isdecimal()}}
    return render(request, "cases/create.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def enterprise_search(request):
    _registrar(request)
    query = request.GET.get("q", "").strip()
    return render(request, "cases/partials/_enterprise_results.html",
                  {"results": _search(request.user, query), "q": query})


@login_required
@require_GET
def enterprise_pick(request):
    _registrar(request)
    context = _picked(request.user, request.GET.get("enterprise"))
    if context["enterprise"] is None:
        raise Http404
    return render(request, "cases/partials/_enterprise_picked.html", {**context, "ticked": set()})


# --- the detail page ---------------------------------------------------------------------------------------


def _actions(case, user, full, failed) -> list[dict]:
    """One small form per action the user may take now; the failed one keeps what was typed."""
    forms = []
    for name in ACTIONS:
        if name == "comment" or not may_perform(name, case, user, full=full):
            continue
        form = failed["form"] if failed and failed["action"] == name else action_form(name, case=case, user=user)
        forms.append({"name": name, "label": ACTIONS[name].label, "form": form, "confirm": ACTIONS[name].confirm,
                      "general": ACTIONS[name].general,
                      "error": failed["message"] if failed and failed["action"] == name else ""})
    return forms


def _links(case, user) -> list[dict]:
    """Related problems the user sees in full, both directions, in one query."""
    visible = Case.objects.visible_to(user).values("pk")
    links = CaseLink.objects.filter(
        Q(from_case=case, to_case__in=visible) | Q(to_case=case, from_case__in=visible)
    ).select_related("from_case", "to_case").only(
        "kind", "from_case__number", "from_case__title", "to_case__number", "to_case__title").order_by("pk")
    return [{"case": link.to_case if link.from_case_id == case.pk else link.from_case,
             "kind": link.get_kind_display(), "outgoing": link.from_case_id == case.pk} for link in links]


def _merged(case, user) -> list[Case]:
    """The problems merged into this one that the user sees, in one query with the problem this one was
    merged into (shown whatever its region, as its number is on the record); the latter is set on
    `case.duplicate_of`, which the page reads."""
    condition = Q(duplicate_of=case, pk__in=Case.objects.visible_to(user).values("pk"))
    if case.duplicate_of_id:
        condition |= Q(pk=case.duplicate_of_id)
    rows = list(Case.objects.filter(condition).only("number", "title", "duplicate_of_id").order_by("pk"))
    if case.duplicate_of_id:
        case.duplicate_of = next(row for row in rows if row.pk == case.duplicate_of_id)
    return [row for row in rows if row.pk != case.duplicate_of_id]


def _detail_context(request, case, full, *, failed=None, upload_form=None) -> dict:
    user = request.user
    events = list(visible_events(user, case, full=full))
    entries = timeline(events)
    comment_failed = failed if failed and failed["action"] == "comment" else None
    comment_form = comment_failed["form"] if comment_failed else action_form("comment", case=case, user=user,
                                                                             full=full)
    context = {
        "case": case, "full": full, "timeline": entries, "version": case.version,
        "light": light(case.due_at) if case.is_open else "",
        "comment_form": comment_form, "comment_error": comment_failed["message"] if comment_failed else "",
        "can_comment": may_perform("comment", case, user, full=full),
        "can_match_policies": scope_for(user).records_policy_take_up,
    }
    context["attachments"] = attachments.attachments_visible_to(user).filter(case=case).select_related("uploaded_by")
    if not full:
        # The viewer's own task only: the 协办 request to their region, or their department's referral.
        scope = scope_for(user)
        regions = sorted(scope.regions or [])
        shares = list(CaseShare.objects.filter(case=case, region__in=regions)
                      .select_related("region", "shared_by__region", "replied_by"))
        reply_failed = failed if failed and failed["action"] == "share-reply" else None
        context.update({
            "shares": shares,
            "referrals": Referral.objects.visible_to(user).filter(case=case).select_related("department"),
            # An asked province sees the problem's enterprises of its own region in full (its own list).
            "own_enterprises": list(
                Enterprise.objects.visible_to(user)
                .filter(Q(pk=case.enterprise_id) | Q(pk__in=case.named_enterprises.values("pk")))
                .select_related("region").order_by("name_pinyin")) if shares else [],
            "can_reply": may_perform("share-reply", case, user, full=full),
            "reply_form": reply_failed["form"] if reply_failed else action_form("share-reply", case=case, user=user,
                                                                                full=full),
            "reply_error": reply_failed["message"] if reply_failed else "",
        })
        if scope.role == Role.ASSOCIATION:
            context["is_association"] = True
        if scope.role == Role.DEPARTMENT:
            # A department's view (design.md "A department's view"): what it needs to handle the problem
            # and whom to call, and its own referrals with their forms — never contacts or internal notes.
            context.update({
                "is_department": True, "official": responsible_official(case),
                "named": [case.enterprise,
                          *case.named_enterprises.select_related("region").order_by("name_pinyin")],
                "referrals": list(Referral.objects.visible_to(user).filter(case=case)
                                  .select_related("department")
                                  .prefetch_related(Prefetch("extensions", to_attr="all_extensions"))),
                "next": request.get_full_path(),
            })
            for referral in context["referrals"]:
                referral.pending_extensions = [e for e in referral.all_extensions if e.state == "pending"]
        return context
    named = list(case.named_enterprises.select_related("region").order_by("name_pinyin"))
    context.update({
        "named": named,
        "instructions": [e for e in entries if e.event.kind == "instruction"],
        "reasons": escalation_reasons(case, named) if case.state in (State.NEW, State.LOCAL) else [],
        "actions": _actions(case, user, full, failed),
        "upload_form": upload_form or AttachmentForm(),
        "links": _links(case, user),
        "duplicates": _merged(case, user),
        "shares": case.shares.select_related("region", "shared_by__region", "replied_by").order_by("created_at", "pk"),
        "referrals": Referral.objects.visible_to(user).filter(case=case).select_related("department"),
        "extension_requests": list(pending_for(user).filter(case=case)),
        "next": request.get_full_path(),
        "can_print": True,
    })
    return context


def _detail_body(request, case, full, **kwargs) -> str:
    """The page below the menu (a SafeString: the template escaped it)."""
    template = "cases/partials/_detail_body.html" if full else "cases/partials/_detail_limited_body.html"
    return render_to_string(template, _detail_context(request, case, full, **kwargs), request=request)


def _render_detail(request, case, full, *, failed=None, upload_form=None, status=200):
    """The page after a refused action or upload: the reader's input and the error, never kept."""
    body = _detail_body(request, case, full, failed=failed, upload_form=upload_form)
    return _detail_page(request, case.number, case.title, body, status=status)


def _detail_page(request, number: str, title: str, body: str, status: int = 200):
    return render(request, "cases/detail.html", {"number": number, "title": title, "body": body}, status=status)


@login_required
@require_GET
def case_detail(request, pk: int):
    """The full view is kept per reader until anything on it changes (cases/page_cache.py)."""
    head = Case.objects.visible_to(request.user).filter(pk=pk).values("number", "title").first()
    if head is None:  # the limited view, or 404
        case, full = case_for_view(request.user, pk)
        return _detail_page(request, case.number, case.title, _detail_body(request, case, full))
    key = page_cache.case_key(request, pk)
    body = page_cache.kept(request, key)
    if body is None:
        case, full = case_for_view(request.user, pk)
        with watching_lights() as first_change:
            body = _detail_body(request, case, full)
        page_cache.keep(key, body, first_change[0])
    return _detail_page(request, head["number"], head["title"], body)


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    """Take one action through perform(); a refused one re-renders the page with the user's input kept."""
    if action not in ACTIONS:
        raise Http404
    case, full = case_for_view(request.user, pk)
    form = action_form(action, request.POST, case=case, user=request.user, full=full)
    raw_version = request.POST.get("version", "")
    version = int(raw_version) if raw_version.isdecimal() else 0
    if ACTIONS[action].note_only:
        version = None
    try:
        changed = perform(case_id=case.pk, action=action, actor=request.user, data=form.payload(), version=version)
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except InvalidState as error:  # also StaleVersion: someone else changed it meanwhile
        messages.error(request, error.message)
        case, full = case_for_view(request.user, pk)
        failed = {"action": action, "form": form, "message": error.message}
        return _render_detail(request, case, full, failed=failed, status=409)
    except ValidationError as error:
        form.add_errors(error)
        message = _("请按提示修改后重新提交。")
        return _render_detail(request, case, full, failed={"action": action, "form": form, "message": message},
                              status=400)
    if action == "comment":
        messages.success(request, _("已发表意见。"))
    elif action == "share-reply":
        messages.success(request, _("%(number)s：已提交协办意见。") % {"number": changed.number})
    else:
        messages.success(request, _("%(number)s：已%(action)s。")
                         % {"number": changed.number, "action": ACTIONS[action].label})
    return redirect(_back(request, reverse("cases-detail", args=[changed.pk])))


# --- attachments -------------------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request, pk: int):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)  # full view only
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        case, full = case_for_view(request.user, pk)
        messages.error(request, _("附件未上传：%(reason)s")
                       % {"reason": " ".join(m for ms in form.errors.values() for m in ms)})
        return _render_detail(request, case, full, upload_form=form, status=400)
    attachment = attachments.attachment_add(
        case=case, actor=request.user, upload=form.cleaned_data["file"], extension=form.extension,
        content_type=form.content_type, internal=form.cleaned_data["visibility"] == "internal")
    messages.success(request, _("已上传附件“%(name)s”。") % {"name": attachment.name})
    return redirect(reverse("cases-detail", args=[case.pk]) + "#attachments")


@login_required
@require_GET
def attachment_download(request, token: str):
    attachment = get_object_or_404(attachments.attachments_visible_to(request.user), token=token)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- 问题交办单 -------------------------------------------------------------------------------------------


@login_required
@require_GET
def case_print(request, pk: int):
    case = get_object_or_404(
        with_light(Case.objects.visible_to(request.user)).select_related(
            "region", "enterprise__region", "category", "reporter", "signed_by"), pk=pk)
    named = case.named_enterprises.select_related("region").order_by("name_pinyin")
    return render(request, "cases/print.html", {"case": case, "named": named, "printed_at": timezone.now(),
                                                "parties": sheets.parties_for(case), "basis": sheets.basis_for(case),
                                                "light": light(case.due_at) if case.is_open else ""})

