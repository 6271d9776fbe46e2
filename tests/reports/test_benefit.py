"""整体效益: per province and per chain, beside policy take-up; the figures add up to the rows they count."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chainwork.scope import scope_for
from policies.models import ArrearRepayment, FinancingNeed, PolicyApplication
from policies.services import arrear_repay, financing_need_step
from reports.benefit import benefit
from tests.factories import EnterpriseFactory, SupplyLinkFactory, region
from tests.policies.conftest import make_arrear, make_need, record
from tests.reports.support import D1, D2, D, at, problem, report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR_START = dt.date(TODAY.year, 1, 1)


def disbursed_need(supplier, by, lead, *, credit="400", paid="300"):
    need = make_need(supplier, by=by, lead=lead)
    financing_need_step(actor=by, need_id=need.pk, step="match")
    financing_need_step(actor=by, need_id=need.pk, step="credit", amount_wan=Decimal(credit))
    financing_need_step(actor=by, need_id=need.pk, step="disburse", amount_wan=Decimal(paid))
    return need


@pytest.fixture
def hubei_supplier(chain):
    supplier = EnterpriseFactory(name="武汉江城精密零部件有限公司", size="small")
    SupplyLinkFactory(lead=chain["lead"], partner=supplier)
    return supplier


@pytest.fixture
def work(personas, chain, hubei_supplier):
    """A Hubei supplier's need credited 400 and paid 300; an arrear of 200 repaid 80 + 120; a policy granted
    50; a problem solved; a Guangdong supplier's need credited 90 (outside Hubei)."""
    disbursed_need(hubei_supplier, personas.hubei, chain["lead"])
    arrear = make_arrear(hubei_supplier, by=personas.hubei, owed="200")
    arrear_repay(actor=personas.hubei, arrear_id=arrear.pk, amount_wan=Decimal("80"))
    arrear_repay(actor=personas.hubei, arrear_id=arrear.pk, amount_wan=Decimal("120"))
    from policies.catalogue import load_policies
    from policies.models import Policy

    load_policies()
    record(Policy.objects.get(slug="relending"), chain["lead"], "granted", 1, "50", by=personas.hubei)
    problem(chain["hubei_customer"], personas.hubei, created_at=at(D2, 9), state="closed", closure_type="solved",
            closed_at=at(D1, 10))
    guangdong = EnterpriseFactory(name="东莞小型模具有限公司", region=region("44"), size="small")
    SupplyLinkFactory(lead=chain["guangdong_lead"], partner=guangdong)
    need = make_need(guangdong, by=personas.guangdong)
    financing_need_step(actor=personas.guangdong, need_id=need.pk, step="match")
    financing_need_step(actor=personas.guangdong, need_id=need.pk, step="credit", amount_wan=Decimal("90"))
    return chain


def hubei_row(result):
    return next(row for row in result.rows if row.key == "42")


def test_the_hubei_row_shows_credit_payment_and_arrears_repaid(personas, work):
    row = hubei_row(benefit(scope_for(personas.ministry), YEAR_START, TODAY))
    assert (row.credit, row.disbursed, row.arrears_repaid) == (Decimal("400"), Decimal("300"), Decimal("200"))


def test_the_region_rows_add_up_to_the_totals(personas, work):
    result = benefit(scope_for(personas.ministry), YEAR_START, TODAY)
    for name in ("enterprises", "relief", "credit", "disbursed", "arrears_repaid", "problems_solved"):
        assert sum(getattr(row, name) for row in result.rows) == getattr(result.totals, name), name


def test_the_totals_recompute_from_the_rows_they_count(personas, work):
    totals = benefit(scope_for(personas.ministry), YEAR_START, TODAY).totals
    needs = FinancingNeed.objects.all()
    assert (totals.credit, totals.disbursed, totals.arrears_repaid, totals.relief) == (
        needs.aggregate(s=Sum("credit_wan"))["s"], needs.aggregate(s=Sum("disbursed_wan"))["s"],
        ArrearRepayment.objects.aggregate(s=Sum("amount_wan"))["s"],
        PolicyApplication.objects.filter(status="granted").aggregate(s=Sum("amount_wan"))["s"])


def test_enterprises_served_count_each_enterprise_once(personas, work, hubei_supplier):
    # Hubei: the supplier (need, arrear), the lead (policy), the customer (problem solved).
    assert hubei_row(benefit(scope_for(personas.ministry), YEAR_START, TODAY)).enterprises == 3


def test_a_guangdong_official_counts_only_guangdong(personas, work):
    result = benefit(scope_for(personas.guangdong), YEAR_START, TODAY)
    assert [row.key for row in result.rows] == ["44"] and result.totals.credit == Decimal("90")


def test_a_period_before_the_work_counts_nothing(personas, work):
    totals = benefit(scope_for(personas.ministry), YEAR_START - dt.timedelta(days=30),
                     YEAR_START - dt.timedelta(days=1)).totals
    assert (totals.credit, totals.enterprises) == (Decimal("0"), 0)


def test_the_chain_view_puts_the_supplier_under_its_lead(personas, work):
    result = benefit(scope_for(personas.hubei), YEAR_START, TODAY, by="chain")
    row = next(row for row in result.rows if row.key == str(work["lead"].pk))
    assert (row.credit, row.arrears_repaid, row.relief) == (Decimal("400"), Decimal("200"), Decimal("50"))


def test_resumption_before_and_after_the_period(personas, chain):
    report(chain["lead"], D2, "no")
    report(chain["lead"], D, "yes")
    result = benefit(scope_for(personas.hubei), D1, D, by="chain")
    assert result.totals.before["num"] == 0 and result.totals.after["num"] == 1


def test_the_report_page_shows_the_figures(client_for, personas, work):
    response = client_for(personas.hubei).get(reverse("reports-benefit"))
    html = response.content.decode()
    assert response.status_code == 200 and "400.00" in html and 'id="benefit-data"' in html


def test_the_chain_page_links_the_leads_financing_list(client_for, personas, work):
    html = client_for(personas.hubei).get(reverse("reports-benefit"), {"by": "chain"}).content.decode()
    assert f"?lead={work['lead'].pk}" in html


def test_a_bad_date_is_answered_with_a_message(client_for, personas):
    response = client_for(personas.hubei).get(reverse("reports-benefit"), {"date_after": "2026-13-40"})
    assert response.status_code == 400 and "日期格式不正确" in response.content.decode()


def test_a_region_outside_the_scope_is_404(client_for, personas):
    assert client_for(personas.hubei).get(reverse("reports-benefit"), {"region": "44"}).status_code == 404


def test_a_liaison_officer_gets_403(client_for, personas):
    assert client_for(personas.liaison_hubei).get(reverse("reports-benefit")).status_code == 403


def test_the_export_carries_the_totals_row(client_for, personas, work):
    response = client_for(personas.ministry).get(reverse("reports-benefit-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    last = [row for row in sheet.iter_rows(values_only=True) if row and row[1] == "合计（企业不重复计）"]
    assert last and Decimal(str(last[0][4])) == Decimal("490")


def test_the_report_costs_the_same_for_many_rows(client_for, personas, chain, django_assert_max_num_queries):
    for n in range(10):
        supplier = EnterpriseFactory(name=f"武汉配套企业{n}有限公司", size="small")
        SupplyLinkFactory(lead=chain["lead"], partner=supplier)
        disbursed_need(supplier, personas.hubei, chain["lead"])
    client = client_for(personas.ministry)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("reports-benefit"), {"by": "chain"}).status_code == 200


def test_the_weekly_report_shows_the_weeks_benefit(client_for, personas, work):
    html = client_for(personas.hubei).get(reverse("reports-weekly")).content.decode()
    assert 'data-testid="week-benefit"' in html and "300.00" in html


def test_the_daily_report_has_no_benefit_section(client_for, personas, work):
    html = client_for(personas.hubei).get(reverse("reports-daily")).content.decode()
    assert 'data-testid="week-benefit"' not in html


def test_the_weekly_export_carries_the_weeks_benefit(client_for, personas, work):
    response = client_for(personas.hubei).get(reverse("reports-daily-export"), {"period": "week"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row[2] for row in sheet.iter_rows(values_only=True) if row and len(row) > 2}
    assert Decimal(str(rows["整体效益：放款金额"])) == Decimal("300")


def _kept_fresh(settings, scope, **view):
    """Kept figures on, and none kept for this scope and period (Redis outlives the test database)."""
    from django.core.cache import cache

    from reports.benefit import CHAIN_ROWS, benefit_key

    settings.DASHBOARD_CACHE_SECONDS = 300
    spec = {"kind": "benefit", "role": scope.role, "start": YEAR_START.isoformat(), "end": TODAY.isoformat(),
            "regions": None if scope.regions is None else sorted(scope.regions), "by": "region",
            "limit": CHAIN_ROWS, "referrals": False, **view}
    cache.delete(benefit_key(spec))


def test_the_kept_figures_are_served_until_recounted(settings, personas, work, hubei_supplier):
    from chainwork.kept import refresh_kept
    from reports.benefit import kept_benefit

    scope = scope_for(personas.ministry)
    _kept_fresh(settings, scope)
    first = hubei_row(kept_benefit(scope, YEAR_START, TODAY)).credit
    disbursed_need(hubei_supplier, personas.hubei, work["lead"], credit="100", paid="100")
    assert hubei_row(kept_benefit(scope, YEAR_START, TODAY)).credit == first
    settings.DASHBOARD_CACHE_SECONDS = 1e-9  # every kept entry is older than this: the task recounts them
    refresh_kept()
    settings.DASHBOARD_CACHE_SECONDS = 300
    assert hubei_row(kept_benefit(scope, YEAR_START, TODAY)).credit == first + 100


def test_the_page_says_when_its_figures_were_counted(settings, client_for, personas, work):
    _kept_fresh(settings, scope_for(personas.ministry), referrals=True)
    html = client_for(personas.ministry).get(reverse("reports-benefit")).content.decode()
    assert "数据更新于" in html
