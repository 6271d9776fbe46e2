"""A 行业协会's enterprises: those of its industry sections or key fields, by name, region and status (the
limited view), 50 to a page at national scale (EnterpriseQuerySet.covered_by)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chainwork.models import Role
from chainwork.scope import scope_for
from enterprises.filters import CoveredEnterpriseFilter
from enterprises.models import Enterprise

PAGE_SIZE = 50


def covered_enterprises(user):
    """What a row shows, and nothing else of the enterprise (no contacts, figures or notes)."""
    return (Enterprise.objects.covered_by(user).select_related("region", "industry")
            .only("name", "region__name", "region__name_en", "industry__code", "industry__name", "status",
                  "status_date")
            .order_by("name_pinyin", "pk"))


@login_required
@require_GET
def covered_list(request):
    if scope_for(request.user).role != Role.ASSOCIATION:
        raise PermissionDenied
    filterset = CoveredEnterpriseFilter(request.GET or None, queryset=covered_enterprises(request.user),
                                        request=request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enterprises/covered.html",
                  {"filter": filterset, "page": page, "query": query.urlencode()})
