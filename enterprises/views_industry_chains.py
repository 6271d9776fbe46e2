"""重点产业链 pages: the chains, one chain's picture, cross-province dependencies and weak links; 国际疫情研判:
the register of countries' situations and what one of them exposes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chainwork.errors import NotPermitted, ValidationError
from enterprises import exposure, industry_chains, services
from enterprises.forms import SituationForm
from enterprises.models import CountrySituation


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


@login_required
@require_http_methods(["GET", "POST"])
def situation_index(request):
    """国外疫情形势: the register, newest first; the 部专班 records a new situation here."""
    _check_role(request.user)
    may_record = services.may_keep_country_situations(request.user)
    form = SituationForm(request.POST or None)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                situation = services.country_situation_save(actor=request.user, data=form.to_data())
            except (ValidationError, NotPermitted) as error:
                if isinstance(error, NotPermitted):
                    raise PermissionDenied from error
                for name, field_messages in error.message_dict.items():
                    for message in field_messages:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, _("已登记%(country)s的%(kind)s。") % {
                    "country": situation.country, "kind": situation.get_kind_display()})
                return redirect("enterprises-chains-situation", pk=situation.pk)
    return render(request, "enterprises/situations.html", {
        "situations": CountrySituation.objects.all(), "form": form if may_record else None})


@login_required
def situation_detail(request, pk: int):
    situation = get_object_or_404(CountrySituation.objects.all(), pk=pk)
    _check_role(request.user)
    return render(request, "enterprises/situation.html", {
        "situation": situation, "exposure": exposure.exposure_for(situation, request.user)})
