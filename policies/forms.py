"""Forms of the 政策落实 pages: they check the shape of input; policies.services enforces the rules."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from policies.models import ApplicationStatus, Policy


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
            .filter(Q(enterprise=enterprise) | Q(named_enterprises=enterprise)).distinct()
            .order_by("-created_at"))
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"
        self.fields["date"].initial = timezone.localdate()


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(label=_("企业"), required=False, max_length=100,
                        help_text=_("企业名称、拼音首字母或统一社会信用代码"))
