"""The 政策落实 pages: who gets them, what they show, the export log, and their query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chainwork.models import ExportLog
from policies.models import PolicyApplication
from tests.factories import EnterpriseFactory, region
from tests.policies.conftest import days_ago, record

pytestmark = pytest.mark.django_db

ALL_PERSONAS = ["ministry", "ministry_liaison", "hubei", "hubei_lead", "guangdong", "liaison_hubei", "dept_mot",
                "admin"]
TAKE_UP_VIEWERS = ["ministry", "ministry_liaison", "hubei", "hubei_lead", "guangdong", "liaison_hubei", "admin"]


def html_of(response):
    return response.content.decode()


# --- permission rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_every_user_reads_the_catalogue(client_for, personas, catalogue, persona):
    response = client_for(getattr(personas, persona)).get(reverse("policies-list"))
    assert response.status_code == 200 and "企业缓缴住房公积金" in html_of(response)


def test_anonymous_is_sent_to_login(client, catalogue):
    assert "/accounts/login/" in client.get(reverse("policies-list")).url


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_every_user_reads_a_policy(client_for, personas, catalogue, persona):
    url = reverse("policies-detail", args=[catalogue["relending"].pk])
    assert client_for(getattr(personas, persona)).get(url).status_code == 200


def test_an_unknown_policy_is_404(client_for, personas):
    assert client_for(personas.hubei).get(reverse("policies-detail", args=[99999])).status_code == 404


@pytest.mark.parametrize("persona", TAKE_UP_VIEWERS)
def test_the_take_up_records_open_for_officials(client_for, personas, persona):
    assert client_for(getattr(personas, persona)).get(reverse("policies-applications")).status_code == 200


def test_the_take_up_records_are_forbidden_to_a_department(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("policies-applications")).status_code == 403


@pytest.mark.parametrize("persona", TAKE_UP_VIEWERS)
def test_the_report_opens_for_officials(client_for, personas, persona):
    assert client_for(getattr(personas, persona)).get(reverse("policies-report")).status_code == 200


def test_the_report_is_forbidden_to_a_department(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("policies-report")).status_code == 403


def test_the_report_export_is_forbidden_to_a_department(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("policies-report-export")).status_code == 403


@pytest.mark.parametrize("persona", ["hubei", "hubei_lead", "ministry"])
def test_the_record_form_opens_for_a_hubei_enterprise(client_for, personas, hubei_medium, persona):
    url = reverse("policies-application-create") + f"?enterprise={hubei_medium.pk}"
    assert client_for(getattr(personas, persona)).get(url).status_code == 200


def test_the_record_form_is_404_for_a_guangdong_official_on_a_hubei_enterprise(client_for, personas, hubei_medium):
    url = reverse("policies-application-create") + f"?enterprise={hubei_medium.pk}"
    assert client_for(personas.guangdong).get(url).status_code == 404


def test_the_record_form_is_403_for_a_ministry_liaison(client_for, personas, hubei_medium):
    url = reverse("policies-application-create") + f"?enterprise={hubei_medium.pk}"
    assert client_for(personas.ministry_liaison).get(url).status_code == 403


def test_the_record_form_is_404_for_a_department_with_an_enterprise(client_for, personas, hubei_medium):
    url = reverse("policies-application-create") + f"?enterprise={hubei_medium.pk}"
    assert client_for(personas.dept_mot).get(url).status_code == 404


def test_the_record_form_is_403_for_a_department(client_for, personas):
    assert client_for(personas.dept_mot).get(reverse("policies-application-create")).status_code == 403


def test_the_record_form_is_404_for_a_hubei_problem_asked_by_guangdong(client_for, personas, chain):
    from tests.cases.workflow_support import new_case

    case = new_case(personas, chain, category="funding")
    url = reverse("policies-application-create") + f"?case={case.pk}"
    assert client_for(personas.guangdong).get(url).status_code == 404


# --- what the pages show ------------------------------------------------------------------------------


def test_the_catalogue_filters_by_category(client_for, personas, catalogue):
    html = html_of(client_for(personas.hubei).get(reverse("policies-list"), {"category": "labour"}))
    assert "失业保险稳岗返还" in html and "防疫物资保障" not in html


def test_the_catalogue_filters_current_policies(client_for, personas, catalogue):
    html = html_of(client_for(personas.hubei).get(reverse("policies-list"), {"validity": "current"}))
    assert "支农支小再贷款" in html and "企业缓缴住房公积金" not in html


def test_a_policy_shows_the_fitting_enterprises_of_the_users_region(client_for, personas, small_loan, hubei_medium,
                                                                     guangdong_small):
    html = html_of(client_for(personas.hubei).get(reverse("policies-detail", args=[small_loan.pk])))
    assert "武汉中型机械有限公司" in html and "佛山小型五金有限公司" not in html


def test_a_policy_shows_why_an_enterprise_fits(client_for, personas, small_loan, hubei_medium):
    html = html_of(client_for(personas.hubei).get(reverse("policies-detail", args=[small_loan.pk])))
    assert "企业规模为中型，符合" in html


def test_an_expired_policy_suggests_no_enterprise(client_for, personas, catalogue, hubei_medium):
    url = reverse("policies-detail", args=[catalogue["housing-fund-deferral"].pk])
    html = html_of(client_for(personas.hubei).get(url))
    assert "不在有效期内" in html and "武汉中型机械有限公司" not in html


def test_a_department_sees_no_fitting_enterprise(client_for, personas, small_loan, hubei_medium):
    html = html_of(client_for(personas.dept_mot).get(reverse("policies-detail", args=[small_loan.pk])))
    assert "武汉中型机械有限公司" not in html


def test_the_record_form_suggests_the_policies_for_a_problem(client_for, personas, chain, small_loan):
    from tests.cases.workflow_support import new_case

    chain["lead"].size = "medium"
    chain["lead"].save()
    case = new_case(personas, chain, category="funding")
    html = html_of(client_for(personas.hubei).get(reverse("policies-application-create") + f"?case={case.pk}"))
    assert "问题类别“资金”适用" in html


def test_posting_the_form_records_the_take_up(client_for, personas, small_loan, hubei_medium):
    client_for(personas.hubei).post(reverse("policies-application-create"), {
        "enterprise": hubei_medium.pk, "policy": small_loan.pk, "status": "granted",
        "date": days_ago(1).isoformat(), "amount_wan": "88.50", "notes": "已放款"})
    assert PolicyApplication.objects.get().amount_wan == 88.5


def test_posting_an_amount_with_a_recommendation_shows_the_error(client_for, personas, small_loan, hubei_medium):
    response = client_for(personas.hubei).post(reverse("policies-application-create"), {
        "enterprise": hubei_medium.pk, "policy": small_loan.pk, "status": "recommended",
        "date": days_ago(1).isoformat(), "amount_wan": "10"})
    assert "只有申请或获批时填写金额" in html_of(response) and not PolicyApplication.objects.exists()


def test_posting_for_another_region_is_404(client_for, personas, small_loan, hubei_medium):
    response = client_for(personas.guangdong).post(reverse("policies-application-create"), {
        "enterprise": hubei_medium.pk, "policy": small_loan.pk, "status": "recommended",
        "date": days_ago(1).isoformat()})
    assert response.status_code == 404


def test_the_enterprise_search_finds_only_the_users_enterprises(client_for, personas, hubei_medium, guangdong_small):
    html = html_of(client_for(personas.guangdong).get(reverse("policies-application-create"), {"q": "有限公司"}))
    assert "佛山小型五金有限公司" in html and "武汉中型机械有限公司" not in html


def test_a_guangdong_official_does_not_see_hubei_records(client_for, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "recommended", 1, by=personas.hubei)
    html = html_of(client_for(personas.guangdong).get(reverse("policies-applications")))
    assert "武汉中型机械有限公司" not in html


def test_a_hubei_official_sees_hubei_records(client_for, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "recommended", 1, by=personas.hubei)
    html = html_of(client_for(personas.hubei).get(reverse("policies-applications")))
    assert "武汉中型机械有限公司" in html


def test_the_report_page_shows_the_granted_sum(client_for, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "granted", 1, "66.60", by=personas.hubei)
    html = html_of(client_for(personas.hubei).get(reverse("policies-report")))
    assert "66.60" in html


# --- export -------------------------------------------------------------------------------------------


def test_the_report_export_is_logged(client_for, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "granted", 1, "66.60", by=personas.hubei)
    client_for(personas.hubei).get(reverse("policies-report-export"), {"format": "xlsx"})
    log = ExportLog.objects.get()
    assert (log.kind, log.user, log.rows) == ("policy-report", personas.hubei, 2)


def test_the_report_export_carries_the_conventions(client_for, personas, small_loan, hubei_medium):
    record(small_loan, hubei_medium, "granted", 1, "66.60", by=personas.hubei)
    response = client_for(personas.hubei).get(reverse("policies-report-export"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert rows[0][0].startswith("政策落实情况统计表") and rows[6][0] == "序号" and rows[7][1] == "测试中小企业贷款"


def test_the_csv_export_is_logged_as_csv(client_for, personas):
    # A CSV streams: it is logged once the download has been read to its end.
    client_for(personas.ministry).get(reverse("policies-report-export"), {"format": "csv"}).getvalue()
    assert ExportLog.objects.get().format == "csv"


# --- query counts -------------------------------------------------------------------------------------


def test_the_records_list_costs_the_same_for_more_rows(client_for, personas, small_loan,
                                                        django_assert_max_num_queries):
    client = client_for(personas.hubei)
    for n in range(3):
        record(small_loan, EnterpriseFactory(), "recommended", n, by=personas.hubei)
    client.get(reverse("policies-applications"))
    for n in range(40):
        record(small_loan, EnterpriseFactory(), "granted", n, "1", by=personas.hubei)
    with django_assert_max_num_queries(12):
        client.get(reverse("policies-applications"))


def test_the_catalogue_costs_the_same_for_more_policies(client_for, personas, catalogue,
                                                        django_assert_max_num_queries):
    from tests.policies.conftest import make_policy

    client = client_for(personas.hubei)
    for n in range(30):
        make_policy(f"测试政策{n}", categories=["funding"], regions=["42"])
    client.get(reverse("policies-list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("policies-list"))


def test_a_policy_page_costs_the_same_for_more_enterprises(client_for, personas, small_loan,
                                                           django_assert_max_num_queries):
    client = client_for(personas.ministry)
    for _n in range(40):
        EnterpriseFactory(size="small", region=region("44"))
    client.get(reverse("policies-detail", args=[small_loan.pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("policies-detail", args=[small_loan.pk]))


@pytest.mark.parametrize(("persona", "offered"), [("hubei", True), ("ministry", True), ("ministry_liaison", False)])
def test_the_enterprise_page_offers_policy_matching_to_those_who_record_it(client_for, personas, hubei_medium,
                                                                          persona, offered):
    page = client_for(getattr(personas, persona)).get(reverse("enterprises-detail", args=[hubei_medium.pk]))
    assert (reverse("policies-application-create") in page.content.decode()) is offered


@pytest.mark.parametrize(("persona", "offered"), [("hubei", True), ("ministry_liaison", False)])
def test_the_problem_page_offers_policy_matching_to_those_who_record_it(client_for, personas, chain, persona,
                                                                       offered):
    from cases.services import CaseData, case_create
    from chainwork.models import Category

    case = case_create(actor=personas.hubei, data=CaseData(
        enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug="logistics").pk, title="物流受阻",
        description="货车无法进园区。", request="请协调通行证。"))
    page = client_for(getattr(personas, persona)).get(reverse("cases-detail", args=[case.pk]))
    assert (reverse("policies-application-create") in page.content.decode()) is offered
