"""研判报告 (.docx) for the 部专班's leaders: a country's situation, the exposed leads and chains ranked as
on the page (single sources first), the domestic alternatives, and what answers it — the 应对预案 and
the 政策储备 linked to the situation. Beside the .xlsx of enterprises.views_industry_chains; here because
the answers live in policies, which enterprises may not import. Logged in ExportLog like every export."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from chainwork.audit import client_ip
from chainwork.exports import chinese_date, local_date, watermark_text
from chainwork.models import ExportLog
from enterprises import exposure, industry_chains
from enterprises.models import CountrySituation
from policies.models import PolicyReserve, ResponsePlan
from reports.docx import DOCX_TYPE, _document, _paragraph, _table


def build_exposure_docx(situation, found: exposure.Exposure, plans, reserves, *, user, when) -> bytes:
    title = _("%(country)s%(kind)s影响研判报告") % {"country": situation.country, "kind": situation.get_kind_display()}
    issuer = user.unit or (user.region.name if user.region_id else _("部专班"))
    document = _document(user, when, title, _("%(issuer)s　　%(date)s") % {
        "issuer": issuer, "date": chinese_date(local_date(when))})
    ended = chinese_date(situation.ended_on) if situation.ended_on else _("仍在持续")
    _paragraph(document, _("一、基本情况"), bold=True)
    opening = _("据%(source)s，%(country)s自%(start)s起%(kind)s（%(severity)s），截止：%(end)s。%(note)s")
    _paragraph(document, opening % {
        "source": situation.source, "country": situation.country, "start": chinese_date(situation.started_on),
        "kind": situation.get_kind_display(), "severity": situation.get_severity_display(), "end": ended,
        "note": situation.note})
    single = sum(1 for e in found.leads if e.single_source)
    _paragraph(document, _("涉及境外供应企业%(suppliers)d家，受影响企业%(leads)d家（其中唯一供应%(single)d家），"
                           "涉及重点产业链%(chains)d条。") % {
        "suppliers": len(found.suppliers), "leads": len(found.leads), "single": single,
        "chains": len(found.chains)})
    _paragraph(document, _("二、受影响企业"), bold=True)
    if found.leads:
        rows = [[n, e.lead.name, e.lead.location, "、".join(e.chains) or "—",
                 _("是") if e.single_source else _("否"),
                 "；".join(f"{s.supplier.name}：{s.product}" for s in e.supplies) or "—",
                 "；".join(f"{product}：" + "、".join(p.name for p in parties)
                          for product, parties in e.alternatives.items() if parties) or _("暂无")]
                for n, e in enumerate(found.leads, start=1)]
        _table(document, [_("序号"), _("企业"), _("地区"), _("重点产业链"), _("唯一供应"), _("涉及的境外供应"),
                          _("国内替代来源")], rows, size=9)
    else:
        _paragraph(document, _("本人范围内未发现受影响企业。"))
    _paragraph(document, _("三、应对预案"), bold=True)
    if plans:
        for n, plan in enumerate(plans, start=1):
            stock = _("库存可支撑%(days)d天，") % {"days": plan.stock_days} if plan.stock_days is not None else ""
            _paragraph(document, _("%(n)d. %(title)s（%(subject)s，%(state)s）：%(stock)s责任单位%(owner)s。") % {
                "n": n, "title": plan.title, "subject": plan.subject_name, "state": plan.get_state_display(),
                "stock": stock, "owner": plan.owner_unit})
            for line in plan.action_lines():
                _paragraph(document, f"—— {line}")
    else:
        _paragraph(document, _("尚无针对该情况的应对预案。"))
    _paragraph(document, _("四、政策储备"), bold=True)
    if reserves:
        for n, reserve in enumerate(reserves, start=1):
            _paragraph(document, _("%(n)d. %(title)s（%(unit)s提出，%(state)s）：%(summary)s") % {
                "n": n, "title": reserve.title, "unit": reserve.proposing_unit, "state": reserve.get_state_display(),
                "summary": reserve.summary})
    else:
        _paragraph(document, _("尚无针对该情况的政策储备。"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@login_required
def exposure_docx(request, pk: int):
    situation = get_object_or_404(CountrySituation.objects.all(), pk=pk)
    if not industry_chains.can_view(request.user):
        raise PermissionDenied
    user, when = request.user, timezone.now()
    found = exposure.exposure_view(situation, user)
    plans = list(ResponsePlan.objects.visible_to(user).filter(situations=situation)
                 .select_related("lead", "chain").order_by("chain__order", "lead__name_pinyin", "pk"))
    reserves = list(PolicyReserve.objects.visible_to(user).filter(situations=situation).order_by("pk"))
    content = build_exposure_docx(situation, found, plans, reserves, user=user, when=when)
    title = _("%(country)s%(kind)s影响研判报告") % {"country": situation.country, "kind": situation.get_kind_display()}
    with transaction.atomic():
        ExportLog.objects.create(
            user=user, kind="country-exposure", title=title, filters={"situation": situation.pk},
            rows=len(found.leads), format=ExportLog.Format.DOCX, ip=client_ip(request),
            watermark=watermark_text(user, when))
    filename = f"{title}-{timezone.localtime(when):%Y%m%d-%H%M}.docx"
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
