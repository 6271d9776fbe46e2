"""协办 in the API: the share as its asked region reads it on a problem (the limited view), and the
read-only list `GET /api/v1/case-shares/` of every 协办 the user may see (CaseShare.objects.visible_to:
the 部专班 all; a province those of its problems and those asked of it). Asking and answering are the
problem's actions `share` and `share-reply` (cases/api.py, cases/lifecycle.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets

from cases.bodies import inline_enum
from cases.deadlines import Light
from cases.models import CaseShare
from cases.selectors import SHARE_SIDES, share_list
from chainwork.api_errors import DomainErrorsMixin

SHARE_STATE_SCHEMA = inline_enum(CaseShare.State.choices, description="协办状态 · state of the 协办")
SHARE_LIGHT_SCHEMA = inline_enum([(value, label) for value, label in Light.LABELS.items() if value],
                                 blank=True, description="回复时限灯（待回复且有时限时）· deadline light while pending")


@extend_schema_field(SHARE_STATE_SCHEMA)
class ShareStateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=CaseShare.State.choices, **kwargs)


@extend_schema_field(SHARE_LIGHT_SCHEMA)
class ShareLightField(serializers.CharField):
    """The light as a string field, documented in the schema with its values."""


class ShareSerializer(serializers.Serializer):
    """One 协办 request: whom it asks, by when, its state and light, and the 协办意见 once given."""

    id = serializers.IntegerField()
    region = serializers.CharField(source="region_id", help_text=_("被请求协办的地区代码"))
    region_name = serializers.CharField(source="region.name")
    asked_by_region = serializers.CharField(source="asking_region_id", allow_null=True,
                                            help_text=_("请求协办的省份代码；部专班请求时为空"))
    note = serializers.CharField(help_text=_("协办事项"))
    due_date = serializers.DateField(allow_null=True, help_text=_("回复时限"))
    state = ShareStateField()
    light = ShareLightField(help_text=_("回复时限灯：正常、临期（一天内）、超期；已回复或无时限为空"))
    light_label = serializers.SerializerMethodField()
    reply = serializers.CharField(help_text=_("协办意见"))
    replied_at = serializers.DateTimeField(allow_null=True)
    replied_in_time = serializers.BooleanField(allow_null=True, help_text=_("是否在回复时限内回复"))
    created_at = serializers.DateTimeField(help_text=_("请求时间"))

    def get_light_label(self, share) -> str:
        return str(Light.LABELS.get(share.light, ""))


class ShareRowSerializer(ShareSerializer):
    """A 协办 in the list, with its problem's number and title."""

    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    case_title = serializers.CharField(source="case.title")
    case_region = serializers.CharField(source="case.region_id")


def _flag(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


class CaseShareViewSet(DomainErrorsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ShareRowSerializer

    def get_queryset(self):
        params = self.request.query_params
        return share_list(self.request.user, state=params.get("state", ""), region=params.get("region", "").strip(),
                          overdue=_flag(params.get("overdue", "")), side=params.get("side", ""))

    @extend_schema(
        summary="协办 · 协办 requests",
        description="本人可见的全部协办（部专班为全部；省份为本省问题的协办和请本省协办的），待回复在前、回复时限"
                    "最近的在前，分页。\n\nEvery 协办 the user may see (the 部专班 all; a province those of its "
                    "problems and those asked of it), pending first and the nearest deadline first, paginated.",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(CaseShare.State.values), required=False,
                             description="pending 待回复 · replied 已回复"),
            OpenApiParameter("region", OpenApiTypes.STR, required=False, description="被请求协办的地区代码"),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, required=False, description="仅超期未回复"),
            OpenApiParameter("side", OpenApiTypes.STR, enum=list(SHARE_SIDES), required=False,
                             description="省份：incoming 请本省协办的；outgoing 本省请求的"),
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
