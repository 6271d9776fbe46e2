"""A web request's queries run under DB_STATEMENT_TIMEOUT_MS: a query past it is cancelled by
PostgreSQL, the user gets the database outage's 503 (a page, or JSON under /api/), the log names the
view, and the limit never outlives the request. Celery tasks get their own, longer limit.

The slow views live in a test-only URLconf (tests/chainwork/slow_urls.py). A cancelled query aborts the
transaction it runs in, so the tests that time out run outside the test transaction (transaction=True)."""

import logging

import pytest
from django.db import connection
from django.test import override_settings

from chainwork.celery import app
from chainwork.statement_timeout import statement_timeout

TINY = override_settings(ROOT_URLCONF="tests.chainwork.slow_urls", DB_STATEMENT_TIMEOUT_MS=200)


def show_statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@app.task(name="tests.show_statement_timeout")
def show_statement_timeout_task():
    return show_statement_timeout()


@TINY
@pytest.mark.django_db
def test_a_request_runs_its_queries_under_the_limit(client):
    assert client.get("/statement-timeout/").json() == {"statement_timeout": "200ms"}


@TINY
@pytest.mark.django_db(transaction=True)
def test_a_page_whose_query_outlasts_the_limit_answers_503(client):
    response = client.get("/slow/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


@TINY
@pytest.mark.django_db(transaction=True)
def test_the_page_speaks_the_users_language(client):
    client.cookies["django_language"] = "en"
    assert "Service temporarily unavailable" in client.get("/slow/").content.decode()


@TINY
@pytest.mark.django_db(transaction=True)
def test_an_api_query_that_outlasts_the_limit_answers_503_with_json(client):
    response = client.get("/api/v1/slow/")
    assert response.status_code == 503
    assert response.json() == {"detail": "数据库暂时无法访问，请稍后再试。"}


@TINY
@pytest.mark.django_db(transaction=True)
def test_the_api_answer_speaks_english_when_asked(client):
    response = client.get("/api/v1/slow/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"].startswith("The database")


@TINY
@pytest.mark.django_db(transaction=True)
def test_the_timed_out_query_is_no_longer_running(client):
    client.get("/slow/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
                       " AND query LIKE '%%pg_sleep(1)%%' AND datname = current_database()")
        assert cursor.fetchone()[0] == 0


@TINY
@pytest.mark.django_db(transaction=True)
def test_the_log_names_the_view(client, caplog):
    with caplog.at_level(logging.ERROR, logger="chainwork.middleware"):
        client.get("/slow/")
    assert any("statement timeout" in r.getMessage() and "test-slow-page" in r.getMessage() for r in caplog.records)


@TINY
@pytest.mark.django_db(transaction=True)
def test_the_limit_does_not_outlive_a_timed_out_request(client):
    before = show_statement_timeout()
    client.get("/slow/")
    assert show_statement_timeout() == before


@TINY
@pytest.mark.django_db
def test_the_limit_does_not_outlive_a_served_request(client):
    before = show_statement_timeout()
    client.get("/statement-timeout/")
    assert show_statement_timeout() == before


@TINY
@pytest.mark.django_db
def test_outside_a_request_queries_are_not_limited():
    assert show_statement_timeout() == "0"  # a management command's connection, as the server sets it


@override_settings(DB_TASK_STATEMENT_TIMEOUT_MS=300_000)
@pytest.mark.django_db
def test_a_task_runs_under_its_own_longer_limit():
    assert show_statement_timeout_task.apply().get() == "5min"


@override_settings(DB_TASK_STATEMENT_TIMEOUT_MS=300_000)
@pytest.mark.django_db
def test_a_task_run_inline_by_a_request_keeps_the_requests_limit():
    with statement_timeout(200):
        assert show_statement_timeout_task.apply().get() == "200ms"


@pytest.mark.django_db(transaction=True)
def test_the_limit_is_sent_again_after_the_transaction_it_was_set_in_rolled_back():
    from django.db import transaction

    with statement_timeout(200):
        with pytest.raises(RuntimeError), transaction.atomic():
            show_statement_timeout()  # the SET goes into this transaction, and is undone with it
            raise RuntimeError
        assert show_statement_timeout() == "200ms"
