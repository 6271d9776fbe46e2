"""一企一策 in the reminder sweep and the demo: an overdue measure is reminded once per measure, state and
deadline; the demo carries a plan of each kind."""

import datetime as dt
import io

import pytest

from chainwork.models import Notification
from policies.models import PolicyReserve, ResponsePlan, ServiceMeasure, ServicePlan
from reports.digest import sweep
from tests.policies.plans_support import TODAY, make_service_plan

pytestmark = pytest.mark.django_db


def reminders(user):
    return Notification.objects.filter(user=user, kind="service_measure_overdue")


def test_an_overdue_measure_reminds_the_province(personas, chain):
    make_service_plan(chain["lead"], by=personas.ministry, measures=[(-2, "in_progress")])
    sweep()
    assert "已超过完成时限2天" in reminders(personas.hubei).get().title


def test_a_second_sweep_reminds_nobody_again(personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "in_progress")])
    sweep()
    assert sweep()["service_measure_overdue"] == 0 and reminders(personas.hubei).count() == 1


def test_a_done_or_future_measure_is_not_reminded(personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "done"), (2, "planned")])
    assert sweep()["service_measure_overdue"] == 0


def test_a_moved_deadline_is_due_again(personas, chain):
    plan = make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "in_progress")])
    sweep()
    ServiceMeasure.objects.filter(plan=plan).update(deadline=TODAY - dt.timedelta(days=1))
    assert sweep()["service_measure_overdue"] == 1


def test_guangdong_is_not_told_of_a_hubei_measure(personas, chain):
    make_service_plan(chain["lead"], by=personas.hubei, measures=[(-2, "in_progress")])
    sweep()
    assert not reminders(personas.guangdong).exists()


def test_the_demo_has_the_auto_chain_plan_reserves_and_a_service_plan_in_every_state(reference_data):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    plan = ResponsePlan.objects.get(chain__slug="auto")
    states = set(ServiceMeasure.objects.filter(plan__lead__list_region_id="42").values_list("state", flat=True))
    assert plan.situations.get().country == "日本" and PolicyReserve.objects.count() >= 2
    assert states == {"planned", "in_progress", "done", "blocked"} and ServicePlan.objects.count() == 1
