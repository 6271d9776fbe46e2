"""Forms of the 问题台账 pages.

Registering a problem checks the shape of its input here; cases.services.case_create enforces the
rules. The action forms only present an action's payload (design.md Contract "Action bodies") and keep
what the user typed: workflow.perform() checks it for pages and API alike, in the Contract's order
(scope, role, state, then input), so the forms validate nothing and report perform()'s errors beside
their fields.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import pages_support
from cases.models import ClosureType, Satisfaction, Source, Urgency
from cases.services import CaseData
from chainwork.models import Category, Department, Region

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
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.CONTACT)

    def to_data(self) -> CaseData:
        c = self.cleaned_data
        return CaseData(
            enterprise_id=c["enterprise"], category_id=c["category"].pk, title=c["title"],
            description=c["description"], request=c["request"], urgency=c["urgency"], source=c["source"],
            named_enterprise_ids=c.get("named_enterprises") or [], supply_link_id=c.get("supply_link"),
        )


# --- the action forms of the detail page -----------------------------------------------------------


def _note(label=None, rows=2):
    return forms.CharField(label=label or _("说明"), required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _text(label, **attrs):
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


def _date(label):
    return forms.CharField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _select(label, choices, radio=False):
    widget = forms.RadioSelect(choices=choices, attrs={"class": "form-check-input"}) if radio \
        else forms.Select(choices=choices)
    return forms.CharField(label=label, required=False, widget=widget)


class ActionForm(forms.Form):
    """The payload of one action. `required` only marks fields for the browser and the eye."""

    required: tuple[str, ...] = ()
    future_dates: tuple[str, ...] = ()

    def __init__(self, data=None, *, action: str, case=None, user=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")  # many forms on one page: unique ids
        super().__init__(data, **kwargs)
        self.action = action
        for name in self.required:
            self.fields[name].widget.attrs["required"] = "required"
        today = timezone.localdate().isoformat()
        for name in self.future_dates:
            self.fields[name].widget.attrs["min"] = today

    def payload(self) -> dict:
        return {name: (self.data.get(name) or "").strip() for name in self.fields}

    def add_errors(self, error) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class NoteForm(ActionForm):
    note = _note()


class ReasonForm(ActionForm):
    required = ("reason",)
    reason = _note(_("理由"))


class HandleLocallyForm(ActionForm):
    required = ("unit", "person", "phone", "due_date")
    future_dates = ("due_date",)
    unit = _text(_("责任单位"), maxlength=100)
    person = _text(_("责任人"), maxlength=32)
    phone = _text(_("责任人电话"), maxlength=32, inputmode="tel")
    due_date = _date(_("办理时限"))
    note = _note()


ROUTE_ROWS = 3


class RouteForm(ActionForm):
    """转办: up to three departments at once (one 主办, the others 协办), each with its deadline."""

    note = _note(_("转办说明"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        departments = [("", _("请选择承办部门")), *Department.objects.filter(is_active=True)
                       .order_by("kind", "order", "slug").values_list("slug", "name")]
        usual = list(case.category.departments.values_list("slug", flat=True)[:1]) if case is not None else []
        fields = {}
        for n in range(1, ROUTE_ROWS + 1):
            fields[f"department_{n}"] = _select(_("承办部门%(n)d") % {"n": n}, departments)
            fields[f"role_{n}"] = _select(_("承办方式%(n)d") % {"n": n}, [("lead", _("主办")), ("assist", _("协办"))])
            fields[f"due_date_{n}"] = _date(_("办理时限%(n)d") % {"n": n})
            fields[f"role_{n}"].initial = "lead" if n == 1 else "assist"
        if usual:
            fields["department_1"].initial = usual[0]
        self.fields = {**fields, "note": self.fields["note"]}
        self.fields["department_1"].widget.attrs["required"] = "required"
        self.fields["due_date_1"].widget.attrs["required"] = "required"
        today = timezone.localdate().isoformat()
        for n in range(1, ROUTE_ROWS + 1):
            self.fields[f"due_date_{n}"].widget.attrs["min"] = today

    def payload(self) -> dict:
        rows = super().payload()
        referrals = [{"department": rows[f"department_{n}"], "role": rows[f"role_{n}"],
                      "due_date": rows[f"due_date_{n}"]}
                     for n in range(1, ROUTE_ROWS + 1) if rows[f"department_{n}"]]
        return {"referrals": referrals, "note": rows["note"]}


class TrackForm(ActionForm):
    required = ("next_review",)
    future_dates = ("next_review",)
    next_review = _date(_("下次跟踪日期"))
    note = _note()


class RespondForm(ActionForm):
    required = ("response", "closure_type")
    response = _note(_("办理情况"), rows=3)
    closure_type = _select(_("办结方式"), [("", _("请选择")), *ClosureType.choices])


class ConfirmForm(ActionForm):
    required = ("confirmed_by", "method", "satisfaction")
    confirmed_by = _text(_("企业确认人"), maxlength=64)
    method = _text(_("确认方式"), maxlength=32, placeholder=_("电话、书面或现场"))
    satisfaction = _select(_("满意度"), Satisfaction.choices, radio=True)
    date = _date(_("确认日期"))
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["satisfaction"].help_text = _("选择“不满意”时问题将重新办理。")


class DuplicateForm(ActionForm):
    required = ("original",)
    original = _text(_("原问题编号"), placeholder=_("如：鄂〔2026〕第0001号"))
    note = _note()


class LinkForm(ActionForm):
    required = ("other",)
    other = _text(_("相关问题编号"), placeholder=_("如：粤〔2026〕第0002号"))
    note = _note()


def _comment_choices(user):
    internal = _("内部（仅部专班及联络员可见）") if user is not None and pages_support.ministry_side(user) \
        else _("内部（本省专班及部专班可见，协办地区不可见）")
    return [("shared", _("公开（协办地区可见）")), ("internal", internal)]


class CommentForm(ActionForm):
    required = ("text",)
    text = _note(_("意见"), rows=3)
    visibility = _select(_("可见范围"), [("shared", _("公开")), ("internal", _("内部"))], radio=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["visibility"].widget.choices = _comment_choices(user)
        self.fields["visibility"].initial = "shared"


class LimitedCommentForm(ActionForm):
    """协办 regions answer with shared comments only."""

    required = ("text",)
    text = _note(_("意见"), rows=3)

    def payload(self) -> dict:
        return {**super().payload(), "visibility": "shared"}


class UrgeForm(ActionForm):
    note = _note(_("催办内容"))


class SuperviseForm(ActionForm):
    required = ("level", "due_date")
    future_dates = ("due_date",)
    level = _select(_("督办级别"), [("supervise", _("督办")), ("listed", _("挂牌督办"))])
    due_date = _date(_("新的办理时限"))
    note = _note(_("督办意见"))


class InstructForm(ActionForm):
    required = ("text",)
    future_dates = ("due_date",)
    text = _note(_("批示内容"), rows=3)
    due_date = _date(_("批示办理时限"))


class ShareForm(ActionForm):
    required = ("region",)
    region = _select(_("协办地区"), [])
    note = _note(_("协办事项"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        regions = Region.objects.exclude(code=getattr(case, "region_id", None)).values_list("code", "name")
        self.fields["region"].widget.choices = [("", _("请选择")), *regions]


class FlagForm(ActionForm):
    required = ("note",)
    note = _note(_("需要部专班关注的情况"))


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "handle-locally": HandleLocallyForm,
    "submit": NoteForm,
    "approve": NoteForm,
    "send-back": ReasonForm,
    "withdraw": ReasonForm,
    "accept": NoteForm,
    "return-for-info": ReasonForm,
    "supplement": NoteForm,
    "return-local": ReasonForm,
    "route": RouteForm,
    "track": TrackForm,
    "respond": RespondForm,
    "confirm": ConfirmForm,
    "close": NoteForm,
    "close-duplicate": DuplicateForm,
    "link": LinkForm,
    "reopen": ReasonForm,
    "comment": CommentForm,
    "urge": UrgeForm,
    "supervise": SuperviseForm,
    "instruct": InstructForm,
    "share": ShareForm,
    "flag": FlagForm,
}

# Irreversible (or nearly): the browser asks before sending (static/js/base.js, data-confirm).
CONFIRM = {
    "approve": _("审核并上报后，问题将报送部专班。确定上报？"),
    "close": _("销号后问题办结，确定销号？"),
    "close-duplicate": _("并入后本问题将关闭，确定并入已有问题？"),
}


def action_form(action: str, data=None, *, case=None, user=None, full: bool = True) -> ActionForm:
    form_class = ACTION_FORMS.get(action, NoteForm)  # an action added later still gets a form
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
        self.extension, self.content_type = pages_support.check_upload(upload)
        return upload
