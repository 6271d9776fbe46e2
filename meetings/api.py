"""会商 in the API (design.md Contract): `consultations` (list, create, retrieve, update; with participants,
agenda and minutes; `GET|POST {id}/proposal/` reads or adopts the proposed agenda; `POST {id}/decisions/`
adds a 议定事项) and `decisions` (those the user may see; `POST {id}/done/ {note}`). Writes go through
meetings.services; outside the scope 404, wrong role 403, wrong state 409, bad input 400."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Case
from chainwork.api_errors import DomainErrorsMixin, ErrorSerializer
from chainwork.errors import NotPermitted
from meetings import agenda, selectors, services
from meetings.models import Consultation, Decision, PartyKind


def _body(request) -> dict:
    data = request.data
    if hasattr(data, "dict"):
        data = data.dict()
    return data if isinstance(data, dict) else {}


class PartySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    kind_label = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField(help_text=_("部门 slug"))
    region = serializers.CharField(source="region_id", allow_null=True, help_text=_("地区代码"))
    name = serializers.CharField()

    def get_kind_label(self, obj) -> str:
        return str(PartyKind(obj.kind).label)

    def get_department(self, obj) -> str | None:
        return obj.department.slug if obj.department_id else None


class OwnerSerializer(serializers.Serializer):
    kind = serializers.CharField(source="owner_kind")
    kind_label = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField(help_text=_("部门 slug"))
    region = serializers.CharField(source="owner_region_id", allow_null=True, help_text=_("地区代码"))
    name = serializers.CharField(source="owner_name")

    def get_kind_label(self, obj) -> str:
        return str(PartyKind(obj.owner_kind).label)

    def get_department(self, obj) -> str | None:
        return obj.owner_department.slug if obj.owner_department_id else None


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    consultation = serializers.IntegerField(source="consultation_id")
    consultation_title = serializers.CharField(source="consultation.title")
    consultation_starts_at = serializers.DateTimeField(source="consultation.starts_at")
    case = serializers.SerializerMethodField(help_text=_("所涉问题 id；无权查看该问题时为空"))
    case_number = serializers.SerializerMethodField()
    case_title = serializers.SerializerMethodField()
    text = serializers.CharField(help_text=_("议定事项"))
    owner = OwnerSerializer(source="*")
    due_date = serializers.DateField(help_text=_("完成时限"))
    state = serializers.ChoiceField(choices=Decision.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    light = serializers.SerializerMethodField(help_text=_("落实中为时限灯（green/yellow/red）；已落实为 "
                                                          "answered_on_time 或 answered_late"))
    done_note = serializers.CharField(help_text=_("落实情况"))
    done_at = serializers.DateTimeField(allow_null=True)
    on_behalf = serializers.BooleanField(help_text=_("召集方代录"))
    created_at = serializers.DateTimeField()

    def _seen(self, obj) -> bool:
        if not obj.case_id:
            return False
        seen = getattr(obj, "case_seen", None)
        if seen is None:
            seen = Case.objects.seen_by(self.context["request"].user).filter(pk=obj.case_id).exists()
            obj.case_seen = seen
        return seen

    def get_case(self, obj) -> int | None:
        return obj.case_id if self._seen(obj) else None

    def get_case_number(self, obj) -> str | None:
        return obj.case.number if self._seen(obj) else None

    def get_case_title(self, obj) -> str | None:
        return obj.case.title if self._seen(obj) else None

    def get_light(self, obj) -> str:
        return selectors.decision_light(obj)


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    number = serializers.CharField(source="glance.number")
    title = serializers.CharField(source="glance.title")
    region = serializers.CharField(source="glance.region_id")
    state = serializers.CharField(source="glance.state")
    state_label = serializers.CharField(source="glance.state_label")
    light = serializers.CharField(source="glance.light_value", help_text=_("问题时限灯"))
    reasons = serializers.ListField(child=serializers.CharField(), help_text=_("列入理由代码"))
    reason_labels = serializers.ListField(child=serializers.CharField())
    minutes = serializers.CharField(help_text=_("会商情况"))


class ConsultationListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region_id", allow_null=True, help_text=_("召集地区；部专班召集时为空"))
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    chair = serializers.CharField()
    state = serializers.ChoiceField(choices=Consultation.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    decisions_total = serializers.IntegerField(required=False)
    decisions_open = serializers.IntegerField(required=False)
    version = serializers.IntegerField()


class ConsultationSerializer(ConsultationListSerializer):
    minutes = serializers.CharField(help_text=_("会议纪要"))
    participants = PartySerializer(many=True, source="participants.all")
    agenda = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, obj) -> list[dict]:
        items = selectors.agenda_items(obj, self.context["request"].user)
        return AgendaItemSerializer(items, many=True).data

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, obj) -> list[dict]:
        rows = selectors.decision_list(self.context["request"].user, consultation_id=obj.pk).order_by("pk")
        return DecisionSerializer(rows, many=True, context=self.context).data


class ProposalSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    title = serializers.CharField()
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    state = serializers.CharField()
    state_label = serializers.CharField()
    light = serializers.CharField(source="light_value")
    reasons = serializers.ListField(child=serializers.CharField(), source="proposal_reasons")
    reason_labels = serializers.SerializerMethodField()

    def get_reason_labels(self, obj) -> list[str]:
        return agenda.reason_labels(obj.proposal_reasons)


_PARTY = {"kind": serializers.ChoiceField(choices=PartyKind.choices),
          "department": serializers.CharField(required=False, help_text="部门 slug（kind=department）"),
          "region": serializers.CharField(required=False, help_text="地区代码（kind=region）"),
          "name": serializers.CharField(required=False, help_text="名称（行业协会、企业、其他单位）"),
          "user": serializers.CharField(required=False, help_text="代表该单位的账号用户名（可选）")}
ConsultationBody = inline_serializer("ConsultationBody", fields={
    "kind": serializers.ChoiceField(choices=Consultation._meta.get_field("kind").choices, required=False),
    "title": serializers.CharField(required=False, help_text="会议名称；为空时按召集方和形式生成"),
    "starts_at": serializers.DateTimeField(help_text="会商时间"),
    "place": serializers.CharField(required=False),
    "chair": serializers.CharField(help_text="主持人"),
    "minutes": serializers.CharField(required=False, help_text="会议纪要"),
    "state": serializers.ChoiceField(choices=Consultation.State.choices, required=False),
    "participants": serializers.ListField(child=inline_serializer("ParticipantBody", fields=_PARTY),
                                          required=False),
    "agenda": serializers.ListField(child=inline_serializer("AgendaItemBody", fields={
        "case": serializers.IntegerField(), "minutes": serializers.CharField(required=False)}), required=False,
        help_text="议程（替换现有议程）"),
})
DecisionBody = inline_serializer("DecisionBody", fields={
    "text": serializers.CharField(help_text="议定事项"),
    "owner": inline_serializer("OwnerBody", fields=_PARTY),
    "due_date": serializers.DateField(help_text="完成时限"),
    "case": serializers.IntegerField(required=False, help_text="所涉问题 id"),
})
DoneBody = inline_serializer("DecisionDoneBody", fields={"note": serializers.CharField(help_text="落实情况")})
ERRORS = {403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class ConsultationViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """会商 the user may see, the latest first."""

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            return selectors.consultation_list(self.request.user, state=params.get("state", ""),
                                               open_decisions=params.get("open_decisions", "") in ("true", "1"))
        return selectors.consultation_detail(self.request.user)

    def get_serializer_class(self):
        return ConsultationListSerializer if self.action == "list" else ConsultationSerializer

    def _detail(self, pk, status_code=status.HTTP_200_OK):
        consultation = selectors.consultation_detail(self.request.user).get(pk=pk)
        return Response(ConsultationSerializer(consultation, context={"request": self.request}).data,
                        status=status_code)

    @extend_schema(summary="会商列表 · consultations", parameters=[
        OpenApiParameter("state", str, enum=list(Consultation.State.values), required=False),
        OpenApiParameter("open_decisions", bool, required=False, description="仅有未落实议定事项的会商")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="召集会商 · create", request=ConsultationBody,
                   responses={201: ConsultationSerializer, **ERRORS})
    def create(self, request):
        consultation = services.consultation_create(actor=request.user, data=_body(request))
        return self._detail(consultation.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="修改会商（纪要、议程、参会单位）· update", request=ConsultationBody,
                   responses={200: ConsultationSerializer, **ERRORS})
    def update(self, request, pk=None):
        consultation = services.consultation_update(consultation_id=_pk(pk), actor=request.user,
                                                    data=_body(request))
        return self._detail(consultation.pk)

    @extend_schema(summary="修改会商（部分）· partial update", request=ConsultationBody,
                   responses={200: ConsultationSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        return self.update(request, pk)

    @extend_schema(methods=["GET"], summary="建议议题 · proposed agenda",
                   description="召集方可见：按新上报、超期、挂牌督办、需多部门、跨省协办、提请关注列出建议议题，"
                               "已在议程中的不再列出。",
                   responses={200: ProposalSerializer(many=True), **ERRORS})
    @extend_schema(methods=["POST"], summary="采纳建议议题 · adopt the proposal", request=None,
                   responses={200: ConsultationSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"], url_path="proposal")
    def proposal(self, request, pk=None):
        if request.method == "POST":
            services.agenda_propose(consultation_id=_pk(pk), actor=request.user)
            return self._detail(_pk(pk))
        consultation = Consultation.objects.visible_to(request.user).filter(pk=_pk(pk)).first()
        if consultation is None:
            raise Http404
        if not services.organises(consultation, request.user):
            raise NotPermitted(_("只有会商的召集方可以拟定议程。"))
        return Response(ProposalSerializer(selectors.proposed_rows(consultation, request.user), many=True).data)

    @extend_schema(summary="记录议定事项 · add a decision", request=DecisionBody,
                   responses={201: DecisionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="decisions")
    def decisions(self, request, pk=None):
        decision = services.decision_record(consultation_id=_pk(pk), actor=request.user, data=_body(request))
        return Response(DecisionSerializer(decision, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


def _pk(pk) -> int:
    if not str(pk).isdecimal():
        raise Http404
    return int(pk)


class DecisionViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """议定事项 the user may see: its own (as owner) and those of the 会商 it sees."""

    serializer_class = DecisionSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.decision_list(self.request.user, state=params.get("state", ""),
                                       mine=params.get("mine", "") in ("true", "1"))

    @extend_schema(summary="议定事项 · decisions", parameters=[
        OpenApiParameter("state", str, enum=list(Decision.State.values), required=False),
        OpenApiParameter("mine", bool, required=False, description="仅本单位负责的")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="议定事项已落实 · done", request=DoneBody, responses={200: DecisionSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="done")
    def done(self, request, pk=None):
        decision = services.decision_done(decision_id=_pk(pk), actor=request.user, data=_body(request))
        return Response(DecisionSerializer(decision, context={"request": request}).data)


def register(router) -> None:
    router.register("consultations", ConsultationViewSet, basename="consultation")
    router.register("decisions", DecisionViewSet, basename="decision")
