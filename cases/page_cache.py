"""A problem's page in full and the 问题台账, kept for their reader until anything they show changes.

**A problem's page.** Building it costs a dozen queries, the timeline, a form per action the reader may take; most of
its requests are the same person opening the same problem again (from the 工作台, a notification, the
list). So the rendered body is kept in the shared cache under a key that names:

- the problem and a digest PostgreSQL computes from every row the page shows (`STAMP_SQL`): the problem,
  its enterprise and the enterprises it names, the supply link, its timeline, attachments, referrals,
  extension requests, 协办 requests, linked and merged problems, and the people named on it. Any write to
  any of them, through whatever path, gives another key;
- the reader (their id and scope: the actions, internal notes and linked problems shown are theirs), the
  language and the local day (the forms propose today's date).

It expires when the first deadline light on it would change (cases.deadlines.watching_lights), and after
settings.PAGE_CACHE_SECONDS at most (0 keeps nothing): reference data (region, category, department
names) changes without touching the problem. Keys also name the process: a restart or a deploy never
serves another build's markup, and each worker fills its own. The CSRF input is never kept: it is taken
out before storing and the reader's own put back when serving. Pages shown after a refused action (with
the reader's input and the error) are not kept.

**The 问题台账.** Kept whole per reader and URL under the stamp of the regions its reader sees (`list_stamp`:
one query of cases.ListChange, which triggers append to on every change of a problem, the enterprises it
names, its 协办, a liaison officer's enterprises, a saved view, or a name a row shows), so a kept page costs no query of
the problems at all. What moves with time alone is timed: the page expires when the first light on its
rows would change, and, where its counts or filter depend on lights, when the next problem in the
reader's view crosses its deadline (cases.views.case_list_page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from chainwork.models import Role
from chainwork.scope import scope_for

_PROCESS = uuid.uuid4().hex
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = "\x00csrf\x00"

# One row per problem; every subquery reads an index on case_id (or a primary key).
STAMP_SQL = """
SELECT md5(concat_ws('|',
  c::text,
  (SELECT e::text FROM enterprises_enterprise e WHERE e.id = c.enterprise_id),
  (SELECT concat(s::text, p::text) FROM enterprises_supplylink s
     JOIN enterprises_enterprise p ON p.id = s.partner_id WHERE s.id = c.supply_link_id),
  (SELECT string_agg(e::text, ',' ORDER BY e.id) FROM cases_case_named_enterprises n
     JOIN enterprises_enterprise e ON e.id = n.enterprise_id WHERE n.case_id = c.id),
  (SELECT string_agg(concat(u.id, u.username, u.first_name, u.last_name, u.phone), ',' ORDER BY u.id)
     FROM chainwork_user u WHERE u.id IN (c.reporter_id, c.handler_id, c.signed_by_id)),
  (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM cases_caseevent x WHERE x.case_id = c.id),
  (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM cases_attachment a WHERE a.case_id = c.id),
  (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM cases_referral r WHERE r.case_id = c.id),
  (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM cases_extension x WHERE x.case_id = c.id),
  (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM cases_caseshare s WHERE s.case_id = c.id),
  (SELECT string_agg(concat(l.id, l.kind, o.id, o.number, o.title), ',' ORDER BY l.id) FROM cases_caselink l
     JOIN cases_case o ON o.id = CASE WHEN l.from_case_id = c.id THEN l.to_case_id ELSE l.from_case_id END
     WHERE l.from_case_id = c.id OR l.to_case_id = c.id),
  (SELECT string_agg(concat(d.id, d.number, d.title), ',' ORDER BY d.id) FROM cases_case d
     WHERE d.duplicate_of_id = c.id),
  (SELECT concat(d.number, d.title) FROM cases_case d WHERE d.id = c.duplicate_of_id)
))
FROM cases_case c WHERE c.id = %s
"""


def stamp(case_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL, [case_id])
        row = cursor.fetchone()
    return row[0] if row else ""


def key_for(request, kind: str, *parts) -> str | None:
    """The key of a page body for this reader, language, day and URL, and `parts` (what it shows); None
    when pages are not kept."""
    if not settings.PAGE_CACHE_SECONDS:
        return None
    user = request.user
    scope = scope_for(user)
    regions = "*" if scope.regions is None else ",".join(sorted(scope.regions))
    reader = (user.pk, scope.role, regions, scope.department_id, get_language(), timezone.localdate().isoformat(),
              request.get_full_path())
    return f"page:{kind}:{_PROCESS}:" + hashlib.sha256(repr((reader, parts)).encode()).hexdigest()


def list_key(request) -> str | None:
    """The 问题台账 page for this reader and URL at their regions' present stamp; None when pages are not kept."""
    return key_for(request, "cases", list_stamp(request.user)) if settings.PAGE_CACHE_SECONDS else None


def case_key(request, case_id: int) -> str | None:
    """A problem's page at the problem's present stamp; None when pages are not kept."""
    return key_for(request, "case", case_id, stamp(case_id)) if settings.PAGE_CACHE_SECONDS else None


def kept(request, key: str | None) -> SafeString | None:
    """The kept body with the reader's CSRF token, or None."""
    body = cache.get(key) if key else None

    return None if body is None else mark_safe(body.replace(_PLACEHOLDER, get_token(request)))  # noqa: S308


def timeout_for(first_change: dt.datetime | None) -> int:
    """Seconds to keep a page whose first light changes at `first_change` (None: none will)."""
    timeout = settings.PAGE_CACHE_SECONDS
    if first_change is not None:
        timeout = min(timeout, int((first_change - timezone.now()).total_seconds()))
    return timeout


def keep(key: str | None, body: str, first_change: dt.datetime | None) -> None:
    timeout = timeout_for(first_change)
    if key and timeout > 0:
        cache.set(key, _TOKEN.sub(lambda m: m.group(1) + _PLACEHOLDER + m.group(2), body), timeout)


# Readers whose problems may come from any region (a liaison officer's enterprises and the problems
# naming them, an association's registrations) read every region's stamp.
_ANY_REGION = (Role.LIAISON, Role.ASSOCIATION)


def list_stamp(user) -> tuple:
    """What the reader's 问题台账 shows, as of now: per scope, the changes committed and the last id."""
    scope = scope_for(user)
    with connection.cursor() as cursor:
        if scope.regions is None or scope.role in _ANY_REGION:
            cursor.execute("SELECT scope, sum(n), max(id) FROM cases_listchange GROUP BY scope ORDER BY scope")
        else:
            cursor.execute("SELECT scope, sum(n), max(id) FROM cases_listchange WHERE scope = ANY(%s) "
                           "GROUP BY scope ORDER BY scope", [[*sorted(scope.regions), "*"]])
        return tuple(cursor.fetchall())


# A scope is folded once it holds this many rows: folding moves its last id, so its readers' kept pages
# are built once more.
COMPACT_FROM_ROWS = 100

COMPACT_SQL = """
WITH gone AS (
    DELETE FROM cases_listchange WHERE scope IN (
        SELECT scope FROM cases_listchange GROUP BY scope HAVING count(*) >= %s)
    RETURNING scope, n)
INSERT INTO cases_listchange (scope, n) SELECT scope, sum(n) FROM gone GROUP BY scope
"""


def compact_list_changes() -> int:
    """Fold the rows of each scope holding COMPACT_FROM_ROWS or more into one; the sums stay. Rows
    committed meanwhile are left for the next run. Returns the number of scopes folded."""
    with connection.cursor() as cursor:
        cursor.execute(COMPACT_SQL, [COMPACT_FROM_ROWS])
        return cursor.rowcount
