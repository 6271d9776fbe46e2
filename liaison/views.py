"""一对一联系 pages: the officer's 工作台 (my enterprises, overdue first), contact records (create on a
phone in under a minute, detail, edit within the window, photos), raising a problem from a record,
assignments and coverage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import OPEN_STATES, Case
from cases.services import can_register
from chainwork.audit import history_for
from chainwork.errors import NotPermitted, ValidationError, show_on_form
from chainwork.models import Role
from chainwork.pagination import query_without_page
from chainwork.scope import regions_in, scope_for
from enterprises.models import Enterprise
from enterprises.permissions import reportable_ids
from liaison import services as contacts
from liaison.forms import AssignmentForm, ContactForm, RaiseProblemForm
from liaison.models import ContactPhoto, ContactRecord

PAGE_SIZE = 30


def _recordable(user):
    """Enterprises the user may record a contact for."""
    if scope_for(user).role in (Role.LIAISON, *contacts.REGION_RECORDER_ROLES):
        return Enterprise.objects.visible_to(user).order_by("name_pinyin")
    return Enterprise.objects.none()


def _records(user):
    return (ContactRecord.objects.visible_to(user)
            .select_related("enterprise", "officer", "status_report").order_by("-contacted_at", "-pk"))


@login_required
def contact_home(request):
    """The officer's 工作台 for contacts; for other roles the list of contact records they may see."""
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    context = {"today": today, "can_record": _recordable(user).exists(),
               "can_assign": scope.role in contacts.ASSIGNER_ROLES}
    if scope.role == Role.LIAISON:
        assignments = list(contacts.my_assignments(user))
        for a in assignments:
            a.days_since = (today - timezone.localdate(a.last_contact_at)).days if a.last_contact_at else None
            a.overdue_days = (today - a.due_on).days
        context.update({
            "assignments": assignments,
            "overdue": sum(1 for a in assignments if a.overdue_days > 0),
            "recent": _records(user).filter(officer=user)[:10],
            "problems": Case.objects.visible_to(user).filter(state__in=OPEN_STATES)
            .select_related("enterprise").order_by("due_at")[:10],
        })
        return render(request, "liaison/home.html", context)
    if scope.role == Role.DEPARTMENT:
        raise PermissionDenied
    page = Paginator(_records(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context["page"] = page
    return render(request, "liaison/list.html", context)


# Up to this many enterprises (an officer's assignments) are offered as suggestions under the typed field.
SUGGESTED = 50


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request):
    user = request.user
    enterprises = _recordable(user)
    suggestions = list(enterprises.select_related("region")[:SUGGESTED + 1])
    if not suggestions:
        raise PermissionDenied
    if len(suggestions) > SUGGESTED:
        suggestions = []
    initial = {}
    preselected = None
    if request.GET.get("enterprise", "").isdecimal() and len(request.GET["enterprise"]) < 19:
        preselected = enterprises.filter(pk=int(request.GET["enterprise"])).first()
    elif len(suggestions) == 1:
        preselected = suggestions[0]
    if preselected is not None:
        # Its name reads best; its credit code where another enterprise of the user's bears the same name.
        shared = enterprises.filter(name=preselected.name).exclude(pk=preselected.pk).exists()
        initial["enterprise"] = preselected.credit_code if shared and preselected.credit_code else preselected.name
    # Whether the figures of the day are offered goes by the user's role and regions, not by the enterprise:
    # the preselected one or the first of theirs tells.
    sample = [preselected] if preselected is not None else list(enterprises[:1])
    form = ContactForm(request.POST or None, request.FILES or None, initial=initial, enterprises=enterprises,
                       suggestions=suggestions, with_figures=bool(reportable_ids(user, sample)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = enterprises.get(pk=data["enterprise"])
        try:
            record = contacts.contact_record_create(actor=user, enterprise=enterprise, data=_data(data),
                                                    photos=data["photos"], figures=_figures(data))
        except NotPermitted as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("联系记录已保存，下次联系日期：%(date)s。") % {
                "date": record.next_follow_up.strftime("%Y-%m-%d")})
            return redirect("enterprises-contact-detail", pk=record.pk)
    return render(request, "liaison/form.html", {"form": form, "record": None})


def _data(cleaned) -> contacts.ContactData:
    return contacts.ContactData(
        summary=cleaned["summary"], channel=cleaned["channel"], contacted_at=cleaned.get("contacted_at"),
        participants=cleaned.get("participants", ""), problems_raised=cleaned.get("problems_raised", ""),
        next_follow_up=cleaned.get("next_follow_up"))


def _figures(cleaned) -> contacts.Figures | None:
    if "resumed" not in cleaned:
        return None
    return contacts.Figures(resumed=cleaned.get("resumed") or None, staff_at_work=cleaned.get("staff_at_work"),
                            staff_normal=cleaned.get("staff_normal"), output=cleaned.get("output"),
                            output_normal=cleaned.get("output_normal"))


@login_required
def contact_detail(request, pk: int):
    record = get_object_or_404(_records(request.user).select_related("enterprise__list_region"), pk=pk)
    can_raise = can_register(request.user) and contacts.can_record(request.user, record.enterprise)
    raise_form = RaiseProblemForm(initial={
        "title": (record.problems_raised or "")[:60],
        "description": record.problems_raised or record.summary}) if can_raise else None
    return render(request, "liaison/detail.html", {
        "record": record, "photos": record.photos.all(),
        "problems": record.problems.all(), "history": history_for(record)[:30],
        "can_edit": contacts.can_edit_record(request.user, record), "raise_form": raise_form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    record = get_object_or_404(_records(request.user), pk=pk)
    if not contacts.can_edit_record(request.user, record):
        raise PermissionDenied
    initial = {"channel": record.channel, "summary": record.summary, "participants": record.participants,
               "problems_raised": record.problems_raised, "next_follow_up": record.next_follow_up,
               "contacted_at": timezone.localtime(record.contacted_at).strftime("%Y-%m-%dT%H:%M")}
    report = record.status_report
    if report is not None:
        initial.update({name: getattr(report, name) for name in ContactForm.FIGURES})
    form = ContactForm(request.POST or None, request.FILES or None, initial=initial, editing=True,
                       with_figures=bool(reportable_ids(request.user, [record.enterprise])))
    if request.method == "POST" and form.is_valid():
        try:
            contacts.contact_record_update(actor=request.user, record=record, data=_data(form.cleaned_data),
                                           photos=form.cleaned_data["photos"], figures=_figures(form.cleaned_data))
        except NotPermitted as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("联系记录已更新。"))
            return redirect("enterprises-contact-detail", pk=record.pk)
    return render(request, "liaison/form.html", {"form": form, "record": record})


@login_required
@require_POST
def contact_raise_problem(request, pk: int):
    record = get_object_or_404(_records(request.user), pk=pk)
    form = RaiseProblemForm(request.POST)
    if form.is_valid():
        try:
            case = contacts.raise_problem(actor=request.user, record=record,
                                          category_id=form.cleaned_data["category"],
                                          title=form.cleaned_data["title"],
                                          description=form.cleaned_data["description"],
                                          request=form.cleaned_data["request"],
                                          urgency=form.cleaned_data["urgency"])
        except NotPermitted as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        else:
            messages.success(request, _("已登记为问题 %(number)s。") % {"number": case.number})
            return redirect("cases-detail", pk=case.pk)
    else:
        messages.error(request, "；".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("enterprises-contact-detail", pk=record.pk)


@login_required
def contact_photo(request, token: str):
    """A photo, only to those who see the enterprise in full (404 otherwise, like every other URL)."""
    photo = get_object_or_404(ContactPhoto.objects.filter(
        record__in=ContactRecord.objects.visible_to(request.user).values("pk")), token=token)
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- assignments and coverage -------------------------------------------------------------------------


ASSIGNMENTS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def assignment_list(request):
    user = request.user
    scope = scope_for(user)
    if scope.role not in (*contacts.ASSIGNER_ROLES, Role.MINISTRY_LIAISON):
        raise PermissionDenied
    can_assign = scope.role in contacts.ASSIGNER_ROLES
    # Over more than one region the page works one region at a time: its assignments, and its liaison
    # officers to choose from (the nation has over a thousand).
    regions = regions_in(scope) if scope.is_national or len(scope.regions) > 1 else None
    region = regions.filter(code=request.GET.get("region", "")).first() if regions is not None else None
    current = contacts.assignments_visible_to(user).filter(ended_on__isnull=True)
    officers = contacts.assignable_officers(user)
    if region is not None:
        current = current.filter(enterprise__list_region=region)
        officers = officers.filter(region=region)
    elif regions is not None:
        officers = officers.none()
    form = None
    if can_assign:
        enterprises = Enterprise.objects.visible_to(user).filter(region__isnull=False).order_by(
            "-is_lead", "name_pinyin")
        form = AssignmentForm(request.POST or None, enterprises=enterprises, officers=officers)
        if request.method == "POST" and form.is_valid():
            enterprise = get_object_or_404(enterprises, pk=form.cleaned_data["enterprise"])
            officer = get_object_or_404(officers, pk=form.cleaned_data["officer"])
            try:
                contacts.assignment_set(actor=user, enterprise=enterprise, officer=officer,
                                        cadence_days=form.cleaned_data["cadence_days"])
            except NotPermitted as error:
                raise PermissionDenied(str(error)) from error
            except ValidationError as error:
                show_on_form(form, error)
            else:
                messages.success(request, _("已为%(name)s指派联络员%(officer)s。") % {
                    "name": enterprise.name, "officer": officer})
                return redirect(request.get_full_path())
    current = current.select_related("enterprise", "enterprise__list_region", "officer").order_by(
        "enterprise__list_region__order", "enterprise__name_pinyin")
    ended = (contacts.assignments_visible_to(user).filter(ended_on__isnull=False)
             .select_related("enterprise", "officer").order_by("-ended_on", "-pk")[:30])
    page = Paginator(current, ASSIGNMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "liaison/assignments.html", {
        "form": form, "page": page, "ended": ended, "can_assign": can_assign, "regions": regions,
        "region": region, "query": query_without_page(request), "today": timezone.localdate()})


@login_required
@require_POST
def assignment_end(request, pk: int):
    assignment = get_object_or_404(contacts.assignments_visible_to(request.user).select_related("enterprise"), pk=pk)
    try:
        contacts.assignment_end(actor=request.user, assignment=assignment)
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("已结束%(name)s的联络员分工。") % {"name": assignment.enterprise.name})
    return redirect("enterprises-assignments")


@login_required
def coverage_page(request):
    scope = scope_for(request.user)
    if scope.role not in (*contacts.ASSIGNER_ROLES, Role.MINISTRY_LIAISON):
        raise PermissionDenied
    rows = contacts.coverage(request.user)
    totals = {"assigned": sum(r["assigned"] for r in rows), "on_time": sum(r["on_time"] for r in rows)}
    totals["share"] = totals["on_time"] / totals["assigned"] if totals["assigned"] else None
    return render(request, "liaison/coverage.html", {"rows": rows, "totals": totals,
                                                                  "today": timezone.localdate()})

