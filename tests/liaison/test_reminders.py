"""The sweep, in-process (the same function beat and send_reminders run): one reminder per due event."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import CaseEvent, Referral
from chainwork.models import Notification, NotificationDelivery, Reminder
from liaison import reminders as liaison_reminders
from reports import digest as reminders
from reports.digest import sweep
from tests.cases.workflow_support import case_in
from tests.conftest import build_chain
from tests.liaison.conftest import assign, contact

pytestmark = pytest.mark.django_db


def follow_ups(user):
    return Notification.objects.filter(user=user, kind="follow_up")


def test_due_follow_up_yields_one_notification(personas):
    a = assign(personas.liaison_hubei)
    contact(a, days_ago=5, next_in=-2)
    sweep()
    assert follow_ups(personas.liaison_hubei).count() == 1


def test_up_to_date_follow_up_yields_none(personas):
    a = assign(personas.liaison_hubei)
    contact(a, days_ago=1, next_in=2)
    sweep()
    assert not follow_ups(personas.liaison_hubei).exists()


def test_second_sweep_sends_nothing_new(personas):
    contact(assign(personas.liaison_hubei), days_ago=5, next_in=-2)
    sweep()
    counts = sweep()
    assert counts["follow_up"] == 0
    assert follow_ups(personas.liaison_hubei).count() == 1


def test_new_follow_up_date_is_a_new_due_event(personas):
    a = assign(personas.liaison_hubei)
    contact(a, days_ago=5, next_in=-2)
    sweep()
    contact(a, days_ago=0, next_in=0)
    sweep()
    assert follow_ups(personas.liaison_hubei).count() == 2


def test_never_contacted_assignment_is_due_after_one_cadence(personas):
    assign(personas.liaison_hubei, cadence=7, started_days_ago=8)
    sweep()
    assert follow_ups(personas.liaison_hubei).count() == 1


def test_failing_row_does_not_stop_the_rest(personas, monkeypatch):
    bad = assign(personas.liaison_hubei)
    good = assign(personas.liaison_hubei)
    contact(bad, days_ago=9, next_in=-6)
    contact(good, days_ago=5, next_in=-2)
    original = liaison_reminders.follow_up_due

    def broken(sweep, assignment, batch):
        if assignment.pk == bad.pk:
            raise RuntimeError("bad row")
        return original(sweep, assignment, batch)

    # The batch fails with the bad row in it; its rows are then done one by one.
    monkeypatch.setattr(liaison_reminders, "follow_up_due", broken)
    counts = sweep()
    assert (counts["follow_up"], counts["failed"]) == (1, 1)
    assert not Reminder.objects.filter(kind="follow_up", subject_id=bad.pk).exists()  # tried again next sweep


def test_overdue_problem_reminds_the_province_once(personas):
    chain = build_chain(personas)
    case = case_in("local", personas, chain)
    case.due_at = timezone.now() - dt.timedelta(hours=1)
    case.save(update_fields=["due_at"])
    sweep()
    sweep()
    assert Notification.objects.filter(user=personas.hubei, kind="case_overdue").count() == 1


def test_reminder_carries_number_not_problem_text(personas):
    chain = build_chain(personas)
    case = case_in("local", personas, chain)
    case.due_at = timezone.now() - dt.timedelta(hours=1)
    case.save(update_fields=["due_at"])
    sweep()
    notification = Notification.objects.get(user=personas.hubei, kind="case_overdue")
    assert case.number in notification.title
    assert case.title not in notification.title and not notification.body


def test_escalation_not_accepted_in_time_reminds_the_ministry(personas):
    chain = build_chain(personas)
    case = case_in("escalated", personas, chain)
    case.due_at = timezone.now() - dt.timedelta(hours=1)
    case.save(update_fields=["due_at"])
    sweep()
    assert Notification.objects.filter(user=personas.ministry, kind="case_overdue").count() == 1


def test_referral_past_deadline_reminds_the_department(personas):
    chain = build_chain(personas)
    case = case_in("routed", personas, chain)
    Referral.objects.filter(case=case).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    sweep()
    assert Notification.objects.filter(user=personas.dept_mot, kind="referral_overdue").count() == 1


def test_instruction_deadline_reminds_once(personas):
    chain = build_chain(personas)
    case = case_in("accepted", personas, chain)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.INSTRUCTION, action="instruct", actor=personas.ministry,
                             note="批示", due_at=timezone.now() - dt.timedelta(hours=2))
    sweep()
    sweep()
    assert Notification.objects.filter(user=personas.ministry, kind="instruction_due").count() == 1


def test_daily_digest_once_per_user_and_day(personas, time_machine):
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9, 0))))
    contact(assign(personas.liaison_hubei), days_ago=5, next_in=-2)
    sweep()
    sweep()
    assert Notification.objects.filter(user=personas.liaison_hubei, kind="digest").count() == 1


def test_outside_channel_gets_an_outbox_row(personas, settings):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    settings.REMINDER_DIGEST_HOUR = 24  # after 08:00 the daily digest would be a second e-mail
    contact(assign(personas.liaison_hubei), days_ago=5, next_in=-2)
    sweep()
    assert NotificationDelivery.objects.filter(notification__user=personas.liaison_hubei, channel="email").count() == 1


def test_send_reminders_command_prints_counts(personas, capsys):
    contact(assign(personas.liaison_hubei), days_ago=5, next_in=-2)
    call_command("send_reminders")
    assert "follow_up: 1" in capsys.readouterr().out


def test_the_digest_counted_for_everyone_at_once_matches_each_users_own_count(personas):
    chain = build_chain(personas)
    overdue = timezone.now() - dt.timedelta(hours=2)
    local = case_in("local", personas, chain)
    routed = case_in("routed", personas, chain)
    for case in (local, routed):
        case.due_at = overdue
        case.save(update_fields=["due_at"])
    Referral.objects.filter(case=routed).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    contact(assign(personas.liaison_hubei, chain["lead"]), days_ago=5, next_in=-2)
    now = timezone.now()
    counts = reminders.DigestCounts(now)
    users = [personas.hubei, personas.hubei_lead, personas.guangdong, personas.ministry,
             personas.ministry_liaison, personas.dept_mot, personas.liaison_hubei]
    assert [counts.figures(u) for u in users] == [reminders.digest_figures(u, now) for u in users]
    assert counts.figures(personas.hubei)["cases"] == 2 and counts.figures(personas.dept_mot)["referrals"] == 1


def test_a_sweep_claims_every_due_event_of_a_batch_once(personas):
    for _ in range(30):
        contact(assign(personas.liaison_hubei), days_ago=5, next_in=-2)
    first, second = sweep(), sweep()
    assert (first["follow_up"], second["follow_up"]) == (30, 0)
    assert follow_ups(personas.liaison_hubei).count() == 30
