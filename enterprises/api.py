"""Enterprise API (design.md Contract): enterprises (+ chain), supply-links, status-reports.

Thin views: `get_queryset()` is the scoped selector (`visible_to` / `linked_visible_to`), filters are
FilterSets, and every write goes through `enterprises.services`. Checks run in the Contract's order:
outside the scope 404 (the scoped queryset, before anything else), wrong role 403 (a pre-check with the
predicates of `enterprises.permissions`, then the service itself), bad input 400 (serializer shape, then
the service's rules).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainwork.api_errors import IF_MATCH_PARAMETER, DomainErrorsMixin, client_version
from chainwork.choices import FilterSet
from chainwork.errors import NotPermitted, StaleVersion, expected_version
from chainwork.models import IndustrySection, KeyField, Region, Role
from chainwork.scope import scope_for
from enterprises import api_industry_chains, chains, permissions, services
from enterprises import credit_code as cc
from enterprises.filters import CoveredEnterpriseFilter, EnterpriseFilter
from enterprises.models import Criticality, Direction, Enterprise, Resumption, Size, StatusReport, SupplyLink


def _user(serializer_field) -> object | None:
    request = serializer_field.context.get("request")
    return getattr(request, "user", None)


# --- fields ------------------------------------------------------------------------------------------


class CreditCodeField(serializers.CharField):
    """统一社会信用代码, normalised (spaces, hyphens, full-width, case) before any other check.

    Normalising here, not later, means a duplicate in another spelling is found by the uniqueness check
    and answered 400 on `credit_code`, never a 500 from the database (stack.md pitfall 9).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return cc.normalize(super().to_internal_value(data)) or None


@extend_schema_field(OpenApiTypes.INT)
class ScopedEnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise id the requesting user sees in full (or, with `linked=True`, at least limited).

    An id outside that answers the same 400 as an id that does not exist: nothing leaks.
    """

    def __init__(self, *, linked: bool = False, **kwargs):
        self.linked = linked
        super().__init__(**kwargs)

    def get_queryset(self):
        user = _user(self)
        if self.linked:
            return Enterprise.objects.linked_visible_to(user)
        return Enterprise.objects.visible_to(user)


# One value each, so that a response matches exactly one branch of EnterpriseFullOrLimited's oneOf (a pattern,
# not a one-value enum: two enums on fields named "view" would collide in drf-spectacular's enum naming).
VIEW_FULL_SCHEMA = {"type": "string", "pattern": "^full$", "description": "full"}
VIEW_LIMITED_SCHEMA = {"type": "string", "pattern": "^limited$", "description": "limited"}

# An enterprise's current status: Resumption, or blank before the first report. Its own enum id keeps the
# schema from naming one choice set twice (StatusEnum here, ResumedEnum on the reports).
CURRENT_STATUS_SCHEMA = {"type": "string", "enum": [*Resumption.values, ""], "x-spec-enum-id": "enterprise-status",
                         "description": "复工状态（空为未填报） · current status, blank before the first report"}


@extend_schema_field(CURRENT_STATUS_SCHEMA)
class CurrentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Resumption.choices, allow_blank=True, read_only=True, **kwargs)


# --- enterprises: serializers --------------------------------------------------------------------------


class EnterpriseSerializer(serializers.ModelSerializer):
    """The full view of an enterprise (output)."""

    region = serializers.CharField(source="region_id", read_only=True, allow_null=True,
                                   help_text=_("所属地区两位代码；境外企业为空"))
    list_region = serializers.CharField(source="list_region_id", read_only=True, allow_null=True,
                                        help_text=_("名单所属地区两位代码；境外企业不属于任何地区的名单，为空"))
    added_by_region = serializers.CharField(source="added_by_region_id", read_only=True, allow_null=True,
                                            help_text=_("境外企业：登记它的地区两位代码（部专班登记的为空）"))
    industry = serializers.CharField(source="industry_id", read_only=True, allow_null=True,
                                     help_text=_("行业门类（A–T）"))
    key_fields = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    size = serializers.ChoiceField(choices=Size.choices, allow_blank=True, read_only=True)
    status = CurrentStatusField()
    org_code_confirmed = serializers.SerializerMethodField()
    view = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "region", "list_region", "added_by_region", "country", "city",
                  "county", "industry", "key_fields", "size", "is_lead", "address", "contact_name",
                  "contact_position", "contact_phone", "notes", "status", "status_date", "staff_rate",
                  "output_rate", "org_code_confirmed", "created_at", "updated_at", "version", "view"]
        read_only_fields = fields

    def get_org_code_confirmed(self, enterprise) -> bool:
        return enterprise.org_code_confirmed_by_id is not None

    @extend_schema_field(VIEW_FULL_SCHEMA)
    def get_view(self, enterprise) -> str:
        return "full"


class EnterpriseWrittenSerializer(EnterpriseSerializer):
    """The full view after a create or update, with the warnings the save raised."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text=_("提示（不阻止保存），如信用代码行政区划与所属地区不一致"))

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


class EnterpriseLimitedSerializer(serializers.Serializer):
    """The limited view (design.md "Users"): name, region and status only — no contacts, code or notes."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True, allow_null=True)
    country = serializers.CharField(read_only=True)
    status = CurrentStatusField()
    status_date = serializers.DateField(read_only=True, allow_null=True)
    view = serializers.SerializerMethodField()

    @extend_schema_field(VIEW_LIMITED_SCHEMA)
    def get_view(self, enterprise) -> str:
        return "limited"

    def to_representation(self, enterprise):
        # chains.limited_fields is the one definition of the limited view (also used by the chain).
        return {**chains.limited_fields(enterprise), "view": "limited"}


class EnterpriseInputSerializer(serializers.Serializer):
    """What a client may write. The service normalises and checks the rules; this checks the shape."""

    name = serializers.CharField(max_length=200)
    credit_code = CreditCodeField(help_text=_("境内企业必填；空格、连字符和全角字符会被规范化"))
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False,
                                          allow_null=True, help_text=_("所属地区两位代码；境外企业留空"))
    added_by_region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True,
        help_text=_("境外企业：登记它的地区两位代码，由部专班指定；省专班登记的为本地区"))
    country = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                    help_text=_("境外企业的国家（地区）"))
    city = serializers.CharField(max_length=64, required=False, allow_blank=True)
    county = serializers.CharField(max_length=64, required=False, allow_blank=True)
    industry = serializers.SlugRelatedField(slug_field="code", queryset=IndustrySection.objects.all(),
                                            required=False, allow_null=True)
    key_fields = serializers.SlugRelatedField(slug_field="slug", many=True, required=False,
                                              queryset=KeyField.objects.filter(is_active=True))
    size = serializers.ChoiceField(choices=Size.choices, required=False, allow_blank=True)
    is_lead = serializers.BooleanField(required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    contact_position = serializers.CharField(max_length=32, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    confirm_org_code = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text=_("人工确认组织机构代码校验不符的信用代码（部专班、系统管理员）"))
    version = serializers.IntegerField(
        required=False, write_only=True, min_value=1,
        help_text=_("修改时：客户端所见版本（或以 If-Match 传回）；已被他人修改则 409"))

    def enterprise_data(self, instance: Enterprise | None) -> services.EnterpriseData:
        """The service's input: the instance's current values overlaid with what the client sent."""
        values = self.validated_data
        if instance is None:
            data = services.EnterpriseData(name="")
        else:
            data = services.EnterpriseData(
                name=instance.name, credit_code=instance.credit_code, region=instance.region,
                country=instance.country, city=instance.city, county=instance.county,
                industry_id=instance.industry_id, key_field_ids=[k.pk for k in instance.key_fields.all()],
                size=instance.size, is_lead=instance.is_lead, address=instance.address,
                contact_name=instance.contact_name, contact_position=instance.contact_position,
                contact_phone=instance.contact_phone, notes=instance.notes,
                added_by_region=instance.added_by_region,
            )
        for name, value in values.items():
            if name == "industry":
                data.industry_id = value.pk if value else None
            elif name == "key_fields":
                data.key_field_ids = [k.pk for k in value]
            elif name not in ("confirm_org_code", "version"):
                setattr(data, name, value)
        return data


def _written(result: services.SaveResult) -> dict:
    enterprise = result.enterprise
    data = EnterpriseSerializer(enterprise).data
    data["warnings"] = [str(w) for w in result.warnings]
    return data


class ChainNodeSerializer(serializers.Serializer):
    """One enterprise in a chain; the credit code and rates only in the full view."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    country = serializers.CharField()
    status = CurrentStatusField()
    status_date = serializers.DateField(allow_null=True)
    full_view = serializers.BooleanField()
    direction = serializers.ChoiceField(choices=Direction.choices, allow_null=True)
    product = serializers.CharField()
    criticality = serializers.ChoiceField(choices=Criticality.choices, allow_blank=True)
    single_source = serializers.BooleanField()
    weak_link = serializers.BooleanField()
    cross_region = serializers.BooleanField()
    abroad = serializers.BooleanField()
    blocked = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    link_id = serializers.IntegerField(allow_null=True)
    credit_code = serializers.CharField(required=False, allow_null=True)
    staff_rate = serializers.DecimalField(max_digits=None, decimal_places=4, required=False, allow_null=True)
    output_rate = serializers.DecimalField(max_digits=None, decimal_places=4, required=False, allow_null=True)
    open_problems = serializers.IntegerField(required=False)


class ChainSerializer(serializers.Serializer):
    """产业链图谱 around a lead (documentation only; `chains.chain_as_dict` builds the answer)."""

    lead = ChainNodeSerializer()
    upstream = ChainNodeSerializer(many=True)
    downstream = ChainNodeSerializer(many=True)
    blockers = serializers.IntegerField()
    weak_links = serializers.IntegerField()


WRITE_ORDER = ("范围外 404，无权修改 403，版本已过期 409（`version` 或 If-Match），输入错误 400。\n\n"
               "Outside the scope 404; may not edit 403; stale version 409 (`version` or If-Match); bad input 400.")

ENTERPRISE_OR_LIMITED = PolymorphicProxySerializer(
    component_name="EnterpriseFullOrLimited",
    serializers={"full": EnterpriseSerializer, "limited": EnterpriseLimitedSerializer},
    resource_type_field_name="view",
)


# --- enterprises: views ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="重点企业名单 · Enterprise list",
        description="本人可完整查看的企业（分页，含 `next`）；"
                    "行业协会为其覆盖的企业（有限信息：名称、地区、状态）。\n\n"
                    "Enterprises the user sees in full, paginated with `next`; filters shared with the list page. "
                    "For an industry association, the enterprises it covers, in the limited view.",
    ),
    retrieve=extend_schema(
        summary="企业详情 · Enterprise",
        description="范围内企业为完整信息（`view: full`）；仅因配套关系可见的企业只显示名称、地区和状态"
                    "（`view: limited`）；其他为 404。\n\n"
                    "Full view within the user's scope; the limited view (name, region, status) for an enterprise "
                    "only linked to it by a supply link; 404 otherwise.",
        responses=ENTERPRISE_OR_LIMITED,
    ),
    create=extend_schema(
        summary="登记企业 · Register an enterprise",
        description="信用代码规范化后校验；错误以 `credit_code` 为键（400）；"
                    "行政区划与地区不一致只作为 `warnings`。\n\n"
                    "The credit code is normalised, then checked; its errors are keyed on `credit_code` (400). "
                    "A division/region mismatch is a warning in `warnings`, never an error. Abroad: `country`, "
                    "no `region`, no code.",
        request=EnterpriseInputSerializer,
        responses={201: EnterpriseWrittenSerializer},
    ),
    update=extend_schema(
        summary="修改企业 · Update an enterprise",
        description=WRITE_ORDER,
        request=EnterpriseInputSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: EnterpriseWrittenSerializer},
    ),
    partial_update=extend_schema(
        summary="修改企业（部分字段） · Update some fields",
        description=WRITE_ORDER,
        request=EnterpriseInputSerializer,
        parameters=[IF_MATCH_PARAMETER],
        responses={200: EnterpriseWrittenSerializer},
    ),
)
class EnterpriseViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = EnterpriseSerializer
    # The FilterSet carries its own `ordering` (shared with the page); DRF's OrderingFilter would clash.
    filter_backends = [filters.DjangoFilterBackend]

    @property
    def filterset_class(self):
        return CoveredEnterpriseFilter if self._association() else EnterpriseFilter

    def _association(self) -> bool:
        request = getattr(self, "request", None)  # none while the schema is generated
        return request is not None and scope_for(request.user).role == Role.ASSOCIATION

    def get_serializer_class(self):
        # A 行业协会's list: the enterprises it covers, in the limited view.
        if self.action == "list" and self._association():
            return EnterpriseLimitedSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and self._association():
            return Enterprise.objects.covered_by(user).order_by("name_pinyin", "pk")
        if self.action == "retrieve":
            queryset = Enterprise.objects.seen_by(user)
        else:
            queryset = Enterprise.objects.visible_to(user)
        return queryset.select_related("region", "list_region", "industry").prefetch_related("key_fields")

    def retrieve(self, request, *args, **kwargs):
        enterprise = self.get_object()
        if Enterprise.objects.visible_to(request.user).filter(pk=enterprise.pk).exists():
            return Response(EnterpriseSerializer(enterprise).data)
        return Response(EnterpriseLimitedSerializer(enterprise).data)

    def create(self, request, *args, **kwargs):
        if not permissions.can_create(request.user):
            raise NotPermitted(_("您的角色不能登记企业。"))
        serializer = EnterpriseInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        result = services.enterprise_save(
            actor=request.user, data=serializer.enterprise_data(None),
            confirm_org_code=serializer.validated_data["confirm_org_code"])
        return Response(_written(result), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        enterprise = self.get_object()  # outside the full scope: 404 before any role check
        if not permissions.can_edit(request.user, enterprise):
            raise NotPermitted(_("您只能维护本地区名单中的企业。"))
        # A stale version is a 409 before any input error (the Contract's order); the service checks it
        # again under the row lock.
        version = client_version(request)
        expected = expected_version(version)
        if expected is not None and expected != enterprise.version:
            raise StaleVersion(_("该企业已被他人修改，请重新加载后再保存；您填写的内容仍保留在表单中。"))
        serializer = EnterpriseInputSerializer(data=request.data, partial=partial,
                                               context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        result = services.enterprise_save(
            actor=request.user, instance=enterprise, data=serializer.enterprise_data(enterprise),
            confirm_org_code=serializer.validated_data.get("confirm_org_code", False), version=expected)
        return Response(_written(result))

    @extend_schema(
        summary="产业链图谱 · Supply chain",
        description="龙头企业的上下游配套企业，堵点在前；范围外的配套企业只显示有限信息。\n\n"
                    "The lead's suppliers and customers, blockers first; partners outside the user's scope in the "
                    "limited view. 404 unless the enterprise is in the user's full scope.",
        responses=ChainSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def chain(self, request, pk=None):
        lead = self.get_object()
        return Response(chains.chain_as_dict(chains.chain_for(lead, request.user)))

    def filter_queryset(self, queryset):
        # The list's filters apply to the list only, not to fetching one enterprise.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


# --- supply links ------------------------------------------------------------------------------------


class SupplyLinkFilter(FilterSet):
    # Plain ids, not ModelChoiceFilters: an id outside the scope must not answer differently.
    lead = filters.NumberFilter(field_name="lead_id", label=_("龙头企业"))
    partner = filters.NumberFilter(field_name="partner_id", label=_("配套企业"))
    direction = filters.ChoiceFilter(choices=Direction.choices, label=_("关系"))
    criticality = filters.ChoiceFilter(choices=Criticality.choices, label=_("重要程度"))
    single_source = filters.BooleanFilter(label=_("唯一供应"))

    class Meta:
        model = SupplyLink
        fields = ["lead", "partner", "direction", "criticality", "single_source"]


class SupplyLinkSerializer(serializers.ModelSerializer):
    """A supply link (output). The partner is shown by name and region only: it may lie outside the scope."""

    lead_name = serializers.CharField(source="lead.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    partner_region = serializers.CharField(source="partner.region_id", read_only=True, allow_null=True)
    partner_country = serializers.CharField(source="partner.country", read_only=True)
    weak_link = serializers.BooleanField(source="is_weak_link", read_only=True)

    class Meta:
        model = SupplyLink
        fields = ["id", "lead", "lead_name", "partner", "partner_name", "partner_region", "partner_country",
                  "direction", "product", "criticality", "single_source", "weak_link", "created_at"]
        read_only_fields = fields


class SupplyLinkInputSerializer(serializers.Serializer):
    lead = ScopedEnterpriseField(help_text=_("龙头企业 id（本人可完整查看的企业）"))
    # A partner may lie in any region (chains cross provinces); the link then shows it in the limited view
    # only — name, region and status. By id only an enterprise the user already sees (in scope or linked to
    # their enterprises): ids are sequential, so any id would let an official read every enterprise one by
    # one. Any other partner is named by its credit code, which the official must know. The message names
    # no id, so a hidden id and a missing one answer alike.
    partner = ScopedEnterpriseField(
        linked=True, required=False, allow_null=True,
        help_text=_("配套企业 id（本人可查看的企业）；其他企业请改填 partner_credit_code"),
        error_messages={"does_not_exist": _("没有该 id 的可查看企业；其他地区的企业请以 partner_credit_code 指定。")})
    partner_credit_code = CreditCodeField(help_text=_("已登记配套企业的统一社会信用代码（代替 partner）"))
    direction = serializers.ChoiceField(choices=Direction.choices)
    product = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    criticality = serializers.ChoiceField(choices=Criticality.choices, default=Criticality.IMPORTANT)
    single_source = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        partner, code = attrs.get("partner"), attrs.pop("partner_credit_code", None)
        if partner is not None and code:
            raise serializers.ValidationError({"partner_credit_code": _("请只填写配套企业或其信用代码之一。")})
        if partner is None:
            if not code:
                raise serializers.ValidationError({"partner": _("请选择配套企业或填写其统一社会信用代码。")})
            attrs["partner"] = Enterprise.objects.filter(credit_code=code).first()
            if attrs["partner"] is None:
                raise serializers.ValidationError(
                    {"partner_credit_code": _("没有以该统一社会信用代码登记的企业，请先登记该企业。")})
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="配套关系 · Supply links",
        description="龙头企业在本人范围内的配套关系（分页）。\n\nLinks whose lead the user sees in full, paginated.",
    ),
    retrieve=extend_schema(summary="配套关系详情 · Supply link"),
    create=extend_schema(
        summary="登记配套关系 · Add a supply link",
        description="`lead` 须为本人可完整查看的龙头企业；`partner` 为本人可查看的企业（本地区的，或已与本地区企业"
                    "建立配套关系的）的 id；其他已登记企业（可属其他地区）以 `partner_credit_code` 指定；其他地区的企业"
                    "仅显示名称、地区和状态。\n\n"
                    "`lead` must be a lead enterprise in the user's full scope (else 400 on `lead`); `partner` is the "
                    "id of an enterprise the user sees (in scope, or already linked to their enterprises); any other "
                    "registered enterprise, of any region, is named by `partner_credit_code`. An id outside that "
                    "answers the same 400 as one that does not exist. A partner of another region is then shown by "
                    "name, region and status only. A link to itself or a duplicate is 400.",
        request=SupplyLinkInputSerializer,
        responses={201: SupplyLinkSerializer},
    ),
    destroy=extend_schema(
        summary="删除配套关系 · Delete a supply link",
        description="范围外 404，无权修改 403。\n\nOutside the scope 404; may not edit 403.",
    ),
)
class SupplyLinkViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = SupplyLinkSerializer
    filterset_class = SupplyLinkFilter
    ordering_fields = ["id", "created_at", "criticality", "direction"]

    def get_queryset(self):
        leads = Enterprise.objects.visible_to(self.request.user).values("pk")
        return SupplyLink.objects.filter(lead__in=leads).select_related("lead", "partner")

    def create(self, request, *args, **kwargs):
        if not permissions.can_create(request.user):
            raise NotPermitted(_("您只能维护本地区龙头企业的配套关系。"))
        serializer = SupplyLinkInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        link = services.supply_link_create(actor=request.user, **serializer.validated_data)
        return Response(SupplyLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.supply_link_delete(actor=request.user, link=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- status reports ----------------------------------------------------------------------------------


class StatusReportFilter(FilterSet):
    enterprise = filters.NumberFilter(field_name="enterprise_id", label=_("企业"))
    date = filters.DateFilter(label=_("日期"))
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))
    resumed = filters.ChoiceFilter(choices=Resumption.choices, label=_("复工情况"))
    region = filters.ModelChoiceFilter(label=_("所属地区"), field_name="enterprise__list_region",
                                       queryset=Region.objects.all(), to_field_name="code")

    class Meta:
        model = StatusReport
        fields = ["enterprise", "date", "date_after", "date_before", "resumed", "region"]


RATE = {"max_digits": None, "decimal_places": 4, "read_only": True, "allow_null": True}


class StatusReportSerializer(serializers.ModelSerializer):
    """A day's status (output); the rates are derived from the figures, never written."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    staff_rate = serializers.DecimalField(**RATE, help_text=_("员工到岗率 = 到岗人数 ÷ 正常用工人数"))
    output_rate = serializers.DecimalField(**RATE, help_text=_("达产率 = 当日产值 ÷ 正常产值"))
    capacity_utilisation = serializers.DecimalField(**RATE, help_text=_("产能利用率 = 当日产值 ÷ 产能"))

    class Meta:
        model = StatusReport
        fields = ["id", "enterprise", "enterprise_name", "date", "resumed", "staff_at_work", "staff_normal",
                  "output", "output_normal", "capacity", "note", "source", "staff_rate", "output_rate",
                  "capacity_utilisation", "created_at", "updated_at"]
        read_only_fields = fields


MONEY = {"max_digits": 14, "decimal_places": 2, "required": False, "allow_null": True}
HEADCOUNT = {"required": False, "allow_null": True, "max_value": 2_147_483_647}


class StatusReportInputSerializer(serializers.Serializer):
    enterprise = ScopedEnterpriseField(help_text=_("企业 id（本人可完整查看的企业）"))
    date = serializers.DateField()
    resumed = serializers.ChoiceField(choices=Resumption.choices)
    staff_at_work = serializers.IntegerField(**HEADCOUNT)
    staff_normal = serializers.IntegerField(**HEADCOUNT)
    output = serializers.DecimalField(**MONEY, help_text=_("当日产值（万元）"))
    output_normal = serializers.DecimalField(**MONEY, help_text=_("正常产值（万元）"))
    capacity = serializers.DecimalField(**MONEY, help_text=_("产能（万元）"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _may_report_status(user) -> bool:
    """The roles that may report any status at all; which enterprise is the service's decision."""
    return permissions.can_create(user) or scope_for(user).role == Role.LIAISON


@extend_schema_view(
    list=extend_schema(
        summary="复工复产情况 · Status reports",
        description="本人范围内企业的每日复工复产情况（分页）。\n\n"
                    "Daily status of the enterprises in the user's full scope, newest first, paginated.",
    ),
    retrieve=extend_schema(summary="复工复产情况详情 · Status report"),
    create=extend_schema(
        summary="填报复工复产情况 · Report a day's status",
        description="每企业每日一条：新建答 201，更正已有当日情况答 200。不能填报未来日期。到岗率、达产率、产能利用率"
                    "由数据计算，不可填写。\n\n"
                    "One report per enterprise and day: 201 when it creates the day's report, 200 when it corrects "
                    "an existing one. No future dates. The rates are derived, never input.",
        request=StatusReportInputSerializer,
        responses={
            201: OpenApiResponse(StatusReportSerializer, description="新建 · created"),
            200: OpenApiResponse(StatusReportSerializer, description="更正当日情况 · corrected the day's report"),
        },
    ),
)
class StatusReportViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = StatusReportSerializer
    filterset_class = StatusReportFilter
    ordering_fields = ["date", "id"]

    def get_queryset(self):
        enterprises = Enterprise.objects.visible_to(self.request.user).values("pk")
        return StatusReport.objects.filter(enterprise__in=enterprises).select_related("enterprise")

    def create(self, request, *args, **kwargs):
        if not _may_report_status(request.user):
            raise NotPermitted(_("您不能填报该企业的复工情况。"))
        serializer = StatusReportInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        enterprise = values.pop("enterprise")
        existed = StatusReport.objects.filter(enterprise=enterprise, date=values["date"]).exists()
        report = services.status_report_record(actor=request.user, enterprise=enterprise,
                                               data=services.StatusData(**values), source=StatusReport.Source.API)
        return Response(StatusReportSerializer(report).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    router.register("supply-links", SupplyLinkViewSet, basename="supply-link")
    router.register("status-reports", StatusReportViewSet, basename="status-report")
    api_industry_chains.register(router)

