"""The 日报's kept day figures (reports.DayFigure): kept once the cut-off has passed, equal to a live
recount of the same day, and read by the 日报 and 周报 instead of recounting every enterprise."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case
from chainwork.scope import scope_for
from enterprises.models import StatusReport
from reports import daily, day_figures
from reports.day_figures import counted_enterprises, cut_off_at
from reports.models import DayFigure
from tests.factories import AbroadEnterpriseFactory, SupplyLinkFactory
from tests.reports.support import CUT_OFF, D1, D2, D, at, enterprise, report

pytestmark = pytest.mark.django_db


def recount(day: dt.date) -> dict:
    return day_figures.count(counted_enterprises(), day, cut_off_at(day, CUT_OFF))


@pytest.fixture
def more(day, personas):
    """Beside the Hubei day: Guangdong enterprises reported on D-1 and D (one a core supplier of the Hubei
    lead), and an enterprise abroad on Hubei's list reported on D."""
    gd_core, gd_other = enterprise("44"), enterprise("44", is_lead=True)
    SupplyLinkFactory(lead=day["lead"], partner=gd_core, criticality="core", direction="upstream")
    report(gd_core, D1, "no", logged_at=at(D1, 9))
    report(gd_core, D, "yes", logged_at=at(D, 9))
    report(gd_other, D, "partly", logged_at=at(D, 16))
    abroad = AbroadEnterpriseFactory()
    report(abroad, D, "yes", logged_at=at(D, 11))
    return day


@pytest.mark.parametrize("day_", [D2, D1, D])
def test_a_kept_day_equals_a_live_recount(more, day_):
    day_figures.keep(day_, CUT_OFF)
    assert day_figures.kept(day_, CUT_OFF) == recount(day_)


@pytest.mark.parametrize("persona", ["hubei", "guangdong", "ministry", "ministry_liaison"])
def test_a_scopes_kept_total_equals_its_live_recount(more, personas, persona):
    scope = scope_for(getattr(personas, persona))
    day_figures.keep(D, CUT_OFF)
    live = day_figures.count(counted_enterprises(scope), D, cut_off_at(D, CUT_OFF),
                             Case.objects.filter(scope.region_q("region")))
    assert day_figures.total(scope, day_figures.kept(D, CUT_OFF)) == sum(live.values(), day_figures.Counts())


@pytest.mark.parametrize("persona", ["hubei", "ministry", "ministry_liaison"])
@pytest.mark.parametrize("period", ["day", "week"])
def test_the_report_read_from_kept_days_equals_the_live_one(more, personas, persona, period):
    scope = scope_for(getattr(personas, persona))
    live = daily.build(scope, D, CUT_OFF, period=period)
    call_command("keep_day_figures", days=20)
    assert daily.build(scope, D, CUT_OFF, period=period) == live


def test_a_kept_day_is_read_not_recounted(day, personas):
    day_figures.keep(D, CUT_OFF)
    StatusReport.objects.filter(date=D).update(resumed="no")
    figures = daily.build(scope_for(personas.hubei), D, CUT_OFF)
    assert figures["enterprises"]["resumption"]["num"] == 4


def test_a_day_before_its_cut_off_is_not_kept(day):
    with time_machine.travel(at(D, 16), tick=False):
        assert day_figures.keep(D, CUT_OFF) is False
    assert not DayFigure.objects.exists()


def test_keeping_a_day_twice_writes_its_rows_once(day):
    day_figures.keep(D, CUT_OFF)
    rows = DayFigure.objects.count()
    day_figures.keep(D, CUT_OFF)
    assert DayFigure.objects.count() == rows > 0


def _so_far_kept_fresh(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.delete(f"day-so-far:v1:{D.isoformat()}:{CUT_OFF.isoformat()}")


def test_today_before_the_cut_off_is_counted_once_for_every_reader(settings, personas):
    _so_far_kept_fresh(settings)
    with time_machine.travel(at(D, 10), tick=False):
        report(enterprise(is_lead=True), D, "yes")
        first = day_figures.day_counts(D, CUT_OFF)
    with time_machine.travel(at(D, 10, 2), tick=False):
        report(enterprise(), D, "yes")
        again = day_figures.day_counts(D, CUT_OFF)
    assert again == first
    assert first[1] == at(D, 10)


def test_today_before_the_cut_off_is_recounted_in_the_background(settings, personas):
    from chainwork.kept import refresh_kept

    _so_far_kept_fresh(settings)
    with time_machine.travel(at(D, 10), tick=False):
        report(enterprise(is_lead=True), D, "yes")
        day_figures.day_counts(D, CUT_OFF)
        report(enterprise(), D, "yes")
    with time_machine.travel(at(D, 10, 6), tick=False):
        assert refresh_kept() >= 1
        by_region, counted_at = day_figures.day_counts(D, CUT_OFF)
    assert counted_at == at(D, 10, 6)
    assert by_region == recount(D)


def test_the_daily_page_writes_no_figures(day, personas, client_for):
    client_for(personas.ministry).get(reverse("reports-daily") + f"?date={D.isoformat()}")
    assert not DayFigure.objects.exists()


def test_the_command_keeps_the_last_days_past_their_cut_off(day):
    with time_machine.travel(at(D, 18), tick=False):
        call_command("keep_day_figures", days=3)
    assert set(DayFigure.objects.values_list("date", flat=True)) == {D2, D1, D}


def test_the_beat_task_keeps_the_days_once(day):
    from reports.tasks import keep_day_figures

    with time_machine.travel(at(D, 18), tick=False):
        first = keep_day_figures()
        again = keep_day_figures()
    assert (first, again) == (day_figures.KEEP_DAYS, 0)
