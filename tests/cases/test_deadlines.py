import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from cases.deadlines import Light, due_for, light

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_critical_is_24_hours():
    assert due_for("critical", "new", at(2026, 9, 30, 10)) == at(2026, 10, 1, 10)


def test_urgent_is_three_calendar_days_even_over_a_holiday():
    assert due_for("urgent", "new", at(2026, 9, 30, 10)) == at(2026, 10, 3, 10)


def test_normal_is_five_working_days_across_national_day():
    # 9-30 Wed; 10-1..7 off; 10-8 Thu 1, 10-9 Fri 2, 10-10 Sat (worked) 3, 10-12 Mon 4, 10-13 Tue 5
    assert due_for("normal", "new", at(2026, 9, 30, 10)).astimezone(SHANGHAI).date() == dt.date(2026, 10, 13)


def test_normal_counts_a_weekend_day_worked():
    # 9-18 Fri; 9-20 Sun is worked: 9-20, 21, 22, 23, 24
    assert due_for("normal", "new", at(2026, 9, 18, 16)).astimezone(SHANGHAI).date() == dt.date(2026, 9, 24)


def test_a_normal_deadline_ends_at_the_end_of_the_day():
    assert due_for("normal", "new", at(2026, 11, 25, 9)).astimezone(SHANGHAI).time() == dt.time(23, 59, 59)


@override_settings(CASE_DEADLINES={"escalated": {"normal": ["workdays", 2]}})
def test_deadlines_are_configurable_per_state():
    assert due_for("normal", "escalated", at(2026, 11, 25, 9)).astimezone(SHANGHAI).date() == dt.date(2026, 11, 27)


def test_more_than_a_day_left_is_green():
    assert light(at(2026, 11, 28, 12), now=at(2026, 11, 25, 12)) == Light.GREEN


def test_a_day_or_less_left_is_yellow():
    assert light(at(2026, 11, 26, 12), now=at(2026, 11, 25, 12)) == Light.YELLOW


def test_past_the_deadline_is_red():
    assert light(at(2026, 11, 25, 11), now=at(2026, 11, 25, 12)) == Light.RED


def test_the_list_annotation_agrees_with_the_light(personas, chain):
    from cases.selectors import case_list
    from tests.cases.workflow_support import new_case

    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        case = new_case(personas, chain, urgency="critical")
    with time_machine.travel(at(2026, 11, 26, 10), tick=False):
        row = case_list(personas.hubei).get(pk=case.pk)
    assert row.light_value == Light.RED


@pytest.mark.django_db
@pytest.mark.parametrize("value", [Light.RED, Light.YELLOW, Light.GREEN, Light.NONE])
def test_the_light_filter_picks_the_rows_the_annotation_lights_so(personas, chain, value):
    from cases.models import Case
    from cases.selectors import light_q, with_light
    from tests.cases.workflow_support import case_in, new_case

    with time_machine.travel(at(2026, 11, 25, 9), tick=False):
        for urgency in ("critical", "urgent", "normal"):
            new_case(personas, chain, urgency=urgency)
        case_in("closed", personas, chain)
    with time_machine.travel(at(2026, 11, 26, 10), tick=False):
        lit = set(with_light(Case.objects.all()).filter(light_value=value).values_list("pk", flat=True))
        assert set(Case.objects.filter(light_q(value)).values_list("pk", flat=True)) == lit
