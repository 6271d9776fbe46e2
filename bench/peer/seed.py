"""Run by bench/peer.py with the peer's own Python (var/peer-helpdesk/venv), never with chainwork's.

    PEER_DATABASE_URL=postgres://… python bench/peer/seed.py --tickets 300000

Migrates django-helpdesk's database, loads it once (skipped when it already holds that many tickets), and
prints one line `PEER_JSON {...}`: the seed's timing (or that it was reused), what the database holds, the
ticket to measure (the one with the most follow-ups), the URLs of the staff ticket list and of its rows,
and a logged-in session of the staff user the pages are read as.

The data is written in PostgreSQL by INSERT … SELECT over generate_series: no row crosses the socket, so
300,000 tickets and their 1.6 million follow-ups load in about a minute. Per ticket:
- one of 4 queues (like chainwork's regions), status 40 % open or reopened (what the default list shows),
  the rest resolved or closed; assigned to one of 20 staff users, 10 % unassigned; a title and a
  description of a sentence or two;
- follow-ups: the opening one (the description), then comments by its staff user, the last one closing or
  resolving the ticket when it is; `1 + id % 10` in all (5.5 on average), and 20 on every 1,000th ticket
  (a busy one, like the problem chainwork's case_detail measures).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # peer_site
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")

QUEUES = [("湖北专班", "hubei"), ("广东专班", "guangdong"), ("江苏专班", "jiangsu"), ("部专班", "ministry")]
STAFF = 20
STAFF_USER = "peer-staff"
BUSY_EVERY = 1000  # every 1,000th ticket is a busy one
BUSY_FOLLOWUPS = 20
ROWS = 50  # rows of the list, as chainwork's 问题台账 shows

TITLES = ["原材料供应中断，生产线停工", "物流运输受阻，成品无法发货", "用工短缺，订单交付延迟",
          "上游芯片断供，整机无法组装", "能源限供，产能下降三成", "资金周转困难，申请协调贷款",
          "出口报关受阻，货物滞港", "配套企业停产，关键零部件缺货"]
COMMENTS = ["已电话联系企业，了解最新生产情况，持续跟进。", "已协调属地有关部门，等待答复。",
            "企业反馈问题部分缓解，物流已恢复两条线路。", "请企业补充受影响订单及金额的具体情况。",
            "已转交相关部门办理，明确办理时限。", "上游供应商已承诺下周恢复供货。"]


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def seed(cursor, tickets: int, queue_ids: list[int], staff_ids: list[int]) -> None:
    """Tickets with explicit ids 1..N, then their follow-ups; FK triggers off for the bulk insert (every row
    is consistent by construction) and the identity sequences moved past the ids written."""
    staff = "ARRAY[" + ",".join(str(int(pk)) for pk in staff_ids) + "]"
    queues = "ARRAY[" + ",".join(str(int(pk)) for pk in queue_ids) + "]"
    # Only this module's constants and integers go into the SQL below (no input of any user).
    cursor.execute("SET session_replication_role = replica")
    cursor.execute(f"""
        INSERT INTO helpdesk_ticket (id, title, created, modified, submitter_email, status, on_hold, description,
                                     resolution, priority, due_date, last_escalation, assigned_to_id, queue_id,
                                     secret_key, kbitem_id, merged_to_id)
        SELECT g,
               ({sql_array(TITLES)})[1 + g % {len(TITLES)}] || '（' || g || '）',
               c, c + interval '3 hours' * (1 + g % 10),
               'contact' || g % 5000 || '@enterprise.example.cn',
               CASE WHEN g % 20 < 7 THEN 1 WHEN g % 20 = 7 THEN 2 WHEN g % 20 < 11 THEN 3 ELSE 4 END,
               false,
               ({sql_array(TITLES)})[1 + g % {len(TITLES)}] || '，影响企业正常生产，请协调解决。企业联系人已留电话，'
                 || '涉及订单约 ' || (g % 97 + 3) || ' 笔。',
               CASE WHEN g % 20 BETWEEN 8 AND 19 THEN '已协调解决，企业恢复正常生产。' END,
               1 + g % 5,
               CASE WHEN g % 3 = 0 THEN c + interval '7 days' END,
               NULL,
               CASE WHEN g % 10 = 0 THEN NULL ELSE ({staff})[1 + g % {len(staff_ids)}] END,
               ({queues})[1 + g % {len(queue_ids)}],
               md5(g::text), NULL, NULL
        FROM generate_series(1, {int(tickets)}) AS g,
             LATERAL (SELECT timestamptz '2026-12-01 09:00+08' - interval '90 seconds' * ({int(tickets)} - g) AS c) AS t
    """)  # noqa: S608
    cursor.execute(f"""
        INSERT INTO helpdesk_followup (date, title, comment, public, new_status, ticket_id, user_id, message_id,
                                       time_spent, email_recipients)
        SELECT t.created + interval '5 hours' * k,
               CASE WHEN k = 0 THEN 'Ticket Opened'
                    WHEN k = n - 1 AND t.status = 4 THEN 'Closed'
                    WHEN k = n - 1 AND t.status = 3 THEN 'Resolved'
                    ELSE 'Comment' END,
               CASE WHEN k = 0 THEN t.description
                    WHEN k = n - 1 AND t.status IN (3, 4) THEN t.resolution
                    ELSE ({sql_array(COMMENTS)})[1 + (t.id + k) % {len(COMMENTS)}] END,
               k % 3 <> 2,
               CASE WHEN k = n - 1 AND t.status IN (3, 4) THEN t.status END,
               t.id,
               CASE WHEN k = 0 THEN NULL ELSE t.assigned_to_id END,
               NULL, NULL, NULL
        FROM helpdesk_ticket AS t,
             LATERAL (SELECT CASE WHEN t.id % {BUSY_EVERY} = 0 THEN {BUSY_FOLLOWUPS} ELSE 1 + t.id % 10 END AS n) AS c,
             LATERAL generate_series(0, c.n - 1) AS k
    """)  # noqa: S608
    cursor.execute("SET session_replication_role = DEFAULT")
    for table in ("helpdesk_ticket", "helpdesk_followup"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608


def load(tickets: int) -> dict:
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from helpdesk.models import FollowUp, Queue, Ticket

    held = Ticket.objects.count()
    if held >= tickets:
        return {"seeded_now": False, "tickets": held}
    started = time.monotonic()
    with transaction.atomic():
        if held:  # a load that stopped half way: start again
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE helpdesk_ticket, helpdesk_followup CASCADE")
        queue_ids = [Queue.objects.get_or_create(slug=slug, defaults={"title": title,
                                                                       "allow_public_submission": False})[0].pk
                     for title, slug in QUEUES]
        staff_ids = [User.objects.get_or_create(username=f"staff{i:02d}", defaults={
            "is_staff": True, "email": f"staff{i:02d}@peer.example.cn", "first_name": f"专员{i:02d}"})[0].pk
            for i in range(1, STAFF + 1)]
        with connection.cursor() as cursor:
            seed(cursor, tickets, queue_ids, staff_ids)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) helpdesk_ticket")
        cursor.execute("VACUUM (ANALYZE) helpdesk_followup")
    return {"seeded_now": True, "seconds": round(time.monotonic() - started, 1), "tickets": Ticket.objects.count(),
            "followups": FollowUp.objects.count()}


def session_of(user) -> str:
    """A logged-in session in the database, as Django's login() would store it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def targets() -> dict:
    """The pages to measure, as the staff user: the busiest ticket, and the default ticket list.

    Helpdesk's list page (/tickets/) is a shell; its rows come from datatables_ticket_list, which DataTables
    calls with serverSide paging. Both are measured: the shell, and its first page of 50 rows as the page's
    own request asks for it (its default query: open and reopened, by created)."""
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.urls import reverse
    from helpdesk.models import FollowUp, Ticket
    from helpdesk.query import query_to_base64

    user, _ = User.objects.get_or_create(username=STAFF_USER, defaults={"is_staff": True,
                                                                        "email": "staff@peer.example.cn"})
    busiest = (FollowUp.objects.values("ticket_id").annotate(n=Count("id")).order_by("-n", "ticket_id").first())
    default_query = {"filtering": {"status__in": [1, 2]}, "sorting": "created", "search_string": "",
                     "sortreverse": False}  # views.staff.ticket_list's default_query_params
    rows = reverse("helpdesk:datatables_ticket_list", args=[query_to_base64(default_query)])
    rows += (f"?draw=1&start=0&length={ROWS}&order%5B0%5D%5Bcolumn%5D=5&order%5B0%5D%5Bdir%5D=asc"
             "&search%5Bvalue%5D=&search%5Bregex%5D=false")
    return {"session": session_of(user), "user": STAFF_USER,
            "ticket": {"id": busiest["ticket_id"], "followups": busiest["n"],
                       "path": reverse("helpdesk:view", args=[busiest["ticket_id"]])},
            "list_path": reverse("helpdesk:list"), "rows_path": rows, "rows": ROWS,
            "login_path": reverse("helpdesk:login"),
            "open_tickets": Ticket.objects.filter(status__in=[1, 2]).count()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300_000)
    args = parser.parse_args()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    result = {"seed": load(args.tickets), **targets()}
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM helpdesk_followup")
        result["seed"]["followups"] = cursor.fetchone()[0]
    print("PEER_JSON " + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
