"""`make bench`: how chainwork holds national-scale data, on this machine.

    .venv/bin/python bench/run.py --scale w1|small [--workers N] [--second-workers M] [--duration S]
                                  [--skip STEP ...] [--endpoints KEY ...]
                                  [--crawl-repeat N] [--crawl-per-pattern K] [--crawl-roles USERNAME ...]

Against its own database (BENCH_DATABASE_URL, default chainwork_bench_<scale>, created and seeded when
needed) and Redis (BENCH_REDIS_URL, default db 4), it measures: queries per page; every page each demo
role reaches from its 工作台 (bench/crawl.py), warm and alone; each endpoint of
bench/endpoints.py under wrk on gunicorn; the reminder sweep over everything due; a 10,000-row import;
the 120,000-row export; a mixed read/write load; the pages again at a second worker count; and the peer,
django-helpdesk's ticket page and list on the same stack (bench/peer.py). Chainwork's anonymous login page,
under the same wrk as the endpoints, is the floor each row is read against.
The record is bench/results/<scale>.md and .json (<scale>-partial.* when steps or endpoints are left out).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script: the project's packages and `bench` itself

from bench import load, output, prepare  # noqa: E402
from bench.server import Gunicorn  # noqa: E402

STEPS = ("queries", "crawl", "pages", "sweep", "import", "export", "mixed", "second", "peer")
# The floor of the pages step: chainwork's login page, anonymous (crawl.LOGIN_PATH; the crawl imports Django).
FLOOR_PATH = "/accounts/login/"
# Seconds per scale: warm-up and measurement per endpoint, and the mixed load. `small` is a quick check
# of the harness (about a minute once seeded); `w1` is the record.
DURATIONS = {"w1": {"warmup": 5, "measure": 30, "mixed": 60}, "small": {"warmup": 2, "measure": 3, "mixed": 10}}
SECOND_ENDPOINTS = ("case_list", "api_cases", "dashboard")
SWEEP_TARGET_S = 30
IMPORT_TARGET_ROWS_S = 2_000
EXPORT_RSS_TARGET_MB = 250
EXPORT_TTFB_TARGET_S = 1.0
MIXED_CONNECTIONS = 16


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench +{time.monotonic() - STARTED:4.0f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "w1"], default="w1")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn workers (default 2 × cores)")
    parser.add_argument("--second-workers", type=int, default=2, help="workers of the scaling rerun (default 2)")
    parser.add_argument("--duration", type=float,
                        help="seconds of measurement per endpoint (default 30 at w1, 3 at small)")
    parser.add_argument("--skip", nargs="+", default=[], choices=STEPS, metavar="STEP",
                        help=f"steps to leave out: {', '.join(STEPS)}")
    parser.add_argument("--endpoints", nargs="+", metavar="KEY", help="measure only these endpoints")
    parser.add_argument("--crawl-repeat", type=int, default=5,
                        help="warm requests per crawled page, after one cold (default 5)")
    parser.add_argument("--crawl-per-pattern", type=int, default=2,
                        help="crawled URLs per (role, URL name, query keys) (default 2)")
    parser.add_argument("--crawl-roles", nargs="+", metavar="USERNAME",
                        help="crawl only as these demo users (default: every demo user in the data)")
    parser.add_argument("--peer-tickets", type=int,
                        help="tickets of the peer's database (default 300,000 at w1, 15,000 at small)")
    return parser.parse_args(argv)


# --- preparation ------------------------------------------------------------------------------------------


def prepare_database(env: dict[str, str], scale: str) -> dict | None:
    """Database created, migrated and loaded; static files collected (the pages need the manifest).
    Returns the seed's timing: measured now, or the one recorded when this scale was loaded."""
    if prepare.ensure_database(env["DATABASE_URL"]):
        log(f"created {env['DATABASE_URL']}")
    prepare.manage(env, "migrate", "--noinput", "-v0")
    prepare.manage(env, "collectstatic", "--noinput", "-v0")
    import django

    django.setup()
    from bench.scale import SCALES, already_loaded

    if already_loaded(SCALES[scale]):
        log(f"{scale} data already loaded: reusing it")
        return prepare.last_seed(scale)
    log(f"seeding {scale} (seed_demo --scale {scale}) ...")
    seed = prepare.seed(env, scale)
    log(f"seeded in {seed['seconds']} s, peak RSS {seed['peak_rss_mb']} MB")
    return seed


def wrk_version() -> str:
    try:
        done = subprocess.run([load.WRK, "--version"], capture_output=True, text=True)
    except FileNotFoundError:  # only the server steps need it: a run of the in-process steps goes on
        return "not installed"
    return (done.stdout or done.stderr).split("Copyright")[0].strip()


# --- endpoints --------------------------------------------------------------------------------------------


class Credentials:
    """Sessions and tokens made once per user, valid for every server started in the run."""

    def __init__(self):
        self._cookies: dict[str, str] = {}
        self._tokens: dict[str, str] = {}

    def cookie(self, username: str) -> str:
        from bench.inprocess import session_cookie

        if username not in self._cookies:
            self._cookies[username] = session_cookie(username)
        return self._cookies[username]

    def token(self, username: str) -> str:
        from bench.inprocess import api_token

        if username not in self._tokens:
            self._tokens[username] = api_token(username)
        return self._tokens[username]

    def headers(self, endpoint) -> dict[str, str]:
        if endpoint.api:
            return {"Authorization": f"Token {self.token(endpoint.user)}"}
        return {"Cookie": f"sessionid={self.cookie(endpoint.user)}"}


def prime_workers(server: Gunicorn, endpoints: list, credentials: Credentials) -> None:
    """Every worker serves every page (and the login page, the floor) once before any measurement."""
    pages = [("floor", FLOOR_PATH, {})] + [(e.key, e.path, credentials.headers(e)) for e in endpoints]
    for key, statuses in load.prime(server.base, pages, server.workers).items():
        log(f"priming {key}: statuses {statuses}")


def measure_endpoint(server: Gunicorn, endpoint, headers: dict[str, str], durations: dict) -> dict:
    return load.warm_and_measure(server.base, endpoint.path, headers, server.workers, durations)


def measure_floor(server: Gunicorn, durations: dict) -> dict:
    """The floor: chainwork's login page, anonymous (no session, no query of the data), under the same wrk
    as the endpoints. What the framework, the middleware and a template cost at the least on this stack;
    each endpoint's row reads as a multiple of it."""
    return {"key": "floor", "label": "登录页（匿名）", "user": "anonymous", "path": FLOOR_PATH,
            "load": load.warm_and_measure(server.base, FLOOR_PATH, {}, server.workers, durations)}


def endpoint_record(endpoint) -> dict:
    return {"key": endpoint.key, "label": endpoint.label, "user": endpoint.user, "path": endpoint.path,
            "api": endpoint.api, "target_ms": endpoint.target_ms}


def judge_endpoint(record: dict) -> None:
    """Met when requests were answered, none wrongly, and the p95 is within the target. No answer at all
    in the window (every request slower than the run) is a miss, not a p95 of 0."""
    loaded = record.get("load")
    if loaded:
        record["ok"] = (loaded["requests"] > 0 and loaded["error_count"] == 0
                        and loaded["p95_ms"] <= record["target_ms"])


# --- the mixed load ------------------------------------------------------------------------------------


def least_busy_problems(region: str, exclude: int | None, limit: int = 200) -> list[int]:
    """Problems with the fewest timeline events: the comments the load adds stay spread thin, so they
    never make one the busiest problem (which the case_detail endpoint measures)."""
    from django.db.models import Count

    from cases.models import Case

    return list(Case.objects.filter(region_id=region).exclude(pk=exclude).annotate(n=Count("events"))
                .order_by("n", "pk").values_list("pk", flat=True)[:limit])


def mixed_requests(base: str, by_key: dict, credentials: Credentials) -> list[load.Request]:
    """The mixed load: the Hubei official reading and commenting, the ministry's queue and
    dashboard, and API clients reading and commenting."""
    detail = by_key["case_detail"].path
    problem = int(detail.strip("/").split("/")[-1])
    hubei, ministry = credentials.cookie("hubei"), credentials.cookie("ministry")
    csrf_cookie, csrf_token = load.csrf_pair()
    token = {"Authorization": f"Token {credentials.token('ministry')}"}
    comment_form = urlencode({"text": "压测：已电话联系企业，跟进中。", "visibility": "shared"})
    comment_json = json.dumps({"text": "压测：API 客户端同步意见。"}, ensure_ascii=False)
    return [
        load.Request("hubei_case_list", 25, "GET", [by_key["case_list"].path], {"Cookie": f"sessionid={hubei}"}),
        load.Request("hubei_problem", 15, "GET", [detail], {"Cookie": f"sessionid={hubei}"}),
        load.Request("hubei_comment", 10, "POST",
                     [f"/cases/{pk}/comment/" for pk in least_busy_problems("42", problem)],
                     {"Cookie": f"sessionid={hubei}; {csrf_cookie}", "X-CSRFToken": csrf_token,
                      "Referer": f"{base}/cases/{problem}/",
                      "Content-Type": "application/x-www-form-urlencoded"},
                     comment_form, expect=(302,)),
        load.Request("ministry_queue", 15, "GET", [by_key["ministry_queue"].path], {"Cookie": f"sessionid={ministry}"}),
        load.Request("ministry_dashboard", 5, "GET", [by_key["dashboard"].path], {"Cookie": f"sessionid={ministry}"}),
        load.Request("api_case_list", 20, "GET", [by_key["api_cases"].path], token),
        load.Request("api_comment", 10, "POST",
                     [f"/api/v1/cases/{pk}/comment/" for pk in least_busy_problems("44", None)],
                     {**token, "Content-Type": "application/json; charset=utf-8"}, comment_json, expect=(200, 201)),
    ]


def run_mixed(server: Gunicorn, by_key: dict, credentials: Credentials, seconds: float) -> dict:
    requests = mixed_requests(server.base, by_key, credentials)
    checks = {r.kind: load.check_once(server.base, r) for r in requests}
    wrong = {r.kind: checks[r.kind] for r in requests
             if int(checks[r.kind].split()[0]) not in r.expect or "login" in checks[r.kind]}
    if wrong:
        return {"ok": False, "checks": checks, "error": f"a request of the mix answered wrongly once: {wrong}"}
    comments_before = comment_count()
    result = load.mixed(server.base, requests, seconds=seconds, connections=MIXED_CONNECTIONS)
    # Every comment answered 302 or 200 was written: the timeline holds as many more comments (the load
    # may have sent a few more that were answered after wrk stopped counting).
    answered = sum(n for kind in ("hubei_comment", "api_comment")
                   for status, n in result["kinds"][kind]["statuses"].items() if int(status) < 400)
    result["comments"] = {"answered": answered, "written": comment_count() - comments_before}
    result["ok"] = result["ok"] and result["comments"]["written"] >= answered
    for r in requests:
        result["kinds"][r.kind]["weight"] = r.weight
    result.update(checks=checks, connections=MIXED_CONNECTIONS)
    return result


def comment_count() -> int:
    from cases.models import CaseEvent

    return CaseEvent.objects.filter(kind=CaseEvent.Kind.COMMENT).count()


# --- the export ------------------------------------------------------------------------------------------


def run_export(server: Gunicorn, credentials: Credentials) -> dict:
    cookie = credentials.cookie("ministry")
    results = {}
    for fmt in ("csv", "xlsx"):
        log(f"export {fmt} ...")
        result = load.stream_export(server.port, f"/enterprises/export/?format={fmt}", cookie, server.sampler)
        rss_ok = result["worker_peak_rss_mb"] < EXPORT_RSS_TARGET_MB
        if fmt == "csv":
            result["ok"] = (result["status"] == 200 and result["chunked"] and rss_ok
                            and result["ttfb_s"] <= EXPORT_TTFB_TARGET_S)
        else:
            result["ok"] = result["status"] == 200 and rss_ok
        results[fmt] = result
    results["targets"] = {"worker_rss_mb_below": EXPORT_RSS_TARGET_MB, "csv_ttfb_s_at_most": EXPORT_TTFB_TARGET_S}
    return results


# --- the run ------------------------------------------------------------------------------------------------


def in_process_steps(args, endpoints: list, results: dict) -> None:
    from bench import inprocess

    if "queries" not in args.skip:
        for endpoint, record in zip(endpoints, results["endpoints"], strict=True):
            record.update(inprocess.count_queries(endpoint))
            log(f"{endpoint.key}: {record['queries']} queries")
    if "sweep" not in args.skip:
        log("reminder sweep over everything due ...")
        sweep = inprocess.sweep_everything()
        sweep.update(target_s=SWEEP_TARGET_S, ok=sweep["once"] and sweep["seconds"] <= SWEEP_TARGET_S)
        results["sweep"] = sweep
        log(f"sweep: {sweep['seconds']} s, {sweep['total_claims']} claims")
    if "import" not in args.skip:
        log(f"import of {inprocess.IMPORT_ROWS:,} rows ...")
        imported = inprocess.measure_import()
        imported.update(target_rows_per_second=IMPORT_TARGET_ROWS_S,
                        ok=(imported["rows_per_second"] >= IMPORT_TARGET_ROWS_S and imported["applied"]
                            and imported["written"] == inprocess.IMPORT_ROWS and imported["all_or_nothing"]["ok"]))
        results["import"] = imported
        log(f"import: {imported['rows_per_second']} rows/s")


def run_crawl(args, results: dict) -> None:
    """Every page each role reaches from its 工作台, after the VACUUM: the pages read what the sweep and the
    import left as a live system would after autovacuum."""
    from bench import crawl

    log("crawl of every page each role reaches ...")
    results["crawl"] = crawl.crawl(args.crawl_roles, repeat=args.crawl_repeat,
                                   per_pattern=args.crawl_per_pattern, log=log)


def settle() -> None:
    """VACUUM (ANALYZE) the database before the server steps: the sweep and the import were rolled back,
    and what they left (dead rows, unmarked pages) is what autovacuum clears on a live system soon after."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    log(f"vacuumed in {time.monotonic() - started:.0f} s")


def server_steps(args, env: dict, endpoints: list, results: dict, durations: dict) -> None:
    credentials = Credentials()
    by_key = {e.key: e for e in endpoints}
    needs_server = {"pages", "export", "mixed"} - set(args.skip)
    if needs_server:
        with Gunicorn(env, args.workers) as server:
            log(f"gunicorn on {server.base}, {args.workers} workers")
            prime_workers(server, endpoints, credentials)
            if "pages" not in args.skip:
                log("wrk floor (login page, anonymous) ...")
                results["floor"] = measure_floor(server, durations)
                for endpoint, record in zip(endpoints, results["endpoints"], strict=True):
                    log(f"wrk {endpoint.key} ...")
                    record["load"] = measure_endpoint(server, endpoint, credentials.headers(endpoint), durations)
                    judge_endpoint(record)
            if "export" not in args.skip:
                results["export"] = run_export(server, credentials)
            if "mixed" not in args.skip:
                if all(k in by_key for k in ("case_list", "case_detail", "ministry_queue", "dashboard", "api_cases")):
                    log(f"mixed load for {durations['mixed']} s ...")
                    results["mixed"] = run_mixed(server, by_key, credentials, durations["mixed"])
                else:
                    log("mixed load skipped: it needs every endpoint of the mix")
            server.sampler.sample()
            results["max_worker_rss_mb"] = round(server.sampler.peak_mb, 1)
    subset = [e for e in endpoints if e.key in SECOND_ENDPOINTS]
    if "second" not in args.skip and subset:
        with Gunicorn(env, args.second_workers) as server:
            log(f"gunicorn again with {args.second_workers} workers")
            prime_workers(server, subset, credentials)
            second = {}
            for endpoint in subset:
                log(f"wrk {endpoint.key} at {args.second_workers} workers ...")
                loaded = measure_endpoint(server, endpoint, credentials.headers(endpoint), durations)
                second[endpoint.key] = {k: loaded[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms",
                                                               "error_count")}
            results["second_workers"] = {"workers": args.second_workers, "endpoints": second}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    durations = dict(DURATIONS[args.scale])
    if args.duration:
        durations["measure"] = args.duration
    env = prepare.bench_env(args.scale)
    os.environ.update(env)  # before django.setup(): the settings read them
    seed = prepare_database(env, args.scale)

    from bench.endpoints import endpoints as all_endpoints

    endpoints = [e for e in all_endpoints() if not args.endpoints or e.key in args.endpoints]
    if args.endpoints and len(endpoints) != len(set(args.endpoints)):
        raise SystemExit(f"unknown endpoint among {args.endpoints}")
    results = {
        "scale": args.scale, "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "git": prepare.git_commit(),
        "machine": prepare.machine(), "seed": seed,
        "settings": {"workers": args.workers, "api_user_rate": prepare.API_USER_RATE, "wrk": wrk_version(),
                     "warmup_s": durations["warmup"], "measure_s": durations["measure"],
                     "mixed_s": durations["mixed"], "database": env["DATABASE_URL"], "redis": env["REDIS_URL"],
                     "skipped": args.skip, "only_endpoints": args.endpoints, "crawl_roles": args.crawl_roles},
        "endpoints": [endpoint_record(e) for e in endpoints],
    }
    in_process_steps(args, endpoints, results)
    settle()
    if "crawl" not in args.skip:
        run_crawl(args, results)
    server_steps(args, env, endpoints, results, durations)
    if "peer" not in args.skip:
        from bench import peer

        results["peer"] = peer.run(args.scale, args.workers, durations, tickets=args.peer_tickets, log=log)

    name = args.scale if not (args.skip or args.endpoints or args.crawl_roles) else f"{args.scale}-partial"
    md, js = output.write(results, name)
    print(output.markdown(results))
    log(f"written {md.relative_to(REPO)} and {js.relative_to(REPO)}")
    failed = output.failures(results)
    print(f"bench {args.scale}: " + (f"{len(failed)} target(s) missed: {', '.join(failed)}" if failed
                                     else "every target met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
