import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chainwork.models import ExportLog
from enterprises.models import Enterprise, StatusReport
from tests.factories import EnterpriseFactory, make_credit_code

pytestmark = pytest.mark.django_db


def test_the_list_shows_hubei_enterprises_to_a_hubei_official(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-list")).content.decode()
    assert "东湖光电科技集团有限公司" in html


def test_the_list_hides_guangdong_enterprises_from_a_hubei_official(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-list")).content.decode()
    assert "广州珠江纺织服装股份有限公司" not in html


def test_the_list_filters_by_initials(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-list"), {"q": "jcxd"}).content.decode()
    assert "荆楚现代物流有限公司" in html and "东湖光电科技集团有限公司" not in html


def test_the_list_filters_blocked_enterprises(client_for, personas, chain):
    html = client_for(personas.ministry).get(reverse("enterprises-list"), {"blocked": "true"}).content.decode()
    assert "深圳鹏城芯片封装有限公司" in html and "东湖光电科技集团有限公司" not in html


def test_htmx_gets_only_the_table(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("enterprises-list"), HTTP_HX_REQUEST="true")
    assert "<nav" not in response.content.decode().split("<table")[0]


def test_an_empty_list_says_what_to_do(client_for, personas):
    assert "请登记龙头企业" in client_for(personas.hubei).get(reverse("enterprises-list")).content.decode()


def test_the_list_costs_the_same_queries_for_more_rows(client_for, personas, django_assert_max_num_queries):
    client = client_for(personas.hubei)
    EnterpriseFactory.create_batch(3)
    client.get(reverse("enterprises-list"))
    EnterpriseFactory.create_batch(40)
    with django_assert_max_num_queries(12):
        client.get(reverse("enterprises-list"))


def test_a_department_user_sees_an_empty_list(client_for, personas, chain):
    html = client_for(personas.dept_mot).get(reverse("enterprises-list")).content.decode()
    assert "东湖光电" not in html


def test_anonymous_is_sent_to_login(client, chain):
    response = client.get(reverse("enterprises-detail", args=[chain["lead"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_detail_page_shows_contacts_in_full(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-detail", args=[chain["lead"].pk])).content.decode()
    assert "027-88880000" in html


def test_the_detail_page_lists_the_blocked_guangdong_supplier(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-detail", args=[chain["lead"].pk])).content.decode()
    assert "深圳鹏城芯片封装有限公司" in html and "薄弱环节" in html


def test_a_linked_enterprise_of_another_region_is_shown_limited(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("enterprises-detail", args=[chain["guangdong_supplier"].pk]))
    html = response.content.decode()
    assert 'data-testid="limited-view"' in html and "0755-12345678" not in html


def test_an_unlinked_enterprise_of_another_region_is_404(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("enterprises-detail", args=[chain["guangdong_lead"].pk]))
    assert response.status_code == 404


def test_zhejiang_official_gets_404_on_the_hubei_lead(client_for, personas, chain):
    assert client_for(personas.zhejiang).get(reverse("enterprises-detail", args=[chain["lead"].pk])).status_code == 404


def test_the_create_page_is_403_for_a_ministry_liaison(client_for, personas):
    assert client_for(personas.ministry_liaison).get(reverse("enterprises-create")).status_code == 403


def test_creating_with_a_wrong_check_character_shows_the_error_beside_the_field(client_for, personas):
    response = client_for(personas.hubei).post(reverse("enterprises-create"), {
        "name": "测试", "location": "domestic", "credit_code": "914403001922038217", "region": "42"})
    assert "第18位应为6" in response.content.decode()


def test_creating_an_enterprise_redirects_to_its_page(client_for, personas):
    response = client_for(personas.hubei).post(reverse("enterprises-create"), {
        "name": "武汉新材料有限公司", "location": "domestic", "credit_code": make_credit_code("420100", 7),
        "region": "42", "key_fields": []})
    enterprise = Enterprise.objects.get(name="武汉新材料有限公司")
    assert response.url == reverse("enterprises-detail", args=[enterprise.pk])


def test_editing_another_regions_enterprise_is_404(client_for, personas, chain):
    assert client_for(personas.guangdong).get(reverse("enterprises-edit", args=[chain["lead"].pk])).status_code == 404


def test_the_ministry_liaison_may_not_edit(client_for, personas, chain):
    assert client_for(personas.ministry_liaison).get(
        reverse("enterprises-edit", args=[chain["lead"].pk])).status_code == 403


def test_editing_saves_through_the_service(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("enterprises-edit", args=[chain["lead"].pk]), {
        "name": "东湖光电科技集团股份有限公司", "location": "domestic", "credit_code": chain["lead"].credit_code,
        "region": "42", "is_lead": "on", "version": chain["lead"].version})
    chain["lead"].refresh_from_db()
    assert chain["lead"].name == "东湖光电科技集团股份有限公司"


def test_the_status_form_records_a_report(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("enterprises-status", args=[chain["lead"].pk]), {
        "date": timezone.localdate().isoformat(), "resumed": "partly", "staff_at_work": "50", "staff_normal": "100"})
    assert StatusReport.objects.get(enterprise=chain["lead"]).staff_rate == 0.5


def test_the_grid_saves_several_enterprises_at_once(client_for, personas, chain):
    lead, customer = chain["lead"], chain["hubei_customer"]
    client_for(personas.hubei).post(reverse("enterprises-status-grid"), {
        "date": timezone.localdate().isoformat(), f"e{lead.pk}-resumed": "yes",
        f"e{customer.pk}-resumed": "partly", f"e{customer.pk}-staff_at_work": "10",
        f"e{customer.pk}-staff_normal": "20"})
    assert StatusReport.objects.filter(enterprise__in=[lead, customer]).count() == 2


def test_the_grid_saves_nothing_when_a_row_is_wrong(client_for, personas, chain):
    lead, customer = chain["lead"], chain["hubei_customer"]
    response = client_for(personas.hubei).post(reverse("enterprises-status-grid"), {
        "date": timezone.localdate().isoformat(), f"e{lead.pk}-resumed": "yes",
        f"e{customer.pk}-resumed": "no", f"e{customer.pk}-staff_at_work": "10",
        f"e{customer.pk}-staff_normal": "20"})
    assert StatusReport.objects.count() == 0 and "未保存任何数据" in response.content.decode()


def test_adding_a_guangdong_supplier_by_code_links_it(client_for, personas, chain):
    client_for(personas.hubei).post(reverse("enterprises-link-create", args=[chain["lead"].pk]), {
        "partner_credit_code": "914403001922038216", "partner_name": "华为技术有限公司", "partner_region": "44",
        "direction": "upstream", "criticality": "core", "product": "通信模块"})
    assert chain["lead"].supply_links.filter(partner__credit_code="914403001922038216").exists()


def test_a_guangdong_official_cannot_delete_a_hubei_link(client_for, personas, chain):
    link = chain["links"]["guangdong"]
    response = client_for(personas.guangdong).post(reverse("enterprises-link-delete", args=[link.pk]))
    assert response.status_code == 404


def test_the_export_is_logged_and_holds_the_filtered_rows(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("enterprises-export"), {"q": "东湖", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[7][1] == "东湖光电科技集团有限公司" and len(rows) == 8
    assert ExportLog.objects.get().filters == {"q": "东湖"}


def test_the_export_never_holds_another_regions_enterprise(client_for, personas, chain):
    response = client_for(personas.hubei).get(reverse("enterprises-export"), {"format": "csv"})
    assert "广州珠江纺织" not in response.getvalue().decode("utf-8-sig")


def test_the_status_form_fills_the_date_the_way_a_date_input_reads_it(client_for, personas, chain):
    html = client_for(personas.hubei).get(reverse("enterprises-status", args=[chain["lead"].pk])).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_the_grid_costs_a_liaison_officer_the_same_queries_for_more_enterprises(
        client_for, personas, django_assert_max_num_queries):
    from liaison.models import LiaisonAssignment

    client = client_for(personas.liaison_hubei)
    for enterprise in EnterpriseFactory.create_batch(3):
        LiaisonAssignment.objects.create(enterprise=enterprise, officer=personas.liaison_hubei)
    client.get(reverse("enterprises-status-grid"))
    for enterprise in EnterpriseFactory.create_batch(30):
        LiaisonAssignment.objects.create(enterprise=enterprise, officer=personas.liaison_hubei)
    with django_assert_max_num_queries(12):
        client.get(reverse("enterprises-status-grid"))
