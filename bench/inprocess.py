"""The measurements made inside this process, against the bench database: queries per page, the
reminder sweep, the import. Django must be set up (bench/run.py does it) before these are called.

The sweep and the import write; each runs in a transaction rolled back at the end, so the bench
database stays as seeded and the next run measures the same work.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.endpoints import Endpoint
from chainwork.models import Reminder

# --- who asks --------------------------------------------------------------------------------------


def user(username: str):
    from chainwork.models import User

    return User.objects.get(username=username)


def session_cookie(username: str) -> str:
    """A logged-in session of the user, stored in the database that gunicorn reads too."""
    client = Client()
    client.force_login(user(username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def api_token(username: str) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user(username))[0].key


def client_for(endpoint: Endpoint) -> Client:
    if endpoint.api:
        return Client(headers={"Authorization": f"Token {api_token(endpoint.user)}"})
    client = Client()
    client.force_login(user(endpoint.user))
    return client


# --- queries per request -----------------------------------------------------------------------------


def count_queries(endpoint: Endpoint) -> dict:
    """The queries of one request, warm: the first GET fills the per-process caches (translations, the
    user's scope), the second is counted. A status other than 200 stops the bench: the URL is wrong."""
    client = client_for(endpoint)
    first = client.get(endpoint.path)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(endpoint.path)
    for response in (first, second):
        if response.status_code != 200:
            raise SystemExit(f"{endpoint.key}: GET {endpoint.path} as {endpoint.user} answered "
                             f"{response.status_code}, not 200")
    return {"status": second.status_code, "queries": len(captured.captured_queries)}


# --- the reminder sweep --------------------------------------------------------------------------------

SWEEP_KINDS = ("follow_up", "financing_follow_up", "service_measure_overdue", "case_overdue", "referral_overdue",
               "instruction_due", "share_overdue", "decision_due", "digest")

def sweep_now() -> dt.datetime:
    """Now, or today 09:00 when it is earlier than the digest hour: the digest is part of the work."""
    now = timezone.localtime()
    if now.hour < settings.REMINDER_DIGEST_HOUR:
        now = now.replace(hour=9, minute=0, second=0, microsecond=0)
    return now


def duplicate_claims() -> dict[str, int]:
    """Per kind, the claim keys held by more than one Reminder row (0 everywhere is right)."""
    found = dict.fromkeys(SWEEP_KINDS, 0)
    for row in (Reminder.objects.values("kind", "subject_id", "state", "due_on").annotate(n=Count("pk"))
                .filter(n__gt=1).order_by()):
        found[row["kind"]] += 1
    return found


def sweep_everything() -> dict:
    """Every reminder due now, swept as the beat task would (BATCH per kind and sweep) until nothing is
    left; then one more sweep must claim nothing, and no unique key may be claimed twice."""
    from reports.digest import KINDS, Sweep

    now = sweep_now()
    claims = dict.fromkeys(SWEEP_KINDS, 0)
    sweeps = failed = 0
    with transaction.atomic():
        started = time.perf_counter()
        while True:
            counts = Sweep(KINDS, now).run()
            sweeps += 1
            failed += counts.get("failed", 0)
            for kind in SWEEP_KINDS:
                claims[kind] += counts.get(kind, 0)
            if not any(counts.get(kind, 0) for kind in SWEEP_KINDS):
                break
        seconds = time.perf_counter() - started
        again = Sweep(KINDS, now).run()
        duplicates = duplicate_claims()
        transaction.set_rollback(True)
    claimed_again = sum(again.get(kind, 0) for kind in SWEEP_KINDS)
    return {"now": now.isoformat(), "seconds": round(seconds, 2), "sweeps": sweeps, "claims": claims,
            "total_claims": sum(claims.values()), "failed_rows": failed, "claimed_by_next_sweep": claimed_again,
            "duplicate_keys": duplicates,
            "once": claimed_again == 0 and not any(duplicates.values()) and failed == 0}


# --- the import ----------------------------------------------------------------------------------------

IMPORT_ROWS = 10_000
ORG_BASE = 90_000_000  # organisation numbers 9xxxxxxx: the seed uses 5xxxxxxx and the demo less


def credit_code(division: str, number: int) -> str:
    from enterprises.credit_code import check_character, org_check_character

    org8 = f"{number:08d}"
    body = "91" + division + org8 + org_check_character(org8)
    return body + check_character(body)


def write_enterprise_list(path: Path, rows: int, broken_last: bool = False) -> None:
    """An enterprise list with the template's Chinese headers: `rows` new Hubei enterprises; with
    `broken_last` the last one's credit code has a wrong check character."""
    from enterprises.importing import COLUMNS, Kind

    cities = ("420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900", "421000")
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.header for column in COLUMNS[Kind.ENTERPRISES]])
        for n in range(rows):
            code = credit_code(cities[n % len(cities)], ORG_BASE + n)
            if broken_last and n == rows - 1:
                code = code[:-1] + ("0" if code[-1] != "0" else "1")
            # name, credit_code, region, country, industry, key_fields, size, is_lead, address, contact
            writer.writerow([f"湖北压测配套{n:05d}精密制造有限公司", code, "湖北省", "", "C", "",
                             ("中", "小", "大", "微")[n % 4], "否", f"湖北省武汉市压测路{n}号",
                             "李四", f"138{n:08d}"])


def measure_import() -> dict:
    """10,000 new enterprises imported as the Hubei official (rolled back), then the same file with one
    bad row at the end: nothing may be written."""
    from enterprises import importing
    from enterprises.models import Enterprise

    actor = user("hubei")
    with tempfile.TemporaryDirectory(prefix="chainwork-bench-") as folder:
        good, bad = Path(folder) / "enterprises.csv", Path(folder) / "enterprises-broken.csv"
        write_enterprise_list(good, IMPORT_ROWS)
        write_enterprise_list(bad, IMPORT_ROWS, broken_last=True)
        before = Enterprise.objects.count()
        with transaction.atomic():
            started = time.perf_counter()
            report = importing.apply(str(good), actor=actor, name=good.name)
            seconds = time.perf_counter() - started
            written = Enterprise.objects.count() - before
            transaction.set_rollback(True)
        with transaction.atomic():
            broken = importing.apply(str(bad), actor=actor, name=bad.name)
            after_broken = Enterprise.objects.count()
            transaction.set_rollback(True)
    return {
        "rows": report.rows, "created": report.created, "written": written, "applied": report.applied,
        "problems": [str(p.message) for p in report.problems[:5]], "seconds": round(seconds, 2),
        "rows_per_second": round(report.rows / seconds) if seconds else 0,
        "all_or_nothing": {"problems": len(broken.problems), "applied": broken.applied,
                           "first_problem": str(broken.problems[0].message) if broken.problems else "",
                           "enterprises_unchanged": after_broken == before,
                           "ok": bool(broken.problems) and not broken.applied and after_broken == before},
    }
