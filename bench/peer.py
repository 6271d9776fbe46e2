"""The peer: django-helpdesk 2.6.1's ticket page and ticket list, on this machine's PostgreSQL, under the
same gunicorn and wrk as chainwork's endpoints (issue #24: chainwork's pages read against a known Django
tracker, and both against the login page, the floor).

    .venv/bin/python bench/peer.py --scale w1|small [--workers N] [--duration S] [--tickets N] [--prepare-only]

It is also the `peer` step of bench/run.py. In order:
1. var/peer-helpdesk/venv (python3.11 -m venv), with bench/peer/requirements.txt (pinned) installed; built
   again only when the requirements change. No network (pip fails): the step is skipped, with the reason.
2. Its database, PEER_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/peer_helpdesk, or
   peer_helpdesk_small at small), created when missing, migrated and loaded once by bench/peer/seed.py
   in the peer's venv: 300,000 tickets at w1 (15,000 at small) with 5.5 follow-ups each on average. The
   seed's time is kept in var/peer-helpdesk/seed-<database>.json and reported by later runs.
3. gunicorn from the peer's venv (bench/peer/peer_site, the same sync workers and timeout as chainwork's),
   every worker primed, then per page a wrk warm-up and `wrk -t2 -c8 --latency` as a staff user with a
   logged-in session: the ticket with the most follow-ups; the ticket list, which is a shell whose rows
   DataTables asks for in a second request (server-side paging: its first page of 50, the default query);
   that request; and helpdesk's own login page, anonymous.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a script

from bench import load, prepare  # noqa: E402
from bench.server import Gunicorn  # noqa: E402

HERE = REPO / "bench" / "peer"
REQUIREMENTS = HERE / "requirements.txt"
HOME = REPO / "var" / "peer-helpdesk"
VENV = HOME / "venv"
TICKETS = {"w1": 300_000, "small": 15_000}
DATABASES = {"w1": "peer_helpdesk", "small": "peer_helpdesk_small"}
PIP_TIMEOUT_S = 900


class Skipped(Exception):
    """The peer cannot be run here (no network to build its venv, no python3.11): a reason, not a failure."""


def _log(message: str) -> None:
    print(f"[peer] {message}", file=sys.stderr, flush=True)


def database_url(scale: str) -> str:
    return os.environ.get("PEER_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DATABASES[scale]}")


def python() -> Path:
    return VENV / "bin" / "python"


def requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def ensure_venv(log=_log) -> None:
    """The peer's own virtualenv with its pinned requirements; the project's .venv is never touched."""
    stamp = VENV / ".installed"
    if python().exists() and stamp.exists() and stamp.read_text().strip() == requirements_digest():
        return
    interpreter = shutil.which("python3.11")
    if not interpreter:
        raise Skipped("python3.11 is not on PATH (the peer's venv is built with it)")
    log(f"building {os.path.relpath(VENV, REPO)} ({os.path.relpath(REQUIREMENTS, REPO)}) ...")
    HOME.mkdir(parents=True, exist_ok=True)
    if not python().exists():
        subprocess.run([interpreter, "-m", "venv", str(VENV)], check=True)
    command = [str(python()), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--timeout", "30",
               "--retries", "1", "-r", str(REQUIREMENTS)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise Skipped(f"pip install of the peer's requirements took over {PIP_TIMEOUT_S} s") from error
    if done.returncode:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        raise Skipped(f"its venv could not be built (pip exit {done.returncode}: "
                      f"{lines[-1] if lines else 'no output'})")
    stamp.write_text(requirements_digest() + "\n")


def parse_output(stdout: str) -> dict:
    """The one `PEER_JSON {...}` line seed.py prints."""
    for line in stdout.splitlines():
        if line.startswith("PEER_JSON "):
            return json.loads(line.removeprefix("PEER_JSON "))
    raise RuntimeError(f"bench/peer/seed.py printed no result: {stdout[-500:]}")


def peer_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PEER_DATABASE_URL=url, DJANGO_SETTINGS_MODULE="peer_site.settings", PYTHONUNBUFFERED="1")
    return env


def seed_record_path(url: str) -> Path:
    return HOME / f"seed-{urlparse(url).path.lstrip('/')}.json"


def prepare_peer(scale: str, tickets: int | None = None, log=_log) -> dict:
    """Venv, database and data; what seed.py reports, with the seed's timing (now or recorded)."""
    ensure_venv(log)
    url = database_url(scale)
    if prepare.ensure_database(url):
        log(f"created {url}")
    tickets = tickets or TICKETS[scale]
    log(f"migrating and, when not loaded yet, seeding {tickets:,} tickets into {url} ...")
    started = time.monotonic()
    done = subprocess.run([str(python()), str(HERE / "seed.py"), "--tickets", str(tickets)], cwd=HERE,
                          env=peer_env(url), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"bench/peer/seed.py failed (exit {done.returncode}): {done.stderr[-2000:]}")
    info = parse_output(done.stdout)
    record = seed_record_path(url)
    seed = info["seed"]
    if seed["seeded_now"]:
        seed.update(date=time.strftime("%Y-%m-%d %H:%M:%S %z"), with_migrate_s=round(time.monotonic() - started, 1))
        record.write_text(json.dumps(seed, indent=2) + "\n")
        log(f"seeded {seed['tickets']:,} tickets and {seed['followups']:,} follow-ups in {seed['seconds']} s")
    elif record.exists():
        info["seed"] = {**json.loads(record.read_text()), **seed, "seeded_now": False}
        log(f"{seed['tickets']:,} tickets already loaded: reusing them")
    info["database"] = url
    return info


def pages(info: dict) -> list[dict]:
    """The peer's rows, in the shape of run.py's endpoint records."""
    staff = {"Cookie": f"sessionid={info['session']}"}
    ticket = info["ticket"]
    return [
        {"key": "peer_ticket", "label": f"helpdesk 工单页（{ticket['followups']} 条跟进）", "user": info["user"],
         "path": ticket["path"], "headers": staff},
        {"key": "peer_list", "label": "helpdesk 工单列表（页面外壳）", "user": info["user"],
         "path": info["list_path"], "headers": staff},
        {"key": "peer_list_rows", "label": f"helpdesk 工单列表的行（DataTables，{info['rows']} 行）",
         "user": info["user"], "path": info["rows_path"], "headers": staff},
        {"key": "peer_floor", "label": "helpdesk 登录页（匿名）", "user": "anonymous", "path": info["login_path"],
         "headers": {}},
    ]


def measure(info: dict, workers: int, durations: dict, log=_log) -> tuple[list[dict], float]:
    """gunicorn from the peer's venv, primed; each page warmed and measured. The rows, and the largest
    worker's RSS over the run."""
    env = peer_env(info["database"])
    rows = pages(info)
    with Gunicorn(env, workers, gunicorn=VENV / "bin" / "gunicorn", app="peer_site.wsgi", cwd=HERE) as server:
        log(f"peer gunicorn on {server.base}, {workers} workers")
        wrong = load.prime(server.base, [(r["key"], r["path"], r["headers"]) for r in rows], workers)
        for key, statuses in wrong.items():
            log(f"priming {key}: statuses {statuses}")
        for row in rows:
            log(f"wrk {row['key']} ...")
            row["load"] = load.warm_and_measure(server.base, row["path"], row["headers"], workers, durations)
        server.sampler.sample()
        peak = round(server.sampler.peak_mb, 1)
    for row in rows:
        del row["headers"]  # the session is no part of the record
    return rows, peak


def versions() -> dict:
    done = subprocess.run([str(python()), "-c", "import django, helpdesk, importlib.metadata as m; "
                           "print(django.get_version(), m.version('django-helpdesk'), m.version('gunicorn'))"],
                          capture_output=True, text=True, check=True)
    django, helpdesk, gunicorn = done.stdout.split()
    return {"django": django, "django_helpdesk": helpdesk, "gunicorn": gunicorn}


def run(scale: str, workers: int, durations: dict, *, tickets: int | None = None, log=_log) -> dict:
    """The `peer` step: its record for results["peer"]; {"skipped": reason} when it cannot run here,
    {"error": …} when it broke."""
    try:
        info = prepare_peer(scale, tickets, log)
        rows, peak = measure(info, workers, durations, log)
    except Skipped as reason:
        log(f"peer skipped: {reason}")
        return {"skipped": str(reason)}
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        # A peer that was built but broke (its seed, its server) is a failure of the step, recorded as
        # such: the rest of the run's record is still written.
        log(f"peer failed: {error}")
        return {"error": str(error)[-1000:]}
    return {"versions": versions(), "database": info["database"], "seed": info["seed"], "workers": workers,
            "ticket": info["ticket"], "open_tickets": info["open_tickets"], "rows_per_page": info["rows"],
            "endpoints": rows, "max_worker_rss_mb": peak,
            "measure_s": durations["measure"], "warmup_s": durations["warmup"]}


def main(argv: list[str] | None = None) -> int:
    from bench import output
    from bench.run import DURATIONS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "w1"], default="w1")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn workers (default 2 × cores, as run.py's pages)")
    parser.add_argument("--duration", type=float, help="seconds of measurement per page (default as run.py)")
    parser.add_argument("--tickets", type=int, help="tickets to load (default 300,000 at w1, 15,000 at small)")
    parser.add_argument("--prepare-only", action="store_true", help="build the venv and load the data, no wrk")
    args = parser.parse_args(argv)
    durations = dict(DURATIONS[args.scale])
    if args.duration:
        durations["measure"] = args.duration
    if args.prepare_only:
        try:
            info = prepare_peer(args.scale, args.tickets)
        except Skipped as reason:
            print(f"peer skipped: {reason}")
            return 0
        print(json.dumps({k: v for k, v in info.items() if k != "session"}, indent=2, ensure_ascii=False))
        return 0
    print("\n".join(output.peer_rows(run(args.scale, args.workers, durations, tickets=args.tickets), None)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
