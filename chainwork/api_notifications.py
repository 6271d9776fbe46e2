"""Notifications API (design.md Contract): the user's own in-app notifications.

`GET notifications/` (paginated, `?unread=true`), `POST notifications/{id}/read/`, `POST notifications/read-all/`.
Every query starts from the user's own rows, so another user's notification answers 404.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chainwork.api_errors import ErrorSerializer
from chainwork.choices import FilterSet
from chainwork.models import Notification

# --- writes (small enough to live here; they touch only the user's own rows) ---------------------------


def notification_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's notifications read (again: a no-op that keeps the first time)."""
    if notification.user_id != user.pk:
        raise Http404
    if notification.read_at is None:
        now = timezone.now()
        # Conditional, so two clicks keep the first time.
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user) -> int:
    """Mark every unread notification of the user read; the number marked."""
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


# --- API -----------------------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "case_event_id", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class ReadAllSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text=_("本次标为已读的通知数"))


class NotificationFilter(FilterSet):
    unread = filters.BooleanFilter(label=_("未读"), method="filter_unread")

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


@extend_schema_view(
    list=extend_schema(
        summary="我的通知 · My notifications",
        description="本人的站内通知，最新在前（分页）；`unread=true` 只列未读。\n\n"
                    "The user's own notifications, newest first, paginated; `unread=true` for unread ones only.",
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:  # schema generation
            return Notification.objects.none()
        return Notification.objects.filter(user=user)

    @extend_schema(
        summary="标为已读 · Mark read",
        description="他人的通知答 404。\n\nAnother user's notification answers 404.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={200: NotificationSerializer, 404: OpenApiResponse(ErrorSerializer)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_read(notification=self.get_object(), user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="全部标为已读 · Mark all read",
        request=None,
        responses=ReadAllSerializer,
    )
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        return Response({"updated": notifications_read_all(user=request.user)})
