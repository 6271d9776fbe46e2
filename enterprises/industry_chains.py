"""重点产业链: the picture of a whole chain and its weak links (关键领域和薄弱环节).

A chain's lead enterprises are chosen by the 部专班 (IndustryChainLead); its suppliers over several
tiers — the supplier of a supplier — come from the recorded upstream supply links. The graph, its
tiers and the reverse impact are networkx's: an edge runs from a supplier to the enterprise it
supplies, so what a node's stop would block is what lies downstream of it.

The page and the API read `view_for()`, a view of `analyse()`: one list of weak links, named the same
everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chainwork.kept import kept
from chainwork.models import Region, Role
from chainwork.scope import scope_for
from enterprises.models import (
    Criticality,
    Direction,
    Enterprise,
    IndustryChain,
    Resumption,
    StatusReport,
    SupplyLink,
)

# Suppliers are followed this many tiers up from the leads.
MAX_TIERS = 4
# A province or country holding at least this share of a chain's suppliers is a concentration.
CONCENTRATION_SHARE = 0.4
# ... when the chain has at least this many suppliers (a share of three says little).
CONCENTRATION_MIN_SUPPLIERS = 4
# A supplier not resumed is the most urgent; one without a report comes before one partly resumed.
STOPPED_FIRST = {Resumption.NO: 0, "": 1, Resumption.PARTLY: 2, Resumption.YES: 3}
# Days of status shown on the chain's page.
STATUS_DAYS = 14
# Ranked lists are cut here; the counts above them stay whole.
TOP = 20
# Enterprises named per tier and place on the chain's page (the count says how many more).
TIER_NAMES = 5
# Pairs of places shown in the dependency table of the page, in _dependencies' order (single sources,
# core links, links); the exports hold all.
DEPENDENCIES_SHOWN = 40

VIEWER_ROLES = (Role.MINISTRY, Role.MINISTRY_LIAISON, Role.ADMIN, Role.PROVINCE, Role.PROVINCE_LEAD)


def can_view(user) -> bool:
    """The 部专班 side sees every chain whole; a province's work group sees the part its own leads
    draw on (leads in its scope and their suppliers)."""
    return scope_for(user).role in VIEWER_ROLES


def chains_for(user):
    """The active chains, each with the number of its leads the user sees."""
    scope = scope_for(user)
    in_scope = Q(memberships__enterprise__in=Enterprise.objects.visible_to(user)) if not scope.is_national else Q()
    return (IndustryChain.objects.filter(is_active=True)
            .annotate(lead_count=Count("memberships", filter=in_scope, distinct=True))
            .order_by("order", "slug"))


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    region_id: str | None
    region_name: str
    country: str
    status: str
    status_label: str
    tier: int
    is_lead: bool

    @property
    def abroad(self) -> bool:
        return self.region_id is None

    @property
    def location(self) -> str:
        """Where it is, in words: the province's name or the country."""
        return self.country if self.abroad else self.region_name

    @property
    def location_key(self) -> str:
        return f"country:{self.country}" if self.abroad else f"region:{self.region_id}"


@dataclass(frozen=True)
class WeakLink:
    kind: str  # single_source | concentration | reverse_impact
    title: str
    explanation: str
    enterprise: Node | None = None
    location: str = ""
    leads_blocked: int = 0
    score: tuple = ()

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "title": self.title, "explanation": self.explanation,
            "enterprise": _node_dict(self.enterprise) if self.enterprise else None,
            "location": self.location, "leads_blocked": self.leads_blocked,
        }


@dataclass
class Dependency:
    """Leads (and their suppliers) of one province drawing on suppliers of another place."""

    customer_location: str
    supplier_location: str
    links: int = 0
    core: int = 0
    single_source: int = 0


@dataclass
class StatusDay:
    """The chain's enterprises on one day: how many reported each state."""

    date: dt.date
    yes: int = 0
    partly: int = 0
    no: int = 0

    @property
    def reported(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def resumption_rate(self) -> float | None:
        """复工率 over those that reported: partly resumed counts as resumed (domain.md)."""
        return (self.yes + self.partly) / self.reported if self.reported else None


@dataclass
class Analysis:
    chain: IndustryChain
    nodes: dict[int, Node]
    graph: nx.DiGraph
    lead_ids: set[int]
    tiers: list[tuple[int, list[tuple[str, list[Node]]]]]
    dependencies: list[Dependency]
    single_sources: list[WeakLink]
    concentrations: list[WeakLink]
    reverse_impact: list[WeakLink]
    status_counts: dict[str, int] = field(default_factory=dict)
    status_series: list[StatusDay] = field(default_factory=list)
    counted_at: dt.datetime | None = None

    @property
    def supplier_count(self) -> int:
        return len(self.nodes) - len(self.lead_ids)

    def view(self) -> ChainView:
        """What the chain's page and its impact API read of this analysis."""
        return ChainView(
            chain=self.chain, lead_count=len(self.lead_ids), supplier_count=self.supplier_count,
            tier_count=max((tier for tier, _groups in self.tiers), default=0),
            single_sources=self.single_sources, concentrations=self.concentrations,
            reverse_impact=self.reverse_impact, dependencies=self.dependencies,
            tiers_shown=[(tier, [(location, sorted(members, key=lambda n: (STOPPED_FIRST.get(n.status, 3), n.name))
                                  [:TIER_NAMES], len(members)) for location, members in groups])
                         for tier, groups in self.tiers],
            status_counts=self.status_counts, status_series=self.status_series, counted_at=self.counted_at)


@dataclass(frozen=True)
class ChainView:
    """A chain as its page and the impact API show it: the counts, the weak links, the dependency table
    and the tiers as listed — per place, the first TIER_NAMES enterprises (those stopped first) and how
    many there are in all. A few hundred nodes however large the chain (a national one holds tens of
    thousands): this, not the analysis, is what is kept for the 部专班."""

    chain: IndustryChain
    lead_count: int
    supplier_count: int
    tier_count: int
    single_sources: list[WeakLink]
    concentrations: list[WeakLink]
    reverse_impact: list[WeakLink]
    dependencies: list[Dependency]
    tiers_shown: list[tuple[int, list[tuple[str, list[Node], int]]]]
    status_counts: dict[str, int]
    status_series: list[StatusDay]
    counted_at: dt.datetime | None

    @property
    def dependencies_shown(self) -> list[Dependency]:
        return self.dependencies[:DEPENDENCIES_SHOWN]

    @property
    def weak_links(self) -> list[WeakLink]:
        return [*self.single_sources, *self.concentrations, *self.reverse_impact]


def _leads_for(chain: IndustryChain, user) -> set[int]:
    """The chain's leads the user sees (None: all of them)."""
    leads = Enterprise.objects.filter(chain_memberships__chain=chain)
    if user is not None and not scope_for(user).is_national:
        leads = leads.filter(pk__in=Enterprise.objects.visible_to(user).values("pk"))
    return set(leads.values_list("pk", flat=True))


def build_graph(lead_ids: set[int]) -> nx.DiGraph:
    """The leads and their suppliers up to MAX_TIERS, one query a tier; edge supplier → customer."""
    graph = nx.DiGraph()
    graph.add_nodes_from(lead_ids)
    frontier, seen = set(lead_ids), set(lead_ids)
    for _tier in range(MAX_TIERS):
        if not frontier:
            break
        upcoming: set[int] = set()
        for partner, customer, product, criticality, single in SupplyLink.objects.filter(
                lead_id__in=frontier, direction=Direction.UPSTREAM).values_list(
                "partner_id", "lead_id", "product", "criticality", "single_source").order_by():
            graph.add_edge(partner, customer, product=product, criticality=criticality, single_source=single)
            if partner not in seen:
                seen.add(partner)
                upcoming.add(partner)
        frontier = upcoming
    return graph


def analyse(chain: IndustryChain, user) -> Analysis:
    lead_ids = _leads_for(chain, user)
    graph = build_graph(lead_ids)
    # Tier 0 the leads, tier 1 their suppliers, tier 2 the suppliers' suppliers, …
    tier_of = {node: tier for tier, layer in enumerate(nx.bfs_layers(graph.reverse(copy=False), lead_ids))
               for node in layer} if lead_ids else {}
    # Plain values and each label translated once: a national chain has tens of thousands of nodes.
    labels = {value: str(label) for value, label in Resumption.choices}
    unreported = str(_("未填报"))
    regions = {region.pk: str(region) for region in Region.objects.all()}
    nodes = {
        pk: Node(id=pk, name=name, region_id=region_id, region_name=regions.get(region_id, ""), country=country,
                 status=status, status_label=labels.get(status, unreported), tier=tier_of.get(pk, 0),
                 is_lead=pk in lead_ids)
        for pk, name, region_id, country, status in Enterprise.objects.filter(pk__in=list(graph.nodes))
        .values_list("pk", "name", "region_id", "country", "status").order_by()
    }
    blocked = _leads_blocked(graph, lead_ids)
    return Analysis(
        chain=chain, nodes=nodes, graph=graph, lead_ids=lead_ids, tiers=_tiers(nodes),
        dependencies=_dependencies(graph, nodes),
        single_sources=_single_sources(graph, nodes, blocked),
        concentrations=_concentrations(graph, nodes, lead_ids),
        reverse_impact=_reverse_impact(nodes, blocked),
        status_counts=dict(Counter(node.status or "unknown" for node in nodes.values())),
        status_series=_status_series(list(nodes)),
        counted_at=timezone.now(),
    )


def view_for(chain: IndustryChain, user) -> ChainView:
    """The chain as the user may see it. The 部专班 side sees it whole, and a whole national chain (tens of
    thousands of enterprises over four tiers at national scale) takes seconds to walk: its view is kept
    and recounted in the background (chainwork.kept). A province's part is counted on each request."""
    if not scope_for(user).is_national:
        return analyse(chain, user).view()
    spec = {"kind": "industry_chain", "chain": chain.pk}
    return kept(f"industry-chain:v2:{chain.pk}:{get_language()}", spec, lambda: analyse(chain, None).view())


def recount_national(spec: dict) -> ChainView | None:
    """chainwork.kept's counter of a national chain (None once the chain is gone)."""
    chain = IndustryChain.objects.filter(pk=spec["chain"]).first()
    return analyse(chain, None).view() if chain is not None else None


def _status_series(ids: list[int]) -> list[StatusDay]:
    """The last STATUS_DAYS days, one grouped query."""
    today = timezone.localdate()
    days = {today - dt.timedelta(days=back): StatusDay(today - dt.timedelta(days=back))
            for back in range(STATUS_DAYS - 1, -1, -1)}
    if ids:
        for date, resumed, n in (StatusReport.objects.filter(enterprise_id__in=ids, date__in=list(days))
                                 .values_list("date", "resumed").annotate(n=Count("pk")).order_by()):
            setattr(days[date], resumed, n)
    return list(days.values())


def _tiers(nodes: dict[int, Node]) -> list[tuple[int, list[tuple[str, list[Node]]]]]:
    """Tier by tier, the nodes grouped by province or country (domestic first), names in order."""
    grouped: dict[int, dict[str, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for node in nodes.values():
        grouped[node.tier][node.location].append(node)
    result = []
    for tier in sorted(grouped):
        groups = sorted(grouped[tier].items(), key=lambda item: (item[1][0].abroad, -len(item[1]), item[0]))
        result.append((tier, [(location, sorted(members, key=lambda n: n.name)) for location, members in groups]))
    return result


def _leads_blocked(graph: nx.DiGraph, lead_ids: set[int]) -> dict[int, set[int]]:
    """For each supplier, the leads its stop would block: the leads downstream of it, transitively."""
    return {node: nx.descendants(graph, node) & lead_ids for node in graph.nodes if node not in lead_ids}


def _dependencies(graph: nx.DiGraph, nodes: dict[int, Node]) -> list[Dependency]:
    table: dict[tuple[str, str], Dependency] = {}
    for supplier, customer, data in graph.edges(data=True):
        s, c = nodes.get(supplier), nodes.get(customer)
        if s is None or c is None or s.location == c.location:
            continue
        row = table.setdefault((c.location, s.location), Dependency(c.location, s.location))
        row.links += 1
        row.core += data["criticality"] == Criticality.CORE
        row.single_source += bool(data["single_source"])
    return sorted(table.values(), key=lambda d: (-d.single_source, -d.core, -d.links, d.customer_location,
                                                 d.supplier_location))


def _single_sources(graph, nodes, blocked) -> list[WeakLink]:
    found = []
    for supplier, customer, data in graph.edges(data=True):
        if not data["single_source"] or supplier not in nodes or customer not in nodes:
            continue
        s, c = nodes[supplier], nodes[customer]
        core = data["criticality"] == Criticality.CORE
        found.append(WeakLink(
            kind="single_source", enterprise=s, location=s.location, leads_blocked=len(blocked.get(supplier, ())),
            title=_("%(customer)s的%(product)s只靠%(supplier)s一家供应") % {
                "customer": c.name, "product": data["product"] or _("配套产品"), "supplier": s.name},
            explanation=_("唯一供应%(core)s：%(supplier)s（%(location)s，%(status)s）一旦停产，"
                          "%(count)d家龙头企业的生产将受影响，且没有已登记的替代供应商。") % {
                "core": _("的核心配套") if core else "", "supplier": s.name, "location": s.location,
                "status": s.status_label, "count": len(blocked.get(supplier, ()))},
            score=(not core, STOPPED_FIRST.get(s.status, 1), -len(blocked.get(supplier, ())), s.name),
        ))
    return sorted(found, key=lambda w: w.score)[:TOP]


def _concentrations(graph, nodes, lead_ids) -> list[WeakLink]:
    suppliers = [n for n in nodes.values() if n.id not in lead_ids]
    found = []
    if len(suppliers) >= CONCENTRATION_MIN_SUPPLIERS:
        counts = Counter(n.location for n in suppliers)
        for location, count in counts.most_common():
            share = count / len(suppliers)
            if share < CONCENTRATION_SHARE:
                break
            found.append(WeakLink(
                kind="concentration", location=location,
                title=_("配套企业集中在%(location)s") % {"location": location},
                explanation=_("本产业链%(total)d家配套企业中有%(count)d家（%(share).0f%%）在%(location)s，"
                              "当地一旦出现疫情封控或物流中断，影响面大。") % {
                    "total": len(suppliers), "count": count, "share": share * 100, "location": location},
                score=(0, -share, location),
            ))
    # A product every supplier of which sits in one place (two suppliers or more: one is a single source).
    by_product: dict[str, set[int]] = defaultdict(set)
    for supplier, _customer, data in graph.edges(data=True):
        if data["product"] and supplier in nodes:
            by_product[data["product"]].add(supplier)
    for product, members in sorted(by_product.items()):
        places = {nodes[m].location for m in members}
        if len(members) >= 2 and len(places) == 1:
            location = places.pop()
            found.append(WeakLink(
                kind="concentration", location=location,
                title=_("%(product)s的供应全部来自%(location)s") % {"product": product, "location": location},
                explanation=_("%(product)s已登记的%(count)d家供应商都在%(location)s，没有其他地区的替代来源。")
                % {"product": product, "count": len(members), "location": location},
                score=(1, -len(members), product),
            ))
    return sorted(found, key=lambda w: w.score)[:TOP]


def _reverse_impact(nodes, blocked) -> list[WeakLink]:
    ranked = sorted(((len(leads), node_id) for node_id, leads in blocked.items() if leads and node_id in nodes),
                    key=lambda item: (-item[0], nodes[item[1]].name))
    return [WeakLink(
        kind="reverse_impact", enterprise=nodes[node_id], location=nodes[node_id].location, leads_blocked=count,
        title=_("%(name)s停产将影响%(count)d家龙头企业") % {"name": nodes[node_id].name, "count": count},
        explanation=_("%(name)s（%(location)s，第%(tier)d层配套）直接或经上下游间接供应%(count)d家龙头企业，"
                      "是本产业链的关键节点。") % {"name": nodes[node_id].name, "location": nodes[node_id].location,
                                          "tier": nodes[node_id].tier, "count": count},
        score=(-count,),
    ) for count, node_id in ranked[:TOP]]


def _node_dict(node: Node) -> dict:
    return {"id": node.id, "name": node.name, "region": node.region_id, "country": node.country,
            "status": node.status or None, "tier": node.tier}


def view_as_dict(view: ChainView) -> dict:
    """The API's impact answer: the same weak links the page shows, in the same order."""
    return {
        "chain": {"id": view.chain.pk, "slug": view.chain.slug, "name": view.chain.name},
        "leads": view.lead_count,
        "suppliers": view.supplier_count,
        "tiers": view.tier_count,
        "single_sources": [w.as_dict() for w in view.single_sources],
        "concentrations": [w.as_dict() for w in view.concentrations],
        "reverse_impact": [w.as_dict() for w in view.reverse_impact],
        "dependencies": [{"customer_location": d.customer_location, "supplier_location": d.supplier_location,
                          "links": d.links, "core": d.core, "single_source": d.single_source}
                         for d in view.dependencies],
    }
