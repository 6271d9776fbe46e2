"""The enterprise list's filters, shared by the 重点企业名单 page, its export and the API."""

import django_filters as filters
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from chainwork.choices import FilterSet
from chainwork.models import IndustrySection, KeyField, Region
from enterprises.models import Enterprise, Resumption, Size, SupplyLink


def blocked_q(threshold, prefix: str = "") -> Q:
    """堵点: not resumed, its staff or output below the threshold, or an open problem about or naming it.
    `prefix` points at the enterprise from another model (e.g. "supply_links__partner__")."""
    has_problem = Q(**{f"{prefix}problem_count__open__gt": 0})
    return (Q(**{f"{prefix}status": Resumption.NO}) | Q(**{f"{prefix}output_rate__lt": threshold})
            | Q(**{f"{prefix}staff_rate__lt": threshold}) | has_problem)


class EnterpriseFilter(FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="filter_search",
                           help_text=_("企业名称、拼音首字母或统一社会信用代码"))
    region = filters.ModelChoiceFilter(label=_("所属地区"), field_name="list_region",
                                       queryset=Region.objects.all(), to_field_name="code")
    key_field = filters.ModelChoiceFilter(label=_("重点领域"), field_name="key_fields",
                                          queryset=KeyField.objects.filter(is_active=True),
                                          to_field_name="slug")
    industry = filters.ModelChoiceFilter(label=_("行业门类"), queryset=IndustrySection.objects.all())
    size = filters.ChoiceFilter(label=_("企业规模"), choices=Size.choices)
    role = filters.ChoiceFilter(label=_("类型"), method="filter_role",
                                choices=[("lead", _("龙头企业")), ("partner", _("配套企业"))])
    status = filters.ChoiceFilter(label=_("复工状态"), method="filter_status",
                                  choices=[*Resumption.choices, ("unknown", _("未填报"))])
    blocked = filters.BooleanFilter(label=_("堵点企业"), method="filter_blocked")
    abroad = filters.BooleanFilter(label=_("境外企业"), field_name="region", lookup_expr="isnull")
    ordering = filters.OrderingFilter(
        label=_("排序"),
        fields=(("name_pinyin", "name"), ("status_date", "status_date"), ("output_rate", "output_rate"),
                ("staff_rate", "staff_rate"), ("created_at", "created_at")),
        field_labels={"name_pinyin": _("企业名称"), "status_date": _("状态日期"), "output_rate": _("达产率"),
                      "staff_rate": _("员工到岗率"), "created_at": _("登记时间"),
                      # Spelled out: django-filter formats "(descending)" once, in the language at import.
                      "-name": _("企业名称（降序）"), "-status_date": _("状态日期（降序）"),
                      "-output_rate": _("达产率（降序）"), "-staff_rate": _("员工到岗率（降序）"),
                      "-created_at": _("登记时间（降序）")},
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "key_field", "industry", "size", "role", "status", "blocked", "abroad"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_role(self, queryset, name, value):
        if value == "lead":
            return queryset.filter(is_lead=True)
        return queryset.filter(Exists(SupplyLink.objects.filter(partner=OuterRef("pk"))))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status="") if value == "unknown" else queryset.filter(status=value)

    def filter_blocked(self, queryset, name, value):
        condition = blocked_q(settings.CHAIN_BLOCKER_THRESHOLD)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class CoveredEnterpriseFilter(FilterSet):
    """A 行业协会's list of the enterprises it covers: only what the limited view shows may be filtered on
    (name, region, industry, key field, status) — no output, staff or problem figures."""

    q = filters.CharFilter(label=_("搜索"), method="filter_search",
                           help_text=_("企业名称、拼音首字母或统一社会信用代码"))
    region = filters.ModelChoiceFilter(label=_("所属地区"), field_name="list_region",
                                       queryset=Region.objects.all(), to_field_name="code")
    key_field = filters.ModelChoiceFilter(label=_("重点领域"), field_name="key_fields",
                                          queryset=KeyField.objects.filter(is_active=True),
                                          to_field_name="slug")
    industry = filters.ModelChoiceFilter(label=_("行业门类"), queryset=IndustrySection.objects.all())
    status = filters.ChoiceFilter(label=_("复工状态"), method="filter_status",
                                  choices=[*Resumption.choices, ("unknown", _("未填报"))])

    class Meta:
        model = Enterprise
        fields = ["q", "region", "key_field", "industry", "status"]

    filter_search = EnterpriseFilter.filter_search
    filter_status = EnterpriseFilter.filter_status
