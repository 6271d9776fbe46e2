"""产业链图谱 pages: the index of leads, one lead's chain, its export, and a supplier's reverse view."""

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chainwork.models import ExportLog
from enterprises import chain_counts
from enterprises.models import ChainCount, Enterprise
from tests.factories import AbroadEnterpriseFactory, EnterpriseFactory, SupplyLinkFactory, region

pytestmark = pytest.mark.django_db


@dataclass
class HubeiChain:
    lead: Enterprise
    guangdong_supplier: Enterprise
    not_resumed: Enterprise
    weak: Enterprise
    abroad: Enterprise
    customer: Enterprise


def with_status(enterprise, status, staff_rate=None, output_rate=None):
    enterprise.status, enterprise.staff_rate, enterprise.output_rate = status, staff_rate, output_rate
    enterprise.save()
    return enterprise


@pytest.fixture
def chain(personas):
    lead = with_status(EnterpriseFactory(name="武汉龙头汽车有限公司", is_lead=True), "yes")
    guangdong_supplier = with_status(
        EnterpriseFactory(name="广东配套电子有限公司", region=region("44")), "partly",
        staff_rate=Decimal("0.4567"), output_rate=Decimal("0.9100"))
    not_resumed = with_status(EnterpriseFactory(name="襄阳轴承有限公司"), "no")
    weak = with_status(EnterpriseFactory(name="十堰铸件有限公司"), "yes")
    abroad = with_status(AbroadEnterpriseFactory(name="德国精密部件公司"), "yes")
    customer = with_status(EnterpriseFactory(name="宜昌经销有限公司"), "yes")
    SupplyLinkFactory(lead=lead, partner=guangdong_supplier, product="控制芯片")
    SupplyLinkFactory(lead=lead, partner=not_resumed, product="轴承")
    SupplyLinkFactory(lead=lead, partner=weak, product="铸件", single_source=True)
    SupplyLinkFactory(lead=lead, partner=abroad, product="精密部件", criticality="important")
    SupplyLinkFactory(lead=lead, partner=customer, direction="downstream", product="整车",
                      criticality="general")
    return HubeiChain(lead, guangdong_supplier, not_resumed, weak, abroad, customer)


@pytest.fixture
def guangdong_lead(personas):
    return EnterpriseFactory(name="深圳龙头通信有限公司", region=region("44"), is_lead=True)


def chain_page(client, lead):
    return client.get(reverse("enterprises-chain", args=[lead.pk]))


def row_for(response, enterprise):
    return next(row for row in response.context["rows"] if row.node.enterprise == enterprise)


def mark_labels(row):
    return [label for label, _css in row.marks]


# --- one lead's chain ---------------------------------------------------------------------------

def test_hubei_official_sees_the_hubei_lead_chain_with_the_guangdong_supplier(client_for, personas, chain):
    response = chain_page(client_for(personas.hubei), chain.lead)
    assert response.status_code == 200
    assert "广东配套电子有限公司" in response.content.decode()


def test_the_guangdong_supplier_code_and_rates_are_hidden_from_the_hubei_official(client_for, personas, chain):
    html = chain_page(client_for(personas.hubei), chain.lead).content.decode()
    assert chain.guangdong_supplier.credit_code not in html
    assert "46%" not in html and "0.4567" not in html


def test_the_guangdong_supplier_row_says_it_shows_name_region_and_status_only(client_for, personas, chain):
    html = chain_page(client_for(personas.hubei), chain.lead).content.decode()
    assert "仅显示名称、地区和状态" in html


def test_a_not_resumed_supplier_is_listed_first_among_blockers_with_its_reason(client_for, personas, chain):
    first = chain_page(client_for(personas.hubei), chain.lead).context["blocker_rows"][0]
    assert first.node.enterprise == chain.not_resumed
    assert "未复工" in first.reasons


def test_a_single_source_core_supplier_is_marked_as_a_weak_link(client_for, personas, chain):
    row = row_for(chain_page(client_for(personas.hubei), chain.lead), chain.weak)
    assert "薄弱环节" in mark_labels(row)


def test_an_abroad_supplier_is_marked_as_abroad(client_for, personas, chain):
    row = row_for(chain_page(client_for(personas.hubei), chain.lead), chain.abroad)
    assert "境外" in mark_labels(row)


def test_the_guangdong_supplier_is_marked_as_from_another_province(client_for, personas, chain):
    row = row_for(chain_page(client_for(personas.hubei), chain.lead), chain.guangdong_supplier)
    assert "跨省" in mark_labels(row)


def test_the_summary_counts_the_blockers_and_the_cross_region_partners(client_for, personas, chain):
    summary = chain_page(client_for(personas.hubei), chain.lead).context["summary"]
    assert (summary["blockers"], summary["cross_region"]) == (2, 2)


def test_the_chart_data_is_handed_to_the_script_as_json(client_for, personas, chain):
    html = chain_page(client_for(personas.hubei), chain.lead).content.decode()
    assert '<script id="chain-data" type="application/json">' in html


def test_the_chain_page_has_no_inline_script(client_for, personas, chain):
    html = chain_page(client_for(personas.hubei), chain.lead).content.decode()
    assert "<script>" not in html and " style=" not in html


def test_guangdong_official_gets_404_on_the_hubei_lead_chain(client_for, personas, chain):
    assert chain_page(client_for(personas.guangdong), chain.lead).status_code == 404


def test_department_user_gets_404_on_the_hubei_lead_chain(client_for, personas, chain):
    assert chain_page(client_for(personas.dept_mot), chain.lead).status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_the_chain(client, personas, chain):
    response = chain_page(client, chain.lead)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- the index ----------------------------------------------------------------------------------

def index_leads(client, **params):
    chain_counts.recount()  # as beat does every CHAIN_COUNTS_SECONDS
    return list(client.get(reverse("enterprises-chains"), params).context["page_obj"])


def test_the_kept_counts_are_those_counted_live(personas, chain, guangdong_lead):
    chain_counts.recount()
    live = chain_counts.with_counts(Enterprise.objects.filter(is_lead=True)).values_list("pk", *chain_counts.FIELDS)
    kept = ChainCount.objects.values_list("lead_id", *chain_counts.FIELDS)
    assert sorted(kept) == sorted(live)


def test_the_index_orders_by_the_kept_counts_until_they_are_recounted(client_for, personas, chain, guangdong_lead):
    chain_counts.recount()
    for _n in range(3):
        SupplyLinkFactory(lead=guangdong_lead, partner=with_status(EnterpriseFactory(region=region("44")), "no"))
    client = client_for(personas.ministry)
    assert next(iter(client.get(reverse("enterprises-chains")).context["page_obj"])) == chain.lead
    assert index_leads(client)[0] == guangdong_lead


def test_a_lead_no_longer_a_lead_loses_its_kept_counts(personas, chain):
    chain_counts.recount()
    Enterprise.objects.filter(pk=chain.lead.pk).update(is_lead=False)
    chain_counts.recount()
    assert not ChainCount.objects.filter(lead=chain.lead).exists()


def test_the_index_says_when_its_counts_were_counted(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-chains")).content.decode()
    assert "数据更新于" not in html
    chain_counts.recount()
    assert "数据更新于" in client_for(personas.hubei).get(reverse("enterprises-chains")).content.decode()


def test_the_index_lists_the_hubei_lead_with_its_blocker_count_and_no_guangdong_lead(
        client_for, personas, chain, guangdong_lead):
    leads = index_leads(client_for(personas.hubei))
    assert [(lead, lead.blockers) for lead in leads] == [(chain.lead, 2)]


def test_the_ministry_sees_every_lead_in_the_index(client_for, personas, chain, guangdong_lead):
    assert set(index_leads(client_for(personas.ministry))) == {chain.lead, guangdong_lead}


def test_the_index_puts_the_lead_with_most_blockers_first(client_for, personas, chain, guangdong_lead):
    quiet_lead = EnterpriseFactory(name="鄂州安稳有限公司", is_lead=True)
    assert index_leads(client_for(personas.hubei)) == [chain.lead, quiet_lead]


def test_the_index_finds_a_lead_by_pinyin_initials(client_for, personas, chain):
    EnterpriseFactory(name="黄石其他龙头有限公司", is_lead=True)
    assert index_leads(client_for(personas.hubei), q="whlt") == [chain.lead]


def test_the_index_filters_by_region_for_the_ministry(client_for, personas, chain, guangdong_lead):
    assert index_leads(client_for(personas.ministry), region="44") == [guangdong_lead]


def test_an_empty_index_says_to_register_leads_and_partners(client_for, personas):
    html = client_for(personas.hubei).get(reverse("enterprises-chains")).content.decode()
    assert "登记龙头企业及其配套企业" in html


@pytest.mark.parametrize("leads", [3, 20])
def test_the_index_query_count_does_not_grow_with_leads(client_for, personas, django_assert_max_num_queries,
                                                        leads):
    for _n in range(leads):
        lead = EnterpriseFactory(is_lead=True)
        SupplyLinkFactory(lead=lead, partner=with_status(EnterpriseFactory(), "no"))
        SupplyLinkFactory(lead=lead, partner=EnterpriseFactory(region=region("44")), direction="downstream")
    chain_counts.recount()
    client = client_for(personas.ministry)
    with django_assert_max_num_queries(12):
        client.get(reverse("enterprises-chains"))


# --- the export ---------------------------------------------------------------------------------

def export(client, lead, fmt):
    return client.get(reverse("enterprises-chain-export", args=[lead.pk]), {"format": fmt})


def test_the_chain_export_is_logged(client_for, personas, chain):
    export(client_for(personas.hubei), chain.lead, "xlsx")
    log = ExportLog.objects.get()
    assert (log.kind, log.title, log.rows) == ("chain", "武汉龙头汽车有限公司产业链配套企业名单", 5)


def test_the_chain_xlsx_opens_with_the_partner_names(client_for, personas, chain):
    sheet = load_workbook(io.BytesIO(export(client_for(personas.hubei), chain.lead, "xlsx").getvalue())).active
    names = {row[1] for row in sheet.iter_rows(min_row=8, values_only=True)}
    assert {"广东配套电子有限公司", "襄阳轴承有限公司", "德国精密部件公司"} <= names


def test_the_chain_csv_leaves_out_the_guangdong_supplier_code(client_for, personas, chain):
    text = export(client_for(personas.hubei), chain.lead, "csv").getvalue().decode("utf-8-sig")
    assert "广东配套电子有限公司" in text and chain.guangdong_supplier.credit_code not in text


def test_guangdong_official_gets_404_on_the_hubei_chain_export(client_for, personas, chain):
    assert export(client_for(personas.guangdong), chain.lead, "xlsx").status_code == 404


# --- the reverse view ---------------------------------------------------------------------------

def served_page(client, enterprise):
    return client.get(reverse("enterprises-served", args=[enterprise.pk]))


def test_the_guangdong_supplier_served_page_shows_the_hubei_lead_to_a_guangdong_official(
        client_for, personas, chain):
    html = served_page(client_for(personas.guangdong), chain.guangdong_supplier).content.decode()
    assert "武汉龙头汽车有限公司" in html and "湖北省" in html


def test_the_hubei_lead_is_shown_by_name_and_region_only_to_a_guangdong_official(client_for, personas, chain):
    html = served_page(client_for(personas.guangdong), chain.guangdong_supplier).content.decode()
    assert chain.lead.credit_code not in html and "控制芯片" not in html
    assert reverse("enterprises-chain", args=[chain.lead.pk]) not in html


def test_the_served_page_tells_the_guangdong_official_the_supplier_blocks_with_its_reasons(
        client_for, personas, chain):
    html = served_page(client_for(personas.guangdong), chain.guangdong_supplier).content.decode()
    assert "员工到岗率46%" in html


def test_a_zhejiang_official_gets_404_on_the_served_page(client_for, personas, chain):
    assert served_page(client_for(personas.zhejiang), chain.guangdong_supplier).status_code == 404


def test_an_open_problem_about_a_partner_makes_it_a_blocker(client_for, personas, chain):
    from cases.services import CaseData, case_create
    from chainwork.models import Category

    with_status(chain.customer, "yes", Decimal("1.00"), Decimal("1.00"))
    case_create(actor=personas.hubei, data=CaseData(
        enterprise_id=chain.customer.pk, category_id=Category.objects.get(slug="labour").pk,
        title="缺工", description="x", request="y"))
    html = client_for(personas.hubei).get(reverse("enterprises-chain", args=[chain.lead.pk])).content.decode()
    assert "1个问题未办结" in html
