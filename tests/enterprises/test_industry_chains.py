"""重点产业链: tiers, weak links and dependencies (enterprises/industry_chains.py), its pages and API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from chainwork.errors import NotPermitted, ValidationError
from enterprises import industry_chains, services
from enterprises.models import Enterprise, IndustryChain
from tests.factories import (
    AbroadEnterpriseFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    IndustryChainLeadFactory,
    SupplyLinkFactory,
    region,
)

pytestmark = pytest.mark.django_db

CHAINS = "/api/v1/industry-chains/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@dataclass
class AutoChain:
    chain: IndustryChain
    lead: Enterprise
    second_lead: Enterprise
    ecu: Enterprise  # 广东, tier 1, the only source of both Hubei leads
    chips: Enterprise  # 广东, tier 2
    wafers: Enterprise  # 韩国, tier 3
    welding: Enterprise  # 德国, tier 1


@pytest.fixture
def auto(personas):
    """Two Hubei leads ← a Guangdong ECU maker (single source) ← a Guangdong chip maker (single source)
    ← Korean wafers; a German welding-line supplier and a Japanese power-chip supplier beside them."""
    chain = IndustryChainFactory(slug="auto", name="汽车")
    lead = IndustryChainLeadFactory(chain=chain, enterprise=EnterpriseFactory(name="江城汽车", is_lead=True)).enterprise
    second = IndustryChainLeadFactory(chain=chain, enterprise=EnterpriseFactory(name="襄阳整车", is_lead=True)).enterprise
    ecu = EnterpriseFactory(name="南沙汽车电子", region=region("44"), is_lead=True, status="partly")
    chips = EnterpriseFactory(name="前海车规芯片", region=region("44"), is_lead=True, status="no")
    wafers = AbroadEnterpriseFactory(name="Hanbit Wafer", country="韩国")
    welding = AbroadEnterpriseFactory(name="Rheinland", country="德国")
    power = AbroadEnterpriseFactory(name="Kyushu Semi", country="日本")
    SupplyLinkFactory(lead=lead, partner=ecu, direction="upstream", product="车身控制单元", criticality="core",
                      single_source=True)
    SupplyLinkFactory(lead=second, partner=ecu, direction="upstream", product="车身控制单元", criticality="core",
                      single_source=True)
    SupplyLinkFactory(lead=lead, partner=welding, direction="upstream", product="焊装设备")
    SupplyLinkFactory(lead=ecu, partner=chips, direction="upstream", product="MCU芯片", criticality="core",
                      single_source=True)
    SupplyLinkFactory(lead=ecu, partner=power, direction="upstream", product="功率半导体", criticality="core")
    SupplyLinkFactory(lead=chips, partner=wafers, direction="upstream", product="晶圆", criticality="core",
                      single_source=True)
    return AutoChain(chain, lead, second, ecu, chips, wafers, welding)


def analysis(auto, user):
    return industry_chains.analyse(auto.chain, user)


# --- the analysis ---------------------------------------------------------------------------------------


def test_a_supplier_of_a_supplier_of_a_supplier_is_in_the_third_tier(auto, personas):
    assert analysis(auto, personas.ministry).nodes[auto.wafers.pk].tier == 3


def test_the_chain_counts_three_tiers(auto, personas):
    assert analysis(auto, personas.ministry).view().tier_count == 3


def test_a_downstream_customer_is_not_a_supplier_of_the_chain(auto, personas):
    customer = EnterpriseFactory(name="荆楚物流")
    SupplyLinkFactory(lead=auto.lead, partner=customer, direction="downstream")
    assert customer.pk not in analysis(auto, personas.ministry).nodes


def test_single_sources_put_the_core_supplier_not_resumed_first(auto, personas):
    first = analysis(auto, personas.ministry).single_sources[0]
    assert first.enterprise.id == auto.chips.pk


def test_reverse_impact_counts_the_leads_blocked_transitively(auto, personas):
    impact = {w.enterprise.id: w.leads_blocked for w in analysis(auto, personas.ministry).reverse_impact}
    assert impact[auto.wafers.pk] == 2


def test_reverse_impact_ranks_the_supplier_blocking_most_leads_first(auto, personas):
    assert analysis(auto, personas.ministry).reverse_impact[0].leads_blocked == 2


def test_concentration_names_the_province_holding_most_suppliers(auto, personas):
    locations = [w.location for w in analysis(auto, personas.ministry).concentrations]
    assert locations[0] == "广东省"


def test_the_dependency_table_shows_hubei_depending_on_guangdong(auto, personas):
    rows = {(d.customer_location, d.supplier_location): d for d in analysis(auto, personas.ministry).dependencies}
    assert rows[("湖北省", "广东省")].single_source == 2


def test_the_dependency_table_shows_guangdong_depending_on_korea(auto, personas):
    rows = {(d.customer_location, d.supplier_location) for d in analysis(auto, personas.ministry).dependencies}
    assert ("广东省", "韩国") in rows


def test_a_guangdong_official_sees_no_part_of_a_chain_of_hubei_leads(auto, personas):
    assert analysis(auto, personas.guangdong).nodes == {}


def test_a_hubei_official_sees_the_part_its_leads_draw_on(auto, personas):
    assert auto.wafers.pk in analysis(auto, personas.hubei).nodes


# --- the page and the API name the same weak links ---------------------------------------------------


def test_the_page_names_every_weak_link_the_api_names(auto, personas, client_for, as_user):
    body = as_user(personas.ministry).get(f"{CHAINS}{auto.chain.pk}/impact/").json()
    page = client_for(personas.ministry).get(
        reverse("enterprises-chains-industry-detail", args=[auto.chain.pk])).content.decode()
    titles = [w["title"] for kind in ("single_sources", "concentrations", "reverse_impact") for w in body[kind]]
    assert titles and all(title in page for title in titles)


def test_the_impact_answer_names_the_chip_maker_as_the_first_single_source(auto, personas, as_user):
    body = as_user(personas.ministry).get(f"{CHAINS}{auto.chain.pk}/impact/").json()
    assert body["single_sources"][0]["enterprise"]["name"] == "前海车规芯片"


def test_the_chain_list_counts_the_leads_a_province_sees(auto, personas, as_user):
    body = as_user(personas.guangdong).get(CHAINS).json()
    assert {row["slug"]: row["lead_count"] for row in body["results"]}["auto"] == 0


def test_the_chain_list_costs_the_same_for_many_chains(personas, as_user, django_assert_max_num_queries):
    for n in range(8):
        IndustryChainLeadFactory(chain=IndustryChainFactory(slug=f"c{n}", name=f"链{n}"))
    client = as_user(personas.hubei)
    with django_assert_max_num_queries(6):
        client.get(CHAINS)


def test_the_impact_costs_a_query_a_tier(auto, personas, as_user, django_assert_max_num_queries):
    client = as_user(personas.ministry)
    with django_assert_max_num_queries(10):
        client.get(f"{CHAINS}{auto.chain.pk}/impact/")


def test_a_department_user_may_not_read_industry_chains(auto, personas, as_user):
    assert as_user(personas.dept_mot).get(CHAINS).status_code == 403


def test_a_liaison_officer_may_not_read_a_chain_page(auto, personas, client_for):
    response = client_for(personas.liaison_hubei).get(
        reverse("enterprises-chains-industry-detail", args=[auto.chain.pk]))
    assert response.status_code == 403


def test_an_unknown_chain_is_not_found(personas, client_for):
    assert client_for(personas.ministry).get(
        reverse("enterprises-chains-industry-detail", args=[999_999])).status_code == 404


def test_the_chain_page_explains_single_sources_in_words(auto, personas, client_for):
    page = client_for(personas.hubei).get(reverse("enterprises-chains-industry-detail", args=[auto.chain.pk]))
    assert "只靠前海车规芯片一家供应" in page.content.decode()


# --- keeping the chain's leads ---------------------------------------------------------------------------


def test_the_ministry_adds_a_lead_to_a_chain(personas):
    chain = IndustryChainFactory()
    lead = EnterpriseFactory(is_lead=True)
    services.industry_chain_add_lead(actor=personas.ministry, chain=chain, enterprise=lead)
    assert chain.leads.filter(pk=lead.pk).exists()


def test_a_province_may_not_add_a_lead_to_a_chain(personas):
    with pytest.raises(NotPermitted):
        services.industry_chain_add_lead(actor=personas.hubei, chain=IndustryChainFactory(),
                                         enterprise=EnterpriseFactory(is_lead=True))


def test_only_a_lead_enterprise_joins_a_chain(personas):
    with pytest.raises(ValidationError) as error:
        services.industry_chain_add_lead(actor=personas.ministry, chain=IndustryChainFactory(),
                                         enterprise=EnterpriseFactory())
    assert "enterprise" in error.value.message_dict


# --- the demo -------------------------------------------------------------------------------------------


def test_the_demo_auto_chain_spans_hubei_guangdong_and_two_countries_over_three_tiers(personas):
    from enterprises.demo import seed_enterprises
    for order, (slug, name) in enumerate([("auto", "汽车"), ("electronics", "电子信息")]):
        IndustryChainFactory(slug=slug, name=name, order=order)
    seed_enterprises(days=2)
    result = industry_chains.analyse(IndustryChain.objects.get(slug="auto"), personas.ministry)
    places = {n.location for n in result.nodes.values()}
    assert result.view().tier_count == 3 and {"湖北省", "广东省"} <= places
    assert len({n.country for n in result.nodes.values() if n.abroad}) >= 2


def test_the_ministry_names_a_lead_on_the_chain_page(personas, client_for):
    chain, lead = IndustryChainFactory(), EnterpriseFactory(is_lead=True)
    client_for(personas.ministry).post(reverse("enterprises-chains-industry-add-lead", args=[chain.pk]),
                                       {"credit_code": lead.credit_code})
    assert chain.leads.filter(pk=lead.pk).exists()


def test_a_province_may_not_name_a_lead_on_the_chain_page(personas, client_for):
    chain, lead = IndustryChainFactory(), EnterpriseFactory(is_lead=True)
    response = client_for(personas.hubei).post(reverse("enterprises-chains-industry-add-lead", args=[chain.pk]),
                                               {"credit_code": lead.credit_code})
    assert response.status_code == 403


def test_the_ministry_takes_a_lead_off_the_chain(auto, personas, client_for):
    client_for(personas.ministry).post(reverse("enterprises-chains-industry-remove-lead",
                                               args=[auto.chain.pk, auto.second_lead.pk]))
    assert not auto.chain.leads.filter(pk=auto.second_lead.pk).exists()


def test_status_over_time_counts_each_days_reports(auto, personas):
    from django.utils import timezone

    from enterprises.models import StatusReport
    StatusReport.objects.create(enterprise=auto.chips, date=timezone.localdate(), resumed="no")
    today = analysis(auto, personas.ministry).status_series[-1]
    assert (today.date, today.no) == (timezone.localdate(), 1)


def test_the_page_names_a_few_enterprises_per_place_and_tier_and_counts_the_rest(auto, personas, client_for,
                                                                                monkeypatch):
    from enterprises import industry_chains

    monkeypatch.setattr(industry_chains, "TIER_NAMES", 1)
    page = client_for(personas.ministry).get(
        reverse("enterprises-chains-industry-detail", args=[auto.chain.pk])).content.decode()
    tiers = page[page.index('data-testid="tiers"'):page.index('data-testid="chain-leads"')]
    # The two Hubei leads: the first by name is named, and the place says how many there are.
    assert "湖北省（2）" in tiers and "等2家" in tiers and "江城汽车" in tiers and "襄阳整车" not in tiers


def test_the_page_lists_the_first_leads_and_offers_all(auto, personas, client_for, monkeypatch):
    from enterprises import views_industry_chains

    monkeypatch.setattr(views_industry_chains, "LEADS_SHOWN", 1)
    url = reverse("enterprises-chains-industry-detail", args=[auto.chain.pk])
    client = client_for(personas.ministry)
    assert len(client.get(url).context["chain_leads"]) == 1
    assert len(client.get(url, {"leads": "all"}).context["chain_leads"]) == 2


def _kept_on(settings, chain):
    from django.core.cache import cache
    from django.utils.translation import get_language

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.delete(f"industry-chain:v2:{chain.pk}:{get_language()}")  # Redis outlives the test database


def _shown_status(view, pk: int) -> str:
    """The status of an enterprise as the chain's page lists it."""
    return next(node.status for _tier, groups in view.tiers_shown for _place, members, _n in groups
                for node in members if node.id == pk)


def test_the_whole_chain_is_kept_for_the_ministry_until_recounted(auto, personas, settings):
    from chainwork.kept import refresh_kept
    from enterprises.industry_chains import view_for

    _kept_on(settings, auto.chain)
    first = view_for(auto.chain, personas.ministry)
    Enterprise.objects.filter(pk=auto.chips.pk).update(status="yes")
    assert _shown_status(view_for(auto.chain, personas.ministry), auto.chips.pk) == "no"
    settings.DASHBOARD_CACHE_SECONDS = 1e-9  # every kept entry is older than this: the task recounts it
    refresh_kept()
    settings.DASHBOARD_CACHE_SECONDS = 300
    again = view_for(auto.chain, personas.ministry)
    assert (_shown_status(first, auto.chips.pk), _shown_status(again, auto.chips.pk)) == ("no", "yes")


def test_a_provinces_part_is_counted_on_each_request(auto, personas, settings):
    from enterprises.industry_chains import view_for

    _kept_on(settings, auto.chain)
    view_for(auto.chain, personas.hubei)
    Enterprise.objects.filter(pk=auto.chips.pk).update(status="yes")
    assert _shown_status(view_for(auto.chain, personas.hubei), auto.chips.pk) == "yes"
