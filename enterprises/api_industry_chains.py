"""重点产业链 API (design.md Contract): `industry-chains` and `industry-chains/{id}/impact/`.

Every chain exists for every viewer: a role that may not read chains gets 403; what a province's work
group sees of a chain is the part its own leads draw on (enterprises.industry_chains).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainwork.api_errors import DomainErrorsMixin
from chainwork.errors import NotPermitted
from enterprises import industry_chains
from enterprises.models import IndustryChain


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
        return Response(industry_chains.analysis_as_dict(industry_chains.analyse(chain, request.user)))


def register(router) -> None:
    router.register("industry-chains", IndustryChainViewSet, basename="industry-chain")
