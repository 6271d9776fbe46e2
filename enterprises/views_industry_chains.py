"""重点产业链 pages: the chains, one chain's picture, cross-province dependencies and weak links; 国际疫情研判:
the register of countries' situations and what one of them exposes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chainwork.errors import NotPermitted, ValidationError, show_on_form
from chainwork.exports import Export, export_response
from enterprises import credit_code as cc
from enterprises import exposure, industry_chains, services
from enterprises.forms import SituationForm
from enterprises.models import CountrySituation, Enterprise


def _check_role(user) -> None:
    if not industry_chains.can_view(user):
        raise PermissionDenied


@login_required
def industry_chain_index(request):
    _check_role(request.user)
    return render(request, "enterprises/industry_chains.html",
                  {"chains": industry_chains.chains_for(request.user)})


LEADS_SHOWN = 50


@login_required
def industry_chain_detail(request, pk: int):
    chain = get_object_or_404(industry_chains.chains_for(request.user), pk=pk)
    _check_role(request.user)
    may_keep = services.may_keep_industry_chains(request.user)
    leads, lead_count = None, 0
    if may_keep:
        # A national chain has hundreds of leads: the first LEADS_SHOWN, all on request.
        leads = chain.leads.select_related("region").order_by("name_pinyin")
        lead_count = leads.count()
        leads = list(leads if request.GET.get("leads") == "all" else leads[:LEADS_SHOWN])
    return render(request, "enterprises/industry_chain.html", {
        "chain": chain, "analysis": industry_chains.view_for(chain, request.user), "may_keep": may_keep,
        "chain_leads": leads, "chain_lead_count": lead_count})


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
                show_on_form(form, error)
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
        "situation": situation, "exposure": exposure.exposure_view(situation, request.user)})


@login_required
def situation_export(request, pk: int):
    """研判报告 (.xlsx): the exposed enterprises, in the page's order, for the 部专班's leaders."""
    situation = get_object_or_404(CountrySituation.objects.all(), pk=pk)
    _check_role(request.user)
    found = exposure.exposure_view(situation, request.user)

    def rows():
        for exposed in found.leads:
            yield [exposed.lead.name, exposed.lead.location, exposed.lead.status_label,
                   "、".join(exposed.chains), _("是") if exposed.single_source else _("否"),
                   _("是") if exposed.core else _("否"),
                   "；".join(f"{s.supplier.name}：{s.product}" for s in exposed.supplies),
                   "；".join(f"{product}：" + "、".join(f"{p.name}（{p.location}）" for p in parties)
                            for product, parties in exposed.alternatives.items() if parties),
                   exposed.explanation]

    export = Export(
        kind="country-exposure",
        title=_("%(country)s%(kind)s影响研判报告") % {"country": situation.country,
                                                   "kind": situation.get_kind_display()},
        headers=[_("受影响企业"), _("所在地区"), _("复工状态"), _("重点产业链"), _("唯一供应"), _("核心配套"),
                 _("涉及的境外供应"), _("国内替代来源"), _("研判")],
        rows=rows(), filters={"situation": situation.pk},
    )
    return export_response(request, export, "xlsx")


@login_required
@require_http_methods(["POST"])
def industry_chain_add_lead(request, pk: int):
    """The 部专班 names a lead of the chain by its credit code."""
    chain = get_object_or_404(industry_chains.chains_for(request.user), pk=pk)
    if not services.may_keep_industry_chains(request.user):
        raise PermissionDenied
    code = cc.normalize(request.POST.get("credit_code", ""))
    enterprise = Enterprise.objects.filter(credit_code=code).first() if code else None
    if enterprise is None:
        messages.error(request, _("找不到统一社会信用代码为“%(code)s”的企业。") % {"code": code})
    else:
        try:
            services.industry_chain_add_lead(actor=request.user, chain=chain, enterprise=enterprise)
        except ValidationError as error:
            messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        else:
            messages.success(request, _("已将“%(name)s”列入%(chain)s产业链。") % {
                "name": enterprise.name, "chain": chain.name})
    return redirect("enterprises-chains-industry-detail", pk=chain.pk)


@login_required
@require_http_methods(["POST"])
def industry_chain_remove_lead(request, pk: int, enterprise_pk: int):
    chain = get_object_or_404(industry_chains.chains_for(request.user), pk=pk)
    enterprise = get_object_or_404(chain.leads.all(), pk=enterprise_pk)
    if not services.may_keep_industry_chains(request.user):
        raise PermissionDenied
    services.industry_chain_remove_lead(actor=request.user, chain=chain, enterprise=enterprise)
    messages.success(request, _("已将“%(name)s”移出%(chain)s产业链。") % {"name": enterprise.name, "chain": chain.name})
    return redirect("enterprises-chains-industry-detail", pk=chain.pk)
