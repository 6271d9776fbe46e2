"""国际疫情研判: what a country's situation exposes.

The enterprises abroad in the country are its suppliers; the leads they feed, directly or through
their customers' customers (MAX_TIERS), are exposed. networkx answers which exposed suppliers reach a
lead and over which links. Exposed leads with a single-source supplier on the way come first, then
those fed a core product; each product fed from the country lists the domestic enterprises recorded
as suppliers of the same product, the alternatives to look at first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

import networkx as nx
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chainwork.kept import kept
from chainwork.models import Region
from chainwork.scope import scope_for
from enterprises.industry_chains import MAX_TIERS
from enterprises.models import (
    CountrySituation,
    Criticality,
    Direction,
    Enterprise,
    IndustryChainLead,
    Resumption,
    SupplyLink,
)

# Alternatives shown per product.
ALTERNATIVES = 5


@dataclass(frozen=True)
class Party:
    id: int
    name: str
    location: str
    status: str

    @property
    def status_label(self) -> str:
        return str(Resumption(self.status).label) if self.status in Resumption.values else _("未填报")


@dataclass(frozen=True)
class Supply:
    """A link from a supplier in the country to the enterprise it feeds."""

    supplier: Party
    customer_id: int
    product: str
    criticality: str
    single_source: bool

    @property
    def criticality_label(self) -> str:
        return str(Criticality(self.criticality).label) if self.criticality in Criticality.values else ""


@dataclass
class ExposedLead:
    lead: Party
    supplies: list[Supply]
    single_source: bool
    core: bool
    direct: bool
    chains: list[str] = field(default_factory=list)
    alternatives: dict[str, list[Party]] = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        names = "、".join(sorted({s.supplier.name for s in self.supplies}))
        if self.single_source:
            return _("%(names)s是唯一供应来源，没有已登记的替代供应商。") % {"names": names}
        if self.direct:
            return _("直接从%(names)s采购。") % {"names": names}
        return _("经上游配套企业间接依赖%(names)s。") % {"names": names}


@dataclass
class Exposure:
    situation: CountrySituation
    suppliers: list[Party]
    leads: list[ExposedLead]

    @property
    def chains(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for exposed in self.leads:
            for name in exposed.chains:
                counts[name] += 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def exposure_view(situation: CountrySituation, user) -> Exposure:
    """exposure_for the user. For the 部专班 side (national scope) it is kept and recounted in the background
    (chainwork.kept): a country's suppliers reach thousands of leads at national scale, about a second's
    walk. The situation itself is always the one read now."""
    if not scope_for(user).is_national:
        return exposure_for(situation, user)
    spec = {"kind": "exposure", "situation": situation.pk}
    found = kept(f"exposure:v1:{situation.pk}:{situation.country}:{get_language()}", spec,
                 lambda: exposure_for(situation, None))
    return replace(found, situation=situation)


def recount_exposure(spec: dict) -> Exposure | None:
    """chainwork.kept's counter of a national exposure (None once the situation is gone)."""
    situation = CountrySituation.objects.filter(pk=spec["situation"]).first()
    return exposure_for(situation, None) if situation is not None else None


def exposure_for(situation: CountrySituation, user) -> Exposure:
    """The exposure of the leads the user sees (None: every lead)."""
    suppliers = {e.pk: Party(e.pk, e.name, e.country, e.status) for e in Enterprise.objects.filter(
        region__isnull=True, country=situation.country).only("pk", "name", "country", "status").order_by("name")}
    graph = nx.DiGraph()
    graph.add_nodes_from(suppliers)
    frontier, seen = set(suppliers), set(suppliers)
    for _tier in range(MAX_TIERS):
        if not frontier:
            break
        upcoming: set[int] = set()
        for partner, lead, product, criticality, single in SupplyLink.objects.filter(
                partner_id__in=frontier, direction=Direction.UPSTREAM).values_list(
                "partner_id", "lead_id", "product", "criticality", "single_source").order_by():
            graph.add_edge(partner, lead, product=product, criticality=criticality, single_source=single)
            if lead not in seen:
                seen.add(lead)
                upcoming.add(lead)
        frontier = upcoming
    customers = seen - set(suppliers)
    if user is not None and not scope_for(user).is_national:
        customers &= set(Enterprise.objects.visible_to(user).filter(pk__in=customers).values_list("pk", flat=True))
    parties = {e.pk: Party(e.pk, e.name, str(e.region) if e.region else e.country, e.status)
               for e in Enterprise.objects.filter(pk__in=customers).select_related("region").only(
                   "pk", "name", "country", "status", "region__name", "region__name_en")}
    chains: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, name in IndustryChainLead.objects.filter(enterprise_id__in=customers).values_list(
            "enterprise_id", "chain__name").order_by("chain__order", "chain__slug"):
        chains[enterprise_id].append(name)
    leads = [_exposed(graph, suppliers, parties[pk], chains[pk]) for pk in customers if pk in parties]
    _add_alternatives(leads, situation.country)
    leads.sort(key=lambda e: (not e.single_source, not e.core, not e.direct, e.lead.name))
    return Exposure(situation=situation, suppliers=list(suppliers.values()), leads=leads)


def _exposed(graph, suppliers, lead: Party, chains: list[str]) -> ExposedLead:
    upstream = nx.ancestors(graph, lead.id)
    reaching = upstream & set(suppliers)
    path_edges = graph.subgraph(upstream | {lead.id}).edges(data=True)
    supplies = [Supply(suppliers[s], c, d["product"], d["criticality"], d["single_source"])
                for s, c, d in path_edges if s in reaching]
    return ExposedLead(
        lead=lead, supplies=sorted(supplies, key=lambda s: (not s.single_source, s.supplier.name)),
        single_source=any(d["single_source"] for _s, _c, d in path_edges),
        core=any(d["criticality"] == Criticality.CORE for _s, _c, d in path_edges),
        direct=any(graph.has_edge(s, lead.id) for s in reaching), chains=chains,
    )


def _add_alternatives(leads: list[ExposedLead], country: str) -> None:
    """Domestic suppliers recorded for the same products, in one query."""
    products = {s.product for exposed in leads for s in exposed.supplies if s.product}
    found: dict[str, list[Party]] = defaultdict(list)
    rows = (SupplyLink.objects.filter(direction=Direction.UPSTREAM, product__in=products,
                                      partner__region__isnull=False)
            .values_list("product", "partner_id", "partner__name", "partner__region__name",
                         "partner__region__name_en", "partner__status")
            .order_by("product", "partner__name_pinyin").distinct())
    for product, pk, name, region_name, region_name_en, status in rows:
        if len(found[product]) < ALTERNATIVES and all(p.id != pk for p in found[product]):
            found[product].append(Party(pk, name, Region.label(region_name, region_name_en), status))
    for exposed in leads:
        exposed.alternatives = {s.product: found.get(s.product, []) for s in exposed.supplies if s.product}


def exposure_as_dict(exposure: Exposure) -> dict:
    def party(p: Party) -> dict:
        return {"id": p.id, "name": p.name, "location": p.location, "status": p.status or None}

    return {
        "situation": exposure.situation.pk,
        "country": exposure.situation.country,
        "suppliers": [party(p) for p in exposure.suppliers],
        "chains": [{"name": name, "exposed_leads": n} for name, n in exposure.chains],
        "leads": [{
            "lead": party(e.lead), "single_source": e.single_source, "core": e.core, "direct": e.direct,
            "chains": e.chains, "explanation": e.explanation,
            "supplies": [{"supplier": party(s.supplier), "customer": s.customer_id, "product": s.product,
                          "criticality": s.criticality, "single_source": s.single_source} for s in e.supplies],
            "alternatives": {product: [party(p) for p in found] for product, found in e.alternatives.items()},
        } for e in exposure.leads],
    }
