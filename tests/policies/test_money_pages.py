"""The 产融对接 and 清欠 pages: who gets them, the steps through the forms, the bank-side export, phone
cards and query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chainwork.models import ExportLog
from policies.models import Arrear, FinancingNeed
from tests.factories import EnterpriseFactory, region
from tests.policies.conftest import make_arrear, make_need

pytestmark = pytest.mark.django_db

VIEWERS = ["ministry", "ministry_liaison", "hubei", "hubei_lead", "guangdong", "liaison_hubei", "admin"]


def html_of(response):
    return response.content.decode()


@pytest.mark.parametrize("persona", VIEWERS)
@pytest.mark.parametrize("page", ["policies-financing", "policies-arrears"])
def test_officials_and_liaison_officers_open_the_lists(client_for, personas, persona, page):
    assert client_for(getattr(personas, persona)).get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", ["policies-financing", "policies-arrears", "policies-financing-create"])
def test_a_department_user_gets_403(client_for, personas, page):
    assert client_for(personas.dept_mot).get(reverse(page)).status_code == 403


def test_a_guangdong_official_does_not_see_a_hubei_need(client_for, personas, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei)
    assert hubei_supplier.name not in html_of(client_for(personas.guangdong).get(reverse("policies-financing")))


def test_a_guangdong_official_gets_404_on_a_hubei_need(client_for, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = client_for(personas.guangdong).get(reverse("policies-financing-detail", args=[need.pk]))
    assert response.status_code == 404


def test_a_hubei_supplier_need_goes_to_disbursed_through_the_pages(client_for, personas, chain, hubei_supplier):
    client = client_for(personas.hubei)
    client.post(reverse("policies-financing-create"), {
        "enterprise": hubei_supplier.pk, "amount_wan": "600", "purpose": "materials", "urgency": "urgent",
        "lead": chain["lead"].pk, "banks": "中国银行湖北省分行、湖北银行"})
    need = FinancingNeed.objects.get(enterprise=hubei_supplier)
    client.post(reverse("policies-financing-step", args=[need.pk, "match"]), {})
    client.post(reverse("policies-financing-step", args=[need.pk, "credit"]), {"credit-amount_wan": "500"})
    client.post(reverse("policies-financing-step", args=[need.pk, "disburse"]), {"disburse-amount_wan": "480"})
    need.refresh_from_db()
    assert (need.state, need.credit_wan, need.disbursed_wan, need.banks) == (
        "disbursed", 500, 480, ["中国银行湖北省分行", "湖北银行"])


def test_a_credit_without_an_amount_re_renders_with_the_message(client_for, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    client = client_for(personas.hubei)
    client.post(reverse("policies-financing-step", args=[need.pk, "match"]), {})
    response = client.post(reverse("policies-financing-step", args=[need.pk, "credit"]), {})
    assert response.status_code == 400 and "请填写已授信金额" in html_of(response)


def test_a_step_the_state_does_not_allow_says_so(client_for, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = client_for(personas.hubei).post(
        reverse("policies-financing-step", args=[need.pk, "disburse"]), {"disburse-amount_wan": "1"}, follow=True)
    assert "不能记为“已放款”" in html_of(response)


def test_the_ministry_liaison_reads_a_need_without_step_forms(client_for, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    response = client_for(personas.ministry_liaison).get(reverse("policies-financing-detail", args=[need.pk]))
    assert response.status_code == 200 and 'data-testid="step-match"' not in html_of(response)


def test_the_chain_view_names_the_lead(client_for, personas, chain, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei, lead=chain["lead"])
    response = client_for(personas.hubei).get(reverse("policies-financing"), {"lead": chain["lead"].pk})
    assert f"产业链：{chain['lead'].name}" in html_of(response)


def test_amounts_are_shown_with_two_decimals(client_for, personas, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei, amount="1234.5")
    assert "1234.50" in html_of(client_for(personas.hubei).get(reverse("policies-financing")))


def test_the_list_rows_are_labelled_for_phone_cards(client_for, personas, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei)
    html = html_of(client_for(personas.hubei).get(reverse("policies-financing")))
    assert "cw-table-cards" in html and 'data-label="对接情况"' in html


def test_the_bank_export_lists_the_banks_and_is_logged(client_for, personas, hubei_supplier):
    make_need(hubei_supplier, by=personas.hubei)
    response = client_for(personas.hubei).get(reverse("policies-financing-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "中国工商银行武汉分行" in cells and ExportLog.objects.filter(kind="financing-needs").exists()


def test_the_need_list_costs_the_same_for_many_rows(client_for, personas, chain, hubei_supplier,
                                                    django_assert_max_num_queries):
    for _ in range(15):
        make_need(hubei_supplier, by=personas.hubei, lead=chain["lead"])
    client = client_for(personas.hubei)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("policies-financing")).status_code == 200


# --- 清欠 ---------------------------------------------------------------------------------------------


def test_an_arrear_is_recorded_and_repaid_in_two_steps_through_the_pages(client_for, personas, hubei_supplier):
    client = client_for(personas.hubei)
    client.post(reverse("policies-arrear-create"), {
        "enterprise": hubei_supplier.pk, "debtor_name": "某市政工程管理处", "debtor_kind": "government",
        "contract": "市政-2025-08", "owed_wan": "300"})
    arrear = Arrear.objects.get(creditor=hubei_supplier)
    client.post(reverse("policies-arrear-repay", args=[arrear.pk]), {"repay-amount_wan": "100"})
    first = Arrear.objects.get(pk=arrear.pk).state
    client.post(reverse("policies-arrear-repay", args=[arrear.pk]), {"repay-amount_wan": "200"})
    assert (first, Arrear.objects.get(pk=arrear.pk).state) == ("partly", "paid")


def test_an_over_repayment_re_renders_with_the_message(client_for, personas, hubei_supplier):
    arrear = make_arrear(hubei_supplier, by=personas.hubei, owed="50")
    response = client_for(personas.hubei).post(reverse("policies-arrear-repay", args=[arrear.pk]),
                                               {"repay-amount_wan": "60"})
    assert response.status_code == 400 and "不能超过未清偿金额" in html_of(response)


def test_a_large_enterprise_is_not_a_creditor_of_the_campaign(client_for, personas):
    large = EnterpriseFactory(name="武汉大型钢铁有限公司", size="large")
    response = client_for(personas.hubei).post(reverse("policies-arrear-create"), {
        "enterprise": large.pk, "debtor_name": "某局", "debtor_kind": "government", "contract": "x",
        "owed_wan": "10"})
    assert response.status_code == 200 and "大型企业" in html_of(response)


def test_the_ministry_sees_the_national_ledger_page(client_for, personas, hubei_supplier):
    make_arrear(hubei_supplier, by=personas.hubei)
    guangdong = EnterpriseFactory(name="东莞小型模具有限公司", region=region("44"), size="small")
    make_arrear(guangdong, by=personas.guangdong)
    html = html_of(client_for(personas.ministry).get(reverse("policies-arrears")))
    assert hubei_supplier.name in html and guangdong.name in html


def test_the_arrear_list_costs_the_same_for_many_rows(client_for, personas, hubei_supplier,
                                                      django_assert_max_num_queries):
    for _ in range(15):
        make_arrear(hubei_supplier, by=personas.hubei)
    client = client_for(personas.ministry)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("policies-arrears")).status_code == 200


def test_the_step_forms_read_in_english(client_for, personas, hubei_supplier):
    need = make_need(hubei_supplier, by=personas.hubei)
    client = client_for(personas.hubei)
    client.cookies["django_language"] = "en"
    html = html_of(client.get(reverse("policies-financing-detail", args=[need.pk])))
    assert "Record as Matched" in html and "Record as Not supported" in html


def test_the_overdue_filter_starts_at_all(client_for, personas):
    page = client_for(personas.hubei).get(reverse("policies-financing"))
    assert page.context["filter"].form["overdue"].value() in (None, "") and "未知" not in html_of(page)
