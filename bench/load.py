"""Load on the running server: wrk per endpoint, the mixed load, and the streamed export.

wrk reports through the Lua scripts beside this file, which print one line `BENCH_JSON {...}` at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WRK = "wrk"
WRK_CONNECTIONS = 8  # per endpoint: -c8, two threads


def wrk(url: str, *, seconds: float, script: str = "report.lua", threads: int = 2,
        connections: int = WRK_CONNECTIONS,
        headers: dict[str, str] | None = None, env: dict[str, str] | None = None) -> dict:
    """One wrk run; its JSON line parsed. A timeout of 10 s per request: slower counts as an error."""
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "10s", "-s", str(BENCH / script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk printed no result (exit {done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")


def warm_and_measure(base: str, path: str, headers: dict[str, str], workers: int, durations: dict) -> dict:
    """Warm-up, then the measured run (chainwork's endpoints, its login page and the peer's pages alike).
    The warm-up goes on until every worker has likely served the page twice. Requests still running when a
    wrk run ends are abandoned but still served: the server is drained after each warm-up round and after
    the measured run, or they queue ahead of the measured requests (on a busy machine, a slow page's
    warm-up left enough of them to leave the next run with no answer at all)."""
    url = base + path
    warmed, drained_s = 0, 0.0
    for _round in range(6):
        warmed += wrk(url, seconds=durations["warmup"], headers=headers)["requests"]
        drained_s += drain(base)
        warmed += WRK_CONNECTIONS  # the requests wrk left in flight, which the drain saw served
        if warmed >= 2 * workers:
            break
    result = wrk(url, seconds=durations["measure"], headers=headers)
    result["warmup_requests"] = warmed
    result["error_count"] = socket_errors(result) + result["errors"]["status"]
    result["drained_s"] = round(drained_s + drain(base), 1)
    return result


def drain(base: str, timeout: float = 300) -> float:
    """Seconds until /healthz answers: it waits in the listen queue behind every request left there, so by
    its answer the server has taken up all of them (a sync worker takes one connection at a time)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=timeout) as response:  # noqa: S310 (127.0.0.1)
            response.read()
    except (OSError, http.client.HTTPException):
        pass  # the measurement that follows tells
    return time.monotonic() - started


def prime(base: str, pages: list[tuple[str, str, dict[str, str]]], workers: int) -> dict[str, list[str]]:
    """Every worker serves every page once before any measurement: a worker's first request of a page
    loads its code, templates and translations (a second or more on a busy machine). As many requests
    at once as there are workers, so each worker takes one. `pages` are (key, path, headers); returns the
    keys whose statuses were not all 200, with those statuses."""
    def get(page) -> str:
        _key, path, headers = page
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 (http://127.0.0.1:<port>)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                return str(response.status)
        except urllib.error.HTTPError as error:
            return str(error.code)

    wrong = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for page in pages:
            statuses = list(pool.map(get, [page] * workers))
            if set(statuses) != {"200"}:
                wrong[page[0]] = statuses
    return wrong


def socket_errors(result: dict) -> int:
    errors = result["errors"]
    return errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]


@dataclass
class Request:
    """One kind of request of the mixed load."""

    kind: str
    weight: int
    method: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    expect: tuple[int, ...] = (200,)


def csrf_pair() -> tuple[str, str]:
    """A CSRF cookie and the same secret in the header: Django compares the two (32 characters, unmasked).
    Over plain http it checks no Referer; one is sent anyway, as a browser would."""
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return f"csrftoken={token}", token


def check_once(base: str, request: Request) -> str:
    """Make the request once (its first path): its status, and where a redirect leads (not followed) —
    a 302 to the login page is a failure that the status alone would hide."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    data = request.body.encode() if request.body is not None else None
    prepared = urllib.request.Request(base + request.paths[0], data=data,  # noqa: S310 (http://127.0.0.1)
                                      headers=request.headers, method=request.method)
    try:
        with opener.open(prepared, timeout=60) as response:
            return str(response.status)
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location")
        return f"{error.code} → {location}" if location else str(error.code)


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def lua_config(requests: list[Request]) -> str:
    """The mix as a Lua table for mixed.lua (wrk's Lua has no JSON reader)."""
    entries = []
    for r in requests:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in r.headers.items())
        paths = ", ".join(_lua_string(p) for p in r.paths)
        body = _lua_string(r.body) if r.body is not None else "nil"
        entries.append(f"  {{kind = {_lua_string(r.kind)}, weight = {r.weight}, method = {_lua_string(r.method)}, "
                       f"paths = {{{paths}}}, headers = {{{headers}}}, body = {body}}},")
    return "return {\n" + "\n".join(entries) + "\n}\n"


def mixed(base: str, requests: list[Request], *, seconds: float, connections: int = 16) -> dict:
    """The mix for `seconds` at `connections` (one per wrk thread, so each response is matched to the
    kind it answers); per kind the requests sent and the responses by status, and which were wrong."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="chainwork-mixed-", encoding="utf-8") as config:
        config.write(lua_config(requests))
        config.flush()
        result = wrk(base + "/", seconds=seconds, script="mixed.lua", threads=connections,
                     connections=connections, env={**os.environ, "BENCH_MIXED_CONFIG": config.name})
    kinds = {}
    for r in requests:
        sent = result["counts"].get(f"{r.kind} sent", 0)
        statuses = {key.split(" ", 1)[1]: n for key, n in result["counts"].items()
                    if key.startswith(r.kind + " ") and not key.endswith(" sent")}
        unexpected = sum(n for status, n in statuses.items() if int(status) not in r.expect)
        kinds[r.kind] = {"sent": sent, "statuses": statuses, "unexpected": unexpected,
                         "rps": round(sum(statuses.values()) / result["duration_s"], 1)}
    result["kinds"] = kinds
    result["unexpected"] = sum(k["unexpected"] for k in kinds.values())
    result["socket_errors"] = socket_errors(result)
    result["ok"] = result["unexpected"] == 0 and result["socket_errors"] == 0
    del result["counts"]
    return result


def stream_export(port: int, path: str, cookie: str, sampler) -> dict:
    """GET an export, reading the body into nothing: time to the first byte of the body, total time,
    bytes, rows (lines after the preamble) and the largest worker's RSS meanwhile. A broken download
    (the worker killed at gunicorn's timeout) is a result too, not the end of the bench."""
    started = time.perf_counter()
    try:
        return _stream_export(port, path, cookie, sampler)
    except (OSError, http.client.HTTPException) as error:
        return {"status": None, "error": repr(error), "seconds": round(time.perf_counter() - started, 2),
                "ttfb_s": None, "mb": 0, "worker_peak_rss_mb": round(sampler.window_peak_mb, 1),
                "worker_growth_mb": round(sampler.window_growth_mb, 1), "chunked": False}


def _stream_export(port: int, path: str, cookie: str, sampler) -> dict:
    sampler.window()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = connection.getresponse()
    first = response.read(1)
    ttfb = time.perf_counter() - started
    size, lines, head = len(first), first.count(b"\n"), bytearray(first)
    while chunk := response.read(65536):
        size += len(chunk)
        lines += chunk.count(b"\n")
        if len(head) < 4096:
            head += chunk[:4096]
    total = time.perf_counter() - started
    connection.close()
    sampler.sample()
    result = {"status": response.status, "ttfb_s": round(ttfb, 3), "seconds": round(total, 2),
              "mb": round(size / 1e6, 1), "worker_peak_rss_mb": round(sampler.window_peak_mb, 1),
              "worker_growth_mb": round(sampler.window_growth_mb, 1),
              "chunked": response.getheader("Transfer-Encoding") == "chunked"}
    if path.endswith("csv"):
        result["rows"] = lines - _preamble_lines(bytes(head))
    return result


def _preamble_lines(head: bytes) -> int:
    """The lines before the first data row, which the export numbers from 1 (chainwork/exports.py)."""
    for number, line in enumerate(head.decode("utf-8", "replace").splitlines()):
        if line.startswith("1,"):
            return number
    return 0
