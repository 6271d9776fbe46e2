"""一对一联系 API (design.md Contract): `liaison-assignments` and `contacts`.

Thin views over liaison.services: the queryset is the scoped selector (outside it: 404), writes go
through the services (role 403, input 400). `register(router)` adds both to /api/v1/.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainwork.api_errors import DomainErrorsMixin
from chainwork.choices import FilterSet
from chainwork.errors import NotPermitted
from chainwork.models import Category
from enterprises.models import Enterprise, Resumption, StatusReport
from liaison import services as contacts
from liaison.models import Cadence, ContactChannel, ContactRecord, LiaisonAssignment

MAX_ID = 2**63 - 1


# --- liaison-assignments --------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.list_region_id", read_only=True)
    officer_name = serializers.CharField(source="officer.__str__", read_only=True)
    cadence_label = serializers.CharField(source="get_cadence_days_display", read_only=True)
    next_follow_up = serializers.DateField(source="due_on", read_only=True, allow_null=True)
    last_contact_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = LiaisonAssignment
        fields = ["id", "enterprise", "enterprise_name", "region", "officer", "officer_name", "cadence_days",
                  "cadence_label", "started_on", "ended_on", "next_follow_up", "last_contact_at"]
        read_only_fields = fields


class AssignmentInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    officer = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("驻企联络员的用户 id"))
    cadence_days = serializers.ChoiceField(choices=Cadence.choices, required=False, allow_null=True,
                                           help_text=_("不填按企业类型：龙头企业3天，其他7天"))


class AssignmentFilter(FilterSet):
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("当前分工"))

    class Meta:
        model = LiaisonAssignment
        fields = ["current", "enterprise", "officer"]


class LiaisonAssignmentViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, viewsets.GenericViewSet):
    """联络员分工: current and past assignments of the enterprises the user sees in full."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # schema generation
            return LiaisonAssignment.objects.none()
        return (contacts.assignments_visible_to(self.request.user)
                .select_related("enterprise", "officer").order_by("-started_on", "-pk"))

    @extend_schema(request=AssignmentInputSerializer, responses={201: AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AssignmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=data["enterprise"])
        if not contacts.can_assign(request.user, enterprise):
            raise NotPermitted(_("您不能为该企业指派联络员。"))
        officer = contacts.assignable_officers(request.user).filter(pk=data["officer"]).first()
        if officer is None:
            raise serializers.ValidationError({"officer": [_("请选择本地区的驻企联络员。")]})
        assignment = contacts.assignment_set(actor=request.user, enterprise=enterprise, officer=officer,
                                             cadence_days=data.get("cadence_days"))
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = contacts.assignment_end(actor=request.user, assignment=self.get_object())
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)


# --- contacts -------------------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    """The enterprise's figures of the day recorded with the contact (that day's status report)."""

    id = serializers.IntegerField()
    date = serializers.DateField()
    resumed = serializers.CharField()
    staff_at_work = serializers.IntegerField(allow_null=True)
    staff_normal = serializers.IntegerField(allow_null=True)
    output = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    output_normal = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class ContactSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    officer_name = serializers.CharField(source="officer.__str__", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    problems = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    status_report = FiguresSerializer(read_only=True, allow_null=True,
                                      help_text=_("随联系记录填报的企业当日复工复产情况"))

    class Meta:
        model = ContactRecord
        fields = ["id", "enterprise", "enterprise_name", "officer", "officer_name", "contacted_at", "channel",
                  "channel_label", "participants", "summary", "problems_raised", "next_follow_up", "problems",
                  "photos", "status_report", "created_at", "updated_at"]
        read_only_fields = fields

    def get_problems(self, record) -> list[dict]:
        return [{"id": c.pk, "number": c.number} for c in record.problems.all()]

    def get_photos(self, record) -> list[str]:
        return [reverse("enterprises-contact-photo", args=[p.token]) for p in record.photos.all()]


class ContactInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    channel = serializers.ChoiceField(choices=ContactChannel.choices, default=ContactChannel.PHONE)
    contacted_at = serializers.DateTimeField(required=False, allow_null=True)
    participants = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    summary = serializers.CharField()
    problems_raised = serializers.CharField(required=False, allow_blank=True, default="")
    next_follow_up = serializers.DateField(required=False, allow_null=True, help_text=_("不填按联系频次计算"))
    # The enterprise's figures of the day, optional: they become its status report of the contact's date.
    resumed = serializers.ChoiceField(choices=Resumption.choices, required=False, allow_null=True,
                                      help_text=_("企业当日复工情况；填写后保存为联系当日的复工复产情况"))
    staff_at_work = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2_147_483_647)
    staff_normal = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2_147_483_647)
    output = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                      min_value=0, help_text=_("当日产值（万元）"))
    output_normal = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                             min_value=0, help_text=_("正常产值（万元）"))


FIGURES = ("resumed", "staff_at_work", "staff_normal", "output", "output_normal")


def split_figures(data: dict) -> contacts.Figures | None:
    """Take the day's figures out of the validated body; None when the body names none."""
    values = {name: data.pop(name) for name in FIGURES if name in data}
    return contacts.Figures(**values) if values else None


class ContactUpdateSerializer(ContactInputSerializer):
    enterprise = None


class RaiseProblemSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="问题描述；不填则用联系记录中企业反映的问题")
    request = serializers.CharField(help_text="企业诉求")
    urgency = serializers.ChoiceField(choices=["critical", "urgent", "normal"], default="normal")


class ContactFilter(FilterSet):
    contacted_after = filters.DateFilter(field_name="contacted_at", lookup_expr="date__gte", label=_("联系日期起"))
    contacted_before = filters.DateFilter(field_name="contacted_at", lookup_expr="date__lte", label=_("联系日期止"))

    class Meta:
        model = ContactRecord
        fields = ["enterprise", "officer", "channel", "contacted_after", "contacted_before"]


class ContactViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """联系服务记录 of the enterprises the user sees in full. Officers edit their own within the window."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # schema generation
            return ContactRecord.objects.none()
        return (ContactRecord.objects.visible_to(self.request.user)
                .select_related("enterprise", "officer", "status_report")
                .prefetch_related("problems", "photos").order_by("-contacted_at", "-pk"))

    @extend_schema(request=ContactInputSerializer, responses={201: ContactSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ContactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=data.pop("enterprise"))
        figures = split_figures(data)
        record = contacts.contact_record_create(actor=request.user, enterprise=enterprise,
                                                data=contacts.ContactData(**data), figures=figures,
                                                source=StatusReport.Source.API)
        return Response(ContactSerializer(self.get_queryset().get(pk=record.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ContactUpdateSerializer, responses=ContactSerializer)
    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        merged = {"channel": record.channel, "contacted_at": record.contacted_at,
                  "participants": record.participants, "summary": record.summary,
                  "problems_raised": record.problems_raised, "next_follow_up": record.next_follow_up}
        serializer = ContactUpdateSerializer(data={**merged, **request.data})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        figures = split_figures(data)
        record = contacts.contact_record_update(actor=request.user, record=record,
                                                data=contacts.ContactData(**data), figures=figures,
                                                source=StatusReport.Source.API)
        return Response(ContactSerializer(self.get_queryset().get(pk=record.pk)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=RaiseProblemSerializer, responses={201: None},
                   summary="转为问题 · Raise a problem from the record")
    @action(detail=True, methods=["post"], url_path="raise-problem", url_name="raise-problem")
    def raise_problem(self, request, pk=None):
        record = self.get_object()
        serializer = RaiseProblemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = contacts.raise_problem(actor=request.user, record=record, category_id=data["category"].pk,
                                      title=data["title"], description=data["description"], request=data["request"],
                                      urgency=data["urgency"])
        return Response({"id": case.pk, "number": case.number, "contact": record.pk},
                        status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this module's viewsets to the /api/v1/ router."""
    router.register("liaison-assignments", LiaisonAssignmentViewSet, basename="liaison-assignment")
    router.register("contacts", ContactViewSet, basename="contact")
