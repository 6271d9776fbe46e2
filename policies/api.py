"""政策落实 API (design.md Contract): `policies` (read for everyone, written by the 部专班 and
administrators; `matches/` for an enterprise or a problem) and `policy-applications` (take-up records,
scoped by the enterprise; created by officials). Thin: scoped selectors, shared FilterSets, services.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cases.models import Case
from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.errors import NotPermitted
from chainwork.models import Category, Department, KeyField, Region
from enterprises.models import Enterprise, Size
from policies import api_money, api_plans, selectors, services
from policies.filters import PolicyApplicationFilter, PolicyFilter
from policies.matching import match_for_case, match_for_enterprise
from policies.models import AmountKind, ApplicationStatus, Policy, PolicyApplication

# The enterprises' `status` (enum id "enterprise-status") is spread over several components, so any other
# choice set named `status` in a component makes the schema's enum naming collide. The take-up status is
# therefore described inline (allOf), which keeps its field name and its values.
APPLICATION_STATUS_SCHEMA = {
    "type": "string", "allOf": [{"enum": ApplicationStatus.values}],
    "description": "落实情况 · recommended 已推荐, applied 已申请, granted 已获批, refused 未获批",
}


@extend_schema_field(APPLICATION_STATUS_SCHEMA)
class ApplicationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ApplicationStatus.choices, **kwargs)


# --- policies -----------------------------------------------------------------------------------------


class PolicySerializer(serializers.ModelSerializer):
    issuers = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True,
                                           help_text=_("发文部门标识"))
    sizes = serializers.ListField(child=serializers.ChoiceField(choices=Size.choices), read_only=True,
                                  help_text=_("适用企业规模；空为不限"))
    key_fields = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True,
                                              help_text=_("适用重点领域；空为不限"))
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True,
                                              help_text=_("适用问题类别；空为不限"))
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                           help_text=_("适用地区两位代码；空为全国"))
    is_current = serializers.BooleanField(read_only=True, help_text=_("今天是否在有效期内"))

    class Meta:
        model = Policy
        fields = ["id", "slug", "name", "issuers", "issuer_text", "document_number", "issued_on", "summary",
                  "sizes", "key_fields", "categories", "regions", "valid_from", "valid_to", "amount_kind",
                  "to_be_confirmed", "is_active", "is_current", "created_at", "updated_at"]
        read_only_fields = fields


class PolicyInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=48, required=False, allow_blank=True)
    issuers = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                           queryset=Department.objects.all())
    issuer_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    sizes = serializers.ListField(child=serializers.ChoiceField(choices=Size.choices), required=False)
    key_fields = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                              queryset=KeyField.objects.all())
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                              queryset=Category.objects.all())
    regions = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                           queryset=Region.objects.all())
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    amount_kind = serializers.ChoiceField(choices=AmountKind.choices, required=False, allow_blank=True)
    to_be_confirmed = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)

    def policy_data(self, instance: Policy | None) -> services.PolicyData:
        if instance is None:
            data = services.PolicyData(name="")
        else:
            data = services.PolicyData(
                name=instance.name, slug=instance.slug, issuers=list(instance.issuers.all()),
                issuer_text=instance.issuer_text, document_number=instance.document_number,
                issued_on=instance.issued_on, summary=instance.summary, sizes=list(instance.sizes),
                key_fields=list(instance.key_fields.all()), categories=list(instance.categories.all()),
                regions=list(instance.regions.all()), valid_from=instance.valid_from, valid_to=instance.valid_to,
                amount_kind=instance.amount_kind, to_be_confirmed=instance.to_be_confirmed,
                is_active=instance.is_active)
        for name, value in self.validated_data.items():
            setattr(data, name, value)
        return data


class MatchSerializer(serializers.Serializer):
    policy = PolicySerializer()
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("符合理由"))


WRITE_ORDER = ("部专班、系统管理员可写，其他角色 403；输入错误 400。\n\n"
               "Ministry and admin only (else 403); bad input 400.")


@extend_schema_view(
    list=extend_schema(summary="政策目录 · Policy catalogue",
                       description="所有登录用户可读。\n\nEvery logged-in user may read the catalogue."),
    retrieve=extend_schema(summary="政策详情 · Policy"),
    create=extend_schema(summary="新增政策 · Add a policy", description=WRITE_ORDER, request=PolicyInputSerializer,
                         responses={201: PolicySerializer, 400: OpenApiResponse(description="输入错误"),
                                    403: ErrorSerializer}),
    update=extend_schema(summary="修改政策 · Replace a policy", description=WRITE_ORDER,
                         request=PolicyInputSerializer, responses={200: PolicySerializer, 403: ErrorSerializer}),
    partial_update=extend_schema(summary="修改政策 · Change a policy", description=WRITE_ORDER,
                                 request=PolicyInputSerializer,
                                 responses={200: PolicySerializer, 403: ErrorSerializer}),
)
class PolicyViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    ordering_fields = ["order", "id", "valid_to", "issued_on"]

    def get_queryset(self):
        return selectors.policy_list()

    def _save(self, request, instance, *, partial: bool):
        if not services.can_edit_catalogue(request.user):
            raise NotPermitted(_("只有部专班和系统管理员可以维护政策目录。"))
        serializer = PolicyInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        policy = services.policy_save(actor=request.user, data=serializer.policy_data(instance), instance=instance)
        return PolicySerializer(selectors.policy_list().get(pk=policy.pk)).data

    def create(self, request, *args, **kwargs):
        return Response(self._save(request, None, partial=False), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self._save(request, instance, partial=kwargs.get("partial", False)))

    @extend_schema(
        summary="适用政策 · Matching policies",
        description="某企业（`enterprise`）或某问题（`case`）当前适用的有效政策及理由；已失效或尚未生效的政策不推荐。"
                    "企业或问题不在本人范围内为 404。\n\n"
                    "The current policies that fit an enterprise or a problem, each with its reasons; expired and "
                    "not-yet-valid policies are never suggested. Outside the user's scope: 404.",
        parameters=[OpenApiParameter("enterprise", int, description="企业 id"),
                    OpenApiParameter("case", int, description="问题 id")],
        responses={200: MatchSerializer(many=True), 400: OpenApiResponse(description="缺少 enterprise 或 case"),
                   404: ErrorSerializer},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def matches(self, request):
        case_id, enterprise_id = request.query_params.get("case"), request.query_params.get("enterprise")
        try:
            if case_id:
                cases = Case.objects.visible_to(request.user).select_related("enterprise", "category")
                case = get_object_or_404(cases, pk=int(case_id))
                found = match_for_case(case)
            elif enterprise_id:
                found = match_for_enterprise(get_object_or_404(Enterprise.objects.visible_to(request.user),
                                                               pk=int(enterprise_id)))
            else:
                raise serializers.ValidationError({"enterprise": [_("请指定企业或问题。")]})
        except ValueError:
            raise Http404 from None
        return Response(MatchSerializer(found, many=True).data)


# --- policy applications ------------------------------------------------------------------------------


class PolicyApplicationSerializer(serializers.ModelSerializer):
    policy_name = serializers.CharField(source="policy.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.list_region_id", read_only=True,
                                   help_text=_("企业名单所属地区两位代码"))
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.__str__", read_only=True)
    status = ApplicationStatusField(read_only=True)

    class Meta:
        model = PolicyApplication
        fields = ["id", "policy", "policy_name", "enterprise", "enterprise_name", "region", "case", "case_number",
                  "status", "date", "amount_wan", "notes", "recorded_by", "created_at"]
        read_only_fields = fields


class PolicyApplicationInputSerializer(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all(), help_text=_("政策 id"))
    enterprise = serializers.IntegerField(help_text=_("企业 id（本人可完整查看的企业，否则 404）"))
    case = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=_("相关问题 id（可选；本人可完整查看的问题，否则 404）"))
    status = ApplicationStatusField()
    date = serializers.DateField()
    amount_wan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                          min_value=0, help_text=_("金额（万元），申请或获批时填写"))
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_view(
    list=extend_schema(summary="政策落实记录 · Policy take-up records",
                       description="本人可完整查看的企业的记录（分页，含 `next`）；"
                                   "可按政策、企业、问题、状态、地区、日期筛选。\n\n"
                                   "Records of the enterprises the user sees in full, paginated with `next`."),
    retrieve=extend_schema(summary="政策落实记录详情 · Take-up record"),
    create=extend_schema(
        summary="记录政策落实 · Record take-up",
        description="企业或问题不在本人范围内 404；角色不能记录 403（省专班、部专班、驻企联络员可记录）；"
                    "输入错误 400。\n\n"
                    "Enterprise or problem outside the scope 404; a role that may not record 403 (province officials, "
                    "the ministry and liaison officers may); bad input 400.",
        request=PolicyApplicationInputSerializer,
        responses={201: PolicyApplicationSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    ),
)
class PolicyApplicationViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = PolicyApplicationSerializer
    filterset_class = PolicyApplicationFilter
    ordering_fields = ["date", "id", "amount_wan"]

    def get_queryset(self):
        return selectors.application_list(self.request.user)

    def create(self, request, *args, **kwargs):
        # The Contract's order: outside the scope 404, then the role 403, then the input 400.
        # A body that is not an object (null, a list, a string) names no enterprise: 400 after the role.
        is_object = isinstance(request.data, Mapping)
        enterprise_id = request.data.get("enterprise") if is_object else None
        if enterprise_id not in (None, ""):
            try:
                in_scope = Enterprise.objects.visible_to(request.user).filter(pk=int(enterprise_id)).exists()
            except (TypeError, ValueError):
                in_scope = True  # not an id: the serializer answers 400
            if not in_scope:
                raise Http404
        if not services.can_record(request.user):
            raise NotPermitted(_("您的角色不能记录政策落实情况。"))
        if not is_object:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("请求体应为一个JSON对象（{…}）。")]})
        serializer = PolicyApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = services.policy_application_record(
            actor=request.user, enterprise_id=data["enterprise"], policy=data["policy"], status=data["status"],
            date=data["date"], case_id=data.get("case"), amount_wan=data.get("amount_wan"), notes=data["notes"])
        application = selectors.application_list(request.user).get(pk=application.pk)
        return Response(PolicyApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("policies", PolicyViewSet, basename="policy")
    router.register("policy-applications", PolicyApplicationViewSet, basename="policy-application")
    api_money.register(router)
    api_plans.register(router)
