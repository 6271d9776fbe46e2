"""Each enterprise's open-problem count (enterprises.ProblemCount, migration cases/0008): the triggers
keep it equal to the open problems about or naming the enterprise, each counted once, whatever writes
the problems; the 堵点 filter and the chain picture read it."""

import pgtrigger
import pytest
from django.conf import settings
from django.db.models import Q

from cases import tally
from cases.models import Case, State
from enterprises.chains import open_problem_counts
from enterprises.filters import blocked_q
from enterprises.models import Enterprise, ProblemCount
from tests.cases.workflow_support import case_in, new_case

pytestmark = pytest.mark.django_db


def kept() -> dict[int, int]:
    return dict(ProblemCount.objects.exclude(open=0).values_list("enterprise_id", "open"))


def counted() -> dict[int, int]:
    """The same numbers counted from the problems now."""
    counts = {}
    for enterprise in Enterprise.objects.all():
        n = Case.objects.exclude(state=State.CLOSED).filter(
            Q(enterprise=enterprise) | Q(named_enterprises=enterprise)).distinct().count()
        if n:
            counts[enterprise.pk] = n
    return counts


def test_a_new_problem_counts_for_its_enterprise_and_the_ones_it_names(personas, chain):
    new_case(personas, chain)
    assert kept() == {chain["lead"].pk: 1, chain["guangdong_supplier"].pk: 1}


def test_a_closed_problem_no_longer_counts(personas, chain):
    new_case(personas, chain, named=False)
    case_in("closed", personas, chain)
    assert kept() == counted() == {chain["lead"].pk: 1}


def test_naming_the_problems_own_enterprise_counts_it_once(personas, chain):
    case = new_case(personas, chain, named=False)
    case.named_enterprises.add(chain["lead"])
    assert kept() == {chain["lead"].pk: 1}


def test_unnaming_an_enterprise_takes_its_count_back(personas, chain):
    case = new_case(personas, chain)
    case.named_enterprises.clear()
    assert kept() == {chain["lead"].pk: 1}


def test_a_reopened_problem_counts_again(personas, chain):
    case = case_in("closed", personas, chain)
    Case.objects.filter(pk=case.pk).update(state=State.LOCAL)
    assert kept() == counted() == {chain["lead"].pk: 1, chain["guangdong_supplier"].pk: 1}


def test_moving_a_problem_to_another_enterprise_moves_its_count(personas, chain):
    case = new_case(personas, chain, named=False)
    Case.objects.filter(pk=case.pk).update(enterprise=chain["hubei_customer"])
    assert kept() == {chain["hubei_customer"].pk: 1}


def test_deleting_a_problem_takes_its_counts_back(personas, chain):
    case = new_case(personas, chain)
    # Problems are never deleted in the product; their timelines are append-only, so a test must say so.
    with pgtrigger.ignore("cases.CaseEvent:case_event_append_only"):
        case.delete()
    assert kept() == {}


def test_rebuild_restores_wrong_counts(personas, chain):
    new_case(personas, chain)
    case_in("closed", personas, chain)
    ProblemCount.objects.update(open=7)
    tally.rebuild()
    assert kept() == counted()


def test_the_blocked_filter_finds_an_enterprise_with_an_open_problem(personas, chain):
    new_case(personas, chain)
    blocked = Enterprise.objects.filter(blocked_q(settings.CHAIN_BLOCKER_THRESHOLD))
    assert chain["lead"] in blocked and chain["hubei_customer"] not in blocked


def test_the_chain_reads_the_kept_counts(personas, chain):
    new_case(personas, chain)
    new_case(personas, chain, named=False)
    assert open_problem_counts([chain["lead"].pk, chain["guangdong_supplier"].pk]) == {
        chain["lead"].pk: 2, chain["guangdong_supplier"].pk: 1}
