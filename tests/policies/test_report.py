"""The take-up report: per policy and region, counted by hand here, scoped to the user."""

from decimal import Decimal

import pytest

from policies.selectors import application_list, take_up_report
from tests.factories import EnterpriseFactory, region
from tests.policies.conftest import days_ago, make_policy, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def take_up(personas):
    """In the range (the last 30 days): Hubei A and B, Guangdong C; policy P1 and P2.

    P1 湖北: A recommended, applied 100, granted 80; B recommended, granted 50  → 2 recommended, 1 applied,
             2 granted, 130 granted.
    P1 广东: C granted 30.  P2 湖北: B granted 20, A refused.
    Outside the range: A granted P1 999 forty days ago.
    """
    p1, p2 = make_policy("测试政策甲", amount_kind="loan"), make_policy("测试政策乙", amount_kind="relief")
    a, b = EnterpriseFactory(name="甲企业"), EnterpriseFactory(name="乙企业")
    c = EnterpriseFactory(name="丙企业", region=region("44"))
    hubei, guangdong = personas.hubei, personas.guangdong
    record(p1, a, "recommended", 20, by=hubei)
    record(p1, a, "applied", 15, "100", by=hubei)
    record(p1, a, "granted", 5, "80", by=hubei)
    record(p1, b, "recommended", 20, by=hubei)
    record(p1, b, "granted", 4, "50", by=hubei)
    record(p1, c, "granted", 3, "30", by=guangdong)
    record(p2, b, "granted", 2, "20", by=hubei)
    record(p2, a, "refused", 2, by=hubei)
    record(p1, a, "granted", 40, "999", by=hubei)
    return {"p1": p1, "p2": p2}


def report_for(user, start=None, end=None):
    queryset = application_list(user).filter(date__gte=start or days_ago(30), date__lte=end or days_ago(0))
    return take_up_report(queryset)


def row(report, policy, region_code):
    return next(r for r in report.rows if r.policy_id == policy.pk and r.region_code == region_code)


def test_the_hubei_row_counts_enterprises_recommended_and_granted(take_up, personas):
    hubei_p1 = row(report_for(personas.ministry), take_up["p1"], "42")
    assert (hubei_p1.recommended, hubei_p1.applied, hubei_p1.granted) == (2, 1, 2)


def test_the_hubei_row_sums_the_granted_amounts_in_the_range(take_up, personas):
    assert row(report_for(personas.ministry), take_up["p1"], "42").amount_granted == Decimal("130.00")


def test_the_refused_enterprise_is_counted_apart(take_up, personas):
    hubei_p2 = row(report_for(personas.ministry), take_up["p2"], "42")
    assert (hubei_p2.granted, hubei_p2.refused, hubei_p2.amount_granted) == (1, 1, Decimal("20.00"))


def test_the_totals_count_each_enterprise_once(take_up, personas):
    totals = report_for(personas.ministry).totals
    assert (totals.granted, totals.enterprises, totals.amount_granted) == (3, 3, Decimal("180.00"))


def test_a_hubei_official_reports_on_hubei_only(take_up, personas):
    report = report_for(personas.hubei)
    assert {r.region_code for r in report.rows} == {"42"} and report.totals.amount_granted == Decimal("150.00")


def test_a_guangdong_official_reports_on_guangdong_only(take_up, personas):
    assert report_for(personas.guangdong).totals.amount_granted == Decimal("30.00")


def test_a_department_user_reports_nothing(take_up, personas):
    report = report_for(personas.dept_mot)
    assert report.rows == [] and report.totals.amount_granted == Decimal("0")


def test_the_range_decides_what_is_counted(take_up, personas):
    report = report_for(personas.ministry, start=days_ago(45), end=days_ago(35))
    assert report.totals.amount_granted == Decimal("999.00")
