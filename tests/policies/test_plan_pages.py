"""The 应对预案, 政策储备 and 一企一策 pages: scope both sides of a province line, forms through the services,
the lead's panel, the chain and situation links, the .docx 研判报告, phone cards and query counts."""

import io

import pytest
from django.urls import reverse
from docx import Document

from chainwork.models import ExportLog
from policies.models import PolicyReserve, ResponsePlan, ServicePlan
from tests.factories import EnterpriseFactory, region
from tests.policies.plans_support import TODAY, auto_chain, make_plan, make_reserve, make_service_plan, situation

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_a_guangdong_official_sees_the_chain_plan_but_not_a_hubei_leads(client_for, personas, chain):
    make_plan(by=personas.hubei, lead=chain["lead"], title="湖北龙头预案")
    make_plan(by=personas.ministry, chain=auto_chain(), title="汽车产业链预案")
    page = html(client_for(personas.guangdong).get(reverse("policies-plans")))
    assert "汽车产业链预案" in page and "湖北龙头预案" not in page


def test_a_guangdong_official_gets_404_on_a_hubei_leads_plan(client_for, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    assert client_for(personas.guangdong).get(reverse("policies-plan-detail", args=[plan.pk])).status_code == 404


def test_the_plan_list_is_cards_on_a_phone_with_its_filters_folded(client_for, personas, chain):
    make_plan(by=personas.hubei, lead=chain["lead"])
    page = html(client_for(personas.hubei).get(reverse("policies-plans")))
    assert "cw-table-cards" in page and 'data-testid="filter-toggle"' in page


def test_a_plan_shows_its_state_in_words(client_for, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"], state="activated")
    assert "已启动" in html(client_for(personas.hubei).get(reverse("policies-plan-detail", args=[plan.pk])))


def test_a_hubei_official_draws_up_a_plan_through_the_form(client_for, personas, chain):
    germany = situation()
    response = client_for(personas.hubei).post(reverse("policies-plan-create"), {
        "lead": chain["lead"].pk, "title": "德国停工应对预案", "situations": [germany.pk], "stock_days": "10",
        "actions": "启用国内替代\n增加库存", "owner_unit": "武汉市经信局", "other_codes": ""})
    plan = ResponsePlan.objects.get()
    assert response.status_code == 302 and plan.action_lines() == ["启用国内替代", "增加库存"]


def test_the_form_suggests_the_domestic_alternatives_of_the_exposure(client_for, personas, chain):
    from enterprises.models import SupplyLink

    germany = situation()
    home = EnterpriseFactory(name="武汉焊装设备有限公司", region=region("42"))
    other_lead = EnterpriseFactory(name="襄阳龙头企业", region=region("42"), is_lead=True)
    SupplyLink.objects.create(lead=other_lead, partner=home, direction="upstream",
                              product=chain["links"]["german"].product)
    page = html(client_for(personas.hubei).get(
        reverse("policies-plan-create") + f"?lead={chain['lead'].pk}&situation={germany.pk}"))
    assert "武汉焊装设备有限公司" in page


def test_a_province_cannot_open_the_form_for_a_chain_plan(client_for, personas):
    url = reverse("policies-plan-create") + f"?chain={auto_chain().pk}"
    assert client_for(personas.hubei).get(url).status_code == 403


def test_a_step_the_state_refuses_is_a_message_not_an_error(client_for, personas, chain):
    plan = make_plan(by=personas.hubei, lead=chain["lead"])
    client = client_for(personas.hubei)
    client.post(reverse("policies-plan-step", args=[plan.pk, "lift"]))
    assert "不能解除预案" in html(client.get(reverse("policies-plan-detail", args=[plan.pk])))


def test_the_ministry_records_a_reserve_through_the_form(client_for, personas):
    response = client_for(personas.ministry).post(reverse("policies-reserve-create"), {
        "title": "关税阶段性减免", "summary": "建议", "proposing_unit": "运行监测协调局", "chains": [auto_chain().pk]})
    assert response.status_code == 302 and PolicyReserve.objects.get().state == "studying"


def test_a_province_reads_the_reserve_without_the_steps(client_for, personas):
    reserve = make_reserve(by=personas.ministry)
    page = html(client_for(personas.hubei).get(reverse("policies-reserve-detail", args=[reserve.pk])))
    assert "首台套保险补偿" in page and "reserve-step-submit" not in page


def test_the_lead_page_shows_its_service_plan(client_for, personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei, measures=[(-1, "in_progress")])
    page = html(client_for(personas.hubei).get(reverse("enterprises-detail", args=[chain["lead"].pk])))
    assert 'data-testid="service-plan-panel"' in page and "（超期）" in page


def test_the_lead_page_offers_a_service_plan_to_its_province(client_for, personas, chain):
    page = html(client_for(personas.hubei).get(reverse("enterprises-detail", args=[chain["lead"].pk])))
    assert reverse("policies-service-plan-create") + f"?lead={chain['lead'].pk}" in page


def test_a_hubei_official_adds_a_measure(client_for, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    client_for(personas.hubei).post(reverse("policies-service-measure-add", args=[plan.pk]), {
        "text": "协调模具供应", "responsible_unit": "宜昌市经信局", "deadline": TODAY.isoformat()})
    assert plan.measures.get().text == "协调模具供应"


def test_a_hubei_official_records_progress(client_for, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(3, "planned")])
    measure = plan.measures.get()
    client_for(personas.hubei).post(reverse("policies-service-measure-progress", args=[plan.pk, measure.pk]), {
        f"m{measure.pk}-state": "done", f"m{measure.pk}-progress": "已完成"})
    assert plan.measures.get().state == "done"


def test_a_guangdong_official_gets_404_on_a_hubei_service_plan(client_for, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei)
    assert client_for(personas.guangdong).get(
        reverse("policies-service-plan-detail", args=[plan.pk])).status_code == 404


def test_the_province_report_counts_done_due_and_overdue(client_for, personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "in_progress"), (3, "planned"), (-5, "done")])
    response = client_for(personas.ministry).get(reverse("policies-service-plan-report"))
    row = next(r for r in response.context["rows"] if r.code == "42")
    assert (row.plans, row.measures, row.done, row.due, row.overdue) == (1, 3, 1, 1, 1)


def test_the_report_of_a_guangdong_official_has_no_hubei_row(client_for, personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "in_progress")])
    response = client_for(personas.guangdong).get(reverse("policies-service-plan-report"))
    assert all(row.code == "44" for row in response.context["rows"])


def test_the_chain_and_situation_pages_link_to_their_plans(client_for, personas, chain):
    auto, germany = auto_chain(chain["lead"]), situation()
    client = client_for(personas.ministry)
    chain_page = html(client.get(reverse("enterprises-chains-industry-detail", args=[auto.pk])))
    situation_page = html(client.get(reverse("enterprises-chains-situation", args=[germany.pk])))
    assert f"?chain={auto.pk}" in chain_page and f"?situation={germany.pk}" in situation_page


def test_the_docx_report_names_the_exposed_lead_and_the_plan_answering(client_for, personas, chain):
    germany = situation()
    make_plan(by=personas.hubei, lead=chain["lead"], title="德国停工应对预案", situations=[germany])
    response = client_for(personas.hubei).get(reverse("reports-exposure-docx", args=[germany.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    cells = " ".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    assert "德国停工应对预案" in text and chain["lead"].name in cells


def test_the_docx_report_is_logged(client_for, personas):
    germany = situation()
    client_for(personas.ministry).get(reverse("reports-exposure-docx", args=[germany.pk]))
    assert ExportLog.objects.get().format == ExportLog.Format.DOCX


@pytest.mark.parametrize("page", ["policies-plans", "policies-reserves", "policies-service-plans"])
def test_each_list_costs_the_same_for_many_rows(client_for, personas, chain, page, django_assert_max_num_queries):
    germany, auto = situation(), auto_chain(chain["lead"])
    for n in range(12):
        lead = EnterpriseFactory(name=f"湖北龙头{n}", region=region("42"), is_lead=True)
        make_plan(by=personas.hubei, lead=lead, situations=[germany], title=f"预案{n}")
        make_reserve(by=personas.ministry, title=f"储备{n}").chains.set([auto])
        make_service_plan(lead, by=personas.hubei, measures=[(1, "planned"), (-1, "in_progress")])
    client = client_for(personas.ministry)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(page)).status_code == 200


def test_the_report_costs_the_same_for_many_provinces(client_for, personas, django_assert_max_num_queries):
    for code in ("42", "44", "33", "11", "31"):
        make_service_plan(EnterpriseFactory(region=region(code), is_lead=True), by=personas.ministry,
                          measures=[(1, "planned")])
    client = client_for(personas.ministry)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("policies-service-plan-report")).status_code == 200


def test_the_measure_rows_are_cards_on_a_phone(client_for, personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(1, "planned")])
    page = html(client_for(personas.hubei).get(reverse("policies-service-plan-detail", args=[plan.pk])))
    assert 'cw-table-cards" data-testid="measures"' in page


def test_there_is_one_service_plan_per_lead_in_the_list(client_for, personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei)
    response = client_for(personas.hubei).get(reverse("policies-service-plans"))
    assert response.context["page"].paginator.count == ServicePlan.objects.count() == 1
