import datetime as dt

import pytest

from chainwork.models import Holiday
from chainwork.workdays import add_working_days, calendar_missing_year, is_working_day

pytestmark = pytest.mark.django_db


def test_a_plain_wednesday_is_a_working_day():
    assert is_working_day(dt.date(2026, 11, 25))


def test_national_day_is_not_a_working_day():
    assert not is_working_day(dt.date(2026, 10, 5))


def test_a_weekend_day_worked_is_a_working_day():
    assert is_working_day(dt.date(2026, 10, 10))  # Saturday, 调休上班


def test_five_working_days_skip_a_weekend():
    assert add_working_days(dt.date(2026, 11, 25), 5) == dt.date(2026, 12, 2)


def test_five_working_days_from_before_national_day_count_the_sunday_worked():
    # 9-20 (Sun) is worked; 9-25..27 and 10-1..7 are off.
    assert add_working_days(dt.date(2026, 9, 18), 5) == dt.date(2026, 9, 24)


def test_working_days_jump_the_national_day_holiday():
    # From Wed 9-30: 10-1..7 off, 10-8 (Thu) 1, 10-9 (Fri) 2, 10-10 (Sat, worked) 3.
    assert add_working_days(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(dt.date(2026, 11, 25), 0) == dt.date(2026, 11, 25)


def test_a_date_past_the_entered_years_says_which_year_is_missing():
    assert calendar_missing_year(dt.date(2027, 3, 1)) == 2027


def test_a_date_within_the_entered_years_needs_nothing():
    assert calendar_missing_year(dt.date(2026, 3, 1)) is None


def test_past_the_calendar_only_monday_to_friday_count():
    Holiday.objects.filter(date__year=2027).delete()
    assert add_working_days(dt.date(2027, 1, 1), 1) == dt.date(2027, 1, 4)
