"""Forms of the 政策落实 pages: they check the shape of input; policies.services enforces the rules."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Urgency
from enterprises.models import Enterprise, SupplyLink
from policies.models import ApplicationStatus, DebtorKind, FinancingPurpose, Policy


class ApplicationForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("政策"), queryset=Policy.objects.filter(is_active=True),
                                    empty_label=_("请选择政策"))
    case = forms.ModelChoiceField(label=_("相关问题"), queryset=Case.objects.none(), required=False,
                                  empty_label=_("不涉及具体问题"))
    status = forms.ChoiceField(label=_("落实情况"), choices=ApplicationStatus.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount_wan = forms.DecimalField(label=_("金额（万元）"), required=False, min_value=0, max_digits=14,
                                    decimal_places=2,
                                    help_text=_("申请或获批时填写：贷款融资、减免、缓缴或返还的金额"))
    notes = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=2000)

    def __init__(self, *args, user, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            Case.objects.visible_to(user)
            .concerning(enterprise)
            .order_by("-created_at"))
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"
        self.fields["date"].initial = timezone.localdate()


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(label=_("企业"), required=False, max_length=100,
                        help_text=_("企业名称、拼音首字母或统一社会信用代码"))


# --- 产融对接 and 清欠 ---------------------------------------------------------------------------------

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


def _split_banks(text: str) -> list[str]:
    return [name.strip() for name in re.split(r"[、，,;；\n]", text or "") if name.strip()]


class FinancingNeedForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("服务的龙头企业"), queryset=Enterprise.objects.none(), required=False,
                                  empty_label=_("不指定"))
    case = forms.ModelChoiceField(label=_("相关问题"), queryset=Case.objects.none(), required=False,
                                  empty_label=_("不涉及具体问题"))
    amount_wan = forms.DecimalField(label=_("融资需求金额（万元）"), **AMOUNT)
    purpose = forms.ChoiceField(label=_("资金用途"), choices=FinancingPurpose.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    banks = forms.CharField(label=_("推送银行"), required=False, max_length=1000,
                            help_text=_("多家银行以顿号或逗号分隔"))
    next_follow_up = forms.DateField(label=_("下次跟进日期"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("不填为七天后；到期未跟进时提醒"))
    notes = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=2000)

    def __init__(self, *args, user, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Enterprise.objects.filter(
            is_lead=True, pk__in=SupplyLink.objects.filter(partner=enterprise).values("lead")).order_by("name_pinyin")
        self.fields["case"].queryset = (
            Case.objects.visible_to(user).concerning(enterprise).order_by("-created_at"))
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"

    def clean_banks(self) -> list[str]:
        return _split_banks(self.cleaned_data["banks"])


class FinancingStepForm(forms.Form):
    date = forms.DateField(label=_("日期"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount_wan = forms.DecimalField(label=_("金额（万元）"), required=False, **AMOUNT)
    reason = forms.CharField(label=_("未获支持原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)
    banks = forms.CharField(label=_("对接银行"), required=False, max_length=1000,
                            help_text=_("不填则保留原推送银行"))
    next_follow_up = forms.DateField(label=_("下次跟进日期"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)

    def clean_banks(self) -> list[str] | None:
        return _split_banks(self.cleaned_data["banks"]) or None


class ArrearForm(forms.Form):
    debtor_name = forms.CharField(label=_("欠款单位"), max_length=200)
    debtor_kind = forms.ChoiceField(label=_("欠款单位类型"), choices=DebtorKind.choices)
    contract = forms.CharField(label=_("合同名称或编号"), max_length=200)
    owed_wan = forms.DecimalField(label=_("拖欠金额（万元）"), **AMOUNT)
    case = forms.ModelChoiceField(label=_("相关问题（资金类）"), queryset=Case.objects.none(), required=False,
                                  empty_label=_("不涉及具体问题"))
    notes = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=2000)

    def __init__(self, *args, user, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            Case.objects.visible_to(user).filter(category__slug="funding")
            .concerning(enterprise).order_by("-created_at"))
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"


class RepayForm(forms.Form):
    amount_wan = forms.DecimalField(label=_("本次清偿金额（万元）"), **AMOUNT)
    date = forms.DateField(label=_("清偿日期"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("情况说明"), required=False, max_length=2000)


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("争议情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
