"""The 日报 fixture shared by the daily, region-table and print tests."""

import pytest

from reports.models import ZeroReport
from tests.factories import SupplyLinkFactory, region
from tests.reports.support import D1, D2, D, at, enterprise, problem, report


@pytest.fixture
def day(personas):
    """Hubei: resumed by D-2 one (the lead), by D-1 two, by D four (a core supplier among them); a fifth
    reported after the cut-off. Problems: one logged on D-2, two on D-1 (one closed on D), one on D before
    the cut-off and one after it. Guangdong sent a 零报告 for D."""
    lead = enterprise(is_lead=True)
    core = enterprise()
    SupplyLinkFactory(lead=lead, partner=core, criticality="core", direction="upstream")
    second, third, late = enterprise(), enterprise(), enterprise()
    report(lead, D2, "yes", logged_at=at(D2, 10))
    report(second, D1, "yes", logged_at=at(D1, 10))
    report(core, D, "partly", logged_at=at(D, 9))
    report(third, D, "yes", logged_at=at(D, 10))
    report(late, D, "yes", logged_at=at(D, 18))
    problem(lead, personas.hubei, created_at=at(D2, 10))
    problem(lead, personas.hubei, created_at=at(D1, 12), state="closed", closed_at=at(D, 11))
    problem(core, personas.hubei, created_at=at(D1, 13), urgency="critical")
    problem(third, personas.hubei, created_at=at(D, 16), supervision="listed")
    problem(third, personas.hubei, created_at=at(D, 18))
    ZeroReport.objects.create(region=region("44"), date=D, user=personas.guangdong)
    return {"lead": lead}
