"""转办督办 pages: the 部专班's board of referrals by department and its click-through list (quick 催办,
代录), a department's own referrals with its respond / send-back forms, the leaders' board of 挂牌督办
problems, the A4 转办单 and 督办单, and the 共性问题 pages. Changes go through cases.workflow.perform(),
cases.referrals.perform_referral() and cases.groups — never a save() here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import groups as group_services
from cases import sheets
from cases.deadlines import Light
from cases.forms import action_form
from cases.models import Case, CaseEvent, Extension, ProblemGroup, Referral, State, Supervision
from cases.referrals import perform_referral
from cases.selectors import SHARE_SIDES, share_list, with_light
from cases.workflow import perform
from chainwork.errors import InvalidState, NotPermitted, ValidationError
from chainwork.models import Category, Region, Role
from chainwork.scope import MINISTRY_SIDE, role_for, scope_for

PAGE_SIZE = 50
BOARD_ROLES = MINISTRY_SIDE
# The 转办督办 board also opens to a province lead, for the referrals of their own region's problems.
REFERRAL_BOARD_ROLES = (*BOARD_ROLES, Role.DEPARTMENT, Role.PROVINCE_LEAD)
FILTERS = {"pending": Q(state=Referral.State.PENDING), "responded": Q(state=Referral.State.RESPONDED),
           "sent_back": Q(state=Referral.State.SENT_BACK)}


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _messages_of(error) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(str(m) for ms in error.message_dict.values() for m in ms)
        return " ".join(str(m) for m in error.messages)
    return getattr(error, "message", None) or str(error)


# --- reads -----------------------------------------------------------------------------------------------


def board_referrals(user):
    """The referrals on the user's board: those they see, for a province lead only their own region's
    problems (not those another region shared with them for 协办)."""
    referrals = Referral.objects.visible_to(user)
    scope = scope_for(user)
    if scope.role == Role.PROVINCE_LEAD:
        referrals = referrals.filter(scope.region_q("case__region"))
    return referrals


def department_board(user) -> list[dict]:
    """One row per department: pending, overdue, due today, answered and sent-back counts — one query."""
    today = timezone.localdate()
    pending = Q(state=Referral.State.PENDING)
    rows = (board_referrals(user)
            .values("department_id", "department__slug", "department__name")
            .annotate(pending=Count("pk", filter=pending),
                      overdue=Count("pk", filter=pending & Q(due_date__lt=today)),
                      due_today=Count("pk", filter=pending & Q(due_date=today)),
                      responded=Count("pk", filter=Q(state=Referral.State.RESPONDED)),
                      sent_back=Count("pk", filter=Q(state=Referral.State.SENT_BACK)),
                      urged=Count("pk", filter=pending & Q(urged_count__gt=0)))
            .order_by("-overdue", "-due_today", "-pending", "department__name"))
    board = []
    for row in rows:
        value = Light.RED if row["overdue"] else Light.YELLOW if row["due_today"] else \
            Light.GREEN if row["pending"] else Light.NONE
        board.append({**row, "slug": row["department__slug"], "name": row["department__name"], "light": value})
    return board


def referral_rows(user):
    """Referrals with their problems, pending first, the nearest deadline first."""
    pending_first = DbCase(When(state=Referral.State.PENDING, then=Value(0)), default=Value(1))
    asked = Prefetch("extensions", queryset=Extension.objects.filter(state=Extension.State.PENDING),
                     to_attr="pending_extensions")
    return (board_referrals(user)
            .select_related("case__region", "case__enterprise", "department", "routed_by")
            .prefetch_related(asked)
            .annotate(pending_rank=pending_first)
            .order_by("pending_rank", F("due_date").asc(), "pk"))


def listed_cases(user):
    """挂牌督办 problems still open, with the latest 领导批示."""
    latest = CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.INSTRUCTION).order_by("-created_at",
                                                                                                    "-pk")
    return (with_light(Case.objects.visible_to(user).filter(supervision=Supervision.LISTED)
                       .exclude(state=State.CLOSED))
            .select_related("region", "enterprise", "category")
            .annotate(instruction=Subquery(latest.values("note")[:1]),
                      instruction_at=Subquery(latest.values("created_at")[:1]),
                      instruction_due=Subquery(latest.values("due_at")[:1]))
            .order_by(F("due_at").asc(nulls_last=True), "-pk"))


# --- 转办督办 -------------------------------------------------------------------------------------------


def _board_context(request, *, failed: dict | None = None) -> dict:
    user = request.user
    role = role_for(user)
    department = request.GET.get("department", "").strip()
    status = request.GET.get("status", "")
    rows = referral_rows(user)
    if role == Role.DEPARTMENT:
        department = ""
    elif department:
        rows = rows.filter(department__slug=department)
    if status == "overdue":
        rows = rows.filter(state=Referral.State.PENDING, due_date__lt=timezone.localdate())
    elif status in FILTERS:
        rows = rows.filter(FILTERS[status])
    else:
        status = ""
    show_list = role == Role.DEPARTMENT or bool(department or status)
    # The board alone (no department or state chosen) lists no referrals: nothing to count or page.
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if show_list else None
    context = {
        "role": role, "is_department": role == Role.DEPARTMENT,
        "can_chase": role in (Role.MINISTRY, Role.PROVINCE_LEAD),
        "can_record": role in (Role.MINISTRY, Role.DEPARTMENT), "department": department, "status": status,
        "page": page, "sources": [c for c in Referral.Source.choices if c[0] != Referral.Source.ONLINE],
        "next": request.get_full_path(), "failed": failed or {},
        "show_list": show_list,
    }
    if role != Role.DEPARTMENT:
        board = department_board(user)
        context["board"] = board
        context["department_name"] = next((row["name"] for row in board if row["slug"] == department), department)
    return context


def _may_see_board(user) -> bool:
    return role_for(user) in REFERRAL_BOARD_ROLES


@login_required
@require_GET
def referral_board(request):
    """The 部专班's board by department (click through to the referrals); a department's own referrals."""
    if not _may_see_board(request.user):
        raise PermissionDenied
    return render(request, "cases/coordination/referrals.html", _board_context(request))


def _referral_post(request, pk: int, action: str, data: dict):
    if not _may_see_board(request.user):
        raise PermissionDenied
    try:
        referral = perform_referral(referral_id=pk, action=action, actor=request.user, data=data)
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except (InvalidState, ValidationError) as error:
        status = 409 if isinstance(error, InvalidState) else 400
        failed = {"pk": pk, "action": action, "message": _messages_of(error), "data": data}
        messages.error(request, failed["message"])
        return render(request, "cases/coordination/referrals.html", _board_context(request, failed=failed),
                      status=status)
    label = _("反馈办理情况") if action == "respond" else _("退回")
    messages.success(request, _("%(number)s：已%(action)s（%(department)s）。")
                     % {"number": referral.case.number, "action": label, "department": referral.department.name})
    return redirect(_back(request, reverse("cases-referrals")))


@login_required
@require_POST
def referral_respond(request, pk: int):
    data = {"response": request.POST.get("response", "")}
    if request.POST.get("source"):
        data["source"] = request.POST["source"]
    return _referral_post(request, pk, "respond", data)


@login_required
@require_POST
def referral_send_back(request, pk: int):
    return _referral_post(request, pk, "send-back", {"reason": request.POST.get("reason", "")})


@login_required
@require_POST
def referral_urge(request, pk: int):
    """催办 one referral: the problem's `urge` action with the referral id."""
    referral = get_object_or_404(Referral.objects.visible_to(request.user).select_related("case", "department"),
                                 pk=pk)
    try:
        perform(case_id=referral.case_id, action="urge", actor=request.user,
                data={"referral": referral.pk, "note": request.POST.get("note", "")})
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except (InvalidState, ValidationError) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("已催办%(department)s：%(number)s。")
                         % {"department": referral.department.name, "number": referral.case.number})
    return redirect(_back(request, reverse("cases-referrals")))


@login_required
@require_GET
def listed_board(request):
    """The leaders' board of 挂牌督办 problems."""
    if role_for(request.user) not in BOARD_ROLES:
        raise PermissionDenied
    page = Paginator(listed_cases(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/coordination/listed.html", {"page": page, "role": role_for(request.user)})


# --- 协办 -------------------------------------------------------------------------------------------------

SHARE_ROLES = (*BOARD_ROLES, Role.PROVINCE, Role.PROVINCE_LEAD)


@login_required
@require_GET
def share_board(request):
    """Every 协办 the user may see, open and answered: the 部专班 all of them; a province those asked of
    its region (待回复 first, the nearest deadline first) and those it asked. Filters: state, asked
    region, overdue, and for a province the side."""
    user = request.user
    role = role_for(user)
    if role not in SHARE_ROLES:
        raise PermissionDenied
    get = request.GET
    state = get.get("state", "") if get.get("state", "") in ("pending", "replied") else ""
    region = get.get("region", "").strip()
    region = region if region and Region.objects.filter(code=region).exists() else ""
    side = get.get("side", "") if get.get("side", "") in SHARE_SIDES else ""
    overdue = get.get("overdue", "") == "1"
    if role not in (Role.PROVINCE, Role.PROVINCE_LEAD):
        side = ""
    rows = share_list(user, state=state, region=region, overdue=overdue, side=side)
    page = Paginator(rows, PAGE_SIZE).get_page(get.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("state", state), ("region", region), ("side", side),
                                                 ("overdue", "1" if overdue else "")) if v)
    return render(request, "cases/coordination/shares.html", {
        "page": page, "role": role, "state": state, "region": region, "side": side, "overdue": overdue,
        "query": query, "regions": Region.objects.order_by("code").values_list("code", "name"),
        "is_province": role in (Role.PROVINCE, Role.PROVINCE_LEAD), "tab": "shares",
    })


# --- 转办单 and 督办单 --------------------------------------------------------------------------------------


@login_required
@require_GET
def referral_print(request, pk: int):
    """转办单: seen by whoever sees the problem in full, and by the department the referral went to."""
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "case__region", "case__enterprise__region", "case__category", "department", "routed_by"), pk=pk)
    case = referral.case
    route = case.events.filter(action="route", created_at=referral.created_at).first()
    others = (case.referrals.filter(created_at=referral.created_at).exclude(pk=referral.pk)
              .select_related("department"))
    return render(request, "cases/coordination/referral_print.html", {
        "referral": referral, "case": case, "route_note": route.note if route else "", "others": others,
        "parties": [sheets.referral_party(referral)], "basis": sheets.basis_for(case, before=referral.created_at),
        "printed_at": timezone.now(),
    })


@login_required
@require_GET
def supervision_print(request, pk: int):
    """督办单 of the latest 督办 / 挂牌督办 of a problem the user sees in full."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related(
        "region", "enterprise__region", "category"), pk=pk)
    event = case.events.filter(kind=CaseEvent.Kind.SUPERVISE).select_related("actor").order_by("-created_at",
                                                                                             "-pk").first()
    if event is None:
        raise Http404(_("该问题尚未督办。"))
    referral = None
    if event.data.get("referral"):
        referral = Referral.objects.filter(pk=event.data["referral"], case=case).select_related("department").first()
    parties = [sheets.referral_party(referral)] if referral else sheets.parties_for(case)
    return render(request, "cases/coordination/supervision_print.html", {
        "case": case, "event": event, "level": dict(Supervision.choices).get(event.data.get("level"), ""),
        "referral": referral, "parties": parties, "basis": sheets.basis_for(case, before=event.created_at),
        "printed_at": timezone.now(),
    })


# --- 共性问题 ---------------------------------------------------------------------------------------------


def _coordinator(request) -> None:
    if not group_services.may_coordinate(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request):
    _coordinator(request)
    errors, posted = {}, {}
    if request.method == "POST":
        posted = request.POST
        category = Category.objects.filter(slug=request.POST.get("category", "")).first()
        if category is None:
            errors["category"] = _("请选择问题类别。")
        else:
            try:
                group = group_services.group_create(title=request.POST.get("title", ""),
                                                    description=request.POST.get("description", ""),
                                                    category=category, actor=request.user)
            except ValidationError as error:
                errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
            else:
                messages.success(request, _("已创建共性问题“%(title)s”。") % {"title": group.title})
                return redirect("cases-group-detail", pk=group.pk)
    groups = (ProblemGroup.objects.select_related("category", "created_by")
              .annotate(members=Count("cases", distinct=True),
                        open_members=Count("cases", filter=~Q(cases__state=State.CLOSED), distinct=True))
              .order_by("state", "-created_at", "-pk"))
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/coordination/groups.html", {
        "page": page, "categories": Category.objects.order_by("pk"), "errors": errors, "posted": posted,
    }, status=400 if errors else 200)


def _render_group(request, group, *, forms: dict | None = None, errors: dict | None = None, status=200):
    forms = forms or {}
    members = list(with_light(group.cases.all()).select_related("region", "enterprise", "category")
                   .prefetch_related("referrals__department").order_by("number"))
    return render(request, "cases/coordination/group_detail.html", {
        "group": group, "members": members,
        "events": _labelled(group.events.select_related("actor").order_by("-created_at", "-pk")[:50]),
        "route_form": forms.get("route") or action_form("route", user=request.user),
        "respond_form": forms.get("respond") or action_form("respond", user=request.user),
        "urge_form": forms.get("urge") or action_form("urge", user=request.user),
        "errors": errors or {}, "is_open": group.state == ProblemGroup.State.OPEN,
        "routable": group_services.ROUTABLE, "respondable": group_services.RESPONDABLE,
    }, status=status)


def _labelled(events) -> list:
    labels = {"create": _("创建"), "add": _("纳入问题"), "remove": _("移出问题"), "route": _("统一转办"),
              "urge": _("统一催办"), "respond": _("统一反馈办理情况")}
    rows = list(events)
    for event in rows:
        event.label = labels.get(event.action, event.action)
    return rows


def _group(pk: int) -> ProblemGroup:
    return get_object_or_404(ProblemGroup.objects.select_related("category", "created_by"), pk=pk)


@login_required
@require_GET
def group_detail(request, pk: int):
    _coordinator(request)
    return _render_group(request, _group(pk))


@login_required
@require_POST
def group_add(request, pk: int):
    _coordinator(request)
    group = _group(pk)
    try:
        case = group_services.group_add_case(group_id=group.pk, number=request.POST.get("number", ""),
                                             actor=request.user)
    except ValidationError as error:
        return _render_group(request, group, errors={"number": _messages_of(error)}, status=400)
    except InvalidState as error:
        return _render_group(request, group, errors={"number": error.message}, status=409)
    messages.success(request, _("已纳入问题%(number)s。") % {"number": case.number})
    return redirect("cases-group-detail", pk=group.pk)


@login_required
@require_POST
def group_remove(request, pk: int, case_pk: int):
    _coordinator(request)
    group = _group(pk)
    case = group_services.group_remove_case(group_id=group.pk, case_id=case_pk, actor=request.user)
    messages.success(request, _("已移出问题%(number)s。") % {"number": case.number})
    return redirect("cases-group-detail", pk=group.pk)


def _group_action(request, pk: int, name: str, label: str, run):
    _coordinator(request)
    group = _group(pk)
    form = action_form(name, request.POST, user=request.user)
    try:
        result = run(group, form.payload())
    except ValidationError as error:
        form.add_errors(error)
        return _render_group(request, group, forms={name: form}, errors={name: _("请按提示修改后重新提交。")},
                             status=400)
    except InvalidState as error:
        return _render_group(request, group, forms={name: form}, errors={name: error.message}, status=409)
    for level, line in group_services.summary(result, label):
        getattr(messages, level)(request, line)
    return redirect("cases-group-detail", pk=group.pk)


@login_required
@require_POST
def group_route(request, pk: int):
    return _group_action(request, pk, "route", _("转办"), lambda group, data: group_services.group_route(
        group_id=group.pk, referrals=data["referrals"], note=data["note"], actor=request.user))


@login_required
@require_POST
def group_urge(request, pk: int):
    return _group_action(request, pk, "urge", _("催办"), lambda group, data: group_services.group_urge(
        group_id=group.pk, note=data["note"], actor=request.user))


@login_required
@require_POST
def group_respond(request, pk: int):
    return _group_action(request, pk, "respond", _("录入办理情况"), lambda group, data: group_services.group_respond(
        group, data["response"], data["closure_type"], request.user))
