"""重点产业链 pages: the chains, and one chain's picture, cross-province dependencies and weak links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from enterprises import industry_chains


def _check_role(user) -> None:
    if not industry_chains.can_view(user):
        raise PermissionDenied


@login_required
def industry_chain_index(request):
    _check_role(request.user)
    return render(request, "enterprises/industry_chains.html",
                  {"chains": industry_chains.chains_for(request.user)})


@login_required
def industry_chain_detail(request, pk: int):
    chain = get_object_or_404(industry_chains.chains_for(request.user), pk=pk)
    _check_role(request.user)
    return render(request, "enterprises/industry_chain.html",
                  {"chain": chain, "analysis": industry_chains.analyse(chain, request.user)})
