"""重点产业链 and 国际疫情研判 API (design.md Contract): `industry-chains` (+ `{id}/impact/`) and
`country-situations` (+ `{id}/exposure/`).

Every chain exists for every viewer: a role that may not read chains gets 403; what a province's work
group sees of a chain is the part its own leads draw on (enterprises.industry_chains).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainwork.api_errors import DomainErrorsMixin
from chainwork.errors import NotPermitted
from enterprises import exposure, industry_chains, services
from enterprises.models import CountrySituation, IndustryChain, Severity, SituationKind


class IndustryChainSerializer(serializers.ModelSerializer):
    lead_count = serializers.IntegerField(read_only=True, help_text="该用户可见的龙头企业数 · leads the user sees")

    class Meta:
        model = IndustryChain
        fields = ["id", "slug", "name", "description", "lead_count"]
        read_only_fields = fields


class IndustryChainViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = IndustryChainSerializer

    def get_queryset(self):
        return industry_chains.chains_for(self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not industry_chains.can_view(request.user):
            raise NotPermitted(_("您的角色不能查看重点产业链。"))

    @extend_schema(
        summary="产业链薄弱环节 · Weak links of an industry chain",
        description="唯一供应、地区或国家集中度、反向影响（停产将影响的龙头企业数）和跨省依赖，与产业链页面一致。\n\n"
                    "Single sources, concentration in one province or country, reverse impact and cross-province "
                    "dependencies — the same weak links as the chain's page.",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def impact(self, request, pk=None):
        chain = self.get_object()
        return Response(industry_chains.view_as_dict(industry_chains.view_for(chain, request.user)))


class CountrySituationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)

    class Meta:
        model = CountrySituation
        fields = ["id", "country", "kind", "kind_label", "severity", "severity_label", "started_on", "ended_on",
                  "source", "note", "created_at", "updated_at"]
        read_only_fields = fields


class CountrySituationInputSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=SituationKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, default=Severity.MEDIUM)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CountrySituationViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                              mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Kept by the 部专班 (the service refuses others with 403); read by the officials who read chains."""

    serializer_class = CountrySituationSerializer
    queryset = CountrySituation.objects.all()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not industry_chains.can_view(request.user):
            raise NotPermitted(_("您的角色不能查看国外疫情形势。"))

    @extend_schema(request=CountrySituationInputSerializer, responses={201: CountrySituationSerializer})
    def create(self, request, *args, **kwargs):
        situation = services.country_situation_save(actor=request.user, data=self._data(request, None))
        return Response(CountrySituationSerializer(situation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CountrySituationInputSerializer, responses={200: CountrySituationSerializer})
    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        situation = services.country_situation_save(actor=request.user, instance=instance,
                                                    data=self._data(request, instance))
        return Response(CountrySituationSerializer(situation).data)

    def _data(self, request, instance) -> services.SituationData:
        if not services.may_keep_country_situations(request.user):  # role before input (403, then 400)
            raise NotPermitted(_("只有部专班可以登记国外疫情形势。"))
        serializer = CountrySituationInputSerializer(data=request.data, partial=instance is not None and
                                                     request.method == "PATCH")
        serializer.is_valid(raise_exception=True)
        values = {name: getattr(instance, name) for name in ("country", "kind", "severity", "started_on",
                                                             "ended_on", "source", "note")} if instance else {}
        values.update(serializer.validated_data)
        return services.SituationData(**values)

    @extend_schema(
        summary="国外疫情形势的影响 · What a country's situation exposes",
        description="该国的境外供应商、受影响的龙头企业（有唯一供应的在前）及其所属产业链，和同一产品的国内替代供应商。\n\n"
                    "The country's suppliers, the exposed leads (single-sourced first), their chains, and domestic "
                    "suppliers of the same products.",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def exposure(self, request, pk=None):
        situation = self.get_object()
        return Response(exposure.exposure_as_dict(exposure.exposure_view(situation, request.user)))


def register(router) -> None:
    router.register("industry-chains", IndustryChainViewSet, basename="industry-chain")
    router.register("country-situations", CountrySituationViewSet, basename="country-situation")
