"""Races on real PostgreSQL connections: each thread has its own connection and transaction."""

import threading

import pytest
from django.db import close_old_connections, connection

from cases.models import Case, CaseEvent
from cases.workflow import perform
from chainwork.errors import InvalidState
from chainwork.reference import load_reference_data
from tests.base import make_personas
from tests.cases.workflow_support import case_in, new_case
from tests.conftest import build_chain

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(db):
    load_reference_data()
    personas = make_personas()
    return personas, build_chain(personas)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        close_old_connections()
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # the loser's exception is the point of the test
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_racing_transitions_one_wins(world):
    personas, chain = world
    case = case_in("escalated", personas, chain)
    results = run_together(
        lambda: perform(case_id=case.pk, action="accept", actor=personas.ministry, data={}),
        lambda: perform(case_id=case.pk, action="return-for-info", actor=personas.ministry,
                        data={"reason": "请补充"}),
    )
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"]
    assert isinstance(next(v for k, v in results if k == "error"), InvalidState)


def test_the_loser_writes_no_timeline_event(world):
    personas, chain = world
    case = case_in("escalated", personas, chain)
    run_together(
        lambda: perform(case_id=case.pk, action="accept", actor=personas.ministry, data={}),
        lambda: perform(case_id=case.pk, action="accept", actor=personas.ministry, data={}),
    )
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def test_numbers_stay_unique_under_concurrent_registration(world):
    personas, chain = world
    results = run_together(*[lambda i=i: new_case(personas, chain, title=f"并发{i}") for i in range(6)])
    assert all(kind == "ok" for kind, _value in results)
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 6
