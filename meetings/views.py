"""会商 pages: the list (and the 议定事项 list), a 会商 with its agenda, minutes and decisions, the forms
that create and edit it, the agenda proposal, and marking a decision done. Writes go through
meetings.services — never a save() here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case
from chainwork.errors import InvalidState, NotPermitted, ValidationError, show_on_form
from meetings import agenda, selectors, services
from meetings.forms import ConsultationEditForm, ConsultationForm, owner_choices, owner_spec
from meetings.models import Consultation, Decision

PAGE_SIZE = 50


def _message(error) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(str(m) for ms in error.message_dict.values() for m in ms)
        return " ".join(str(m) for m in error.messages)
    return getattr(error, "message", None) or str(error)


@login_required
@require_GET
def consultation_list(request):
    open_only = request.GET.get("open") == "true"
    rows = selectors.consultation_list(request.user, open_decisions=open_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "meetings/list.html", {"page": page, "open_only": open_only,
                                                  "may_create": services.may_create(request.user)})


@login_required
@require_GET
def decision_list(request):
    state = request.GET.get("state", "")
    mine = request.GET.get("mine") == "true"
    rows = selectors.decision_list(request.user, state=state, mine=mine)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    allowed = services.may_mark_done_ids(page, request.user)
    for decision in page:
        decision.light = selectors.decision_light(decision)
        decision.may_mark_done = decision.pk in allowed
    query = urlencode({k: v for k, v in (("state", state), ("mine", "true" if mine else "")) if v})
    return render(request, "meetings/decisions.html", {"page": page, "state": state, "mine": mine, "query": query,
                                                       "states": Decision.State.choices})


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    if not services.may_create(request.user):
        raise PermissionDenied
    provincial = request.user.region_id is not None
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = ConsultationForm(request.POST or None, initial={"provincial": provincial, "starts_at": now})
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, data=form.data_for_service())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("已召集%(title)s。") % {"title": consultation.title})
            return redirect("meetings-detail", consultation.pk)
    return render(request, "meetings/form.html", {"form": form, "consultation": None},
                  status=400 if request.method == "POST" else 200)


def _visible(request, pk: int) -> Consultation:
    return get_object_or_404(selectors.consultation_detail(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk: int):
    consultation = _visible(request, pk)
    if not services.organises(consultation, request.user):
        raise PermissionDenied
    form = ConsultationEditForm(request.POST or None, initial=ConsultationEditForm.initial_for(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(consultation_id=pk, actor=request.user, data=form.data_for_service())
        except ValidationError as error:
            show_on_form(form, error)
        except InvalidState as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("会商已保存。"))
            return redirect("meetings-detail", pk)
    return render(request, "meetings/form.html", {"form": form, "consultation": consultation},
                  status=400 if request.method == "POST" else 200)


def _detail_context(request, consultation: Consultation, **extra) -> dict:
    user = request.user
    decisions = list(selectors.decision_list(user, consultation_id=consultation.pk).order_by("pk"))
    allowed = services.may_mark_done_ids(decisions, user)
    for decision in decisions:
        decision.light = selectors.decision_light(decision)
        decision.may_mark_done = decision.pk in allowed
    items = selectors.agenda_items(consultation, user)
    return {"consultation": consultation, "items": items, "decisions": decisions,
            "participants": list(consultation.participants.all()),
            "organises": services.organises(consultation, user), "owner_choices": owner_choices(),
            "today": timezone.localdate(), **extra}


@login_required
@require_GET
def consultation_detail(request, pk: int):
    consultation = _visible(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, consultation))


def _post(request, pk: int, write, success: str, *, anchor: str = ""):
    """Run a write of the detail page: back to the page on success, the page with the message (400 / 409)
    otherwise; 404 outside the scope and 403 for a viewer who may not (from the service)."""
    try:
        write()
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except (InvalidState, ValidationError) as error:
        consultation = _visible(request, pk)
        messages.error(request, _message(error))
        context = _detail_context(request, consultation, failed=request.POST)
        return render(request, "meetings/detail.html", context,
                      status=409 if isinstance(error, InvalidState) else 400)
    messages.success(request, success)
    return redirect(reverse("meetings-detail", args=[pk]) + anchor)


@login_required
@require_POST
def decision_create(request, pk: int):
    data = {"text": request.POST.get("text", ""), "due_date": request.POST.get("due_date", ""),
            "case": request.POST.get("case", ""),
            "owner": owner_spec(request.POST.get("owner", ""), request.POST.get("owner_name", ""))}
    return _post(request, pk, lambda: services.decision_record(consultation_id=pk, actor=request.user, data=data),
                 _("议定事项已记录，已通知责任单位。"), anchor="#decisions-heading")


@login_required
@require_POST
def agenda_add(request, pk: int):
    number = request.POST.get("number", "").strip()

    def write():
        case_id = Case.objects.visible_to(request.user).filter(number=number).values_list("pk", flat=True).first()
        if case_id is None:
            raise ValidationError({"number": _("没有编号为“%(number)s”的问题，或您无权查看。") % {"number": number}})
        services.agenda_add(consultation_id=pk, actor=request.user, case_ids=[case_id])

    if not services.organises(_visible(request, pk), request.user):
        raise PermissionDenied
    return _post(request, pk, write, _("已列入议程。"), anchor="#agenda-heading")


@login_required
@require_POST
def agenda_item(request, pk: int, item: int):
    _visible(request, pk)
    if not Consultation.objects.filter(pk=pk, items__pk=item).exists():
        raise Http404
    data = {"remove": request.POST.get("remove") == "1", "minutes": request.POST.get("minutes", "")}
    done = _("已移出议程。") if data["remove"] else _("会商情况已保存。")
    return _post(request, pk, lambda: services.agenda_item_update(item_id=item, actor=request.user, data=data), done,
                 anchor="#agenda-heading")


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request, pk: int):
    """建议议题: the proposed problems, ticked by default; the organiser keeps those wanted."""
    consultation = _visible(request, pk)
    if not services.organises(consultation, request.user):
        raise PermissionDenied
    if request.method == "POST":
        chosen = [v for v in request.POST.getlist("case") if v.isdecimal()]
        proposals = {p.case_id: p.reasons for p in agenda.propose(consultation, request.user)}
        return _post(request, pk, lambda: services.agenda_add(
            consultation_id=pk, actor=request.user, case_ids=chosen,
            reasons={int(c): proposals.get(int(c), []) for c in chosen}),
            _("已将%(n)d个问题列入议程。") % {"n": len(chosen)}, anchor="#agenda-heading")
    rows = selectors.proposed_rows(consultation, request.user)
    for row in rows:
        row.reason_labels = agenda.reason_labels(row.proposal_reasons)
    return render(request, "meetings/proposal.html", {"consultation": consultation, "rows": rows})


@login_required
@require_POST
def decision_done(request, pk: int):
    decision = get_object_or_404(Decision.objects.visible_to(request.user), pk=pk)
    target = request.POST.get("next") or ""
    try:
        services.decision_done(decision_id=pk, actor=request.user, data={"note": request.POST.get("note", "")})
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except (InvalidState, ValidationError) as error:
        messages.error(request, _message(error))
        status = 409 if isinstance(error, InvalidState) else 400
        consultation = _visible(request, decision.consultation_id)
        return render(request, "meetings/detail.html", _detail_context(request, consultation), status=status)
    messages.success(request, _("议定事项已落实。"))
    if target == "decisions":
        return redirect(reverse("meetings-decisions") + "?mine=true")
    return redirect(reverse("meetings-detail", args=[decision.consultation_id]) + f"#decision-{pk}")
