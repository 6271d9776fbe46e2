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


def _endpoint_rows(results: dict) -> list[str]:
    rows = ["| endpoint | persona | queries | requests | req/s | p50 ms | p95 ms | p99 ms | errors | target p95 | |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|"]
    for e in results.get("endpoints", []):
        load = e.get("load") or {}
        rows.append(f"| {e['key']} ({e['label']}) | {e['user']} | {e.get('queries', '–')} | "
                    f"{load.get('requests', '–')} | {load.get('rps', '–')} | {load.get('p50_ms', '–')} | "
                    f"{load.get('p95_ms', '–')} | {load.get('p99_ms', '–')} | {load.get('error_count', '–')} | "
                    f"≤ {e['target_ms']} | {mark(e.get('ok'))} |")
    return rows


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
    for key, render in (("sweep", _sweep_rows), ("import", _import_rows)):
        if results.get(key):
            lines += [*render(results[key]), ""]
    if results.get("export"):
        lines += [*_export_rows(results["export"]), ""]
    if results.get("mixed"):
        lines += [*_mixed_rows(results["mixed"]), ""]
    if results.get("second_workers"):
        lines += ["**Scaling**", "", *_scaling_rows(results), ""]
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
