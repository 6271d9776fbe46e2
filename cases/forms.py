"""Forms of the 问题台账 pages.

Registering a problem checks the shape of its input here; cases.services.case_create enforces the
rules. The action forms are built from each action's body (its serializer in cases/bodies.py, named by
its lifecycle entry) and keep what the user typed: workflow.perform() validates it with that serializer
for pages and API alike, in the Contract's order (scope, role, state, then input), and the forms show
its messages beside their fields.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import attachments, bodies
from cases.deadlines import due_for
from cases.lifecycle import ACTIONS
from cases.models import Source, State, Urgency
from cases.services import CaseData
from chainwork.errors import show_on_form
from chainwork.models import Category, Department, Region, Role
from chainwork.scope import scope_for

# --- 登记问题 ------------------------------------------------------------------------------------------


class IdListField(forms.Field):
    """Ticked ids (named enterprises): whole numbers, possibly none."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        ids = []
        for item in value or []:
            if not str(item).isdecimal():
                raise forms.ValidationError(_("所选企业有误，请重新选择。"))
            ids.append(int(item))
        return ids


class CaseCreateForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput,
                                    error_messages={"required": _("请先查找并选择企业。"),
                                                    "invalid": _("请先查找并选择企业。")})
    named_enterprises = IdListField(required=False)
    supply_link = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(label=_("问题类别"), queryset=Category.objects.filter(is_active=True),
                                      empty_label=_("请选择"), error_messages={"required": _("请选择问题类别。")})
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    title = forms.CharField(
        label=_("问题标题"), max_length=200, error_messages={"required": _("请填写问题标题。")},
        widget=forms.TextInput(attrs={"placeholder": _("一句话概括，如：核心供应商停产导致芯片断供")}))
    request = forms.CharField(
        label=_("企业诉求"), error_messages={"required": _("请填写企业诉求。")},
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("企业希望解决什么、需要谁帮助")}))
    description = forms.CharField(label=_("问题描述"), error_messages={"required": _("请填写问题描述。")},
                                  widget=forms.Textarea(attrs={"rows": 4}))
    # 行业协会 is the source of the problems an association registers itself (cases.services.case_create).
    source = forms.ChoiceField(label=_("来源"), choices=[c for c in Source.choices if c[0] != Source.ASSOCIATION],
                               initial=Source.CONTACT)

    def to_data(self) -> CaseData:
        c = self.cleaned_data
        return CaseData(
            enterprise_id=c["enterprise"], category_id=c["category"].pk, title=c["title"],
            description=c["description"], request=c["request"], urgency=c["urgency"], source=c["source"],
            named_enterprise_ids=c.get("named_enterprises") or [], supply_link_id=c.get("supply_link"),
        )


class AssociationCaseForm(forms.Form):
    """登记困难: what a 行业协会 says of a covered enterprise's difficulty; the source is 行业协会 and the
    province triages it (cases.services.case_create)."""

    enterprise = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62,
                                    error_messages={"required": _("请先查找并选择企业。"),
                                                    "invalid": _("请先查找并选择企业。"),
                                                    "min_value": _("请先查找并选择企业。"),
                                                    "max_value": _("请先查找并选择企业。")})
    category = CaseCreateForm.base_fields["category"]
    urgency = CaseCreateForm.base_fields["urgency"]
    title = CaseCreateForm.base_fields["title"]
    request = CaseCreateForm.base_fields["request"]
    description = CaseCreateForm.base_fields["description"]

    def to_data(self) -> CaseData:
        c = self.cleaned_data
        return CaseData(enterprise_id=c["enterprise"], category_id=c["category"].pk, title=c["title"],
                        description=c["description"], request=c["request"], urgency=c["urgency"],
                        source=Source.ASSOCIATION)


# --- the action forms of the detail page -----------------------------------------------------------


def _select_choices(body_field, style) -> list:
    choices = list(body_field.choices.items())
    return [("", _("请选择")), *choices] if style.get("blank") else choices


def form_field(body_field: serializers.Field) -> forms.Field:
    """The page's field for one field of an action's body: its label, whether it is required (for the
    browser and the eye), its limit and its kind of input come from the serializer."""
    style = body_field.style
    kind = style.get("input", "text")
    attrs = {"required": "required"} if body_field.required else {}
    if kind == "textarea":
        widget = forms.Textarea(attrs={"rows": style.get("rows", 2), **attrs})
    elif kind == "date":
        widget = forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")
    elif kind == "select":
        widget = forms.Select(attrs=attrs, choices=_select_choices(body_field, style)
                              if hasattr(body_field, "choices") else [])
    elif kind == "radio":
        widget = forms.RadioSelect(attrs={"class": "form-check-input", **attrs},
                                   choices=list(body_field.choices.items()))
    else:
        if getattr(body_field, "max_length", None) and body_field.max_length < bodies.NOTE_LIMIT:
            attrs["maxlength"] = body_field.max_length
        if kind == "tel":
            attrs["inputmode"] = "tel"
        if style.get("placeholder"):
            attrs["placeholder"] = style["placeholder"]
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=body_field.label or _("说明"), required=False, widget=widget,
                           help_text=style.get("help", ""))


def _shown(body_field) -> bool:
    """The fields a person fills in: not the version (the page posts it apart) nor the referral of a
    催办 / 督办 (chosen on the coordination pages)."""
    return body_field.field_name != "version" and not isinstance(body_field, bodies.ReferralId)


class ActionForm(forms.Form):
    """The body of one action as a page form, built from the action's serializer. The form only presents
    and keeps what was typed: perform() validates it with that serializer, and its messages are shown
    beside these fields."""

    def __init__(self, data=None, *, action: str, case=None, user=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")  # many forms on one page: unique ids
        super().__init__(data, **kwargs)
        self.action = action
        body = ACTIONS[action].body() if action in ACTIONS else bodies.NoteBody()
        today = timezone.localdate().isoformat()
        for name, body_field in body.fields.items():
            if not _shown(body_field):
                continue
            self.fields[name] = form_field(body_field)
            if isinstance(body_field, bodies.Day) and body_field.style.get("max") == "today":
                self.fields[name].widget.attrs["max"] = today
            elif isinstance(body_field, bodies.Day) and (body_field.future or body_field.style.get("min") == "today"):
                self.fields[name].widget.attrs["min"] = today
            if isinstance(body_field, bodies.Choice) and body_field.blank_means is not None:
                self.fields[name].initial = body_field.blank_means

    def payload(self) -> dict:
        return {name: (self.data.get(name) or "").strip() for name in self.fields}

    def add_errors(self, error) -> None:
        show_on_form(self, error)


ROUTE_ROWS = 3


class RouteForm(ActionForm):
    """转办: up to three departments at once (one 主办, the others 协办), each with its deadline; the rows
    become the body's `referrals`. The page shows the first row and adds the others on demand; each
    deadline is proposed from the problem's urgency (the deadline rules of the 已转办 state)."""

    template_name_body = "cases/partials/_route_fields.html"

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        departments = [("", _("请选择承办部门")), *Department.objects.filter(is_active=True)
                       .order_by("kind", "order", "slug").values_list("slug", "name")]
        usual = list(case.category.departments.values_list("slug", flat=True)[:1]) if case is not None else []
        roles = bodies.RouteReferralBody().fields["role"].choices.items()
        today = timezone.localdate().isoformat()
        proposed = timezone.localtime(due_for(case.urgency, State.ROUTED)).date() if case is not None else None
        fields = {}
        for n in range(1, ROUTE_ROWS + 1):
            fields[f"department_{n}"] = forms.CharField(label=_("承办部门%(n)d") % {"n": n}, required=False,
                                                        widget=forms.Select(choices=departments))
            fields[f"role_{n}"] = forms.CharField(label=_("承办方式%(n)d") % {"n": n}, required=False,
                                                  widget=forms.Select(choices=list(roles)),
                                                  initial="lead" if n == 1 else "assist")
            fields[f"due_date_{n}"] = forms.CharField(
                label=_("办理时限%(n)d") % {"n": n}, required=False,
                widget=forms.DateInput(attrs={"type": "date", "min": today}, format="%Y-%m-%d"),
                initial=proposed)
        if usual:
            fields["department_1"].initial = usual[0]
        fields["department_1"].widget.attrs["required"] = "required"
        fields["due_date_1"].widget.attrs["required"] = "required"
        self.fields = {**fields, "note": self.fields["note"]}

    def rows(self) -> list[dict]:
        """The rows as the page lays them out: each row's fields, and whether a row past the first is
        open (filled in, or in error)."""
        rows = []
        for n in range(1, ROUTE_ROWS + 1):
            names = (f"department_{n}", f"role_{n}", f"due_date_{n}")
            filled = self.is_bound and bool((self.data.get(f"department_{n}") or "").strip())
            rows.append({"n": n, "fields": [self[name] for name in names],
                         "open": n == 1 or filled or any(self[name].errors for name in names)})
        return rows

    def payload(self) -> dict:
        rows = super().payload()
        referrals = [{"department": rows[f"department_{n}"], "role": rows[f"role_{n}"],
                      "due_date": rows[f"due_date_{n}"]}
                     for n in range(1, ROUTE_ROWS + 1) if rows[f"department_{n}"]]
        return {"referrals": referrals, "note": rows["note"]}


def _comment_choices(user):
    internal = _("内部（仅部专班及联络员可见）") if user is not None and scope_for(user).ministry_side \
        else _("内部（本省专班及部专班可见，协办地区不可见）")
    return [("shared", _("公开（协办地区可见）")), ("internal", internal)]


class CommentForm(ActionForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["visibility"].widget.choices = _comment_choices(user)


class LimitedCommentForm(ActionForm):
    """协办 regions answer with shared comments only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["visibility"]

    def payload(self) -> dict:
        return {**super().payload(), "visibility": "shared"}


class ShareForm(ActionForm):
    """请求协办: any other region for the 部专班; for a province, the regions of the enterprises its problem
    names (the only ones it may ask)."""

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, case=case, user=user, **kwargs)
        regions = Region.objects.exclude(code=getattr(case, "region_id", None))
        if case is not None and user is not None and scope_for(user).role in (Role.PROVINCE, Role.PROVINCE_LEAD):
            named = Q(pk=case.enterprise.region_id) | Q(pk__in=case.named_enterprises.values("region_id"))
            regions = regions.filter(named)
        choices = regions.order_by("code").values_list("code", "name")
        self.fields["region"].widget.choices = [("", _("请选择")), *choices]


# The actions whose page form needs more than its body: choices from the database or the viewer.
ACTION_FORMS: dict[str, type[ActionForm]] = {"route": RouteForm, "comment": CommentForm, "share": ShareForm}

def action_form(action: str, data=None, *, case=None, user=None, full: bool = True) -> ActionForm:
    form_class = ACTION_FORMS.get(action, ActionForm)
    if action == "comment" and not full:
        form_class = LimitedCommentForm
    return form_class(data, action=action, case=case, user=user)


# --- the list's own forms ----------------------------------------------------------------------------


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("视图名称"), max_length=64,
                           error_messages={"required": _("请为视图起个名字。")})
    shared = forms.BooleanField(label=_("与本专班共享"), required=False)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), error_messages={"required": _("请选择要上传的文件。")},
                           help_text=_("PDF、JPG、PNG、Word、Excel或TXT，不超过10 MB"))
    visibility = forms.ChoiceField(label=_("可见范围"), initial="shared",
                                   choices=[("shared", _("公开（协办地区也可下载）")),
                                            ("internal", _("内部（不对协办地区公开）"))])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.extension, self.content_type = attachments.check_upload(upload)
        return upload
