"""Referral API (design.md Contract): `referrals` (+ POST {id}/respond/, {id}/send-back/)."""

from __future__ import annotations

import django_filters as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases import bodies
from cases.api_extensions import ExtensionSerializer
from cases.extensions import extension_request
from cases.models import Referral
from cases.referrals import perform_referral
from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.choices import FilterSet


class ReferralFilter(FilterSet):
    department = filters.CharFilter(field_name="department__slug", label="承办部门 slug")
    state = filters.ChoiceFilter(choices=Referral.State.choices)
    role = filters.ChoiceFilter(choices=Referral.Role.choices)
    case = filters.NumberFilter(field_name="case_id")
    overdue = filters.BooleanFilter(method="filter_overdue", label="已超期")

    class Meta:
        model = Referral
        fields = ["department", "state", "role", "case", "overdue"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        today = timezone.localdate()
        overdue = queryset.filter(state=Referral.State.PENDING, due_date__lt=today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ReferralSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    department = serializers.CharField(source="department.slug", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "case", "case_number", "case_title", "department", "department_name", "role", "role_label",
                  "due_date", "state", "state_label", "response", "source", "responded_at", "on_behalf",
                  "send_back_reason", "created_at", "version"]


RespondBody = inline_serializer("ReferralRespondBody", fields={
    "response": serializers.CharField(help_text="办理情况"),
    "source": serializers.ChoiceField(choices=Referral.Source.choices, required=False,
                                      help_text="部专班代录时必填：phone|letter|meeting"),
})
SendBackBody = inline_serializer("ReferralSendBackBody", fields={
    "reason": serializers.CharField(help_text="非本部门职责的理由"),
})
ERRORS = {403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class ReferralViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """转办: a department sees its own referrals; others those of the problems they see in full."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    ordering_fields = ["due_date", "created_at"]

    def get_queryset(self):
        return (Referral.objects.visible_to(self.request.user)
                .select_related("case", "department").order_by("due_date", "pk"))

    def _act(self, request, pk, name):
        data = request.data if isinstance(request.data, dict) else {}
        referral = perform_referral(referral_id=int(pk) if str(pk).isdecimal() else 0, action=name,
                                    actor=request.user, data=data)
        return Response(ReferralSerializer(referral).data)

    @extend_schema(summary="录入办理情况 (respond)", request=RespondBody,
                   responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="respond")
    def respond(self, request, pk=None):
        return self._act(request, pk, "respond")

    @extend_schema(summary="申请延期 (extend)", request=bodies.ExtendBody,
                   description="承办部门为办理中的转办申请延期，由部专班审批；每项转办同时只能有一个待审批的申请。"
                               "范围外 404；非承办部门 403；转办已办结或已有待审批申请 409；输入有误 400。",
                   responses={201: ExtensionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="extend")
    def extend(self, request, pk=None):
        data = request.data.dict() if hasattr(request.data, "dict") else request.data
        extension = extension_request(referral_id=int(pk) if str(pk).isdecimal() else 0, actor=request.user,
                                      data=data)
        return Response(ExtensionSerializer(extension, context={"request": request}).data, status=201)

    @extend_schema(summary="退回（非本部门职责） (send-back)", request=SendBackBody,
                   responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        return self._act(request, pk, "send-back")
