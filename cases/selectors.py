"""Every read of problems that a page, API, export or report uses: scoped, joined, annotated."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from cases.deadlines import WARNING_WINDOW, Light
from cases.models import Case, CaseEvent, Visibility
from chainwork.models import Role
from chainwork.scope import scope_for


def with_light(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Annotate `light_value`: red past the deadline, yellow within a day of it, green otherwise."""
    now = now or timezone.now()
    return queryset.annotate(light_value=models.Case(
        When(state="closed", then=Value(Light.NONE)),
        When(due_at__isnull=True, then=Value(Light.NONE)),
        When(due_at__lt=now, then=Value(Light.RED)),
        When(due_at__lte=now + WARNING_WINDOW, then=Value(Light.YELLOW)),
        default=Value(Light.GREEN), output_field=CharField(),
    ))


def case_list(user) -> QuerySet:
    """The 问题台账 rows the user sees in full, with what a list row shows."""
    return with_light(
        Case.objects.visible_to(user)
        .select_related("region", "enterprise", "category", "reporter")
        .order_by(F("due_at").asc(nulls_last=True), "-pk")
    )


def shared_case_list(user) -> QuerySet:
    """协办 requests to the user's region (limited view)."""
    return with_light(Case.objects.shared_with(user).select_related("region", "category").order_by("-pk"))


def case_for_view(user, pk: int) -> tuple[Case, bool]:
    """The problem and whether the user sees it in full; Http404 outside both views."""
    from django.shortcuts import get_object_or_404

    case = get_object_or_404(
        Case.objects.seen_by(user).select_related("region", "enterprise__region", "category", "reporter",
                                                  "signed_by", "duplicate_of", "supply_link__partner"),
        pk=pk)
    full = Case.objects.visible_to(user).filter(pk=pk).exists()
    return case, full


def visible_events(user, case: Case, *, full: bool) -> QuerySet:
    """The timeline rows this user may read: internal comments only to those they are meant for."""
    scope = scope_for(user)
    events = case.events.select_related("actor", "actor_region").prefetch_related(
        Prefetch("attachments"))
    if not full:
        # 协办: the request and the exchange with their own region, nothing internal.
        region_codes = sorted(scope.regions or [])
        return events.filter(visibility=Visibility.SHARED).filter(
            Q(kind__in=[CaseEvent.Kind.SHARE, CaseEvent.Kind.CREATED]) | Q(actor_region__in=region_codes)
            | Q(kind=CaseEvent.Kind.COMMENT, actor__role=Role.MINISTRY))
    allowed = [Visibility.SHARED, Visibility.PROVINCE]
    if scope.role in (Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN) or user.is_superuser:
        allowed.append(Visibility.MINISTRY)
    return events.filter(visibility__in=allowed)
