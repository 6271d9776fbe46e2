"""产业链图谱: a lead's suppliers and customers with their current status, blockers first.

A partner is a blocker (堵点卡点) when it has not resumed, when its staff or output is below
CHAIN_BLOCKER_THRESHOLD of normal, or when it has an open problem (counted by the cases app into
`ProblemCount`). A single-source core supplier is a weak link (薄弱环节).
Partners outside the viewer's full scope appear in the limited view: name, region and status only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, ProblemCount, Resumption, SupplyLink


def open_problem_counts(enterprise_ids) -> dict[int, int]:
    """Open problems about or naming each enterprise, as kept by the cases app."""
    return dict(ProblemCount.objects.filter(enterprise_id__in=list(enterprise_ids), open__gt=0)
                .values_list("enterprise_id", "open"))


@dataclass(frozen=True)
class ChainNode:
    link_id: int | None
    enterprise: Enterprise
    direction: str | None  # None for the lead itself
    product: str
    criticality: str
    single_source: bool
    full_view: bool
    cross_region: bool
    abroad: bool
    reasons: tuple[str, ...]
    open_problems: int

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)

    @property
    def weak_link(self) -> bool:
        return self.direction == "upstream" and self.criticality == "core" and self.single_source


def blocker_reasons(enterprise: Enterprise, open_problems: int = 0) -> tuple[str, ...]:
    threshold = Decimal(str(settings.CHAIN_BLOCKER_THRESHOLD))
    reasons = []
    if enterprise.status == Resumption.NO:
        reasons.append(_("未复工"))
    if enterprise.staff_rate is not None and enterprise.staff_rate < threshold:
        reasons.append(_("员工到岗率%(rate)s") % {"rate": f"{enterprise.staff_rate:.0%}"})
    if enterprise.output_rate is not None and enterprise.output_rate < threshold:
        reasons.append(_("达产率%(rate)s") % {"rate": f"{enterprise.output_rate:.0%}"})
    if open_problems:
        reasons.append(_("%(n)d个问题未办结") % {"n": open_problems})
    return tuple(reasons)


def _node(link, enterprise, lead_region_id, full_ids, problems) -> ChainNode:
    count = problems.get(enterprise.pk, 0)
    return ChainNode(
        link_id=link.pk if link else None,
        enterprise=enterprise,
        direction=link.direction if link else None,
        product=link.product if link else "",
        criticality=link.criticality if link else "",
        single_source=link.single_source if link else False,
        full_view=enterprise.pk in full_ids,
        cross_region=enterprise.list_region_id != lead_region_id or enterprise.region_id is None,
        abroad=enterprise.region_id is None,
        reasons=blocker_reasons(enterprise, count),
        open_problems=count,
    )


def _sort_key(node: ChainNode):
    return (not node.blocked, not node.weak_link, node.direction or "", node.enterprise.name_pinyin)


@dataclass(frozen=True)
class Chain:
    lead: ChainNode
    upstream: list[ChainNode]
    downstream: list[ChainNode]

    @property
    def partners(self) -> list[ChainNode]:
        return sorted(self.upstream + self.downstream, key=_sort_key)

    @property
    def blockers(self) -> list[ChainNode]:
        return [node for node in self.partners if node.blocked]

    @property
    def weak_links(self) -> list[ChainNode]:
        return [node for node in self.upstream if node.weak_link]


def chain_for(lead: Enterprise, user) -> Chain:
    """The chain around `lead`, as `user` may see it (the caller fetched `lead` within their scope)."""
    links = list(
        SupplyLink.objects.filter(lead=lead)
        .select_related("partner__region", "partner__list_region")
    )
    partner_ids = [link.partner_id for link in links]
    full_ids = set(Enterprise.objects.visible_to(user).filter(pk__in=[lead.pk, *partner_ids])
                   .values_list("pk", flat=True))
    problems = open_problem_counts([lead.pk, *partner_ids])
    nodes = [_node(link, link.partner, lead.list_region_id, full_ids, problems) for link in links]
    return Chain(
        lead=_node(None, lead, lead.list_region_id, full_ids, problems),
        upstream=sorted((n for n in nodes if n.direction == "upstream"), key=_sort_key),
        downstream=sorted((n for n in nodes if n.direction == "downstream"), key=_sort_key),
    )


@dataclass(frozen=True)
class ServedChain:
    link: SupplyLink
    lead: Enterprise
    full_view: bool


class ServedChains(list):
    """The ServedChain rows of the leads the viewer may see; `hidden` counts the leads they may not."""

    hidden = 0


def chains_served(partner: Enterprise, user) -> ServedChains:
    """The reverse view: which leads' chains this enterprise supplies or serves (and so may block).

    A lead is named only when the viewer sees it, in full or through a link of their own: an enterprise
    in another region's limited view must not reveal the other regions' leads it serves."""
    links = list(SupplyLink.objects.filter(partner=partner).select_related("lead__region", "lead__list_region")
                 .order_by("lead__name_pinyin"))
    lead_ids = {link.lead_id for link in links}
    full_ids = set(Enterprise.objects.visible_to(user).filter(pk__in=lead_ids).values_list("pk", flat=True))
    seen_ids = full_ids | set(Enterprise.objects.linked_visible_to(user).filter(pk__in=lead_ids - full_ids)
                              .values_list("pk", flat=True)) if lead_ids - full_ids else full_ids
    served = ServedChains(ServedChain(link=link, lead=link.lead, full_view=link.lead_id in full_ids)
                          for link in links if link.lead_id in seen_ids)
    served.hidden = len(lead_ids - seen_ids)
    return served


def limited_reasons(node: ChainNode) -> list[str]:
    """What the limited view may say of a blocker: that it has not resumed, or nothing more."""
    if not node.blocked:
        return []
    return [_("未复工")] if node.enterprise.status == Resumption.NO else [_("详情由所在地区掌握")]


def limited_fields(enterprise: Enterprise) -> dict:
    """What the limited view shows of an enterprise outside the viewer's scope."""
    return {
        "id": enterprise.pk,
        "name": enterprise.name,
        "region": enterprise.region_id,
        "country": enterprise.country,
        "status": enterprise.status,
        "status_date": enterprise.status_date.isoformat() if enterprise.status_date else None,
    }


def chain_as_dict(chain: Chain) -> dict:
    """JSON for the API and the chart: the limited view for partners outside the viewer's scope."""

    def node(n: ChainNode) -> dict:
        data = limited_fields(n.enterprise)
        data.update({
            "full_view": n.full_view,
            "direction": n.direction,
            "product": n.product,
            "criticality": n.criticality,
            "single_source": n.single_source,
            "weak_link": n.weak_link,
            "cross_region": n.cross_region,
            "abroad": n.abroad,
            "blocked": n.blocked,
            # Rates and problem counts of another region's enterprise are not the viewer's to read.
            "reasons": list(n.reasons) if n.full_view else limited_reasons(n),
            "link_id": n.link_id,
        })
        if n.full_view:
            data.update({
                "credit_code": n.enterprise.credit_code,
                "staff_rate": str(n.enterprise.staff_rate) if n.enterprise.staff_rate is not None else None,
                "output_rate": str(n.enterprise.output_rate) if n.enterprise.output_rate is not None else None,
                "open_problems": n.open_problems,
            })
        return data

    return {
        "lead": node(chain.lead),
        "upstream": [node(n) for n in chain.upstream],
        "downstream": [node(n) for n in chain.downstream],
        "blockers": len(chain.blockers),
        "weak_links": len(chain.weak_links),
    }
