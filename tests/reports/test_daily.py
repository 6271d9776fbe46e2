"""日报: 当日新增 / 累计 / 较上日 as of the cut-off, the reporting panel, and 定稿 freezing the figures."""

import datetime as dt

import time_machine

from chainwork.scope import scope_for
from reports import daily
from reports.models import DailyReport
from tests.factories import region
from tests.reports.support import CUT_OFF, D, at, enterprise, problem, report


def rows(figures):
    return {row["key"]: row for row in figures["rows"]}


def build(personas, persona="hubei"):
    return daily.build(scope_for(getattr(personas, persona)), D, CUT_OFF)


def test_resumed_enterprises_new_total_and_change_from_previous_day(day, personas):
    row = rows(build(personas))["resumed_all"]
    # 累计 4 at D's cut-off (the late report excluded), 2 at D-1's, 1 at D-2's: 新增 2, the day before 1
    assert (row["new"], row["total"], row["change"]) == (2, 4, 1)


def test_lead_enterprises_and_core_suppliers_apart(day, personas):
    figures = rows(build(personas))
    assert (figures["resumed_lead"]["total"], figures["resumed_core"]["total"]) == (1, 1)
    assert figures["resumed_core"]["new"] == 1


def test_resumption_rate_change_in_percentage_points(day, personas):
    row = rows(build(personas))["resumption"]
    # 4 of 5 today, 2 of 5 the day before
    assert (row["total"], row["change"]) == (80.0, 40.0)


def test_problems_logged_before_the_cut_off(day, personas):
    row = rows(build(personas))["logged_all"]
    # 累计 4 (the 18:00 one is after the cut-off); 新增 1 today, 2 the day before
    assert (row["new"], row["total"], row["change"]) == (1, 4, -1)


def test_closure_rate_and_its_change(day, personas):
    figures = rows(build(personas))
    assert (figures["closed"]["new"], figures["closed"]["total"]) == (1, 1)
    assert (figures["closure"]["total"], figures["closure"]["change"]) == (25.0, 25.0)


def test_key_problems_are_critical_open_and_listed(day, personas):
    key = build(personas)["key_problems"]
    assert sorted((row["critical"], row["listed"]) for row in key) == [(False, True), (True, False)]


def test_reporting_panel_counts_status_reports_and_zero_reports(day, personas):
    panel = build(personas, "ministry")["reporting"]
    assert (panel["reported"], panel["zero"]) == (["湖北省"], ["广东省"])
    assert "浙江省" in panel["missing"] and panel["count"] == 2


def test_brief_mentions_rate_and_missing_regions(day, personas):
    text = build(personas, "ministry")["brief"]
    assert "复工率" in text and "未报送地区" in text


def test_finalised_report_is_not_recalculated_after_new_data(day, personas):
    finalised = daily.finalise(scope=scope_for(personas.hubei_lead), region=region("42"), date=D,
                               actor=personas.hubei_lead)
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    problem(day["lead"], personas.hubei, created_at=at(D, 9))
    figures, stored = daily.figures_for(scope_for(personas.hubei), region("42"), D, keyed=True)
    assert stored.pk == finalised.pk and figures == finalised.figures
    assert rows(figures)["resumed_all"]["total"] == 4


def test_live_figures_do_change_before_finalising(day, personas):
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    figures, _stored = daily.figures_for(scope_for(personas.hubei), region("42"), D, keyed=True)
    assert rows(figures)["resumed_all"]["total"] == 5


def test_finalising_again_keeps_the_first_figures(day, personas):
    first = daily.finalise(scope=scope_for(personas.ministry), region=None, date=D, actor=personas.ministry)
    report(enterprise(), D, "yes", logged_at=at(D, 9))
    again = daily.finalise(scope=scope_for(personas.ministry), region=None, date=D, actor=personas.ministry)
    assert again.figures == first.figures and DailyReport.objects.count() == 1


def test_cut_off_defaults_to_settings(personas):
    assert DailyReport(date=D).cut_off == dt.time(17, 0)


def test_weekly_report_compares_with_the_week_before(personas):
    firm = enterprise()
    report(firm, D - dt.timedelta(days=9), "no", logged_at=at(D - dt.timedelta(days=9), 9))
    report(firm, D - dt.timedelta(days=3), "yes", logged_at=at(D - dt.timedelta(days=3), 9))
    problem(firm, personas.hubei, created_at=at(D - dt.timedelta(days=10), 9))
    problem(firm, personas.hubei, created_at=at(D - dt.timedelta(days=2), 9))
    figures = rows(daily.build(scope_for(personas.hubei), D, CUT_OFF, period="week"))
    assert (figures["resumed_all"]["new"], figures["resumed_all"]["total"]) == (1, 1)
    # one logged this week, one the week before: 较上周 0
    assert (figures["logged_all"]["new"], figures["logged_all"]["change"]) == (1, 0)


def test_brief_before_the_cut_off_says_as_of_now(personas):
    with time_machine.travel(at(D, 10), tick=False):
        figures = daily.build(scope_for(personas.hubei), D, CUT_OFF)
    assert figures["as_of"] == "10:00" and "10:00" in figures["brief"]


# --- enterprises abroad: counted apart, not in a province's own figures ---------------------------------


def abroad_supplier(resumed="yes"):
    from tests.factories import AbroadEnterpriseFactory

    supplier = AbroadEnterpriseFactory()
    report(supplier, D, resumed, logged_at=at(D, 9))
    return supplier


def test_a_provinces_figures_leave_out_the_enterprises_abroad_it_listed(day, personas):
    abroad_supplier()
    abroad_supplier()
    figures = build(personas)
    assert (figures["enterprises"]["in_scope"], rows(figures)["resumed_all"]["total"]) == (5, 4)


def test_no_abroad_line_without_enterprises_abroad(day, personas):
    assert "resumed_abroad" not in rows(build(personas))


def test_the_national_region_table_leaves_out_enterprises_abroad(day, personas):
    abroad_supplier()
    hubei = next(row for row in build(personas, "ministry")["regions"] if row["code"] == "42")
    assert (hubei["resumed_total"], hubei["resumption"]["den"]) == (4, 5)
