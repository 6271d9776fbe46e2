"""The 问题台账 filters, shared by the pages, the exports and the API."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.deadlines import Light
from cases.models import OPEN_STATES, Case, Level, Source, State, Supervision, Urgency
from cases.selectors import light_q
from chainwork.choices import FilterSet
from chainwork.models import Category, Region


class CaseFilter(FilterSet):
    q = filters.CharFilter(label=_("搜索"), method="filter_search", help_text=_("编号、标题或企业名称"))
    region = filters.ModelChoiceFilter(label=_("地区"), queryset=Region.objects.all(), to_field_name="code")
    # No join behind it, so no DISTINCT (which made every list and count sort the region's problems).
    state = filters.MultipleChoiceFilter(label=_("状态"), choices=State.choices, distinct=False)
    open = filters.BooleanFilter(label=_("未办结"), method="filter_open")
    category = filters.ModelChoiceFilter(label=_("问题类别"), queryset=Category.objects.all(), to_field_name="slug")
    urgency = filters.ChoiceFilter(label=_("紧急程度"), choices=Urgency.choices)
    source = filters.ChoiceFilter(label=_("来源"), choices=Source.choices)
    level = filters.ChoiceFilter(label=_("办理层级"), choices=Level.choices)
    light = filters.ChoiceFilter(label=_("时限"), method="filter_light",
                                 choices=[(Light.GREEN, _("正常")), (Light.YELLOW, _("临期")), (Light.RED, _("超期"))])
    supervision = filters.ChoiceFilter(label=_("督办"), choices=[c for c in Supervision.choices if c[0]])
    enterprise = filters.NumberFilter(label=_("企业"), method="filter_enterprise")
    created_after = filters.DateFilter(label=_("登记日期起"), field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(label=_("登记日期止"), field_name="created_at", lookup_expr="date__lte")
    ordering = filters.OrderingFilter(
        label=_("排序"),
        fields=(("due_at", "due_at"), ("created_at", "created_at"), ("number", "number"), ("urgency_rank", "urgency")),
        field_labels={"due_at": _("办理时限"), "created_at": _("登记时间"), "number": _("编号"),
                      "urgency_rank": _("紧急程度"),
                      # Spelled out: django-filter formats "(descending)" once, in the language at import.
                      "-due_at": _("办理时限（降序）"), "-created_at": _("登记时间（降序）"),
                      "-number": _("编号（降序）"), "-urgency": _("紧急程度（降序）")},
    )

    class Meta:
        model = Case
        fields = ["q", "region", "state", "open", "category", "urgency", "source", "level", "light",
                  "supervision", "enterprise", "created_after", "created_before"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)
                               | Q(enterprise__name__icontains=value))

    def filter_open(self, queryset, name, value):
        # IN (the open states) rather than NOT closed: PostgreSQL can answer it from the state index.
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.filter(state=State.CLOSED)

    def filter_light(self, queryset, name, value):
        return queryset.filter(light_q(value))

    def filter_enterprise(self, queryset, name, value):
        return queryset.concerning(value)
