"""The dashboard's figures against hand-counted fixtures."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import CaseShare
from chainwork.scope import scope_for
from reports import figures
from tests.factories import SupplyLinkFactory, region
from tests.reports.support import enterprise, problem, report

TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=2)


@pytest.fixture
def hubei_enterprises(personas):
    """Hubei: a lead (resumed), its core supplier (partly), one never reported, one not resumed today
    though resumed the day before. Guangdong: one resumed. A report after the day is ignored."""
    lead = enterprise(is_lead=True)
    supplier = enterprise()
    SupplyLinkFactory(lead=lead, partner=supplier)
    silent = enterprise()
    idle = enterprise()
    report(lead, DAY, "yes", staff=(80, 100), output=(50, 100))
    report(supplier, DAY - dt.timedelta(days=1), "partly", staff=(30, 50), output=(20, 40))
    report(idle, DAY - dt.timedelta(days=1), "yes", staff=(20, 20), output=(9, 10))
    report(idle, DAY, "no", staff=(0, 20))
    report(silent, DAY + dt.timedelta(days=1), "yes", staff=(5, 5))
    guangdong = enterprise("44")
    report(guangdong, DAY, "yes", staff=(10, 10))
    return {"lead": lead, "supplier": supplier, "silent": silent, "idle": idle, "guangdong": guangdong}


def hubei_block(personas):
    return figures.enterprise_figures(scope_for(personas.hubei), DAY)["totals"]


def test_resumption_rate_counts_partly_resumed_over_all_in_scope(hubei_enterprises, personas):
    assert hubei_block(personas)["resumption"] == {"num": 2, "den": 4, "pct": 50.0}


def test_status_counts_use_each_enterprises_latest_report_on_or_before_the_day(hubei_enterprises, personas):
    assert hubei_block(personas)["status"] == {"yes": 1, "partly": 1, "no": 1, "unknown": 1}


def test_staff_rate_sums_latest_reports(hubei_enterprises, personas):
    # (80 + 30 + 0) / (100 + 50 + 20)
    assert hubei_block(personas)["staff"] == {"num": 110, "den": 170, "pct": 64.7}


def test_output_rate_skips_reports_without_output(hubei_enterprises, personas):
    # (50 + 20) / (100 + 40); the idle enterprise's latest report has no output figures
    assert hubei_block(personas)["output"] == {"num": 70.0, "den": 140.0, "pct": 50.0}


def test_lead_and_supporting_enterprises_are_counted_apart(hubei_enterprises, personas):
    block = hubei_block(personas)
    assert block["lead"] == {"num": 1, "den": 1, "pct": 100.0}
    assert block["supporting"] == {"num": 1, "den": 1, "pct": 100.0}


def test_national_scope_counts_every_region(hubei_enterprises, personas):
    data = figures.enterprise_figures(scope_for(personas.ministry), DAY)
    assert data["totals"]["resumption"] == {"num": 3, "den": 5, "pct": 60.0}
    assert set(data["by_region"]) == {"42", "44"}


def test_guangdong_official_sees_guangdong_enterprises_only(hubei_enterprises, personas):
    block = figures.enterprise_figures(scope_for(personas.guangdong), DAY)["totals"]
    assert block["total"] == 1


def test_region_rows_follow_region_order(hubei_enterprises, personas):
    scope = scope_for(personas.ministry)
    rows = figures.region_rows(scope, figures.enterprise_figures(scope, DAY))
    assert [row["code"] for row in rows] == ["42", "44"]


# --- problems ---------------------------------------------------------------------------------------


@pytest.fixture
def hubei_problems(personas):
    """Four Hubei problems: two local ones answered after 2 and 1 days (one closed after 4 days, reopened
    once, satisfied), one ministry problem answered after 3 days, one escalated 2 days ago awaiting."""
    firm = enterprise()
    now = timezone.now()
    start = now - dt.timedelta(days=10)
    problem(firm, personas.hubei, created_at=start, state="closed", responded_at=start + dt.timedelta(days=2),
            closed_at=start + dt.timedelta(days=4), reopen_count=1, satisfaction="satisfied")
    problem(firm, personas.hubei, created_at=start, state="responded", responded_at=start + dt.timedelta(days=1),
            category="labour")
    problem(firm, personas.hubei, created_at=start, state="responded", level="ministry",
            responded_at=start + dt.timedelta(days=3))
    problem(firm, personas.hubei, created_at=start, state="escalated", level="ministry",
            escalated_at=now - dt.timedelta(days=2), due_at=now - dt.timedelta(hours=1))
    return now


def hubei_cases(personas, now):
    return figures.case_figures(scope_for(personas.hubei), TODAY, now=now)


def test_closure_rate_is_closed_over_all(hubei_problems, personas):
    assert hubei_cases(personas, hubei_problems)["closure"] == {"num": 1, "den": 4, "pct": 25.0}


def test_average_days_to_respond_local_and_ministry_apart(hubei_problems, personas):
    assert hubei_cases(personas, hubei_problems)["days"]["respond"] == {"local": 1.5, "ministry": 3.0}


def test_average_days_to_close(hubei_problems, personas):
    assert hubei_cases(personas, hubei_problems)["days"]["close"] == {"local": 4.0, "ministry": None}


def test_escalations_awaiting_acceptance_and_their_age(hubei_problems, personas):
    awaiting = hubei_cases(personas, hubei_problems)["awaiting"]
    assert (awaiting["count"], awaiting["oldest_days"]) == (1, 2.0)


def test_overdue_open_problem_is_red(hubei_problems, personas):
    assert hubei_cases(personas, hubei_problems)["by_light"]["red"] == 1


def test_reopenings_and_satisfaction(hubei_problems, personas):
    data = hubei_cases(personas, hubei_problems)
    assert (data["reopened_cases"], data["reopenings"]) == (1, 1)
    assert {row["value"]: row["n"] for row in data["satisfaction"]}["satisfied"] == 1


def test_problems_by_state_and_category(hubei_problems, personas):
    data = hubei_cases(personas, hubei_problems)
    assert {row["value"]: row["n"] for row in data["by_state"]}["responded"] == 2
    assert {row["slug"]: row["n"] for row in data["by_category"]} == {"logistics": 3, "labour": 1}


def test_problem_shared_with_a_region_counts_in_the_logging_region_only(personas):
    case = problem(enterprise(), personas.hubei, created_at=timezone.now() - dt.timedelta(hours=1))
    CaseShare.objects.create(case=case, region=region("44"), shared_by=personas.ministry)
    hubei = figures.case_figures(scope_for(personas.hubei), TODAY)["total"]
    guangdong = figures.case_figures(scope_for(personas.guangdong), TODAY)["total"]
    assert (hubei, guangdong) == (1, 0)


def test_problems_logged_after_the_day_are_not_counted(personas):
    problem(enterprise(), personas.hubei, created_at=timezone.now())
    assert figures.case_figures(scope_for(personas.hubei), TODAY - dt.timedelta(days=1))["total"] == 0
