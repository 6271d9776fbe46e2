"""The problem tally (cases/tally.py, migration cases/0007): PostgreSQL's statement triggers keep
cases_casetally equal to a GROUP BY of cases_case whatever writes the problems, and the 问题台账's tabs
and totals read it where it can answer and count the problems themselves where it cannot."""

import datetime as dt
import re

import pgtrigger
import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from cases import tally
from cases.filters import CaseFilter
from cases.ledger import DEFAULT_TABS, TABS, _live_counts, _tallied_counts, page_role
from cases.models import Case, CaseTally, State, Supervision, Urgency
from cases.selectors import case_list
from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.models import Category
from liaison.models import LiaisonAssignment
from tests.cases.workflow_support import NEXT_WEEK, PATHS, case_in, new_case
from tests.reliability.support import run_together

pytestmark = pytest.mark.django_db

KEY = ("region_id", "state", "level", "urgency", "supervision")
HUBEI_NEW = ("42", "new", "local", "normal", "")


def tallied() -> dict[tuple, int]:
    """The tally's rows that count something (a key whose problems all left keeps a row with n=0)."""
    return {row[:-1]: row[-1] for row in CaseTally.objects.exclude(n=0).values_list(*KEY, "n")}


def counted() -> dict[tuple, int]:
    """The same numbers counted from the problems now."""
    rows = Case.objects.order_by().values(*KEY).annotate(n=Count("pk"))
    return {tuple(row[name] for name in KEY): row["n"] for row in rows}


def assert_tally_is_live() -> None:
    assert counted(), "nothing to compare: the test made no problems"
    assert tallied() == counted()


def supervise(case, personas, level=Supervision.LISTED):
    return perform(case_id=case.pk, action="supervise", actor=personas.ministry,
                   data={"level": level, "due_date": NEXT_WEEK})


def guangdong_case(personas, chain, state="new"):
    """A Guangdong problem brought to `state` by Guangdong's officials (the Hubei paths, other actors)."""
    data = CaseData(enterprise_id=chain["guangdong_lead"].pk, category_id=Category.objects.get(slug="labour").pk,
                    title="广州纺织用工缺口", description="缺工三百人。", request="请协助招工。")
    case = case_create(actor=personas.guangdong, data=data)
    actors = {"hubei": personas.guangdong, "hubei_lead": personas.guangdong_lead, "ministry": personas.ministry}
    for action, persona, payload in PATHS[state]:
        case = perform(case_id=case.pk, action=action, actor=actors[persona], data=payload)
    return case


@pytest.fixture
def ledger(personas, chain):
    """Problems on both sides of the province line, in several states, urgencies, levels and supervisions."""
    cases = {
        "new": new_case(personas, chain, title="物流受阻"),
        "new_critical": new_case(personas, chain, urgency=Urgency.CRITICAL, title="芯片断供"),
        "local": case_in("local", personas, chain, urgency=Urgency.URGENT),
        "pending": case_in("pending_approval", personas, chain),
        "escalated": case_in("escalated", personas, chain),
        "accepted": case_in("accepted", personas, chain, urgency=Urgency.CRITICAL),
        "closed": case_in("closed", personas, chain),
        "guangdong_new": guangdong_case(personas, chain),
        "guangdong_accepted": guangdong_case(personas, chain, "accepted"),
    }
    cases["accepted"] = supervise(cases["accepted"], personas)
    cases["guangdong_accepted"] = supervise(cases["guangdong_accepted"], personas)
    return cases


# --- the triggers --------------------------------------------------------------------------------------


def test_registered_and_moved_problems_are_tallied(ledger):
    assert_tally_is_live()


def test_a_transition_moves_one_count_from_the_old_key_to_the_new(personas, chain):
    case = new_case(personas, chain)
    new_case(personas, chain)  # so that the old key keeps a count
    before = tallied()
    perform(case_id=case.pk, action="submit", actor=personas.hubei, data={})
    pending = ("42", "pending_approval", "local", "normal", "")
    assert tallied() == {**before, HUBEI_NEW: before[HUBEI_NEW] - 1, pending: 1}


def test_an_escalation_moves_the_count_to_the_ministry_level(personas, chain):
    case = case_in("pending_approval", personas, chain)
    perform(case_id=case.pk, action="approve", actor=personas.hubei_lead, data={})
    assert tallied() == {("42", "escalated", "ministry", "normal", ""): 1}


def test_supervision_moves_the_count_to_the_supervised_key(personas, chain):
    case = case_in("accepted", personas, chain)
    supervise(case, personas)
    assert tallied() == {("42", "accepted", "ministry", "normal", "listed"): 1}


def test_a_bulk_state_update_keeps_the_tally(ledger):
    moved = Case.objects.filter(region_id="42", state__in=[State.NEW, State.LOCAL, State.PENDING_APPROVAL])
    assert moved.update(state=State.TRACKING) == 4
    assert_tally_is_live()


def test_a_bulk_update_of_several_key_columns_keeps_the_tally(ledger):
    Case.objects.filter(state__in=[State.NEW, State.ACCEPTED]).update(
        state=State.TRACKING, urgency=Urgency.URGENT, supervision=Supervision.SUPERVISE)
    assert_tally_is_live()


def test_a_bulk_delete_keeps_the_tally(ledger):
    deleted = Case.objects.filter(pk__in=[ledger["new"].pk, ledger["accepted"].pk, ledger["guangdong_new"].pk])
    # Problems are never deleted in the product; their timelines are append-only, so a test must say so.
    with pgtrigger.ignore("cases.CaseEvent:case_event_append_only"):
        assert deleted.delete()[1]["cases.Case"] == 3
    assert_tally_is_live()


def test_an_update_of_no_tallied_column_leaves_the_tally_alone(ledger):
    before = list(CaseTally.objects.order_by("pk").values_list("pk", *KEY, "n"))
    Case.objects.update(title="改过的标题", version=F("version") + 1)
    assert list(CaseTally.objects.order_by("pk").values_list("pk", *KEY, "n")) == before


def test_rebuild_restores_a_wrong_tally(ledger):
    CaseTally.objects.filter(region_id="42").update(n=F("n") + 7)
    CaseTally.objects.filter(region_id="44").delete()
    tally.rebuild()
    assert_tally_is_live()


# --- the 问题台账's tabs and total ------------------------------------------------------------------------

TALLIED_QUERIES = ["", "state=new&state=local&urgency=urgent", "state=new&state=accepted&urgency=critical",
                   "open=true", "level=ministry&supervision=listed", "region=44&open=true"]
UNTALLIED_QUERIES = ["q=物流", "category=logistics", "light=red", "created_after=2020-01-01", "state=new&q=芯片"]
TAB_BADGE = re.compile(r'>\s*([^<>]+?) <span class="badge rounded-pill [^"]*">(\d+)</span>')


def shown(client, query: str) -> tuple[dict[str, int], int]:
    """The tabs' counts by label and the total of the filtered list, as the 问题台账 page shows them."""
    html = client.get(f"{reverse('cases-list')}?{query}").content.decode()
    tabs = html.split('data-testid="case-tabs"')[1].split("</ul>")[0]
    total = re.search(r'data-testid="case-count">共(\d+)个问题', html)
    return {label: int(n) for label, n in TAB_BADGE.findall(tabs)}, int(total.group(1))


def _counting(user, query: str):
    params = QueryDict(query)
    base = case_list(user)
    counted_tabs = [tab for tab in TABS.get(page_role(user), DEFAULT_TABS) if tab.condition is not None]
    filtered = CaseFilter(params, queryset=base).qs if query else None
    return params, base, counted_tabs, filtered


def live(user, query: str) -> tuple[dict[str, int], int]:
    """What the page should show: _live_counts over the problems the user sees."""
    _params, base, counted_tabs, filtered = _counting(user, query)
    counts = _live_counts(base, counted_tabs, filtered)
    tabs = {str(tab.label): counts[tab.key] if tab.condition is not None else counts["_all"]
            for tab in TABS.get(page_role(user), DEFAULT_TABS)}
    return tabs, counts.get("_filtered", counts["_all"])


def corrupt_the_tally() -> None:
    CaseTally.objects.update(n=F("n") + 100)


@pytest.mark.parametrize("query", TALLIED_QUERIES)
@pytest.mark.parametrize("persona", ["hubei", "ministry"])
def test_the_tabs_and_total_equal_the_live_counts(ledger, personas, client_for, persona, query):
    user = getattr(personas, persona)
    assert shown(client_for(user), query) == live(user, query)


@pytest.mark.parametrize("query", TALLIED_QUERIES)
@pytest.mark.parametrize("persona", ["hubei", "ministry"])
def test_the_tally_answers_the_tallied_filters(personas, persona, query):
    params, _base, counted_tabs, filtered = _counting(getattr(personas, persona), query)
    assert _tallied_counts(getattr(personas, persona), counted_tabs, params, filtered) is not None


def test_the_page_reads_its_counts_from_the_tally(ledger, personas, client_for):
    """The check that the comparisons above compare the tally, not the live count with itself."""
    expected_tabs, expected_total = live(personas.hubei, "open=true")
    CaseTally.objects.filter(Q(**dict(zip(KEY, HUBEI_NEW, strict=True)))).update(n=F("n") + 100)
    tabs, total = shown(client_for(personas.hubei), "open=true")
    assert (tabs["待研判"], total) == (expected_tabs["待研判"] + 100, expected_total + 100)


def test_hubei_counts_leave_out_a_guangdong_problem(personas, chain, client_for):
    new_case(personas, chain)
    guangdong_case(personas, chain)
    tabs, total = shown(client_for(personas.hubei), "")
    assert (tabs["待研判"], tabs["全部"], total) == (1, 1, 1)


@pytest.mark.parametrize("query", UNTALLIED_QUERIES)
@pytest.mark.parametrize("persona", ["hubei", "ministry"])
def test_filters_the_tally_cannot_answer_are_counted_live(ledger, personas, client_for, persona, query):
    user = getattr(personas, persona)
    corrupt_the_tally()
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):  # so that light=red finds some
        assert shown(client_for(user), query) == live(user, query)


def test_the_untallied_filters_find_something(ledger, personas):
    """The fallback comparisons are not of zeros."""
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        totals = [live(personas.hubei, query)[1] for query in UNTALLIED_QUERIES]
    assert all(totals[:-1]) and totals[-1] == 1


def test_a_liaison_officers_counts_are_live(ledger, personas, chain, client_for):
    LiaisonAssignment.objects.create(enterprise=chain["lead"], officer=personas.liaison_hubei)
    corrupt_the_tally()
    tabs, total = shown(client_for(personas.liaison_hubei), "")
    assert (tabs, total) == live(personas.liaison_hubei, "") and total == 7


# --- two transactions at once ---------------------------------------------------------------------------

LINGER = """
CREATE FUNCTION test_tally_linger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(0.2); RETURN NEW; END $$;
CREATE TRIGGER test_tally_linger BEFORE UPDATE ON cases_casetally
    FOR EACH ROW EXECUTE FUNCTION test_tally_linger();
"""
UNLINGER = """
DROP TRIGGER IF EXISTS test_tally_linger ON cases_casetally;
DROP FUNCTION IF EXISTS test_tally_linger();
"""


@pytest.fixture
def linger_in_the_tally(transactional_db):
    """From start() on, each tally row update waits a moment holding its row lock, so that two transactions
    certainly meet inside the triggers: were they to lock in opposite orders, they would deadlock every
    time rather than pass by luck (checked: with the upsert ordered by the difference instead of the key,
    the test below fails with "deadlock detected"). A test-only trigger, dropped whatever the outcome."""

    def start():
        with connection.cursor() as cursor:
            cursor.execute(LINGER)

    yield start
    with connection.cursor() as cursor:
        cursor.execute(UNLINGER)


def move(cases, action, actor, data):
    with transaction.atomic():
        return [perform(case_id=case.pk, action=action, actor=actor, data=data).state for case in cases]


@pytest.mark.django_db(transaction=True)
def test_opposite_moves_at_once_both_commit_and_keep_the_tally(personas, chain, linger_in_the_tally):
    news = [new_case(personas, chain, title=f"待研判{n}") for n in range(2)]
    pendings = [case_in("pending_approval", personas, chain, title=f"待审核{n}") for n in range(2)]
    linger_in_the_tally()
    results = run_together(
        lambda: move(news, "submit", personas.hubei, {}),
        lambda: move(pendings, "send-back", personas.hubei_lead, {"reason": "材料不全"}),
    )
    assert results == [("ok", [State.PENDING_APPROVAL] * 2), ("ok", [State.NEW] * 2)]
    assert_tally_is_live()


# --- the API list's total ----------------------------------------------------------------------------------


def api_count(api_client, user, query: str) -> int:
    api_client.force_authenticate(user)
    return api_client.get(f"/api/v1/cases/?{query}").json()["count"]


@pytest.mark.parametrize("query", ["", *TALLIED_QUERIES, *UNTALLIED_QUERIES[:2]])
@pytest.mark.parametrize("persona", ["hubei", "ministry"])
def test_the_api_count_equals_the_live_count(ledger, personas, api_client, persona, query):
    user = getattr(personas, persona)
    assert api_count(api_client, user, query) == live(user, query)[1]


def test_the_api_reads_its_count_from_the_tally(ledger, personas, api_client):
    expected = live(personas.hubei, "open=true")[1]
    CaseTally.objects.filter(Q(**dict(zip(KEY, HUBEI_NEW, strict=True)))).update(n=F("n") + 100)
    assert api_count(api_client, personas.hubei, "open=true&page_size=10&ordering=-due_at") == expected + 100


def test_the_api_counts_untallied_filters_live(ledger, personas, api_client):
    expected = live(personas.hubei, "category=logistics")[1]
    corrupt_the_tally()
    assert api_count(api_client, personas.hubei, "category=logistics") == expected
