"""产融对接 and 清欠 API (design.md Contract): `financing-needs` (+ `POST {id}/match/`, `credit/`,
`disburse/`, `refuse/`) and `arrears` (+ `POST {id}/repay/`, `dispute/`). Thin: scoped selectors, shared
FilterSets, policies.services for every write. Checks in the Contract's order: outside the scope 404,
wrong role 403, wrong state 409, bad input 400."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Urgency
from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.errors import InvalidState, NotPermitted
from enterprises.models import Enterprise
from policies import selectors, services
from policies.filters import ArrearFilter, FinancingNeedFilter
from policies.models import Arrear, ArrearState, DebtorKind, FinancingNeed, FinancingPurpose, FinancingState

AMOUNT = {"max_digits": 14, "decimal_places": 2}


def _scoped_id(request, key: str) -> None:
    """A create naming an enterprise outside the user's scope answers 404 before the role (403)."""
    value = request.data.get(key)
    if value in (None, ""):
        return
    try:
        in_scope = Enterprise.objects.visible_to(request.user).filter(pk=int(value)).exists()
    except (TypeError, ValueError):
        return  # not an id: the serializer answers 400
    if not in_scope:
        raise Http404


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """A stored choice in words (its label), read from the model's choices: DRF's `source="get_x_display"`
    inspects the bound method's signature for every row, which costs more than the rest of the row."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


@extend_schema_field(OpenApiTypes.STR)
class PersonField(serializers.Field):
    """A user by name (the recorder)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(value)


# --- 融资需求 ------------------------------------------------------------------------------------------


class FinancingNeedSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.list_region_id", read_only=True,
                                   help_text=_("企业名单所属地区两位代码"))
    lead_name = serializers.CharField(source="lead.name", read_only=True, allow_null=True, default=None)
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)
    purpose_label = LabelField(FinancingPurpose.choices, source="purpose")
    urgency_label = LabelField(Urgency.choices, source="urgency")
    state_label = LabelField(FinancingState.choices, source="state")
    recorded_by = PersonField()

    class Meta:
        model = FinancingNeed
        fields = ["id", "enterprise", "enterprise_name", "region", "lead", "lead_name", "case", "case_number",
                  "amount_wan", "purpose", "purpose_label", "urgency", "urgency_label", "banks", "state",
                  "state_label", "matched_on", "credited_on", "credit_wan", "disbursed_on", "disbursed_wan",
                  "refused_on", "refusal_reason", "next_follow_up", "notes", "recorded_by", "created_at",
                  "updated_at"]
        read_only_fields = fields


class FinancingNeedInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(help_text=_("融资企业 id（本人可完整查看的企业，否则 404）"))
    lead = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=_("服务的龙头企业 id（其产业链中须有该企业）"))
    case = serializers.IntegerField(required=False, allow_null=True, help_text=_("相关问题 id（可选）"))
    amount_wan = serializers.DecimalField(**AMOUNT, help_text=_("融资需求金额（万元）"))
    purpose = serializers.ChoiceField(choices=FinancingPurpose.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    banks = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list,
                                  help_text=_("推送银行名称"))
    next_follow_up = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FinancingStepSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True,
                                 help_text=_("对接、授信、放款或未获支持的日期，默认今天"))
    amount_wan = serializers.DecimalField(**AMOUNT, required=False, allow_null=True,
                                          help_text=_("授信或放款金额（万元）：credit、disburse 必填"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text=_("未获支持的原因：refuse 必填"))
    banks = serializers.ListField(child=serializers.CharField(max_length=64), required=False, allow_null=True,
                                  help_text=_("对接银行（可选，替换原推送银行）"))
    next_follow_up = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


STEP_ORDER = ("不在本人范围内 404；角色不能记录 403（省专班、驻企联络员可记录）；当前状态不允许 409；输入错误 400。\n\n"
              "Outside the scope 404; a role that may not record 403 (province officials and liaison officers "
              "may); wrong state 409; bad input 400.")


def _step_schema(summary: str):
    return extend_schema(summary=summary, description=STEP_ORDER, request=FinancingStepSerializer,
                         responses={200: FinancingNeedSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                                    409: ErrorSerializer, 400: OpenApiResponse(description="输入错误")})


@extend_schema_view(
    list=extend_schema(summary="融资需求 · Financing needs",
                       description="本人可完整查看的企业的融资需求（分页，含 `next`）；可按地区、产业链（`lead`）、"
                                   "对接情况、紧急程度、用途筛选。\n\nThe financing needs of the enterprises the "
                                   "user sees in full, paginated with `next`; `lead` gives a lead's chain."),
    retrieve=extend_schema(summary="融资需求详情 · Financing need"),
    create=extend_schema(summary="登记融资需求 · Record a financing need", description=STEP_ORDER,
                         request=FinancingNeedInputSerializer,
                         responses={201: FinancingNeedSerializer, 403: ErrorSerializer, 404: ErrorSerializer}),
)
class FinancingNeedViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = FinancingNeedSerializer
    filterset_class = FinancingNeedFilter
    ordering_fields = ["created_at", "id", "amount_wan", "next_follow_up"]

    def get_queryset(self):
        return selectors.financing_list(self.request.user)

    def create(self, request, *args, **kwargs):
        _scoped_id(request, "enterprise")
        if not services.can_record_money(request.user):
            raise NotPermitted(_("您的角色不能登记融资需求。"))
        serializer = FinancingNeedInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        need = services.financing_need_create(actor=request.user, data=services.FinancingNeedData(
            enterprise_id=data["enterprise"], lead_id=data.get("lead"), case_id=data.get("case"),
            amount_wan=data["amount_wan"], purpose=data["purpose"], urgency=data["urgency"], banks=data["banks"],
            next_follow_up=data.get("next_follow_up"), notes=data["notes"]))
        need = selectors.financing_list(request.user).get(pk=need.pk)
        return Response(FinancingNeedSerializer(need).data, status=status.HTTP_201_CREATED)

    def _step(self, request, step: str):
        need = self.get_object()
        if not services.can_record_money(request.user):
            raise NotPermitted(_("您的角色不能更新融资对接情况。"))
        spec = services.FINANCING_STEPS[step]
        if need.state not in spec.sources:
            raise InvalidState(_("融资需求当前为“%(state)s”，不能记为“%(step)s”。") % {
                "state": need.get_state_display(), "step": spec.label})
        serializer = FinancingStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.financing_need_step(
            actor=request.user, need_id=need.pk, step=step, date=data.get("date"), amount_wan=data.get("amount_wan"),
            reason=data["reason"], banks=data.get("banks"), next_follow_up=data.get("next_follow_up"),
            note=data["note"])
        return Response(FinancingNeedSerializer(self.get_queryset().get(pk=need.pk)).data)

    @_step_schema("已对接 · Matched with a bank")
    @action(detail=True, methods=["post"], filterset_class=None)
    def match(self, request, pk=None):
        return self._step(request, "match")

    @_step_schema("已授信 · Credit granted (amount)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def credit(self, request, pk=None):
        return self._step(request, "credit")

    @_step_schema("已放款 · Loan paid out (amount)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def disburse(self, request, pk=None):
        return self._step(request, "disburse")

    @_step_schema("未获支持 · Not supported (reason)")
    @action(detail=True, methods=["post"], filterset_class=None)
    def refuse(self, request, pk=None):
        return self._step(request, "refuse")


# --- 拖欠账款 ------------------------------------------------------------------------------------------


class RepaymentSerializer(serializers.Serializer):
    date = serializers.DateField()
    amount_wan = serializers.DecimalField(**AMOUNT)
    note = serializers.CharField()


class ArrearSerializer(serializers.ModelSerializer):
    creditor_name = serializers.CharField(source="creditor.name", read_only=True)
    region = serializers.CharField(source="creditor.list_region_id", read_only=True,
                                   help_text=_("被拖欠企业名单所属地区两位代码"))
    debtor_kind_label = LabelField(DebtorKind.choices, source="debtor_kind")
    state_label = LabelField(ArrearState.choices, source="state")
    outstanding_wan = serializers.DecimalField(**AMOUNT, read_only=True, help_text=_("未清偿金额（万元）"))
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)
    repayments = RepaymentSerializer(many=True, read_only=True)
    recorded_by = PersonField()

    class Meta:
        model = Arrear
        fields = ["id", "creditor", "creditor_name", "region", "debtor_name", "debtor_kind", "debtor_kind_label",
                  "contract", "owed_wan", "repaid_wan", "outstanding_wan", "state", "state_label", "dispute_reason",
                  "case", "case_number", "repayments", "notes", "recorded_by", "created_at", "updated_at"]
        read_only_fields = fields


class ArrearInputSerializer(serializers.Serializer):
    creditor = serializers.IntegerField(help_text=_("被拖欠企业 id（本人可完整查看的企业，否则 404）"))
    debtor_name = serializers.CharField(max_length=200)
    debtor_kind = serializers.ChoiceField(choices=DebtorKind.choices)
    contract = serializers.CharField(max_length=200)
    owed_wan = serializers.DecimalField(**AMOUNT, help_text=_("拖欠金额（万元）"))
    case = serializers.IntegerField(required=False, allow_null=True, help_text=_("相关问题 id（“资金”类，可选）"))
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RepayInputSerializer(serializers.Serializer):
    amount_wan = serializers.DecimalField(**AMOUNT, help_text=_("本次清偿金额（万元）"))
    date = serializers.DateField(required=False, allow_null=True, help_text=_("清偿日期，默认今天"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DisputeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("争议情况"))


def _arrear_schema(summary: str, request):
    return extend_schema(summary=summary, description=STEP_ORDER, request=request,
                         responses={200: ArrearSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                                    409: ErrorSerializer, 400: OpenApiResponse(description="输入错误")})


@extend_schema_view(
    list=extend_schema(summary="拖欠账款 · Arrears",
                       description="本人可完整查看的企业被拖欠的账款（部专班：全国台账；分页，含 `next`）。\n\n"
                                   "Arrears owed to the enterprises the user sees in full (the ministry: the "
                                   "national ledger), paginated with `next`; `lead` gives a lead's chain."),
    retrieve=extend_schema(summary="拖欠账款详情 · Arrear"),
    create=extend_schema(summary="登记拖欠账款 · Record an arrear", description=STEP_ORDER,
                         request=ArrearInputSerializer,
                         responses={201: ArrearSerializer, 403: ErrorSerializer, 404: ErrorSerializer}),
)
class ArrearViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = ArrearSerializer
    filterset_class = ArrearFilter
    ordering_fields = ["created_at", "id", "owed_wan"]

    def get_queryset(self):
        return selectors.arrear_list(self.request.user).prefetch_related("repayments")

    def create(self, request, *args, **kwargs):
        _scoped_id(request, "creditor")
        if not services.can_record_money(request.user):
            raise NotPermitted(_("您的角色不能登记拖欠账款。"))
        serializer = ArrearInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        arrear = services.arrear_create(actor=request.user, data=services.ArrearData(
            creditor_id=data["creditor"], debtor_name=data["debtor_name"], debtor_kind=data["debtor_kind"],
            contract=data["contract"], owed_wan=data["owed_wan"], case_id=data.get("case"), notes=data["notes"]))
        return Response(ArrearSerializer(self.get_queryset().get(pk=arrear.pk)).data, status=status.HTTP_201_CREATED)

    def _checked(self, request, refused_states: tuple[str, ...]) -> Arrear:
        arrear = self.get_object()
        if not services.can_record_money(request.user):
            raise NotPermitted(_("您的角色不能记录清偿情况。"))
        if arrear.state in refused_states:
            raise InvalidState(_("该笔账款当前为“%(state)s”，不能进行此操作。") % {"state": arrear.get_state_display()})
        return arrear

    @_arrear_schema("记录清偿 · Record a repayment", RepayInputSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def repay(self, request, pk=None):
        arrear = self._checked(request, (ArrearState.PAID,))
        serializer = RepayInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.arrear_repay(actor=request.user, arrear_id=arrear.pk, amount_wan=data["amount_wan"],
                              date=data.get("date"), note=data["note"])
        return Response(ArrearSerializer(self.get_queryset().get(pk=arrear.pk)).data)

    @_arrear_schema("有争议 · Disputed", DisputeInputSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def dispute(self, request, pk=None):
        arrear = self._checked(request, (ArrearState.PAID, ArrearState.DISPUTED))
        serializer = DisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.arrear_dispute(actor=request.user, arrear_id=arrear.pk, reason=serializer.validated_data["reason"])
        return Response(ArrearSerializer(self.get_queryset().get(pk=arrear.pk)).data)


def register(router) -> None:
    router.register("financing-needs", FinancingNeedViewSet, basename="financing-need")
    router.register("arrears", ArrearViewSet, basename="arrear")
