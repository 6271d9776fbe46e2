"""Core API: the reference data (regions, departments)."""

from rest_framework import serializers, viewsets

from chainwork.choices import FilterSet
from chainwork.models import Department, Region


class RegionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "abbr", "kind", "kind_label", "division_prefix"]


class DepartmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = ["slug", "name", "short_name", "kind", "kind_label", "handles", "leads_work_group",
                  "to_be_confirmed", "is_active"]


class DepartmentFilter(FilterSet):
    class Meta:
        model = Department
        fields = ["kind", "is_active"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 32 provincial-level reporting units, by two-digit code (新疆生产建设兵团: 66)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    filterset_fields = ["kind"]
    ordering_fields = ["code", "order"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Member departments of the work group and MIIT bureaus, by slug."""

    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    lookup_field = "slug"
    filterset_class = DepartmentFilter
    ordering_fields = ["slug", "order"]
