"""应对预案, 政策储备 and 一企一策 API: `response-plans` (+ `POST {id}/approve/`, `activate/`, `lift/`),
`policy-reserves` (+ `POST {id}/submit/`, `issue/`, `shelve/`) and `service-plans` (+ `POST {id}/measures/`
adds a measure, `POST {id}/progress/` records a measure's progress). Thin: scoped selectors, shared
FilterSets, policies.services_plans for every write. Checks in the Contract's order: outside the scope
404, wrong role 403, wrong state 409, bad input 400."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.errors import InvalidState, NotPermitted
from enterprises.models import Enterprise
from policies import selectors_plans as selectors
from policies import services_plans as services
from policies.api_money import LabelField, PersonField
from policies.filters_plans import PolicyReserveFilter, ResponsePlanFilter, ServicePlanFilter
from policies.models import (
    MeasureState,
    PlanState,
    PolicyReserve,
    ReserveState,
    ResponsePlan,
    ServiceMeasure,
    ServicePlan,
)

ORDER = ("不在本人范围内 404；角色不能操作 403；当前状态不允许 409；输入错误 400。\n\n"
         "Outside the scope 404; a role that may not do it 403; wrong state 409; bad input 400.")


def _schema(summary: str, request, response):
    return extend_schema(summary=summary, description=ORDER, request=request,
                         responses={200: response, 403: ErrorSerializer, 404: ErrorSerializer,
                                    409: ErrorSerializer, 400: OpenApiResponse(description="输入错误")})


def _lead_in_scope(request, key: str = "lead") -> Enterprise | None:
    """A write naming a lead outside the user's scope answers 404 before the role (403)."""
    value = request.data.get(key)
    if value in (None, ""):
        return None
    try:
        lead = Enterprise.objects.visible_to(request.user).filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None  # not an id: the serializer answers 400
    if lead is None:
        raise Http404
    return lead


@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]})
class ActionsField(serializers.Field):
    """应对措施 as a list of lines; a text with one action a line is accepted too."""

    def to_representation(self, value):
        return [line.strip() for line in value.splitlines() if line.strip()]

    def to_internal_value(self, data):
        if isinstance(data, str):
            return data
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            return "\n".join(item.strip() for item in data if item.strip())
        raise serializers.ValidationError(_("请以文本或文本列表填写应对措施。"))


class PatchOnly:
    """Changes are partial (PATCH): a PUT would have to name every field the pages keep."""

    http_method_names = ["get", "post", "patch", "head", "options"]


# --- 应对预案 -------------------------------------------------------------------------------------------


class ResponsePlanSerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True, allow_null=True, default=None)
    region = serializers.CharField(source="lead.list_region_id", read_only=True, allow_null=True, default=None,
                                   help_text=_("龙头企业名单所属地区两位代码"))
    chain_name = serializers.CharField(source="chain.name", read_only=True, allow_null=True, default=None)
    situations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    alternatives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = ActionsField(read_only=True)
    state_label = LabelField(PlanState.choices, source="state")

    class Meta:
        model = ResponsePlan
        fields = ["id", "title", "lead", "lead_name", "region", "chain", "chain_name", "situations", "alternatives",
                  "stock_days", "actions", "owner_unit", "owner_person", "owner_phone", "state", "state_label",
                  "in_force_on", "activated_on", "lifted_on", "review_on", "notes", "created_at", "updated_at"]
        read_only_fields = fields


class ResponsePlanInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    lead = serializers.IntegerField(required=False, allow_null=True, help_text=_("龙头企业 id（与 chain 二选一）"))
    chain = serializers.IntegerField(required=False, allow_null=True, help_text=_("重点产业链 id（部专班）"))
    situations = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                       help_text=_("应对的国外疫情形势 id"))
    alternatives = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                         help_text=_("国内替代供应商（企业 id）"))
    stock_days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=3650)
    actions = ActionsField(help_text=_("应对措施：文本（每行一项）或文本列表"))
    owner_unit = serializers.CharField(max_length=100)
    owner_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    owner_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_view(
    list=extend_schema(summary="应对预案 · Response plans",
                       description="本人可查看的应对预案（分页，含 `next`）：部专班全部；"
                                   "省专班本省龙头企业的和各重点产业链的。"
                                   "\n\nThe response plans the user may read, paginated with `next`."),
    retrieve=extend_schema(summary="应对预案详情 · Response plan"),
    create=extend_schema(summary="制定应对预案 · Draw up a response plan", description=ORDER,
                         request=ResponsePlanInputSerializer,
                         responses={201: ResponsePlanSerializer, 403: ErrorSerializer, 404: ErrorSerializer}),
)
class ResponsePlanViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PatchOnly,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ResponsePlanSerializer
    filterset_class = ResponsePlanFilter
    ordering_fields = ["updated_at", "id"]

    def get_queryset(self):
        return selectors.response_plan_list(self.request.user).prefetch_related("situations", "alternatives")

    def create(self, request, *args, **kwargs):
        lead = _lead_in_scope(request)
        if not services.can_create_plans(request.user) or (
                lead is not None and not services.can_keep_for_lead(request.user, lead)):
            raise NotPermitted(_("您的角色不能制定该应对预案。"))
        serializer = ResponsePlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.response_plan_save(actor=request.user, data=services.ResponsePlanData(
            title=data["title"], actions=data["actions"], owner_unit=data["owner_unit"], lead_id=data.get("lead"),
            chain_id=data.get("chain"), situation_ids=data["situations"], alternative_ids=data["alternatives"],
            stock_days=data.get("stock_days"), owner_person=data["owner_person"], owner_phone=data["owner_phone"],
            review_on=data.get("review_on"), notes=data["notes"]))
        return Response(ResponsePlanSerializer(self.get_queryset().get(pk=plan.pk)).data,
                        status=status.HTTP_201_CREATED)

    @_schema("修改应对预案 · Change a response plan (only the fields given)", ResponsePlanInputSerializer,
             ResponsePlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        if not services.can_keep_plan(request.user, plan):
            raise NotPermitted(_("您不能修改该应对预案。"))
        if plan.state == PlanState.LIFTED:
            raise InvalidState(_("应对预案已解除，不能修改。"))
        serializer = ResponsePlanInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.response_plan_save(actor=request.user, plan_id=plan.pk, data=services.ResponsePlanData(
            title=data.get("title", plan.title), actions=data.get("actions", plan.actions),
            owner_unit=data.get("owner_unit", plan.owner_unit),
            situation_ids=data.get("situations", [s.pk for s in plan.situations.all()]),
            alternative_ids=data.get("alternatives", [a.pk for a in plan.alternatives.all()]),
            stock_days=data.get("stock_days", plan.stock_days),
            owner_person=data.get("owner_person", plan.owner_person),
            owner_phone=data.get("owner_phone", plan.owner_phone), review_on=data.get("review_on", plan.review_on),
            notes=data.get("notes", plan.notes)))
        return Response(ResponsePlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    def _step(self, request, step: str):
        plan = self.get_object()
        if not services.can_keep_plan(request.user, plan):
            raise NotPermitted(_("您不能变更该应对预案的状态。"))
        spec = services.PLAN_STEPS[step]
        if plan.state not in spec.sources:
            raise InvalidState(_("应对预案当前为“%(state)s”，不能%(step)s。") % {
                "state": plan.get_state_display(), "step": spec.label})
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.response_plan_step(actor=request.user, plan_id=plan.pk, step=step,
                                    note=serializer.validated_data["note"])
        return Response(ResponsePlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    @_schema("批准生效 · Put in force", NoteSerializer, ResponsePlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        return self._step(request, "approve")

    @_schema("启动预案 · Activate", NoteSerializer, ResponsePlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def activate(self, request, pk=None):
        return self._step(request, "activate")

    @_schema("解除预案 · Lift", NoteSerializer, ResponsePlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def lift(self, request, pk=None):
        return self._step(request, "lift")


# --- 政策储备 -------------------------------------------------------------------------------------------


class PolicyReserveSerializer(serializers.ModelSerializer):
    chains = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    situations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    state_label = LabelField(ReserveState.choices, source="state")
    policy_name = serializers.CharField(source="policy.name", read_only=True, allow_null=True, default=None)
    recorded_by = PersonField()

    class Meta:
        model = PolicyReserve
        fields = ["id", "title", "summary", "proposing_unit", "chains", "situations", "state", "state_label",
                  "submitted_on", "issued_on", "policy", "policy_name", "shelved_reason", "notes", "recorded_by",
                  "created_at", "updated_at"]
        read_only_fields = fields


class PolicyReserveInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    summary = serializers.CharField(max_length=5000)
    proposing_unit = serializers.CharField(max_length=100)
    chains = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                   help_text=_("针对的重点产业链 id"))
    situations = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                       help_text=_("应对的国外疫情形势 id"))
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReserveStepSerializer(serializers.Serializer):
    policy = serializers.IntegerField(required=False, allow_null=True, help_text=_("出台的政策 id：issue 必填"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text=_("搁置原因：shelve 必填"))


@extend_schema_view(
    list=extend_schema(summary="政策储备 · Policy reserve",
                       description="部专班维护的政策建议及其状态；省专班可查看。\n\nPolicy proposals kept by the "
                                   "ministry; province officials read them."),
    retrieve=extend_schema(summary="政策储备详情 · Policy proposal"),
    create=extend_schema(summary="登记政策储备 · Record a policy proposal", description=ORDER,
                         request=PolicyReserveInputSerializer,
                         responses={201: PolicyReserveSerializer, 403: ErrorSerializer}),
)
class PolicyReserveViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PatchOnly,
                           mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = PolicyReserveSerializer
    filterset_class = PolicyReserveFilter
    ordering_fields = ["updated_at", "id"]

    def get_queryset(self):
        return (PolicyReserve.objects.visible_to(self.request.user)
                .select_related("policy", "recorded_by").prefetch_related("chains", "situations"))

    def create(self, request, *args, **kwargs):
        if not services.can_keep_reserves(request.user):
            raise NotPermitted(_("政策储备由部专班维护。"))
        serializer = PolicyReserveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reserve = services.policy_reserve_save(actor=request.user, data=services.PolicyReserveData(
            title=data["title"], summary=data["summary"], proposing_unit=data["proposing_unit"],
            chain_ids=data["chains"], situation_ids=data["situations"], notes=data["notes"]))
        return Response(PolicyReserveSerializer(self.get_queryset().get(pk=reserve.pk)).data,
                        status=status.HTTP_201_CREATED)

    @_schema("修改政策储备 · Change a policy proposal (only the fields given)", PolicyReserveInputSerializer,
             PolicyReserveSerializer)
    def partial_update(self, request, *args, **kwargs):
        reserve = self.get_object()
        if not services.can_keep_reserves(request.user):
            raise NotPermitted(_("政策储备由部专班维护。"))
        if reserve.state in (ReserveState.ISSUED, ReserveState.SHELVED):
            raise InvalidState(_("政策储备当前为“%(state)s”，不能修改。") % {"state": reserve.get_state_display()})
        serializer = PolicyReserveInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.policy_reserve_save(actor=request.user, reserve_id=reserve.pk, data=services.PolicyReserveData(
            title=data.get("title", reserve.title), summary=data.get("summary", reserve.summary),
            proposing_unit=data.get("proposing_unit", reserve.proposing_unit),
            chain_ids=data.get("chains", [c.pk for c in reserve.chains.all()]),
            situation_ids=data.get("situations", [s.pk for s in reserve.situations.all()]),
            notes=data.get("notes", reserve.notes)))
        return Response(PolicyReserveSerializer(self.get_queryset().get(pk=reserve.pk)).data)

    def _step(self, request, step: str):
        reserve = self.get_object()
        if not services.can_keep_reserves(request.user):
            raise NotPermitted(_("政策储备由部专班维护。"))
        spec = services.RESERVE_STEPS[step]
        if reserve.state not in spec.sources:
            raise InvalidState(_("政策储备当前为“%(state)s”，不能%(step)s。") % {
                "state": reserve.get_state_display(), "step": spec.label})
        serializer = ReserveStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.policy_reserve_step(actor=request.user, reserve_id=reserve.pk, step=step,
                                     policy_id=data.get("policy"), reason=data["reason"])
        return Response(PolicyReserveSerializer(self.get_queryset().get(pk=reserve.pk)).data)

    @_schema("报送 · Submit", ReserveStepSerializer, PolicyReserveSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        return self._step(request, "submit")

    @_schema("已出台 · Issued as a policy", ReserveStepSerializer, PolicyReserveSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def issue(self, request, pk=None):
        return self._step(request, "issue")

    @_schema("搁置 · Shelve", ReserveStepSerializer, PolicyReserveSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def shelve(self, request, pk=None):
        return self._step(request, "shelve")


# --- 一企一策 -------------------------------------------------------------------------------------------


class ServiceMeasureSerializer(serializers.ModelSerializer):
    state_label = LabelField(MeasureState.choices, source="state")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = ServiceMeasure
        fields = ["id", "text", "responsible_unit", "deadline", "state", "state_label", "progress", "done_on",
                  "overdue"]
        read_only_fields = fields


class ServicePlanSerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    region = serializers.CharField(source="lead.list_region_id", read_only=True,
                                   help_text=_("龙头企业名单所属地区两位代码"))
    measures = ServiceMeasureSerializer(many=True, read_only=True)
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    policies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ServicePlan
        fields = ["id", "lead", "lead_name", "region", "goal", "contact_unit", "contact_person", "cases", "policies",
                  "measures", "created_at", "updated_at"]
        read_only_fields = fields


class ServicePlanInputSerializer(serializers.Serializer):
    lead = serializers.IntegerField(help_text=_("龙头企业 id（本人可完整查看的企业，否则 404）"))
    contact_unit = serializers.CharField(max_length=100)
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    goal = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    cases = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                  help_text=_("相关问题 id"))
    policies = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text=_("适用政策 id"))


class ServicePlanUpdateSerializer(serializers.Serializer):
    contact_unit = serializers.CharField(max_length=100)
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    goal = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    cases = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                  help_text=_("相关问题 id"))
    policies = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     help_text=_("适用政策 id"))


class MeasureInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    responsible_unit = serializers.CharField(max_length=100)
    deadline = serializers.DateField()


class ProgressInputSerializer(serializers.Serializer):
    measure = serializers.IntegerField(help_text=_("服务措施 id"))
    state = serializers.ChoiceField(choices=MeasureState.choices)
    progress = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    deadline = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(summary="一企一策 · Service plans",
                       description="本人可完整查看的龙头企业的一企一策及其服务措施（分页，含 `next`）。\n\n"
                                   "The service plans of the leads the user sees in full, with their measures."),
    retrieve=extend_schema(summary="一企一策详情 · Service plan"),
    create=extend_schema(summary="制定一企一策 · Draw up a service plan", description=ORDER,
                         request=ServicePlanInputSerializer,
                         responses={201: ServicePlanSerializer, 403: ErrorSerializer, 404: ErrorSerializer}),
)
class ServicePlanViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PatchOnly,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ServicePlanSerializer
    filterset_class = ServicePlanFilter
    ordering_fields = ["updated_at", "id"]

    def get_queryset(self):
        return (ServicePlan.objects.visible_to(self.request.user).select_related("lead")
                .prefetch_related("measures", "cases", "policies"))

    def create(self, request, *args, **kwargs):
        lead = _lead_in_scope(request)
        if not services.can_create_plans(request.user) or (
                lead is not None and not services.can_keep_for_lead(request.user, lead)):
            raise NotPermitted(_("您的角色不能制定该企业的一企一策。"))
        serializer = ServicePlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.service_plan_save(actor=request.user, data=services.ServicePlanData(
            lead_id=data["lead"], contact_unit=data["contact_unit"], contact_person=data["contact_person"],
            goal=data["goal"], case_ids=data["cases"], policy_ids=data["policies"]))
        return Response(ServicePlanSerializer(self.get_queryset().get(pk=plan.pk)).data,
                        status=status.HTTP_201_CREATED)

    def _checked(self, request) -> ServicePlan:
        plan = self.get_object()
        if not services.can_keep_for_lead(request.user, plan.lead):
            raise NotPermitted(_("您不能修改该企业的一企一策。"))
        return plan

    @_schema("修改一企一策 · Change a service plan (only the fields given; not the lead)",
             ServicePlanUpdateSerializer, ServicePlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self._checked(request)
        serializer = ServicePlanUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.service_plan_save(actor=request.user, plan_id=plan.pk, data=services.ServicePlanData(
            contact_unit=data.get("contact_unit", plan.contact_unit),
            contact_person=data.get("contact_person", plan.contact_person), goal=data.get("goal", plan.goal),
            case_ids=data.get("cases", [c.pk for c in plan.cases.all()]),
            policy_ids=data.get("policies", [p.pk for p in plan.policies.all()])))
        return Response(ServicePlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    @_schema("添加服务措施 · Add a measure", MeasureInputSerializer, ServicePlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def measures(self, request, pk=None):
        plan = self._checked(request)
        serializer = MeasureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.service_measure_add(actor=request.user, plan_id=plan.pk, text=data["text"],
                                     responsible_unit=data["responsible_unit"], deadline=data["deadline"])
        return Response(ServicePlanSerializer(self.get_queryset().get(pk=plan.pk)).data,
                        status=status.HTTP_201_CREATED)

    @_schema("记录措施进展 · Record a measure's progress", ProgressInputSerializer, ServicePlanSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def progress(self, request, pk=None):
        plan = self._checked(request)
        measure = plan.measures.filter(pk=request.data.get("measure")).first() \
            if str(request.data.get("measure", "")).isdecimal() else None
        if measure is not None and measure.state == MeasureState.DONE:
            raise InvalidState(_("该项措施已完成。"))
        serializer = ProgressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if measure is None:
            raise Http404
        services.service_measure_update(actor=request.user, measure_id=measure.pk, state=data["state"],
                                        progress=data["progress"], deadline=data.get("deadline"))
        return Response(ServicePlanSerializer(self.get_queryset().get(pk=plan.pk)).data)


def register(router) -> None:
    router.register("response-plans", ResponsePlanViewSet, basename="response-plan")
    router.register("policy-reserves", PolicyReserveViewSet, basename="policy-reserve")
    router.register("service-plans", ServicePlanViewSet, basename="service-plan")
