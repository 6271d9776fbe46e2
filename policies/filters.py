"""政策落实 filters, shared by the pages, the report, its export and the API."""

import django_filters as filters
from django.db.models import CharField, F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cases.models import Urgency
from chainwork.choices import FilterSet
from chainwork.models import Category, Department, KeyField, Region
from enterprises.models import Size, SupplyLink
from policies.models import (
    FINANCING_OPEN_STATES,
    ApplicationStatus,
    Arrear,
    ArrearState,
    DebtorKind,
    FinancingNeed,
    FinancingPurpose,
    FinancingState,
    Policy,
    PolicyApplication,
)


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(filters.ModelChoiceFilter):
    """A reference row by its slug or code, filtered by a method (the schema cannot guess its type)."""


class PolicyFilter(FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="filter_search", help_text=_("政策名称、文号或要点"))
    issuer = filters.ModelChoiceFilter(label=_("发文部门"), field_name="issuers", to_field_name="slug",
                                       queryset=Department.objects.filter(is_active=True))
    category = SlugChoiceFilter(label=_("问题类别"), method="filter_category", to_field_name="slug",
                                         queryset=Category.objects.filter(is_active=True))
    key_field = SlugChoiceFilter(label=_("重点领域"), method="filter_key_field", to_field_name="slug",
                                          queryset=KeyField.objects.filter(is_active=True))
    size = filters.ChoiceFilter(label=_("企业规模"), choices=Size.choices, method="filter_size")
    region = SlugChoiceFilter(label=_("地区"), method="filter_region", to_field_name="code",
                                       queryset=Region.objects.all())
    validity = filters.ChoiceFilter(label=_("有效状态"), method="filter_validity",
                                    choices=[("current", _("有效")), ("expired", _("已失效"))])

    class Meta:
        model = Policy
        fields = ["q", "issuer", "category", "key_field", "size", "region", "validity"]

    # An empty restriction means "any": a policy without categories fits every category, and so on.

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(document_number__icontains=value)
                               | Q(summary__icontains=value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(categories=value) | Q(categories__isnull=True)).distinct()

    def filter_key_field(self, queryset, name, value):
        return queryset.filter(Q(key_fields=value) | Q(key_fields__isnull=True)).distinct()

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(regions=value) | Q(regions__isnull=True)).distinct()

    def filter_size(self, queryset, name, value):
        return queryset.filter(Q(sizes__contains=[value]) | Q(sizes=[]))

    def filter_validity(self, queryset, name, value):
        current = Policy.objects.current(timezone.localdate()).values("pk")
        if value == "current":
            return queryset.filter(pk__in=current)
        return queryset.exclude(pk__in=current)


class PolicyApplicationFilter(FilterSet):
    # Plain ids for enterprise and problem: an id outside the scope must not answer differently.
    policy = filters.ModelChoiceFilter(label=_("政策"), queryset=Policy.objects.all())
    enterprise = filters.NumberFilter(field_name="enterprise_id", label=_("企业"))
    case = filters.NumberFilter(field_name="case_id", label=_("问题"))
    status = filters.ChoiceFilter(label=_("落实情况"), choices=ApplicationStatus.choices)
    region = filters.ModelChoiceFilter(label=_("地区"), field_name="enterprise__list_region", to_field_name="code",
                                       queryset=Region.objects.all())
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        model = PolicyApplication
        fields = ["policy", "enterprise", "case", "status", "region", "date_after", "date_before"]


class ChainFilterMixin:
    """`lead`: the chain of a lead enterprise — the lead itself and its supporting enterprises."""

    chain_field = "enterprise"

    def filter_lead(self, queryset, name, value):
        partners = SupplyLink.objects.filter(lead_id=value).values("partner_id")
        return queryset.filter(Q(**{f"{self.chain_field}_id": value})
                               | Q(**{f"{self.chain_field}_id__in": partners}))


class FinancingNeedFilter(ChainFilterMixin, FilterSet):
    q = filters.CharFilter(label=_("企业"), method="filter_search", help_text=_("企业名称或推送银行"))
    state = filters.MultipleChoiceFilter(label=_("对接情况"), choices=FinancingState.choices)
    urgency = filters.ChoiceFilter(label=_("紧急程度"), choices=Urgency.choices)
    purpose = filters.ChoiceFilter(label=_("资金用途"), choices=FinancingPurpose.choices)
    region = filters.ModelChoiceFilter(label=_("地区"), field_name="enterprise__list_region", to_field_name="code",
                                       queryset=Region.objects.all())
    lead = filters.NumberFilter(label=_("产业链（龙头企业）"), method="filter_lead",
                                help_text=_("龙头企业 id：该企业及其配套企业的融资需求"))
    enterprise = filters.NumberFilter(field_name="enterprise_id", label=_("企业"))
    case = filters.NumberFilter(field_name="case_id", label=_("问题"))
    overdue = filters.BooleanFilter(label=_("跟进超期"), method="filter_overdue")

    class Meta:
        model = FinancingNeed
        fields = ["q", "state", "urgency", "purpose", "region", "lead", "enterprise", "case", "overdue"]

    def filter_search(self, queryset, name, value):
        bank_names = Func(F("banks"), Value(" "), function="array_to_string", output_field=CharField())
        return queryset.alias(bank_names=bank_names).filter(
            Q(enterprise__name__icontains=value) | Q(bank_names__icontains=value))

    def filter_overdue(self, queryset, name, value):
        late = Q(state__in=FINANCING_OPEN_STATES, next_follow_up__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class ArrearFilter(ChainFilterMixin, FilterSet):
    chain_field = "creditor"

    q = filters.CharFilter(label=_("搜索"), method="filter_search", help_text=_("被拖欠企业、欠款单位或合同"))
    state = filters.MultipleChoiceFilter(label=_("清偿情况"), choices=ArrearState.choices)
    debtor_kind = filters.ChoiceFilter(label=_("欠款单位类型"), choices=DebtorKind.choices)
    region = filters.ModelChoiceFilter(label=_("地区"), field_name="creditor__list_region", to_field_name="code",
                                       queryset=Region.objects.all())
    lead = filters.NumberFilter(label=_("产业链（龙头企业）"), method="filter_lead",
                                help_text=_("龙头企业 id：该企业及其配套企业被拖欠的账款"))
    creditor = filters.NumberFilter(field_name="creditor_id", label=_("被拖欠企业"))
    case = filters.NumberFilter(field_name="case_id", label=_("问题"))

    class Meta:
        model = Arrear
        fields = ["q", "state", "debtor_kind", "region", "lead", "creditor", "case"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(creditor__name__icontains=value) | Q(debtor_name__icontains=value)
                               | Q(contract__icontains=value))
