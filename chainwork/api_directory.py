"""通讯录 API (design.md Contract: `GET /api/v1/directory/`): officials only, paginated with `next`;
`?q=` searches names, units, posts, regions, departments and phone numbers; `?region=42`,
`?department=mot` narrow it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from chainwork import directory
from chainwork.api_errors import DomainErrorsMixin
from chainwork.errors import NotPermitted


class EntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["official", "department"],
                                   help_text="official: 工作专班人员; department: 部门联络人")
    name = serializers.CharField()
    unit = serializers.CharField()
    post = serializers.CharField(help_text="职务")
    phone = serializers.CharField(help_text="办公电话")
    email = serializers.CharField()
    role = serializers.CharField(help_text="角色代码（部门联络人为空）")
    role_label = serializers.CharField()
    region = serializers.CharField(allow_null=True, help_text="两位地区代码")
    region_name = serializers.CharField()
    department = serializers.CharField(allow_null=True, help_text="部门标识")
    department_name = serializers.CharField()
    group = serializers.CharField(help_text="分组：地区、部专班或部门")


class DirectoryViewSet(DomainErrorsMixin, viewsets.GenericViewSet):
    """通讯录: the provinces' work-group officials, the 部专班 and each department's liaison."""

    serializer_class = EntrySerializer
    filter_backends: list = []

    @extend_schema(
        summary="通讯录 · Directory",
        description="各省工作专班人员、部专班和各成员单位、部内司局联络人的办公电话和电子邮箱，仅工作专班人员可查阅"
                    "（驻企联络员、行业协会不可）。\n\nThe work group's officials and each department's liaison "
                    "with office phone and e-mail; officials only.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="姓名、单位、职务、地区、部门或电话号码"),
            OpenApiParameter("region", OpenApiTypes.STR, description="两位地区代码，如 42"),
            OpenApiParameter("department", OpenApiTypes.STR, description="部门标识，如 mot"),
        ],
    )
    def list(self, request):
        if not directory.can_read(request.user):
            raise NotPermitted(directory.NOT_FOR_YOU)
        rows = directory.entries(request.user, q=request.query_params.get("q", ""),
                                 region=request.query_params.get("region"),
                                 department=request.query_params.get("department"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EntrySerializer(page, many=True).data)


def register(router) -> None:
    router.register("directory", DirectoryViewSet, basename="directory")
