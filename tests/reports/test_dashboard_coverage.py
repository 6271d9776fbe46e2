"""The dashboard's 一对一联系 coverage block and its table exports (logged through chainwork.exports)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chainwork.models import ExportLog
from chainwork.scope import scope_for
from liaison.models import ContactRecord, LiaisonAssignment
from reports import figures
from tests.reports.support import enterprise, problem, report

TODAY = timezone.localdate()


def assign(officer, firm):
    return LiaisonAssignment.objects.create(enterprise=firm, officer=officer, cadence_days=3,
                                            started_on=TODAY - dt.timedelta(days=30))


@pytest.fixture
def coverage(personas):
    """Hubei: two enterprises assigned to liaison-hubei, one contacted with its follow-up ahead, the other
    never contacted (due 27 days ago); a third Hubei enterprise not assigned."""
    contacted, silent = enterprise(), enterprise()
    enterprise()
    first = assign(personas.liaison_hubei, contacted)
    assign(personas.liaison_hubei, silent)
    ContactRecord.objects.create(enterprise=contacted, officer=personas.liaison_hubei, assignment=first,
                                 contacted_at=timezone.now() - dt.timedelta(days=1), summary="电话",
                                 next_follow_up=TODAY + dt.timedelta(days=2))


def test_coverage_counts_assigned_and_contacted_within_cadence(coverage, personas):
    [row] = figures.liaison_coverage(personas.ministry, scope_for(personas.ministry))["rows"]
    assert (row["code"], row["assigned"], row["on_time"], row["late"]) == ("42", 2, 1, 1)


def test_coverage_share_is_contacted_over_assigned(coverage, personas):
    [row] = figures.liaison_coverage(personas.ministry, scope_for(personas.ministry))["rows"]
    assert row["share"] == {"num": 1, "den": 2, "pct": 50.0}


def test_coverage_keeps_to_the_drilled_region(coverage, personas):
    scope = figures.narrowed(scope_for(personas.ministry), "44")
    assert figures.liaison_coverage(personas.ministry, scope)["rows"] == []


def test_province_official_sees_only_their_region_coverage(coverage, personas):
    assert figures.liaison_coverage(personas.guangdong, scope_for(personas.guangdong))["rows"] == []


def test_dashboard_shows_the_coverage_block(coverage, personas, client_for):
    page = client_for(personas.hubei).get(reverse("reports-dashboard")).content.decode()
    assert 'data-testid="coverage-table"' in page and "50.0%" in page


@pytest.fixture
def data(personas):
    hubei = enterprise(is_lead=True)
    report(hubei, TODAY, "yes")
    report(enterprise(), TODAY, "no")
    problem(hubei, personas.hubei, created_at=timezone.now() - dt.timedelta(hours=2))
    problem(hubei, personas.hubei, created_at=timezone.now() - dt.timedelta(hours=1))
    problem(hubei, personas.hubei, created_at=timezone.now() - dt.timedelta(hours=1), state="closed",
            closed_at=timezone.now())


def sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True))


def test_region_table_export_has_hand_counted_row(data, personas, client_for):
    response = client_for(personas.hubei).get(reverse("reports-dashboard-export"), {"table": "regions"})
    hubei = next(row for row in sheet_rows(response) if isinstance(row[0], int) and row[1] == "湖北省")
    # 2 enterprises: 1 resumed, 1 not, none partly or unreported: 50.0%
    assert hubei[2:8] == (2, 1, 0, 1, 0, "50.0%")


def test_region_table_export_is_logged(data, personas, client_for):
    client_for(personas.hubei).get(reverse("reports-dashboard-export"), {"table": "regions"})
    log = ExportLog.objects.get(user=personas.hubei)
    assert (log.kind, log.rows, log.format) == ("dashboard_regions", 1, "xlsx")


def test_state_table_export_counts_problems_by_state(data, personas, client_for):
    response = client_for(personas.hubei).get(reverse("reports-dashboard-export"), {"table": "states"})
    counted = {row[1]: row[2] for row in sheet_rows(response) if isinstance(row[0], int)}
    assert counted == {"待研判": 2, "已办结": 1}


def test_state_table_export_is_logged(data, personas, client_for):
    client_for(personas.hubei).get(reverse("reports-dashboard-export"), {"table": "states"})
    assert ExportLog.objects.get(user=personas.hubei).kind == "dashboard_states"


def test_unknown_table_is_404_and_not_logged(personas, client_for):
    response = client_for(personas.hubei).get(reverse("reports-dashboard-export"), {"table": "users"})
    assert response.status_code == 404 and not ExportLog.objects.exists()


def test_dashboard_export_outside_scope_is_404(personas, client_for):
    response = client_for(personas.guangdong).get(reverse("reports-dashboard-export"),
                                                  {"table": "regions", "region": "42"})
    assert response.status_code == 404 and not ExportLog.objects.exists()


def test_dashboard_export_is_403_for_a_department(personas, client_for):
    response = client_for(personas.dept_mot).get(reverse("reports-dashboard-export"), {"table": "regions"})
    assert response.status_code == 403


def test_dashboard_has_the_export_buttons(data, personas, client_for):
    page = client_for(personas.hubei).get(reverse("reports-dashboard")).content.decode()
    assert 'data-testid="export-regions"' in page and 'data-testid="export-states"' in page
