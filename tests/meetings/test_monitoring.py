"""监测: the daily rates of a watched area and the enterprises whose status fell since the last 会商."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.models import StatusReport
from reports.monitoring import Area, fallen, latest_day, trend

pytestmark = pytest.mark.django_db


def report(enterprise, day, resumed="yes", staff=100, normal=100):
    return StatusReport.objects.create(enterprise=enterprise, date=day, resumed=resumed,
                                       staff_at_work=staff if resumed != "no" else 0, staff_normal=normal)


def test_trend_gives_each_days_resumption_rate(personas, chain):
    today = timezone.localdate()
    report(chain["lead"], today - dt.timedelta(days=1), resumed="no")
    report(chain["lead"], today)
    rows = trend(personas.hubei, Area(region=chain["lead"].list_region))
    assert [row["resumption"] for row in rows] == [0.0, 100.0]


def test_trend_leaves_out_enterprises_the_user_may_not_see(personas, chain):
    report(chain["guangdong_lead"], timezone.localdate())
    assert trend(personas.hubei, Area()) == []


def test_an_enterprise_whose_staff_fell_is_listed(personas, chain):
    today = timezone.localdate()
    since = today - dt.timedelta(days=3)
    report(chain["lead"], since, staff=90)
    report(chain["lead"], today, resumed="partly", staff=40)
    rows = fallen(personas.hubei, Area(lead=chain["lead"]), since, latest=today)
    assert [row["enterprise_id"] for row in rows] == [chain["lead"].pk]


def test_an_enterprise_that_held_steady_is_not_listed(personas, chain):
    today = timezone.localdate()
    since = today - dt.timedelta(days=3)
    report(chain["lead"], since, staff=90)
    report(chain["lead"], today, staff=88)
    assert fallen(personas.hubei, Area(lead=chain["lead"]), since, latest=today) == []


def test_the_latest_day_after_the_meeting_is_read_from_the_trend(personas, chain):
    today = timezone.localdate()
    since = today - dt.timedelta(days=3)
    report(chain["lead"], since, staff=90)
    report(chain["lead"], today - dt.timedelta(days=1), staff=80)
    assert latest_day(trend(personas.hubei, Area(lead=chain["lead"])), since) == today - dt.timedelta(days=1)


def test_no_day_after_the_meeting_means_nothing_fell(personas, chain):
    since = timezone.localdate()
    report(chain["lead"], since, staff=90)
    assert latest_day(trend(personas.hubei, Area(lead=chain["lead"])), since) is None


def test_the_monitoring_page_answers_an_official(personas, chain):
    client = Client()
    client.force_login(personas.hubei)
    report(chain["lead"], timezone.localdate())
    assert client.get(reverse("reports-monitoring") + "?region=42").status_code == 200


def test_the_monitoring_page_refuses_a_department(personas):
    client = Client()
    client.force_login(personas.dept_mot)
    assert client.get(reverse("reports-monitoring")).status_code == 403


def test_a_bad_comparison_date_answers_400(personas):
    client = Client()
    client.force_login(personas.ministry)
    assert client.get(reverse("reports-monitoring") + "?since=2026-13-45").status_code == 400
