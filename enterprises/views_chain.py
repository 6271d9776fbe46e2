"""产业链图谱 pages: the index of lead enterprises, one lead's chain (chart, table, export) and the
reverse view of a supplier (which chains it serves).

Partners outside the viewer's full scope appear in the limited view: name, region and status only.
The link's own facts (direction, product, criticality) belong to the lead, which the viewer sees in
full, so they show; the partner's code, rates and the reasons behind its rates never do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chainwork.exports import Export, export_response
from chainwork.models import Region
from chainwork.scope import scope_for
from enterprises import chain_counts, industry_chains, permissions
from enterprises.chains import (
    Chain,
    ChainNode,
    blocker_reasons,
    chain_as_dict,
    chain_for,
    chains_served,
    open_problem_counts,
)
from enterprises.models import Criticality, Direction, Enterprise, Resumption

PAGE_SIZE = 50
STATUS_CLASSES = {Resumption.YES: "success", Resumption.PARTLY: "warning", Resumption.NO: "danger"}


def _place(enterprise: Enterprise, short: bool = False) -> str:
    """Where an enterprise is: its region (or abbreviation), or its country when abroad."""
    if enterprise.region_id is None:
        return enterprise.country
    return enterprise.region.abbr if short else str(enterprise.region)


def _percent(value) -> str:
    return f"{value:.0%}" if value is not None else ""


def _shown_reasons(enterprise: Enterprise, full_view: bool, reasons: tuple[str, ...]) -> tuple[str, ...]:
    """Reasons name rates and problems: outside the full scope only the status itself is told."""
    if full_view or not reasons:
        return reasons
    if enterprise.status == Resumption.NO:
        return (_("未复工"),)
    return (_("详情由所在地区掌握"),)


def _status(enterprise: Enterprise) -> tuple[str, str]:
    label = enterprise.get_status_display() if enterprise.status else _("未填报")
    return label, STATUS_CLASSES.get(enterprise.status, "secondary")


@dataclass(frozen=True)
class PartnerRow:
    node: ChainNode
    place: str
    direction_label: str
    criticality_label: str
    status_label: str
    status_class: str
    reasons: tuple[str, ...]
    staff_rate: str
    output_rate: str
    marks: tuple[tuple[str, str], ...]


def _marks(node: ChainNode) -> tuple[tuple[str, str], ...]:
    marks = []
    if node.blocked:
        marks.append((_("堵点"), "danger"))
    if node.weak_link:
        marks.append((_("薄弱环节"), "warning"))
    if node.abroad:
        marks.append((_("境外"), "dark"))
    elif node.cross_region:
        marks.append((_("跨省"), "info"))
    return tuple(marks)


def _row(node: ChainNode) -> PartnerRow:
    enterprise = node.enterprise
    label, css = _status(enterprise)
    return PartnerRow(
        node=node, place=_place(enterprise), status_label=label, status_class=css,
        direction_label=str(Direction(node.direction).label) if node.direction else "",
        criticality_label=str(Criticality(node.criticality).label) if node.criticality else "",
        reasons=_shown_reasons(enterprise, node.full_view, node.reasons),
        staff_rate=_percent(enterprise.staff_rate) if node.full_view else "",
        output_rate=_percent(enterprise.output_rate) if node.full_view else "",
        marks=_marks(node),
    )


def _ordered(chain: Chain) -> list[ChainNode]:
    """Blockers first, and among them those not resumed at all: the most urgent call to make."""
    return sorted(chain.partners, key=lambda node: (not node.blocked, node.enterprise.status != Resumption.NO))


def _chart_labels() -> dict:
    return {
        "categories": [_("堵点"), _("已复工"), _("部分复工"), _("未填报")],
        "status": {"": _("未填报"), **{value: str(label) for value, label in Resumption.choices}},
        "lead": _("龙头企业"),
        "upstream": _("上游供应商"),
        "downstream": _("下游客户"),
        "weak_link": _("薄弱环节"),
        "cross_region": _("跨省"),
        "abroad": _("境外"),
        "limited": _("仅显示名称、地区和状态"),
        "open": _("点击查看企业详情"),
    }


def _chart_data(chain: Chain) -> dict:
    """chain_as_dict for the chart, with the place to print and, in the full view, where a click goes."""
    data = chain_as_dict(chain)
    nodes = {chain.lead.enterprise.pk: chain.lead, **{n.enterprise.pk: n for n in chain.upstream + chain.downstream}}
    for item in [data["lead"], *data["upstream"], *data["downstream"]]:
        node = nodes[item["id"]]
        item["place"] = _place(node.enterprise, short=True)
        item["reasons"] = list(_shown_reasons(node.enterprise, node.full_view, node.reasons))
        if node.full_view:
            item["url"] = reverse("enterprises-detail", args=[node.enterprise.pk])
    data["labels"] = _chart_labels()
    return data


def _lead_or_404(user, pk: int) -> Enterprise:
    return get_object_or_404(Enterprise.objects.visible_to(user).select_related("region", "list_region"), pk=pk)


@login_required
def chain_index(request):
    """产业链图谱: the leads the user sees in full, those with the most blockers first."""
    user = request.user
    scope = scope_for(user)
    leads = Enterprise.objects.visible_to(user).filter(is_lead=True).select_related("region", "list_region")
    query = request.GET.get("q", "").strip()
    leads = leads.search(query)
    regions, region_code = None, ""
    if scope.is_national or len(scope.regions) > 1:
        regions = Region.objects.all() if scope.is_national else Region.objects.filter(code__in=scope.regions)
        region_code = request.GET.get("region", "")
        if region_code:
            leads = leads.filter(list_region_id=region_code)
    leads = chain_counts.kept(leads).order_by("-blockers", "-weak_links", "name_pinyin", "pk")
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enterprises/chains.html", {
        "page_obj": page, "query": query, "regions": regions, "region_code": region_code,
        "counted_at": chain_counts.counted_at(), "count_minutes": round(settings.CHAIN_COUNTS_SECONDS / 60),
        "filtered": bool(query or region_code), "can_create": permissions.can_create(user),
        "can_view_industry_chains": industry_chains.can_view(user),
    })


@login_required
def chain_detail(request, pk: int):
    """One lead's chain: the picture, the summary and the partners, blockers first."""
    lead = _lead_or_404(request.user, pk)
    chain = chain_for(lead, request.user)
    partners = _ordered(chain)
    rows = [_row(node) for node in partners]
    lead_status, lead_status_class = _status(lead)
    return render(request, "enterprises/chain.html", {
        "lead": lead,
        "lead_place": _place(lead),
        "lead_status": lead_status,
        "lead_status_class": lead_status_class,
        "lead_staff_rate": _percent(lead.staff_rate),
        "lead_output_rate": _percent(lead.output_rate),
        "lead_reasons": chain.lead.reasons,
        "rows": rows,
        "blocker_rows": [row for row in rows if row.node.blocked],
        "other_rows": [row for row in rows if not row.node.blocked],
        "summary": {
            "upstream": len(chain.upstream),
            "downstream": len(chain.downstream),
            "blockers": len(chain.blockers),
            "weak_links": len(chain.weak_links),
            "cross_region": sum(1 for node in partners if node.cross_region),
        },
        "has_limited": any(not node.full_view for node in partners),
        "chart_data": _chart_data(chain),
        "can_edit": permissions.can_edit(request.user, lead),
    })


@login_required
def chain_export(request, pk: int):
    """The chain's partners as .xlsx or .csv, through the one export mechanism (watermarked, logged)."""
    lead = _lead_or_404(request.user, pk)
    chain = chain_for(lead, request.user)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"

    def rows():
        for node in _ordered(chain):
            row = _row(node)
            link = [node.enterprise.name, node.enterprise.credit_code if node.full_view else "", row.place,
                    row.direction_label, node.product, row.criticality_label,
                    node.single_source, row.status_label, node.enterprise.status_date or ""]
            link += [row.staff_rate, row.output_rate, "；".join(row.reasons),
                     "、".join(label for label, _css in row.marks)]
            yield link

    export = Export(
        kind="chain",
        title=_("%(name)s产业链配套企业名单") % {"name": lead.name},
        headers=[_("企业名称"), _("统一社会信用代码"), _("所属地区（国家）"), _("关系"), _("产品或服务"),
                 _("重要程度"), _("唯一供应"), _("复工状态"), _("状态日期"), _("员工到岗率"), _("达产率"),
                 _("堵点原因"), _("标记")],
        rows=rows(),
        filters={"lead": lead.pk},
    )
    return export_response(request, export, fmt)


@dataclass(frozen=True)
class ServedRow:
    lead: Enterprise
    full_view: bool
    place: str
    direction: str
    product: str
    criticality: str
    weak_link: bool


@login_required
def served(request, pk: int):
    """The reverse view: the chains this enterprise supplies or serves, and whether it blocks them."""
    user = request.user
    enterprise = get_object_or_404(Enterprise.objects.linked_visible_to(user).select_related("region"), pk=pk)
    full_view = Enterprise.objects.visible_to(user).filter(pk=pk).exists()
    reasons = blocker_reasons(enterprise, open_problem_counts([pk]).get(pk, 0))
    served_chains = chains_served(enterprise, user)
    rows = [
        ServedRow(lead=item.lead, full_view=item.full_view, place=_place(item.lead),
                  direction=item.link.get_direction_display() if item.full_view else "",
                  product=item.link.product if item.full_view else "",
                  criticality=item.link.get_criticality_display() if item.full_view else "",
                  weak_link=item.full_view and item.link.is_weak_link)
        for item in served_chains
    ]
    status, status_class = _status(enterprise)
    return render(request, "enterprises/served.html", {
        "enterprise": enterprise,
        "place": _place(enterprise),
        "full_view": full_view,
        "status": status,
        "status_class": status_class,
        "staff_rate": _percent(enterprise.staff_rate) if full_view else "",
        "output_rate": _percent(enterprise.output_rate) if full_view else "",
        "blocked": bool(reasons),
        "reasons": _shown_reasons(enterprise, full_view, reasons),
        "rows": rows,
        "hidden": served_chains.hidden,
        "has_limited": any(not row.full_view for row in rows),
    })
