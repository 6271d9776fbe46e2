"""The bench's peer step and the floor (bench/peer.py, bench/output.py): how seed.py's answer is read, how a
page's cost reads as a multiple of the login page's, how the peer's section is written, and that a peer
that cannot be built is a skip with its reason. No database, no network, no timing."""

import subprocess

import pytest

from bench import output, peer

FLOOR = {"requests": 20_000, "rps": 1000.0, "p50_ms": 6.5, "p95_ms": 9.0, "p99_ms": 12.0, "error_count": 0}


def load(rps: float, p50: float, requests: int = 1000) -> dict:
    return {"requests": requests, "rps": rps, "p50_ms": p50, "p95_ms": p50 * 1.5, "p99_ms": p50 * 2,
            "error_count": 0}


def test_a_page_reads_as_a_multiple_of_the_floor_by_p50_and_by_time_per_request():
    assert output.times_floor(load(50.0, 146.0), FLOOR) == "22× · 20×"
    assert output.times_floor(load(800.0, 9.75), FLOOR) == "1.5× · 1.2×"


def test_without_a_floor_or_an_answer_there_is_no_multiple():
    assert output.times_floor(load(50.0, 146.0), None) == "–"
    assert output.times_floor(load(0.0, 0.0, requests=0), FLOOR) == "–"
    assert output.times_floor(None, FLOOR) == "–"


def test_a_run_whose_every_answer_came_after_the_timeout_has_no_latency():
    late = {"requests": 2, "rps": 0.1, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "error_count": 2}
    assert output.latency(late, "p95_ms") == "–"
    assert output.latency(load(50.0, 146.0), "p95_ms") == 219.0
    assert output.times_floor(late, FLOOR) == "–"


def test_the_endpoint_table_starts_with_the_floor():
    results = {"floor": {"path": "/accounts/login/", "load": FLOOR},
               "endpoints": [{"key": "case_detail", "label": "问题详情及动态", "user": "hubei", "target_ms": 150,
                              "load": load(52.0, 146.0), "ok": True}]}
    header, _rule, floor, detail = output._endpoint_rows(results)
    assert "× floor" in header
    assert floor.startswith("| floor (") and "| 1× |" in floor
    assert "| 22× · 19× |" in detail


def test_seed_output_is_the_peer_json_line():
    stdout = 'Operations to perform\nPEER_JSON {"seed": {"seeded_now": false, "tickets": 3}, "user": "s"}\n'
    assert peer.parse_output(stdout) == {"seed": {"seeded_now": False, "tickets": 3}, "user": "s"}
    with pytest.raises(RuntimeError, match="no result"):
        peer.parse_output("Traceback …")


def test_the_peer_database_is_per_scale_unless_named(monkeypatch):
    monkeypatch.delenv("PEER_DATABASE_URL", raising=False)
    assert peer.database_url("w1").endswith("/peer_helpdesk")
    assert peer.database_url("small").endswith("/peer_helpdesk_small")
    monkeypatch.setenv("PEER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peer_helpdesk_x")
    assert peer.database_url("w1").endswith("/peer_helpdesk_x")


def peer_record() -> dict:
    rows = [{"key": key, "label": key, "user": "peer-staff", "path": "/", "load": loaded}
            for key, loaded in (("peer_ticket", load(51.0, 141.0)), ("peer_list", load(300.0, 25.0)),
                                ("peer_list_rows", load(40.0, 190.0)), ("peer_floor", load(900.0, 8.0)))]
    return {"versions": {"django_helpdesk": "2.6.1", "django": "5.2.19", "gunicorn": "27.0.1"},
            "database": "postgres://postgres@127.0.0.1:5432/peer_helpdesk", "workers": 2,
            "seed": {"seeded_now": False, "seconds": 61.2, "date": "2026-12-03", "tickets": 300_000,
                     "followups": 1_650_300},
            "ticket": {"id": 1000, "followups": 20, "path": "/tickets/1000/"}, "open_tickets": 120_000,
            "rows_per_page": 50, "endpoints": rows, "max_worker_rss_mb": 80.0, "measure_s": 20.0, "warmup_s": 5}


def test_the_peer_section_says_what_was_compared_and_lists_each_page():
    lines = output.peer_rows(peer_record(), FLOOR)
    sentence = lines[0]
    for words in ("django-helpdesk 2.6.1", "300,000 tickets", "1,650,300 follow-ups", "same 2 sync workers",
                  "(20)", "50 rows", "loaded in 61.2 s (an earlier run, 2026-12-03)", "`peer_helpdesk`"):
        assert words in sentence
    table = [line for line in lines if line.startswith("| peer_")]
    assert [line.split(" ", 2)[1] for line in table] == ["peer_ticket", "peer_list", "peer_list_rows", "peer_floor"]
    assert table[0].endswith("| 22× · 20× |")


def test_the_peer_section_is_in_the_record_a_skip_gives_its_reason_and_a_break_fails():
    results = {"scale": "small", "date": "d", "git": "abc", "settings": {
        "workers": 2, "wrk": "wrk 4", "warmup_s": 2, "api_user_rate": "1/min"}, "machine": {
        "nproc": 2, "cpu": "x", "memory_gb": 24, "postgresql": "17", "python": "3.11",
        "load_average_at_start": [1.0, 1.0, 1.0]}, "floor": {"path": "/accounts/login/", "load": FLOOR},
        "peer": peer_record()}
    assert "**The peer**: django-helpdesk 2.6.1" in output.markdown(results)
    results["peer"] = {"skipped": "its venv could not be built (pip exit 1: no network)"}
    assert ("**The peer** (django-helpdesk): skipped — its venv could not be built (pip exit 1: no network)."
            in output.markdown(results))
    assert output.failures(results) == []
    results["peer"] = {"error": "gunicorn exited with 3 before answering /healthz"}
    assert "failed — gunicorn exited with 3" in output.markdown(results)
    assert output.failures(results) == ["peer (failed to run)"]


def test_a_peer_whose_venv_cannot_be_built_is_skipped_with_the_reason(monkeypatch, tmp_path):
    monkeypatch.setattr(peer, "VENV", tmp_path / "venv")
    monkeypatch.setattr(peer, "HOME", tmp_path)
    monkeypatch.setattr(peer.shutil, "which", lambda name: "/usr/bin/python3.11")
    calls = []

    def fake_run(command, **kwargs):
        calls.append(command)
        if "pip" in command:
            return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution found for "
                                               "django-helpdesk==2.6.1\n")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(peer.subprocess, "run", fake_run)
    record = peer.run("small", 2, {"warmup": 1, "measure": 1}, log=lambda message: None)
    assert record == {"skipped": "its venv could not be built (pip exit 1: ERROR: No matching distribution "
                                 "found for django-helpdesk==2.6.1)"}
    assert calls[0][:3] == ["/usr/bin/python3.11", "-m", "venv"]
