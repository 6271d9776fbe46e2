"""The problem tally (CaseTally): how many problems each region holds by state, level, urgency and
supervision, kept by PostgreSQL so that counting is adding up at most a few hundred rows.

Three statement-level triggers on cases_case (their SQL is in migration cases/0007) turn each
INSERT, UPDATE and DELETE statement into one upsert of the differences, whatever the number of rows
it touched: an import of 10,000 problems is one grouped upsert, a state change one row −1 and one +1.
The differences are applied in key order, so two transactions moving problems in opposite directions
lock the same tally rows in the same order and wait for each other instead of deadlocking.

A tally row is locked by the transaction that changed it until that commits: a 问题清单 import of
thousands of problems holds its keys for the import's length, and officials moving problems of the same
region, state and urgency meanwhile wait for it (seconds, not more).

Nothing else writes the tally. What bypasses triggers must call `rebuild()` afterwards: the scale
loader does (it loads with `session_replication_role = replica`); TRUNCATE empties both tables in tests.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.http import QueryDict

from cases.filters import CaseFilter
from cases.models import CaseTally
from chainwork.models import Role
from chainwork.scope import scope_for

REBUILD_SQL = """
DELETE FROM cases_casetally;
INSERT INTO cases_casetally (region_id, state, level, urgency, supervision, n)
SELECT region_id, state, level, urgency, supervision, count(*) FROM cases_case GROUP BY 1, 2, 3, 4, 5;
"""

# Each enterprise's open problems (enterprises.ProblemCount, kept by the triggers of migration 0008):
# the problems about it and those naming it, each once.
PROBLEM_COUNTS_REBUILD_SQL = """
DELETE FROM enterprises_problemcount;
INSERT INTO enterprises_problemcount (enterprise_id, open)
SELECT enterprise_id, count(*) FROM (
    SELECT id AS case_id, enterprise_id FROM cases_case WHERE state <> 'closed'
    UNION
    SELECT nm.case_id, nm.enterprise_id FROM cases_case_named_enterprises nm
    JOIN cases_case c ON c.id = nm.case_id WHERE c.state <> 'closed'
) AS memberships GROUP BY enterprise_id;
"""

# The 问题台账 filters that are columns of the tally; any other (search, category, dates, the deadline
# light, an enterprise) needs the problems themselves.
TALLIED_FILTERS = frozenset({"region", "state", "open", "urgency", "level", "supervision"})


def rebuild() -> None:
    """Recount everything from cases_case (after a load that bypassed the triggers). Problems cannot
    change meanwhile (SHARE lock), so no trigger upserts a key between the delete and the insert."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE cases_case, cases_case_named_enterprises IN SHARE MODE")
        cursor.execute(REBUILD_SQL)
        cursor.execute(PROBLEM_COUNTS_REBUILD_SQL)


def tallies_for(user) -> QuerySet | None:
    """The tally rows of the problems the user sees in full, or None where that view is not a set of
    whole regions (a liaison officer sees the problems of assigned enterprises)."""
    scope = scope_for(user)
    if scope.is_anonymous or scope.role == Role.LIAISON:
        return None
    return CaseTally.objects.filter(scope.region_q("region"))


def conditions_tallied(*conditions: Q | None) -> bool:
    """Whether every field these conditions test is a column of the tally."""
    def fields(q: Q):
        for child in q.children:
            if isinstance(child, Q):
                yield from fields(child)
            else:
                yield child[0].split("__")[0]
    return all(condition is None or set(fields(condition)) <= TALLIED_FILTERS for condition in conditions)


def total(queryset: QuerySet, **conditions: Q | None) -> dict[str, int]:
    """Sum of the tally rows per named condition (None: all rows), in one query."""
    sums = queryset.aggregate(**{key: Sum("n", filter=condition) for key, condition in conditions.items()})
    return {key: value or 0 for key, value in sums.items()}


# Query parameters that narrow nothing: paging, order, the API's format.
NOT_FILTERS = frozenset({"ordering", "page", "page_size", "format"})


def narrowed(tallies: QuerySet, params: QueryDict) -> Q | None:
    """The tally rows that the 问题台账 filters in `params` leave, as a condition on `tallies`; None when
    a filter is on something the tally does not hold, or is not valid (the list then reports it)."""
    used = {key for key, values in params.lists()
            if key in CaseFilter.base_filters and key not in NOT_FILTERS and any(v.strip() for v in values)}
    if not used <= TALLIED_FILTERS:
        return None
    data = params.copy()
    for key in NOT_FILTERS:
        data.pop(key, None)  # the tally has no order or pages to speak of
    filterset = CaseFilter(data, queryset=tallies)
    if not filterset.is_valid():
        return None
    return Q(pk__in=filterset.qs.values("pk"))


def filtered_total(user, params: QueryDict) -> int | None:
    """How many of the problems the user sees in full the filters in `params` leave, from the tally; None
    where the tally cannot tell (then count the problems)."""
    tallies = tallies_for(user)
    condition = narrowed(tallies, params) if tallies is not None else None
    if condition is None:
        return None
    return total(tallies, n=condition)["n"]
