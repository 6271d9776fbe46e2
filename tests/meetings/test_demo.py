import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Consultation, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")


def test_demo_has_a_held_meeting_with_decisions_done_and_open(demo):
    past = Consultation.objects.get(state="held")
    assert set(past.decisions.values_list("state", flat=True)) == {"done", "open"}


def test_demo_has_todays_dispatch_meeting_with_a_proposed_agenda(demo):
    today = Consultation.objects.get(state="planned")
    assert timezone.localtime(today.starts_at).date() == timezone.localdate()
    assert today.items.exists()


def test_demo_has_an_overdue_open_decision(demo):
    assert Decision.objects.filter(state="open", due_date__lt=timezone.localdate()).exists()


def test_seeding_twice_adds_no_second_meeting(demo):
    call_command("seed_demo")
    assert Consultation.objects.count() == 2
