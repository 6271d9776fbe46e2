"""Filters of 应对预案, 政策储备 and 一企一策, shared by the pages and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chainwork.choices import FilterSet
from chainwork.models import Region
from enterprises.models import CountrySituation, IndustryChain
from policies.models import PlanState, PolicyReserve, ReserveState, ResponsePlan, ServicePlan


class ResponsePlanFilter(FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="filter_search", help_text=_("预案名称、企业或责任单位"))
    state = filters.MultipleChoiceFilter(label=_("预案状态"), choices=PlanState.choices)
    chain = filters.ModelChoiceFilter(label=_("重点产业链"), method="filter_chain",
                                      queryset=IndustryChain.objects.filter(is_active=True))
    situation = filters.ModelChoiceFilter(label=_("国外疫情形势"), field_name="situations",
                                          queryset=CountrySituation.objects.all())
    region = filters.ModelChoiceFilter(label=_("地区"), field_name="lead__list_region", to_field_name="code",
                                       queryset=Region.objects.all())
    lead = filters.NumberFilter(field_name="lead_id", label=_("龙头企业"))

    class Meta:
        model = ResponsePlan
        fields = ["q", "state", "chain", "situation", "region", "lead"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(lead__name__icontains=value)
                               | Q(owner_unit__icontains=value))

    def filter_chain(self, queryset, name, value):
        """The chain's own plans and the plans of its leads."""
        return queryset.filter(Q(chain=value) | Q(lead__chain_memberships__chain=value)).distinct()


class PolicyReserveFilter(FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="filter_search", help_text=_("名称、内容或提出单位"))
    state = filters.MultipleChoiceFilter(label=_("储备状态"), choices=ReserveState.choices)
    chain = filters.ModelChoiceFilter(label=_("重点产业链"), field_name="chains",
                                      queryset=IndustryChain.objects.filter(is_active=True))
    situation = filters.ModelChoiceFilter(label=_("国外疫情形势"), field_name="situations",
                                          queryset=CountrySituation.objects.all())

    class Meta:
        model = PolicyReserve
        fields = ["q", "state", "chain", "situation"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)
                               | Q(proposing_unit__icontains=value))


class ServicePlanFilter(FilterSet):
    q = filters.CharFilter(label=_("企业"), method="filter_search", help_text=_("企业名称或牵头服务单位"))
    region = filters.ModelChoiceFilter(label=_("地区"), field_name="lead__list_region", to_field_name="code",
                                       queryset=Region.objects.all())
    lead = filters.NumberFilter(field_name="lead_id", label=_("龙头企业"))

    class Meta:
        model = ServicePlan
        fields = ["q", "region", "lead"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(lead__name__icontains=value) | Q(contact_unit__icontains=value))
