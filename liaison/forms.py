"""Forms of the 一对一联系 pages: shape only; liaison.services enforces the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainwork.models import Category
from enterprises.models import Resumption
from liaison.models import Cadence, ContactChannel


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def find_enterprise(enterprises, typed: str):
    """The enterprise of `enterprises` (the user's scope for the form) that `typed` names: its credit
    code, its full name (when no other enterprise there bears it) or, from a link, its id; None if none."""
    typed = typed.strip()
    if typed.isdecimal() and len(typed) < 12:
        found = enterprises.filter(pk=int(typed)).first()
        if found is not None:
            return found
    found = enterprises.filter(credit_code=typed.upper()).first()
    if found is not None:
        return found
    named = list(enterprises.filter(name=typed)[:2])
    return named[0] if len(named) == 1 else None


class ContactForm(forms.Form):
    # Typed, not picked from a list: a ministry liaison covers regions of tens of thousands of enterprises.
    enterprise = forms.CharField(label=_("企业"), max_length=200, help_text=_("填写企业全称或统一社会信用代码"))
    channel = forms.ChoiceField(label=_("联系方式"), choices=ContactChannel.choices, initial=ContactChannel.PHONE)
    contacted_at = forms.DateTimeField(
        label=_("联系时间"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("不填为现在"))
    summary = forms.CharField(label=_("联系情况"), widget=forms.Textarea(attrs={"rows": 3}))
    problems_raised = forms.CharField(label=_("企业反映的问题"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("保存后可在记录页一键转为问题"))
    participants = forms.CharField(label=_("参加人员"), required=False, max_length=200)
    next_follow_up = forms.DateField(label=_("下次联系日期"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("不填按联系频次自动计算"))
    photos = MultipleImageField(label=_("现场照片或截图"), required=False,
                                widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
                                help_text=_("JPG、PNG、GIF 或 WebP，每张不超过5MB"))

    # The enterprise's figures of the day (optional): they become that day's 复工复产情况.
    resumed = forms.ChoiceField(label=_("复工情况"), required=False,
                                choices=[("", _("不填报")), *Resumption.choices])
    staff_at_work = forms.IntegerField(label=_("到岗人数"), required=False, min_value=0, max_value=2_147_483_647)
    staff_normal = forms.IntegerField(label=_("正常用工人数"), required=False, min_value=1, max_value=2_147_483_647)
    output = forms.DecimalField(label=_("当日产值（万元）"), required=False, min_value=0, max_digits=14,
                                decimal_places=2)
    output_normal = forms.DecimalField(label=_("正常产值（万元）"), required=False, min_value=0, max_digits=14,
                                       decimal_places=2)
    FIGURES = ("resumed", "staff_at_work", "staff_normal", "output", "output_normal")

    def __init__(self, *args, enterprises=None, suggestions=(), editing=False, with_figures=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        # A short list of the user's enterprises (an officer's assignments) offered as the field's datalist.
        self.suggestions = list(suggestions)
        if not with_figures:
            for name in self.FIGURES:
                del self.fields[name]
        if editing:
            del self.fields["enterprise"]
        elif self.suggestions:
            self.fields["enterprise"].widget.attrs["list"] = "contact-enterprises"
        if not self.is_bound and not self.initial.get("contacted_at"):
            self.initial["contacted_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_enterprise(self):
        """The enterprise the user may record a contact for (its id)."""
        typed = self.cleaned_data["enterprise"]
        found = find_enterprise(self.enterprises, typed)
        if found is None:
            raise forms.ValidationError(_("找不到“%(typed)s”：请填写您负责联系的企业的全称或统一社会信用代码。")
                                        % {"typed": typed.strip()[:60]})
        return found.pk


class RaiseProblemForm(forms.Form):
    category = forms.TypedChoiceField(label=_("问题类别"), coerce=int,
                                      error_messages={"required": _("请选择问题类别。")})
    title = forms.CharField(label=_("问题标题"), max_length=200, error_messages={"required": _("请填写问题标题。")})
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": _("请填写问题描述。")})
    request = forms.CharField(label=_("企业诉求"), widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("企业希望解决什么、需要哪一级协调"),
                              error_messages={"required": _("请填写企业诉求。")})
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=[
        ("normal", _("一般")), ("urgent", _("紧急")), ("critical", _("特急"))], initial="normal")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------")] + [
            (c.pk, c.name) for c in Category.objects.filter(is_active=True)]


class AssignmentForm(forms.Form):
    # Typed, not picked from a list: a province lists thousands of enterprises, the nation 120,000.
    enterprise = forms.CharField(label=_("企业"), max_length=200,
                                 help_text=_("填写企业全称或统一社会信用代码"))
    officer = forms.TypedChoiceField(label=_("驻企联络员"), coerce=int)
    cadence_days = forms.TypedChoiceField(
        label=_("联系频次"), coerce=int, required=False, empty_value=None,
        choices=[("", _("按企业类型（龙头企业每3天，其他每周）")), *Cadence.choices])

    def __init__(self, *args, enterprises=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises
        self.fields["officer"].choices = [("", "---------")] + [(o.pk, str(o)) for o in officers]

    def clean_enterprise(self):
        """The enterprise the user may assign, by its credit code, its full name or (from a link) its id."""
        typed = self.cleaned_data["enterprise"].strip()
        found = find_enterprise(self.enterprises, typed)
        if found is None:
            raise forms.ValidationError(_("找不到“%(typed)s”：请填写本地区企业的全称或统一社会信用代码。")
                                        % {"typed": typed[:60]})
        return found.pk
