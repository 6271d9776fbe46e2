"""seed_demo's 产融对接 and 清欠: a Hubei supplier's need paid out, arrears repaid in steps, an overdue follow-up."""

import pytest
from django.core.management import call_command

from policies.models import Arrear, FinancingNeed
from reports.digest import sweep

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_hubei_suppliers_need_paid_out():
    call_command("seed_demo")
    need = FinancingNeed.objects.get(state="disbursed")
    assert need.enterprise.list_region_id == "42" and need.disbursed_wan <= need.credit_wan


def test_the_demo_has_an_arrear_repaid_in_two_steps():
    call_command("seed_demo")
    assert Arrear.objects.get(state="paid").repayments.count() == 2


def test_the_demo_needs_every_financing_state():
    call_command("seed_demo")
    assert set(FinancingNeed.objects.values_list("state", flat=True)) == set(FinancingNeed.State.values)


def test_a_second_seed_adds_no_money_rows():
    call_command("seed_demo")
    call_command("seed_demo")
    assert (FinancingNeed.objects.count(), Arrear.objects.count()) == (5, 4)


def test_the_demo_sweep_reminds_an_overdue_financing_follow_up():
    call_command("seed_demo")
    assert sweep()["financing_follow_up"] >= 1
