"""Problem API (design.md Contract): cases (+ POST {id}/<action>/ for every lifecycle action).

Thin views: lists come from `cases.selectors` (scoped at the source) filtered by the shared `CaseFilter`;
one problem comes from `case_for_view` (full, limited, or 404); registering goes through
`cases.services.case_create` and every action through `cases.workflow.perform`, which checks in the
Contract's order — outside the scope 404, wrong role 403, wrong state or stale version 409, bad input 400.
The views therefore hand the body to `perform()` as sent, and perform() validates it with the action's
serializer (its lifecycle entry's `body`), which is also the request schema of the endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.api_shares import CaseShareViewSet, ShareSerializer
from cases.bodies import MAX_ID, inline_enum
from cases.deadlines import Light
from cases.deadlines import light as light_of
from cases.filters import CaseFilter
from cases.models import (
    CaseEvent,
    CaseShare,
    ClosureType,
    Level,
    Referral,
    Satisfaction,
    Source,
    State,
    Supervision,
    Urgency,
    Visibility,
)
from cases.referrals import referral_light
from cases.selectors import case_for_view, case_list, responsible_official, shared_case_list, visible_events
from cases.services import CaseData, can_register, case_create, escalation_reasons
from cases.tally import filtered_total
from cases.workflow import ACTIONS, may_perform, perform
from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.errors import NotPermitted
from chainwork.models import Category, Role
from chainwork.scope import scope_for

# --- schema helpers ------------------------------------------------------------------------------------


# One choice set for both views (the same as the enterprise API's, so the schema has one ViewEnum).
VIEW_SCHEMA = {"type": "string", "enum": ["full", "limited"]}
LIGHT_CHOICES = [(Light.GREEN, _("正常")), (Light.YELLOW, _("临期")), (Light.RED, _("超期"))]
SOURCE_SCHEMA = inline_enum(Source.choices, description="来源 · source")
LEVEL_SCHEMA = inline_enum(Level.choices, description="办理层级 · who handles it now")
STATE_OR_BLANK_SCHEMA = inline_enum(State.choices, blank=True, description="状态（无变化时为空）")


@extend_schema_field(SOURCE_SCHEMA)
class SourceField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Source.choices, **kwargs)


@extend_schema_field(LEVEL_SCHEMA)
class LevelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Level.choices, **kwargs)


@extend_schema_field(STATE_OR_BLANK_SCHEMA)
class StateOrBlankField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=State.choices, allow_blank=True, **kwargs)


def _light(case) -> str:
    """The list annotation when there is one (case_list, shared_case_list), else the same rule in Python."""
    value = getattr(case, "light_value", None)
    if value is not None:
        return value
    return Light.NONE if case.state == State.CLOSED else light_of(case.due_at)


# --- output serializers --------------------------------------------------------------------------------


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EnterpriseNamedSerializer(EnterpriseRefSerializer):
    """An enterprise named by a problem: name and region only (it may lie outside the viewer's scope)."""

    region = serializers.CharField(source="region_id", allow_null=True, help_text=_("两位地区代码；境外企业为空"))
    country = serializers.CharField()


class CaseEnterpriseSerializer(EnterpriseNamedSerializer):
    """The problem's enterprise in the full view, with its contact."""

    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class CaseEventSerializer(serializers.Serializer):
    """One line of the timeline."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CaseEvent.Kind.choices)
    kind_label = serializers.CharField()  # CaseEvent.kind_label
    action = serializers.CharField(help_text=_("操作名，如 submit、comment；登记为 create"))
    from_state = StateOrBlankField()
    to_state = StateOrBlankField()
    actor = UserRefSerializer()
    actor_region = serializers.CharField(source="actor_region_id", allow_null=True)
    created_at = serializers.DateTimeField()
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    note = serializers.CharField()
    data = serializers.JSONField()
    due_at = serializers.DateTimeField(allow_null=True)
    pinned = serializers.BooleanField()


class CaseRowSerializer(serializers.Serializer):
    """A 问题台账 row (full view)."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text=_("编号，如 鄂〔2026〕第0123号"))
    title = serializers.CharField()
    region = serializers.CharField(source="region_id", help_text=_("两位地区代码"))
    enterprise = EnterpriseRefSerializer()
    category = serializers.CharField(source="category.slug", help_text=_("问题类别标识"))
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    source = SourceField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()  # Case.state_label
    level = LevelField()
    due_at = serializers.DateTimeField(allow_null=True)
    light = serializers.SerializerMethodField(help_text=_("时限灯：正常、临期（一天内）、超期；已办结为空"))
    light_label = serializers.SerializerMethodField()
    supervision = serializers.ChoiceField(choices=Supervision.choices, allow_blank=True)
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text=_("版本；操作时可作为 version 或 If-Match 传回"))
    view = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=LIGHT_CHOICES, allow_blank=True))
    def get_light(self, case) -> str:
        return _light(case)

    def get_light_label(self, case) -> str:
        return str(Light.LABELS.get(_light(case), ""))

    @extend_schema_field(VIEW_SCHEMA)
    def get_view(self, case) -> str:
        return "full"


class CaseSerializer(CaseRowSerializer):
    """A problem in full: the row, the record of its handling, its timeline and what the user may do now.

    Context: `user`, `events` (visible_events), `available_actions`.
    """

    enterprise = CaseEnterpriseSerializer()
    category_name = serializers.CharField(source="category.name")
    association = serializers.CharField(source="association.name", allow_null=True, default=None,
                                        help_text=_("登记该问题的行业协会（来源为行业协会时）"))
    description = serializers.CharField()
    request = serializers.CharField()
    named_enterprises = serializers.SerializerMethodField()
    supply_link = serializers.IntegerField(source="supply_link_id", allow_null=True)
    reporter = UserRefSerializer()
    local_unit = serializers.CharField(help_text=_("责任单位"))
    local_person = serializers.CharField(help_text=_("责任人"))
    local_phone = serializers.CharField(help_text=_("责任人电话"))
    signed_by = UserRefSerializer(allow_null=True, help_text=_("签发人"))
    escalated_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    next_review = serializers.DateField(allow_null=True)
    response = serializers.CharField(help_text=_("办理情况"))
    closure_type = serializers.ChoiceField(choices=ClosureType.choices, allow_blank=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    confirmed_by = serializers.CharField()
    confirmed_on = serializers.DateField(allow_null=True)
    confirm_method = serializers.CharField()
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, allow_blank=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    duplicate_of = serializers.CharField(source="duplicate_of.number", allow_null=True, default=None,
                                         help_text=_("并入的原问题编号"))
    reopen_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    escalation_reasons = serializers.SerializerMethodField(
        help_text=_("研判提示：建议提请部专班协调的理由（仅待研判、属地办理中）"))
    events = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    @extend_schema_field(EnterpriseNamedSerializer(many=True))
    def get_named_enterprises(self, case):
        return EnterpriseNamedSerializer(case.named_enterprises.order_by("pk"), many=True).data

    def get_escalation_reasons(self, case) -> list[str]:
        if case.state not in (State.NEW, State.LOCAL):
            return []
        return [str(reason) for reason in escalation_reasons(case)]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case):
        return CaseEventSerializer(self.context["events"], many=True).data

    def get_available_actions(self, case) -> list[str]:
        return self.context["available_actions"]


class CaseLimitedRowSerializer(serializers.Serializer):
    """A problem in the limited view (协办): no description, contacts or internal notes."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    request = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()  # Case.state_label
    region = serializers.CharField(source="region_id")
    enterprise = EnterpriseNamedSerializer()
    source = SourceField()
    association = serializers.CharField(source="association.name", allow_null=True, default=None,
                                        help_text=_("登记该问题的行业协会（来源为行业协会时）"))
    share_note = serializers.SerializerMethodField(help_text=_("协办事项"))
    share = serializers.SerializerMethodField(help_text=_("请本地区协办的请求（部门查看时为空）"))
    view = serializers.SerializerMethodField()

    def _viewer_shares(self, case) -> list[CaseShare]:
        shares = getattr(case, "viewer_shares", None)
        if shares is None:
            regions = sorted(scope_for(self.context["user"]).regions or [])
            shares = case.viewer_shares = list(case.shares.filter(region__in=regions)
                                               .select_related("region", "shared_by"))
        return shares

    def get_share_note(self, case) -> str:
        return "\n".join(share.note for share in self._viewer_shares(case) if share.note)

    @extend_schema_field(ShareSerializer(allow_null=True))
    def get_share(self, case):
        shares = self._viewer_shares(case)
        return ShareSerializer(shares[0]).data if shares else None

    @extend_schema_field(VIEW_SCHEMA)
    def get_view(self, case) -> str:
        return "limited"


class DepartmentEnterpriseSerializer(EnterpriseNamedSerializer):
    """An enterprise a referred problem names, as its department sees it: no contacts."""

    region_name = serializers.CharField(source="region.name", allow_null=True, default=None)
    credit_code = serializers.CharField(allow_null=True, help_text=_("统一社会信用代码"))


class DepartmentReferralSerializer(serializers.Serializer):
    """One of the department's own referrals of the problem, with its light."""

    id = serializers.IntegerField()
    role = serializers.CharField(help_text=_("lead 主办；assist 协办"))
    due_date = serializers.DateField()
    state = serializers.CharField(help_text=_("pending 办理中；responded 已反馈；sent_back 已退回"))
    state_label = serializers.CharField(source="get_state_display")
    light = serializers.SerializerMethodField(
        help_text=_("办理中为时限灯；已反馈为 answered_on_time（按时）或 answered_late（逾期）"))
    response = serializers.CharField()
    send_back_reason = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)

    def get_light(self, referral) -> str:
        return referral_light(referral)


class DepartmentViewSerializer(serializers.Serializer):
    """What a department sees beyond the limited view (design.md "A department's view")."""

    description = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    enterprises = DepartmentEnterpriseSerializer(many=True, help_text=_("问题的企业及涉及的其他企业"))
    official = serializers.CharField(help_text=_("省级责任人"))
    official_phone = serializers.CharField(help_text=_("责任人电话"))
    official_unit = serializers.CharField(help_text=_("责任单位"))
    referrals = DepartmentReferralSerializer(many=True, help_text=_("本部门的转办及时限"))


def department_view(user, case) -> dict:
    official = responsible_official(case)
    named = [case.enterprise, *case.named_enterprises.select_related("region").order_by("pk")]
    return {"description": case.description, "urgency": case.urgency, "enterprises": named,
            "official": official["name"], "official_phone": official["phone"], "official_unit": official["unit"],
            "referrals": list(Referral.objects.visible_to(user).filter(case=case).order_by("created_at", "pk"))}


class CaseLimitedSerializer(CaseLimitedRowSerializer):
    """One problem in the limited view, with the timeline its viewer may read; a department to which it
    is referred also reads `department_view`."""

    events = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    department_view = serializers.SerializerMethodField(
        help_text=_("承办部门所见：问题描述、紧急程度、涉及企业（名称、地区、信用代码）、省级责任人及电话、本部门的转办；"
                    "其他查看者为 null"))

    @extend_schema_field(DepartmentViewSerializer(allow_null=True))
    def get_department_view(self, case):
        user = self.context["user"]
        if scope_for(user).role != Role.DEPARTMENT:
            return None
        return DepartmentViewSerializer(department_view(user, case)).data

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case):
        return CaseEventSerializer(self.context["events"], many=True).data

    def get_available_actions(self, case) -> list[str]:
        return self.context["available_actions"]


CASE_FULL_OR_LIMITED = PolymorphicProxySerializer(
    component_name="CaseFullOrLimited",
    serializers={"full": CaseSerializer, "limited": CaseLimitedSerializer},
    resource_type_field_name="view",
)
CASE_ROWS = PolymorphicProxySerializer(
    component_name="CaseRowFullOrLimited",
    serializers={"full": CaseRowSerializer, "limited": CaseLimitedRowSerializer},
    resource_type_field_name="view",
    many=True,
)


def case_representation(user, pk: int) -> dict:
    """The problem as this user may see it: full, limited (协办) or Http404."""
    case, full = case_for_view(user, pk)
    context = {
        "user": user,
        "events": list(visible_events(user, case, full=full)),
        "available_actions": [name for name in ACTIONS if may_perform(name, case, user, full=full)],
    }
    serializer = CaseSerializer if full else CaseLimitedSerializer
    return serializer(case, context=context).data


# --- input serializers ---------------------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    """登记问题. Shape only; `case_create` checks the rules and keys its errors on these fields."""

    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("企业 id（本人可完整查看）"))
    category = serializers.CharField(max_length=32, help_text=_("问题类别标识，如 logistics"))
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    request = serializers.CharField(allow_blank=True, help_text=_("企业诉求"))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    source = SourceField(default=Source.CONTACT)
    named_enterprises = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list,
        help_text=_("涉及的其他企业 id（含外省、境外配套企业）"))
    supply_link = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                           help_text=_("涉及的配套关系 id"))

    def case_data(self) -> CaseData:
        values = self.validated_data
        category_id = Category.objects.filter(slug=values["category"]).values_list("pk", flat=True).first()
        return CaseData(
            enterprise_id=values["enterprise"], category_id=category_id, title=values["title"],
            description=values["description"], request=values["request"], urgency=values["urgency"],
            source=values["source"], named_enterprise_ids=values["named_enterprises"],
            supply_link_id=values.get("supply_link"),
        )


IF_MATCH = re.compile(r'(?:W/)?"?(\d{1,9})"?')


def _action_input(request) -> tuple[object, object]:
    """The body and the version the client saw (in the body or If-Match), both as sent: perform() checks
    them after the scope, role and state, in the Contract's order."""
    data = request.data
    if hasattr(data, "dict"):  # a form-encoded QueryDict
        data = data.dict()
    if not isinstance(data, Mapping):
        return data, None
    data = dict(data)
    version = data.pop("version", None)
    if version is None:
        header = request.headers.get("If-Match", "").strip()
        if header and header != "*":
            match = IF_MATCH.fullmatch(header)
            version = int(match.group(1)) if match else header
    return data, version


# --- views ---------------------------------------------------------------------------------------------


ORDER = ("范围外 404；角色不符 403；状态不符或版本已过期 409；输入有误 400（按字段）。\n\n"
         "Outside the scope 404; wrong role 403; wrong state or stale version 409; bad input 400 keyed on the "
         "fields.")
ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="输入有误：{字段: [错误]} · bad input, keyed on the fields"),
    403: OpenApiResponse(ErrorSerializer, description="角色不符 · wrong role"),
    404: OpenApiResponse(ErrorSerializer, description="范围外或不存在 · outside the scope"),
    409: OpenApiResponse(ErrorSerializer, description="状态不符或版本已过期 · wrong state or stale version"),
}
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="客户端所见版本（同 body 中的 version）· the version the client saw, like `version` in the body")
ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="问题 id · problem id")
SHARED_PARAMETER = OpenApiParameter(
    "shared", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
    description="true：列出其他地区请本地区协办的问题（有限信息）· list the 协办 problems shared with the user's "
                "region, in the limited view")


API_ROW_FIELDS = ("number", "title", "region_id", "enterprise__name", "category__slug", "urgency", "source", "state",
                  "level", "due_at", "supervision", "created_at", "version")


class CaseViewSet(DomainErrorsMixin, viewsets.GenericViewSet):
    """问题台账 and the lifecycle actions."""

    filterset_class = CaseFilter
    # CaseFilter carries its own `ordering` (shared with the page); DRF's OrderingFilter would clash.
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"
    serializer_class = CaseRowSerializer
    known_count = None  # the list's total when the tally knows it (chainwork.pagination)

    def _shared(self) -> bool:
        """The limited list: the 协办 problems with `shared=true`; for a 行业协会 always, the problems it
        registered being all it may see."""
        if scope_for(self.request.user).role == Role.ASSOCIATION:
            return True
        return self.request.query_params.get("shared", "").strip().lower() in ("true", "1", "yes")

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and self._shared():
            regions = sorted(scope_for(user).regions or [])
            # The selector joins region and category; the limited row also names the enterprise and the
            # share's note.
            return shared_case_list(user).select_related("enterprise", "association").prefetch_related(
                Prefetch("shares", queryset=CaseShare.objects.filter(region__in=regions)
                         .select_related("region", "shared_by"), to_attr="viewer_shares"))
        if self.action == "list":
            # What a row serializes (CaseRowSerializer), not the whole problem and its reporter.
            return case_list(user).select_related(None).select_related("enterprise", "category").only(*API_ROW_FIELDS)
        return case_list(user)

    @extend_schema(
        summary="问题台账 · Problems",
        description="本人可完整查看的问题（含已办结，分页，含 `next`），筛选条件与台账页面相同；`shared=true` "
                    "时为请本地区协办的问题（有限信息）；行业协会为本协会登记的问题（有限信息）。\n\n"
                    "Every problem the user sees in full, closed ones included, paginated with `next`, with the "
                    "list page's filters; with `shared=true` the 协办 problems shared with the user's region, "
                    "in the limited view; for an industry association, the problems it registered (limited).",
        parameters=[SHARED_PARAMETER],
        responses=CASE_ROWS,
    )
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if not self._shared():
            self.known_count = filtered_total(request.user, request.query_params)
        page = self.paginate_queryset(queryset)
        if self.action == "list" and self._shared():
            data = CaseLimitedRowSerializer(page, many=True, context={"user": request.user}).data
        else:
            data = CaseRowSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="问题详情 · Problem",
        description="范围内为完整信息（`view: full`，含动态、研判提示和当前可执行的操作）；协办地区为有限信息"
                    "（`view: limited`）；其他为 404。\n\n"
                    "The full view within the user's scope (timeline, triage reasons, actions available now); "
                    "the limited view for a region asked for 协办; 404 otherwise.",
        parameters=[ID_PARAMETER],
        responses={200: CASE_FULL_OR_LIMITED, 404: ERRORS[404]},
    )
    def retrieve(self, request, pk=None):
        return Response(case_representation(request.user, int(pk)))

    @extend_schema(
        summary="登记问题 · Register a problem",
        description="省专班经办人、负责人和驻企联络员登记本人范围内企业的问题；行业协会代覆盖范围内的企业登记困难"
                    "（来源为行业协会，成为企业所在省的待研判问题，答复为有限信息）。"
                    "角色不符 403；输入有误 400（按字段）。"
                    "\n\nProvince officials and liaison officers register a problem of an enterprise in their "
                    "scope; an industry association registers a covered enterprise's difficulty on its behalf "
                    "(source association; a new problem of the enterprise's province, answered in the limited "
                    "view). Wrong role 403; bad input 400 keyed on the fields.",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        # The role first: a user who may not register at all hears 403, whatever the body.
        if not can_register(request.user):
            raise NotPermitted(_("您的角色不能登记问题。"))
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_create(actor=request.user, data=serializer.case_data())
        return Response(case_representation(request.user, case.pk), status=status.HTTP_201_CREATED)

    def filter_queryset(self, queryset):
        # The list's filters apply to the list only; one problem is fetched by case_for_view.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def take_action(self, request, pk, name: str) -> Response:
        data, version = _action_input(request)
        perform(case_id=int(pk), action=name, actor=request.user, data=data, version=version)
        return Response(case_representation(request.user, int(pk)))


def _action_endpoint(name: str):
    """The endpoint `POST cases/{id}/<name>/` for one workflow action."""
    spec = ACTIONS[name]

    def endpoint(self, request, pk=None):
        return self.take_action(request, pk, name)

    method_name = "action_" + name.replace("-", "_")
    endpoint.__name__ = method_name
    endpoint.__qualname__ = f"CaseViewSet.{method_name}"
    endpoint.__doc__ = f"{spec.label} ({name})"
    states = "、".join(str(State(state).label) for state in spec.sources)
    schema = extend_schema(
        operation_id=f"cases_{name.replace('-', '_')}",
        summary=f"{spec.label} · {name}",
        description=f"可执行状态：{states}。答复为执行后的问题。\n\n{ORDER}\n\n"
                    f"Allowed from: {', '.join(spec.sources)}. Answers the problem after the action.",
        request=spec.body,
        parameters=[ID_PARAMETER, IF_MATCH_PARAMETER],
        responses={200: CASE_FULL_OR_LIMITED, **ERRORS},
    )
    return method_name, schema(action(detail=True, methods=["post"], url_path=name, url_name=name)(endpoint))


for _name in ACTIONS:
    _method_name, _endpoint = _action_endpoint(_name)
    if hasattr(CaseViewSet, _method_name):  # never shadow a viewset method
        raise RuntimeError(f"action {_name!r} clashes with CaseViewSet.{_method_name}")
    setattr(CaseViewSet, _method_name, _endpoint)
del _name, _method_name, _endpoint


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    from chainwork.api_notifications import NotificationViewSet

    router.register("cases", CaseViewSet, basename="case")
    router.register("notifications", NotificationViewSet, basename="notification")
    from cases.api_referrals import ReferralViewSet

    router.register("referrals", ReferralViewSet, basename="referral")
    router.register("case-shares", CaseShareViewSet, basename="case-share")
    from cases.api_extensions import ExtensionViewSet

    router.register("extensions", ExtensionViewSet, basename="extension")
