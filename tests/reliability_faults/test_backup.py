"""`manage.py backup` and `manage.py restore`: a dump of the test database with a problem, its timeline
and its audit history, restored into a new database of its own (dropped afterwards), holds them all."""

import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from psycopg2 import sql

from cases.models import Case, CaseEvent
from cases.services import CaseData, case_create
from cases.workflow import perform
from chainwork.audit import command_context
from chainwork.backups import Target, drop_database, find_tool, server_major, tool_major
from chainwork.models import Category
from chainwork.reference import load_reference_data
from enterprises.models import Enterprise
from tests.base import make_personas
from tests.conftest import build_chain


@pytest.fixture
def problem(transactional_db):  # pg_dump sees committed rows only
    load_reference_data()  # truncation removed the reference rows (stack.md pitfall 6)
    people = make_personas()
    chain = build_chain(people)
    with command_context("backup-test"):
        case = case_create(actor=people.hubei, data=CaseData(
            enterprise_id=chain["lead"].pk, category_id=Category.objects.get(slug="supply-chain").pk,
            title="核心供应商停产导致光芯片断供", description="封装厂停产。", request="请协调恢复供货。"))
        return perform(case_id=case.pk, action="submit", actor=people.hubei, data={"note": "请审核"})


@pytest.fixture
def fresh_database():
    source = Target.from_settings()
    target = Target(source.host, source.port, source.user, source.password, f"chainwork_restore_{uuid.uuid4().hex[:12]}")
    yield target
    drop_database(target)


def rows(target: Target, statement, *params):
    with psycopg2.connect(host=target.host, port=target.port, user=target.user or None,
                          password=target.password or None, dbname=target.name) as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def history_of(model, statement: str) -> sql.Composed:
    """The statement on the model's pghistory event table ({table} in it)."""
    table = model._meta.get_field("history" if model is Case else "events").related_model._meta.db_table
    return sql.SQL(statement).format(table=sql.Identifier(table))


def backup_and_restore(into: Target, tmp_path) -> None:
    dump = tmp_path / "chainwork.dump"
    call_command("backup", output=dump)
    call_command("restore", str(dump), database_url=f"postgres://{into.user}:{into.password}@{into.host}:{into.port}"
                                                    f"/{into.name}")


def test_a_restored_backup_holds_the_problem_its_timeline_and_its_append_only_history(problem, fresh_database, tmp_path):
    backup_and_restore(fresh_database, tmp_path)
    enterprise = Enterprise.objects.get(pk=problem.enterprise_id)
    restored = rows(fresh_database, "SELECT c.title, e.credit_code, (SELECT count(*) FROM cases_caseevent t "
                    "WHERE t.case_id = c.id) FROM cases_case c JOIN enterprises_enterprise e ON e.id = c.enterprise_id "
                    "WHERE c.number = %s", problem.number)
    assert restored == [(problem.title, enterprise.credit_code, CaseEvent.objects.filter(case=problem).count())]
    history = rows(fresh_database, history_of(Case, "SELECT pgh_label FROM {table} WHERE pgh_obj_id = %s ORDER BY pgh_id"),
                   problem.pk)
    assert [label for (label,) in history] == list(problem.history.order_by("pgh_id").values_list("pgh_label", flat=True))
    enterprise_history = rows(fresh_database, history_of(Enterprise, "SELECT count(*) FROM {table} WHERE pgh_obj_id = %s"),
                              enterprise.pk)
    assert enterprise_history == [(enterprise.events.count(),)] and enterprise.events.exists()
    with pytest.raises(psycopg2.Error):  # and the restored audit trail is still append-only
        rows(fresh_database, history_of(Case, "DELETE FROM {table} WHERE pgh_obj_id = %s RETURNING 1"), problem.pk)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    dump = tmp_path / "chainwork.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump), "--noinput")  # the app's own (test) database


@pytest.mark.django_db
def test_the_backup_is_readable_by_its_owner_only(tmp_path):
    dump = tmp_path / "chainwork.dump"
    call_command("backup", output=dump)
    assert dump.stat().st_mode & 0o777 == 0o600


def test_pg_dump_is_chosen_to_match_the_server():
    server = server_major(Target.from_settings())
    assert tool_major(find_tool("pg_dump", server)) >= server
