import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.extensions import pending_for
from cases.models import Extension
from chainwork.models import Role, User
from chainwork.scope import scope_for
from enterprises.models import Enterprise, StatusReport
from reports import daily

pytestmark = pytest.mark.django_db

CONTRACT_USERS = {"ministry", "ministry-liaison", "hubei", "hubei-lead", "guangdong", "guangdong-lead",
                  "liaison-hubei", "dept-mot", "admin", "assoc-auto"}


def test_seed_demo_creates_the_contract_users():
    call_command("seed_demo")
    assert CONTRACT_USERS <= set(User.objects.values_list("username", flat=True))


def test_demo_users_log_in_with_the_demo_password(settings):
    call_command("seed_demo")
    assert User.objects.get(username="hubei-lead").check_password(settings.DEMO_PASSWORD)


def test_seed_demo_resets_a_changed_password(settings):
    call_command("seed_demo")
    user = User.objects.get(username="hubei")
    user.set_password("something-else-1")
    user.save()
    call_command("seed_demo")
    assert User.objects.get(username="hubei").check_password(settings.DEMO_PASSWORD)


def test_seed_demo_twice_creates_no_second_user():
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(username__in=CONTRACT_USERS).count() == len(CONTRACT_USERS)


def test_ministry_liaison_covers_hubei_and_guangdong():
    call_command("seed_demo")
    user = User.objects.get(username="ministry-liaison")
    assert set(user.covered_regions.values_list("code", flat=True)) == {"42", "44"}


def test_dept_mot_belongs_to_the_transport_ministry():
    call_command("seed_demo")
    user = User.objects.get(username="dept-mot")
    assert (user.role, user.department.slug) == (Role.DEPARTMENT, "mot")


def test_a_benchmark_scale_is_refused_where_it_is_loaded_already(monkeypatch):
    monkeypatch.setattr("reports.management.commands.seed_demo.already_loaded", lambda scale: True)
    with pytest.raises(CommandError, match="already"):
        call_command("seed_demo", scale="w1")


def test_the_demo_has_hubeis_协办_of_guangdong_waiting_overdue_and_answered():
    import datetime as dt

    from django.utils import timezone

    from cases.models import CaseShare

    call_command("seed_demo")
    today = timezone.localdate()
    asked = CaseShare.objects.filter(case__region="42", region="44", shared_by__role__in=["province", "province_lead"])
    found = {(s.state, s.light) for s in asked}
    assert {("pending", "green"), ("pending", "red"), ("replied", "")} <= found
    assert asked.filter(state="pending", due_date=today + dt.timedelta(days=2)).exists()


def test_the_demo_has_extension_requests():
    call_command("seed_demo")
    mot = Extension.objects.filter(referral__department__slug="mot")
    assert sorted(mot.values_list("state", flat=True)) == ["granted", "pending"]
    assert pending_for(User.objects.get(username="hubei-lead")).filter(requested_by__username="hubei").count() == 1



def test_the_demo_status_history_was_entered_before_each_days_cut_off():
    call_command("seed_demo")
    late = [r for r in StatusReport.objects.all()
            if timezone.localtime(r.created_at).date() != r.date
            or timezone.localtime(r.created_at).time() >= dt.time(17, 0)]
    assert StatusReport.objects.count() > 0 and late == []


def test_the_demo_daily_report_compares_with_a_real_yesterday():
    call_command("seed_demo")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    figures = daily.build(scope_for(User.objects.get(username="hubei")), yesterday)
    row = next(row for row in figures["rows"] if row["key"] == "resumption")
    assert row["change"] is not None and abs(row["change"]) < 20


def test_hubeis_demo_figures_leave_out_the_suppliers_abroad():
    call_command("seed_demo")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    figures = daily.build(scope_for(User.objects.get(username="hubei")), yesterday)
    assert figures["enterprises"]["in_scope"] == Enterprise.objects.filter(list_region_id="42").count()
    assert Enterprise.objects.filter(region__isnull=True, added_by_region_id="42").exists()

def test_assoc_auto_belongs_to_a_national_automotive_association():
    call_command("seed_demo")
    association = User.objects.get(username="assoc-auto").association
    assert (association.region_id, list(association.key_fields.values_list("slug", flat=True))) == (None, ["automotive"])


def test_the_demo_has_a_hubei_problem_the_association_registered_waiting_for_triage():
    from cases.models import Case

    call_command("seed_demo")
    registered = Case.objects.filter(association__users__username="assoc-auto", region="42")
    assert list(registered.values_list("state", "source")) == [("new", "association")]
