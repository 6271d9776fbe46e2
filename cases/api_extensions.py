"""申请延期 API: `extensions` (scoped: a department its own, a province its region's, the 部专班 all) with
`POST {id}/grant/ {due_date?, note}` and `POST {id}/refuse/ {note}`; a department's request is
`POST referrals/{id}/extend/` (cases.api_referrals) and a province's `POST cases/{id}/extend/` (the lifecycle
entry). Every change goes through cases.extensions."""

from __future__ import annotations

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import bodies
from cases.extensions import extension_decide, extensions_for, may_decide
from cases.models import Extension
from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.choices import FilterSet

ERRORS = {403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class ExtensionFilter(FilterSet):
    state = filters.ChoiceFilter(choices=Extension.State.choices)
    case = filters.NumberFilter(field_name="case_id")
    referral = filters.NumberFilter(field_name="referral_id")
    local = filters.BooleanFilter(field_name="referral", lookup_expr="isnull", label="属地问题的延期")

    class Meta:
        model = Extension
        fields = ["state", "case", "referral", "local"]


class ExtensionSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    department = serializers.CharField(source="referral.department.slug", read_only=True, default=None,
                                       allow_null=True)
    department_name = serializers.CharField(source="referral.department.name", read_only=True, default=None,
                                            allow_null=True)
    requested_by_name = serializers.CharField(source="requested_by.__str__", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.__str__", read_only=True, default=None,
                                            allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    can_decide = serializers.SerializerMethodField()

    class Meta:
        model = Extension
        fields = ["id", "case", "case_number", "case_title", "referral", "department", "department_name",
                  "requested_by", "requested_by_name", "reason", "old_date", "proposed_date", "state", "state_label",
                  "decided_by", "decided_by_name", "decided_at", "granted_date", "decision_note", "created_at",
                  "can_decide"]

    def get_can_decide(self, extension) -> bool:
        user = self.context["request"].user if "request" in self.context else None
        return bool(user) and extension.state == Extension.State.PENDING and may_decide(extension, user)


class ExtensionViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """申请延期: requests and decisions the user may see, newest first."""

    serializer_class = ExtensionSerializer
    filterset_class = ExtensionFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return extensions_for(self.request.user)

    def _decide(self, request, pk, decision):
        # The body as sent: extension_decide checks it after the scope, role and state (a body that is
        # not an object is a 400 then).
        data = request.data.dict() if hasattr(request.data, "dict") else request.data
        extension = extension_decide(extension_id=int(pk), decision=decision, actor=request.user, data=data)
        return Response(ExtensionSerializer(extension, context={"request": request}).data)

    @extend_schema(summary="批准延期 (grant)", request=bodies.ExtensionGrantBody,
                   description="部专班审批转办的延期，省专班负责人审批本地区属地问题的延期。范围外 404；角色不符 403；"
                               "已审批或转办已办结 409；输入有误 400。",
                   responses={200: ExtensionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="grant")
    def grant(self, request, pk=None):
        return self._decide(request, pk, "grant")

    @extend_schema(summary="不予延期 (refuse)", request=bodies.ExtensionRefuseBody,
                   description="同批准延期；须填写理由。",
                   responses={200: ExtensionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="refuse")
    def refuse(self, request, pk=None):
        return self._decide(request, pk, "refuse")
