"""`seed_demo --scale`: the national-scale loader, run here at a tiny scale of the same shape."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bench.scale import Scale, ScaleSeeder, already_loaded
from cases.models import Case, CaseEvent, Referral
from chainwork.demo import seed_users
from chainwork.models import Reminder, User
from enterprises import credit_code
from enterprises.models import Enterprise, StatusReport, SupplyLink
from liaison.models import ContactRecord, LiaisonAssignment

pytestmark = pytest.mark.django_db

TINY = Scale("tiny", leads=40, enterprises=1_000, links_per_lead=30, status_days=5, problems=1_500, events=7_500,
             referrals=300, assignments=200, contacts=2_000, users=120)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loaded once for the module inside a transaction that is rolled back after it; each test runs
    in a savepoint of its own within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_users()
        counts = ScaleSeeder(TINY, seed=7, progress=False).run()
        yield counts
        transaction.set_rollback(True)


def test_every_table_gets_its_number_of_rows(loaded):
    assert (loaded["enterprises"], loaded["status_reports"], loaded["problems"], loaded["liaison_assignments"],
            loaded["contact_records"]) == (1_000, 5_000, 1_500, 200, 2_000)


def test_leads_have_about_thirty_partners_each(loaded):
    links = SupplyLink.objects.filter(lead__is_lead=True).count()
    assert Enterprise.objects.filter(is_lead=True).count() == 40 and 1_100 <= links <= 1_200


def test_some_suppliers_name_suppliers_of_their_own(loaded):
    # A tenth of the domestic suppliers, two each: chains run several tiers deep.
    assert 100 <= SupplyLink.objects.filter(lead__is_lead=False).count() <= 250


def test_about_fifteen_percent_of_links_cross_a_region_line(loaded):
    links = SupplyLink.objects.exclude(partner__region__isnull=True)
    crossing = links.exclude(partner__list_region=F("lead__list_region")).count()
    assert 0.08 <= crossing / links.count() <= 0.22


def test_about_two_percent_are_abroad_on_no_list_and_added_by_a_region(loaded):
    abroad = Enterprise.objects.filter(region__isnull=True)
    assert 5 <= abroad.count() <= 45 and not abroad.filter(list_region__isnull=False).exists()
    assert not abroad.filter(added_by_region__isnull=True).exists()


def test_every_credit_code_is_valid(loaded):
    codes = Enterprise.objects.exclude(credit_code__isnull=True).values_list("credit_code", flat=True)
    assert all(credit_code.validate(code).ok for code in codes)


def test_no_row_points_at_nothing(loaded):
    # Foreign-key checks are off during the load: the loader's own bookkeeping must keep them true.
    assert not StatusReport.objects.filter(enterprise__isnull=True).exists()
    assert not Case.objects.exclude(enterprise__in=Enterprise.objects.all()).exists()
    assert not CaseEvent.objects.exclude(case__in=Case.objects.all()).exists()
    assert not CaseEvent.objects.exclude(actor__in=User.objects.all()).exists()
    assert not Referral.objects.exclude(case__in=Case.objects.all()).exists()
    assert not ContactRecord.objects.exclude(assignment__in=LiaisonAssignment.objects.all()).exists()


def test_the_latest_daily_status_is_the_enterprises_status(loaded):
    enterprise = Enterprise.objects.filter(is_lead=True).first()
    latest = enterprise.status_reports.order_by("-date").first()
    assert (enterprise.status, enterprise.status_date) == (latest.resumed, latest.date)


def test_problem_numbers_follow_each_regions_counter(loaded):
    counts = Counter(Case.objects.values_list("region_id", "year", "sequence"))
    assert max(counts.values()) == 1


def test_timelines_average_about_five_events(loaded):
    assert 4.5 <= CaseEvent.objects.count() / Case.objects.count() <= 6


def test_routed_problems_hold_one_pending_lead_referral(loaded):
    routed = Case.objects.filter(state="routed")
    assert all(case.referrals.filter(state="pending", role="lead").count() == 1 for case in routed[:50])


def test_only_reminders_of_earlier_days_are_claimed_so_todays_remain_for_the_sweep(loaded):
    today = timezone.localdate()
    assert not Reminder.objects.filter(due_on__gte=today).exists()
    due = LiaisonAssignment.objects.filter(due_on__lt=today)
    assert due.count() == Reminder.objects.filter(kind="follow_up").count()


def test_one_current_liaison_per_enterprise(loaded):
    assert max(Counter(LiaisonAssignment.objects.values_list("enterprise_id", flat=True)).values()) == 1


def test_the_same_seed_draws_the_same_data_and_another_seed_other_data():
    assert _names(11, 20) == _names(11, 20) != _names(12, 20)


def _names(seed, n):
    seeder = ScaleSeeder(TINY, seed=seed, progress=False)
    return [seeder._domestic_name(seeder.regions[0])[0] for _ in range(n)]


def test_the_scale_is_recognised_as_loaded(loaded):
    assert already_loaded(TINY)


def test_users_share_one_password_hash(loaded):
    hashes = set(User.objects.filter(username__startswith="tiny-").values_list("password", flat=True))
    assert len(hashes) == 1


def test_status_rows_end_today(loaded):
    assert StatusReport.objects.latest("date").date == timezone.localdate()
    assert StatusReport.objects.earliest("date").date == timezone.localdate() - dt.timedelta(days=4)


def test_financing_needs_and_arrears_are_loaded(loaded):
    assert (loaded["financing_needs"], loaded["arrears"]) == (50, 25)


def test_a_loaded_need_serves_a_lead_it_supplies(loaded):
    from policies.models import FinancingNeed

    assert all(SupplyLink.objects.filter(lead_id=n.lead_id, partner_id=n.enterprise_id).exists()
               for n in FinancingNeed.objects.all())


def test_loaded_arrears_keep_their_repaid_sum(loaded):
    from django.db.models import Sum

    from policies.models import Arrear

    assert all(a.repaid_wan == (a.repayments.aggregate(s=Sum("amount_wan"))["s"] or 0) for a in Arrear.objects.all())
