"""The record of a run: a Markdown table (stdout and bench/results/<name>.md) and the full JSON.

A target missed is marked ✗ in the table and named in the summary line; the run still exits 0, since
the table is the record and a slow page is a finding, not a failure of the bench.
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✓" if ok else "✗")


def times_floor(load: dict | None, floor: dict | None) -> str:
    """A page's cost as a multiple of the floor's (the anonymous login page, same run, same wrk): its p50 over
    the floor's p50, and its time per request (1 / req/s) over the floor's. "–" without both."""
    if not load or not floor or not load.get("requests") or not floor.get("requests"):
        return "–"
    if not (load.get("p50_ms") and floor.get("p50_ms") and load.get("rps") and floor.get("rps")):
        return "–"

    def fmt(x: float) -> str:
        return f"{x:.1f}×" if x < 10 else f"{x:.0f}×"

    return f"{fmt(load['p50_ms'] / floor['p50_ms'])} · {fmt(floor['rps'] / load['rps'])}"


FLOOR_COLUMN = "× floor (p50 · 1/req/s)"


def latency(load: dict, key: str):
    """A percentile of the run; "–" when no response came in time to be timed (wrk times only those within
    its 10 s timeout, and reports 0 when there was none)."""
    if not load:
        return "–"
    return "–" if not load.get("p50_ms") and load.get("error_count") else load.get(key, "–")


def _floor_load(results: dict) -> dict | None:
    return (results.get("floor") or {}).get("load")


def _endpoint_rows(results: dict) -> list[str]:
    rows = [f"| endpoint | persona | queries | requests | req/s | p50 ms | p95 ms | p99 ms | errors | {FLOOR_COLUMN} "
            "| target p95 | |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|"]
    floor = _floor_load(results)
    if floor:
        rows.append(f"| floor (chainwork 登录页，匿名 `{results['floor']['path']}`) | anonymous | – | "
                    f"{floor['requests']} | {floor['rps']} | {floor['p50_ms']} | {floor['p95_ms']} | "
                    f"{floor['p99_ms']} | {floor['error_count']} | 1× | – | |")
    for e in results.get("endpoints", []):
        load = e.get("load") or {}
        rows.append(f"| {e['key']} ({e['label']}) | {e['user']} | {e.get('queries', '–')} | "
                    f"{load.get('requests', '–')} | {load.get('rps', '–')} | {latency(load, 'p50_ms')} | "
                    f"{latency(load, 'p95_ms')} | {latency(load, 'p99_ms')} | {load.get('error_count', '–')} | "
                    f"{times_floor(load, floor)} | ≤ {e['target_ms']} | {mark(e.get('ok'))} |")
    return rows


def peer_rows(peer: dict, floor: dict | None) -> list[str]:
    """The peer's section: what was compared and how, then its pages in the endpoints' columns."""
    if "skipped" in peer:
        return [f"**The peer** (django-helpdesk): skipped — {peer['skipped']}."]
    if "error" in peer:
        return [f"**The peer** (django-helpdesk): failed — {peer['error']} {mark(False)}"]
    v, seed, ticket = peer["versions"], peer["seed"], peer["ticket"]
    when = "this run" if seed.get("seeded_now") else f"an earlier run, {seed.get('date', 'date not recorded')}"
    seeded = (f"loaded in {seed['seconds']} s ({when})" if seed.get("seconds") is not None
              else "loaded before any recorded run")
    rows = [f"**The peer**: django-helpdesk {v['django_helpdesk']} on Django {v['django']}, with "
            f"{seed['tickets']:,} tickets and {seed['followups']:,} follow-ups in 4 queues ({seeded}) in "
            f"`{urlparse_name(peer['database'])}` on the same PostgreSQL, served by gunicorn {v['gunicorn']} with "
            f"the same {peer['workers']} sync workers and measured in the same run, after chainwork's server, by the "
            f"same wrk (-t2 -c8, {peer['warmup_s']} s warm-up rounds, {peer['measure_s']:g} s) as a staff user with a "
            f"logged-in database session. Its ticket page is the ticket with the most follow-ups "
            f"({ticket['followups']}), as case_detail is the Hubei problem with the longest timeline. Its list "
            f"(`/tickets/`) is a page without rows: DataTables asks for them in a second request, server-side "
            f"paged ({peer['rows_per_page']} rows here, as chainwork's 问题台账 shows; the default query, "
            f"{peer['open_tickets']:,} open tickets by date), so a person waits for both: both are measured. "
            f"{FLOOR_COLUMN} is against chainwork's login page of this run; helpdesk's own login page is the "
            f"last row.", "",
            f"| peer page | persona | requests | req/s | p50 ms | p95 ms | p99 ms | errors | {FLOOR_COLUMN} |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for e in peer["endpoints"]:
        load = e["load"]
        rows.append(f"| {e['key']} ({e['label']}) | {e['user']} | {load['requests']} | {load['rps']} | "
                    f"{latency(load, 'p50_ms')} | {latency(load, 'p95_ms')} | {latency(load, 'p99_ms')} | "
                    f"{load['error_count']} | "
                    f"{times_floor(load, floor)} |")
    rows += ["", f"Largest peer gunicorn worker: {peer['max_worker_rss_mb']} MB RSS."]
    return rows


def urlparse_name(url: str) -> str:
    """The database's name in a postgres:// URL."""
    return url.rsplit("/", 1)[-1].split("?")[0]


def _sweep_rows(sweep: dict) -> list[str]:
    claims = ", ".join(f"{kind} {n}" for kind, n in sweep["claims"].items())
    return [f"**Reminder sweep** (everything due at {sweep['now']}, rolled back): {sweep['seconds']} s in "
            f"{sweep['sweeps']} sweeps, {sweep['total_claims']} claims ({claims}); next sweep claimed "
            f"{sweep['claimed_by_next_sweep']}, duplicate keys {sum(sweep['duplicate_keys'].values())}, "
            f"failed rows {sweep['failed_rows']} — target ≤ {sweep['target_s']} s and each due reminder once "
            f"{mark(sweep['ok'])}"]


def _import_rows(imp: dict) -> list[str]:
    aon = imp["all_or_nothing"]
    return [f"**Import** of {imp['rows']:,} enterprises (.csv, rolled back): {imp['seconds']} s, "
            f"{imp['rows_per_second']:,} rows/s, {imp['written']:,} written — "
            f"target ≥ {imp['target_rows_per_second']:,} rows/s {mark(imp['ok'])}; "
            f"with one bad last row: {aon['problems']} problem(s), enterprises unchanged {mark(aon['ok'])}"]


def _export_rows(export: dict) -> list[str]:
    rows = ["| export (as ministry) | status | rows | MB | first byte s | total s | worker peak RSS MB "
            "| its growth MB | |", "|---|--:|--:|--:|--:|--:|--:|--:|:-:|"]
    for fmt, e in export.items():
        if isinstance(e, dict) and "status" in e:
            rows.append(f"| {fmt} | {e['status']} | {e.get('rows', '–')} | {e['mb']} | {e['ttfb_s']} | "
                        f"{e['seconds']} | {e['worker_peak_rss_mb']} | {e['worker_growth_mb']} | {mark(e.get('ok'))} |")
    return rows


def _mixed_rows(mixed: dict) -> list[str]:
    if "kinds" not in mixed:
        return [f"**Mixed load**: not run — {mixed.get('error', '')} {mark(False)}"]
    rows = [f"**Mixed load** ({mixed['duration_s']:.0f} s, {mixed['connections']} connections): "
            f"{mixed['requests']:,} requests, {mixed['rps']} req/s, p95 {mixed['p95_ms']} ms, "
            f"socket errors {mixed['socket_errors']}, unexpected statuses {mixed['unexpected']}, "
            f"comments answered {mixed['comments']['answered']} and written {mixed['comments']['written']} "
            f"{mark(mixed['ok'])}", "",
            "| kind | weight | sent | req/s | statuses |", "|---|--:|--:|--:|---|"]
    for kind, k in mixed["kinds"].items():
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(k["statuses"].items()))
        rows.append(f"| {kind} | {k['weight']} | {k['sent']} | {k['rps']} | {statuses} |")
    return rows


def _crawl_page_row(role: str, page: dict, floor_ms: float | None) -> str:
    times = (page.get("p50_ms"), page.get("p95_ms"), page.get("max_ms"))
    multiple = f"{page['p50_ms'] / floor_ms:.0f}×" if floor_ms and page.get("p50_ms") else "–"
    kb = f"{page['bytes'] / 1024:.0f}" if page.get("bytes") is not None else "–"
    status = str(page["status"]) + (" (cold only)" if page.get("cold_only") else "")
    return (f"| {role} | {page['url_name']} | `{page['url']}` | {page.get('depth', '–')} | {status} | "
            + " | ".join("–" if t is None else str(t) for t in times)
            + f" | {multiple} | {page.get('queries', '–')} | {kb} | {mark(page.get('ok'))} |")


CRAWL_HEADER = ["| role | page | url | depth | status | p50 ms | p95 ms | max ms | p50 ÷ floor | queries | KB | |",
                "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|"]


def _crawl_rows(crawl: dict) -> list[str]:
    s, t, floor = crawl["settings"], crawl["targets"], crawl["floor"]
    pages = [(role, page) for role, walked in crawl["roles"].items() for page in walked["pages"]]
    missed = [(role, page) for role, page in pages if page["ok"] is False]
    floor_ms = floor.get("p50_ms")
    rows = [f"**Crawl**: every page each role reaches from its 工作台, {s['depth']} clicks deep, at most "
            f"{s['per_pattern']} URLs per (page, query keys); in process with the test client, {s['repeat']} warm "
            f"requests after one cold; target p95 ≤ {t['p95_ms']} ms and none over {t['max_ms']} ms, status 200. "
            f"{len(crawl['roles'])} roles, {len(pages)} pages, {len(missed)} missed.",
            f"The floor, the login page (anonymous): p50 {floor.get('p50_ms', '–')} ms, "
            f"p95 {floor.get('p95_ms', '–')} ms, {floor.get('queries', '–')} queries, status {floor['status']}.", "",
            "| role | 工作台 p95 ms | pages | met | missed | errors (5xx) | refused or broken (4xx) | slowest p95 ms "
            "| crawl s |", "|---|--:|--:|--:|--:|--:|--:|---|--:|"]
    for role, walked in crawl["roles"].items():
        own = walked["pages"]
        timed = [p for p in own if p.get("p95_ms") is not None]
        slowest = max(timed, key=lambda p: p["p95_ms"], default=None)
        home = next((p for p in own if p["url"] == "/"), {})
        rows.append(f"| {role} | {home.get('p95_ms', home.get('status', '–'))} {mark(home.get('ok'))} | {len(own)} | "
                    f"{sum(1 for p in own if p['ok'])} | "
                    f"{sum(1 for p in own if p['ok'] is False)} | {sum(1 for p in own if p['status'] >= 500)} | "
                    f"{sum(1 for p in own if 400 <= p['status'] < 500)} | "
                    + (f"{slowest['p95_ms']} `{slowest['url']}`" if slowest else "–") + f" | {walked['seconds']} |")
    errors = [(role, p) for role, p in pages if p["status"] >= 500]
    if errors:
        rows += ["", "**Pages answering 5xx (bugs)**", ""]
        rows += [f"- ✗ {role}: `{p['url']}` ({p['url_name']}) answered {p['status']} in {p['cold_ms']} ms, "
                 f"linked from `{p['found_on'] or '–'}`" + (f": {p['error']}" if p.get("error") else "")
                 for role, p in errors]
    refused = [(role, p) for role, p in pages if 400 <= p["status"] < 500
               or (300 <= p["status"] < 400 and p["ok"] is False)]
    if refused:
        rows += ["", "**Links to pages their user cannot open (bugs)**", ""]
        rows += [f"- ✗ {role}: `{p['url']}` ({p['url_name']}) answered {p['status']}"
                 + (f" → `{p['location']}`" if p.get("location") else "") + f", linked from `{p['found_on']}`"
                 for role, p in refused]
    writes = [(role, p) for role, p in pages if p.get("writes")]
    if writes:
        rows += ["", "**GETs that wrote to the database** (a link must not change state)", ""]
        rows += [f"- {role}: `{p['url']}`: {'; '.join(p['writes'])}" for role, p in writes]
    timed = sorted(((role, p) for role, p in pages if p.get("p95_ms") is not None), key=lambda rp: -rp[1]["p95_ms"])
    rows += ["", "Slowest pages:", "", *CRAWL_HEADER, *(_crawl_page_row(r, p, floor_ms) for r, p in timed[:20])]
    downloads: dict[str, tuple[str, list[str]]] = {}  # url_name → (its first URL, the roles linked to it)
    for role, walked in crawl["roles"].items():
        for name, found in walked["downloads"].items():
            downloads.setdefault(name, (found["url"], []))[1].append(role)
    if downloads:
        rows += ["", "Downloads linked, not timed: " + "; ".join(
            f"{name} (`{url}`) for {', '.join(who)}" for name, (url, who) in sorted(downloads.items()))]
    rows += ["", "<details><summary>Every crawled page</summary>", "", *CRAWL_HEADER,
             *(_crawl_page_row(r, p, floor_ms) for r, p in pages), "", "</details>"]
    return rows


def _scaling_rows(results: dict) -> list[str]:
    second = results["second_workers"]
    first = {e["key"]: e.get("load") or {} for e in results.get("endpoints", [])}
    n, m = results["settings"]["workers"], second["workers"]
    rows = [f"| endpoint | req/s at {n} workers | p95 ms | req/s at {m} workers | p95 ms |",
            "|---|--:|--:|--:|--:|"]
    for key, load in second["endpoints"].items():
        rows.append(f"| {key} | {first.get(key, {}).get('rps', '–')} | {first.get(key, {}).get('p95_ms', '–')} | "
                    f"{load['rps']} | {load['p95_ms']} |")
    return rows


def markdown(results: dict) -> str:
    s, m = results["settings"], results["machine"]
    lines = [f"# chainwork bench — {results['scale']}", "",
             f"{results['date']}, commit {results['git']}; {m['nproc']} × {m['cpu']}, {m['memory_gb']} GB, "
             f"PostgreSQL {m['postgresql']}, Python {m['python']}; load average at start "
             f"{', '.join(map(str, m['load_average_at_start']))}.",
             f"gunicorn {s['workers']} sync workers; wrk {s['wrk']}; warm-up {s['warmup_s']} s; "
             f"API_USER_RATE={s['api_user_rate']} (raised for the bench: the default 3000/min would answer 429).",
             ""]
    if results.get("endpoints"):
        lines += [*_endpoint_rows(results), ""]
    if results.get("crawl"):
        lines += [*_crawl_rows(results["crawl"]), ""]
    for key, render in (("sweep", _sweep_rows), ("import", _import_rows)):
        if results.get(key):
            lines += [*render(results[key]), ""]
    if results.get("export"):
        lines += [*_export_rows(results["export"]), ""]
    if results.get("mixed"):
        lines += [*_mixed_rows(results["mixed"]), ""]
    if results.get("second_workers"):
        lines += ["**Scaling**", "", *_scaling_rows(results), ""]
    if results.get("peer"):
        lines += [*peer_rows(results["peer"], _floor_load(results)), ""]
    if results.get("max_worker_rss_mb"):
        lines.append(f"Largest gunicorn worker over the run: {results['max_worker_rss_mb']} MB RSS.")
    seed = results.get("seed")
    if seed:
        when = "this run" if seed.get("measured_now") else f"an earlier run, {seed.get('date', '')}"
        lines.append(f"Seeding `{results['scale']}`: {seed['seconds']} s, peak RSS {seed['peak_rss_mb']} MB "
                     f"(measured in {when}).")
    else:
        lines.append("Seeding: not measured (the data was loaded before any recorded run).")
    lines += ["", summary(results)]
    return "\n".join(lines) + "\n"


def failures(results: dict) -> list[str]:
    failed = [f"{e['key']} (p95 {e['load']['p95_ms']} ms, errors {e['load']['error_count']})"
              if e["load"]["requests"] else f"{e['key']} (no request answered in the run)"
              for e in results.get("endpoints", []) if e.get("ok") is False]
    for role, walked in (results.get("crawl") or {}).get("roles", {}).items():
        for page in walked["pages"]:
            if page["ok"] is False:
                failed.append(f"crawl {role} {page['url']} " + (
                    f"(p95 {page['p95_ms']} ms, max {page['max_ms']} ms)" if page["status"] == 200
                    else f"(status {page['status']})"))
    floor = (results.get("crawl") or {}).get("floor")
    if floor and floor["ok"] is False:
        failed.append(f"crawl login page (status {floor['status']}, p95 {floor.get('p95_ms')} ms)")
    if "error" in (results.get("peer") or {}):
        failed.append("peer (failed to run)")
    for key in ("sweep", "import", "mixed"):
        if results.get(key) and results[key].get("ok") is False:
            failed.append(key)
    for fmt, e in (results.get("export") or {}).items():
        if isinstance(e, dict) and e.get("ok") is False:
            failed.append(f"export {fmt}")
    return failed


def summary(results: dict) -> str:
    failed = failures(results)
    return f"**Targets missed: {', '.join(failed)}**" if failed else "**Every target met.**"


def write(results: dict, name: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    md, js = RESULTS / f"{name}.md", RESULTS / f"{name}.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return md, js
