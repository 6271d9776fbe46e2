"""政策落实 filters, shared by the pages, the report, its export and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chainwork.choices import FilterSet
from chainwork.models import Category, Department, KeyField, Region
from enterprises.models import Size
from policies.models import ApplicationStatus, Policy, PolicyApplication


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
