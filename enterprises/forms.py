"""Forms check the shape of input; enterprises.services enforces the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chainwork.models import IndustrySection, KeyField, Region, Role
from chainwork.scope import role_for
from enterprises import permissions
from enterprises.models import Criticality, Direction, Resumption, Severity, SituationKind, Size
from enterprises.services import EnterpriseData, SituationData, StatusData

CHECK = {"class": "form-check-input"}


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=200)
    location = forms.ChoiceField(label=_("所在地"), choices=[("domestic", _("境内")), ("abroad", _("境外"))],
                                 initial="domestic", widget=forms.RadioSelect(attrs=CHECK))
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False,
                                  help_text=_("18位，可含空格或全角字符，保存时自动规范"))
    region = forms.ModelChoiceField(label=_("所属地区"), queryset=Region.objects.all(), required=False,
                                    to_field_name="code")
    country = forms.CharField(label=_("国家（地区）"), max_length=64, required=False)
    added_by_region = forms.ModelChoiceField(label=_("登记地区"), queryset=Region.objects.all(),
                                             required=False, to_field_name="code",
                                             help_text=_("境外企业由哪个地区的专班登记和维护；留空为部专班"))
    city = forms.CharField(label=_("市"), max_length=64, required=False)
    county = forms.CharField(label=_("县（区）"), max_length=64, required=False)
    industry = forms.ModelChoiceField(label=_("行业门类"), queryset=IndustrySection.objects.all(), required=False)
    key_fields = forms.ModelMultipleChoiceField(label=_("重点领域"), queryset=KeyField.objects.filter(is_active=True),
                                                required=False, widget=forms.CheckboxSelectMultiple(attrs=CHECK))
    size = forms.ChoiceField(label=_("企业规模"), choices=[("", "—"), *Size.choices], required=False)
    is_lead = forms.BooleanField(label=_("龙头企业"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=32, required=False)
    contact_position = forms.CharField(label=_("职务"), max_length=32, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_org_code = forms.BooleanField(
        label=_("人工确认组织机构代码"), required=False,
        help_text=_("组织机构代码校验不符但经核实无误时勾选（记入审计日志）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not permissions.can_confirm_org_code(user):
            del self.fields["confirm_org_code"]
        scope_regions = getattr(user, "region", None)
        if scope_regions is not None and role_for(user) in (Role.PROVINCE, Role.PROVINCE_LEAD):
            self.fields["region"].initial = user.region.code
            del self.fields["added_by_region"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("location") == "abroad":
            cleaned["region"] = None
            cleaned["credit_code"] = ""
        else:
            cleaned["country"] = ""
        return cleaned

    def to_data(self) -> EnterpriseData:
        c = self.cleaned_data
        return EnterpriseData(
            name=c["name"], credit_code=c.get("credit_code") or None, region=c.get("region"),
            country=c.get("country", ""), city=c.get("city", ""), county=c.get("county", ""),
            industry_id=c["industry"].code if c.get("industry") else None,
            key_field_ids=[k.pk for k in c.get("key_fields") or []], size=c.get("size", ""),
            is_lead=c.get("is_lead", False), address=c.get("address", ""),
            contact_name=c.get("contact_name", ""), contact_position=c.get("contact_position", ""),
            contact_phone=c.get("contact_phone", ""), notes=c.get("notes", ""),
            added_by_region=c.get("added_by_region"),
        )

    @staticmethod
    def initial_for(enterprise) -> dict:
        return {
            "name": enterprise.name, "location": "abroad" if enterprise.is_abroad else "domestic",
            "credit_code": enterprise.credit_code or "", "region": enterprise.region_id,
            "country": enterprise.country, "added_by_region": enterprise.added_by_region_id, "city": enterprise.city,
            "county": enterprise.county, "industry": enterprise.industry_id,
            "key_fields": list(enterprise.key_fields.all()), "size": enterprise.size, "is_lead": enterprise.is_lead,
            "address": enterprise.address, "contact_name": enterprise.contact_name,
            "contact_position": enterprise.contact_position, "contact_phone": enterprise.contact_phone,
            "notes": enterprise.notes,
        }


class StatusForm(forms.Form):
    date = forms.DateField(label=_("日期"), initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    resumed = forms.ChoiceField(label=_("复工情况"), choices=Resumption.choices)
    staff_at_work = forms.IntegerField(label=_("到岗人数"), min_value=0, required=False)
    staff_normal = forms.IntegerField(label=_("正常用工人数"), min_value=1, required=False)
    output = forms.DecimalField(label=_("当日产值（万元）"), min_value=0, max_digits=14, decimal_places=2,
                                required=False)
    output_normal = forms.DecimalField(label=_("正常产值（万元）"), min_value=0, max_digits=14, decimal_places=2,
                                       required=False)
    capacity = forms.DecimalField(label=_("产能（万元）"), min_value=0, max_digits=14, decimal_places=2,
                                  required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def to_data(self) -> StatusData:
        c = self.cleaned_data
        return StatusData(date=c["date"], resumed=c["resumed"], staff_at_work=c.get("staff_at_work"),
                          staff_normal=c.get("staff_normal"), output=c.get("output"),
                          output_normal=c.get("output_normal"), capacity=c.get("capacity"),
                          note=c.get("note", ""))


class SupplyLinkForm(forms.Form):
    partner_credit_code = forms.CharField(
        label=_("配套企业统一社会信用代码"), max_length=40, required=False,
        help_text=_("已登记的企业填代码即可；未登记的境内企业请同时填写名称和所属地区"))
    partner_name = forms.CharField(label=_("配套企业名称"), max_length=200, required=False)
    partner_region = forms.ModelChoiceField(label=_("配套企业所属地区"), queryset=Region.objects.all(),
                                            required=False, to_field_name="code")
    partner_country = forms.CharField(label=_("境外企业所在国家（地区）"), max_length=64, required=False,
                                      help_text=_("境外配套企业填写国家和名称，不填代码"))
    direction = forms.ChoiceField(label=_("关系"), choices=Direction.choices, initial=Direction.UPSTREAM)
    product = forms.CharField(label=_("产品或服务"), max_length=200, required=False)
    criticality = forms.ChoiceField(label=_("重要程度"), choices=Criticality.choices, initial=Criticality.CORE)
    single_source = forms.BooleanField(label=_("唯一供应"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("partner_credit_code") and not (cleaned.get("partner_name")
                                                            and cleaned.get("partner_country")):
            raise forms.ValidationError(_("请填写配套企业的统一社会信用代码；境外企业填写名称和国家。"))
        return cleaned


class SituationForm(forms.Form):
    country = forms.CharField(label=_("国家（地区）"), max_length=64)
    kind = forms.ChoiceField(label=_("情况类型"), choices=SituationKind.choices)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.MEDIUM)
    started_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ended_on = forms.DateField(label=_("结束日期"), required=False, help_text=_("仍在持续的留空"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("信息来源"), max_length=200)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def to_data(self) -> SituationData:
        return SituationData(**self.cleaned_data)
