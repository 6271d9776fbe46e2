"""Forms of the 应对预案, 政策储备 and 一企一策 pages: the shape of input; policies.services_plans has the rules."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from enterprises import credit_code as cc
from enterprises.models import CountrySituation, Enterprise, IndustryChain
from policies.models import MeasureState, Policy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _situation_field():
    field = forms.ModelMultipleChoiceField(label=_("应对的国外疫情形势"), queryset=CountrySituation.objects.all(),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    field.label_from_instance = lambda s: f"{s.country} · {s.get_kind_display()} · {s.get_severity_display()}"
    return field


class ResponsePlanForm(forms.Form):
    title = forms.CharField(label=_("预案名称"), max_length=100)
    situations = _situation_field()
    alternatives = forms.ModelMultipleChoiceField(label=_("国内替代供应商"), queryset=Enterprise.objects.none(),
                                                  required=False, widget=forms.CheckboxSelectMultiple,
                                                  help_text=_("根据国外疫情影响研判推荐的国内同类产品供应商"))
    other_codes = forms.CharField(label=_("其他替代供应商（统一社会信用代码）"), required=False, max_length=2000,
                                  help_text=_("多个代码用、或换行分隔"),
                                  widget=forms.Textarea(attrs={"rows": 2}))
    stock_days = forms.IntegerField(label=_("库存可支撑天数"), required=False, min_value=0, max_value=3650)
    actions = forms.CharField(label=_("应对措施"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("每行一项"))
    owner_unit = forms.CharField(label=_("责任单位"), max_length=100)
    owner_person = forms.CharField(label=_("责任人"), max_length=50, required=False)
    owner_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    review_on = forms.DateField(label=_("下次评估日期"), required=False, widget=DATE)
    notes = forms.CharField(label=_("情况说明"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, suggested_ids=(), chosen_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = sorted({*suggested_ids, *chosen_ids})
        self.fields["alternatives"].queryset = (Enterprise.objects.filter(pk__in=ids, region__isnull=False)
                                                .select_related("region").order_by("name_pinyin", "pk"))
        self.fields["alternatives"].label_from_instance = lambda e: f"{e.name}（{e.region.name}）"

    def clean_other_codes(self) -> list[int]:
        codes = [cc.normalize(code) for code in re.split(r"[、，,;；\s]+", self.cleaned_data["other_codes"]) if code]
        found = dict(Enterprise.objects.filter(credit_code__in=codes, region__isnull=False)
                     .values_list("credit_code", "pk"))
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(_("找不到国内企业：%(codes)s") % {"codes": "、".join(missing)})
        return list(found.values())


class PlanStepForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PolicyReserveForm(forms.Form):
    title = forms.CharField(label=_("政策建议名称"), max_length=100)
    summary = forms.CharField(label=_("主要内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    proposing_unit = forms.CharField(label=_("提出单位"), max_length=100)
    chains = forms.ModelMultipleChoiceField(label=_("针对的重点产业链"), required=False,
                                            queryset=IndustryChain.objects.filter(is_active=True),
                                            widget=forms.CheckboxSelectMultiple)
    situations = _situation_field()
    notes = forms.CharField(label=_("情况说明"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))


class ReserveStepForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("出台的政策"), queryset=Policy.objects.order_by("-issued_on", "pk"),
                                    required=False, help_text=_("记为已出台时选择（先在政策目录中登记）"))
    reason = forms.CharField(label=_("搁置原因"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ServicePlanForm(forms.Form):
    contact_unit = forms.CharField(label=_("牵头服务单位"), max_length=100)
    contact_person = forms.CharField(label=_("服务专员"), max_length=50, required=False)
    goal = forms.CharField(label=_("服务目标"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    cases = forms.ModelMultipleChoiceField(label=_("相关问题"), queryset=Case.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    policies = forms.ModelMultipleChoiceField(label=_("适用政策"), queryset=Policy.objects.filter(is_active=True),
                                              required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = (Case.objects.visible_to(user)
                                         .concerning(lead)
                                         .order_by("-created_at"))
        self.fields["cases"].label_from_instance = lambda case: f"{case.number} {case.title}"


class MeasureForm(forms.Form):
    text = forms.CharField(label=_("服务措施"), max_length=300)
    responsible_unit = forms.CharField(label=_("责任单位"), max_length=100)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)


class MeasureProgressForm(forms.Form):
    state = forms.ChoiceField(label=_("进展"), choices=MeasureState.choices)
    progress = forms.CharField(label=_("进展情况"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("调整完成时限"), required=False, widget=DATE)
