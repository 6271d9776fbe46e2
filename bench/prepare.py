"""Everything before the measurements: the environment, the bench database and its data, static files.

The bench has its own database per scale (BENCH_DATABASE_URL), created when missing and loaded once:
seeding w1 takes minutes, so a later run reuses the data and the timing of the seed that loaded it.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PYTHON = REPO / ".venv" / "bin" / "python"

# Raised far above the default 3000/min so the per-user API throttle does not turn the load into 429s.
API_USER_RATE = "1000000/min"
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 (a fixed key for the bench)


def bench_env(scale: str) -> dict[str, str]:
    """The variables the app reads (chainwork/settings.py), for this process and for its children."""
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL",
                                       f"postgres://postgres@127.0.0.1:5432/chainwork_bench_{scale}"),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4"),
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",  # testserver: django.test.Client
        "API_USER_RATE": API_USER_RATE,
        "CHAINWORK_PRODUCTION": "0",  # on, it would redirect every plain-http request to https
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "chainwork.settings",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def ensure_database(url: str) -> bool:
    """Create the database when missing (connected to the server's `postgres` database). True if created."""
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=REPO, env=env, check=True)


def seed(env: dict[str, str], scale: str) -> dict:
    """`seed_demo --scale` as a child process: its wall time and peak RSS (ru_maxrss from wait4)."""
    started = time.monotonic()
    process = subprocess.Popen([str(PYTHON), "manage.py", "seed_demo", "--scale", scale, "--no-progress"],
                               cwd=REPO, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode:
        raise SystemExit(f"seed_demo --scale {scale} failed with exit code {process.returncode}")
    result = {"scale": scale, "seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
              "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "measured_now": True}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"seed-{scale}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def last_seed(scale: str) -> dict | None:
    """The timing recorded when this scale was seeded, if a run of this checkout did it."""
    path = RESULTS / f"seed-{scale}.json"
    if not path.exists():
        return None
    return {**json.loads(path.read_text()), "measured_now": False}


def machine() -> dict:
    """What the numbers were measured on: they mean little without it."""
    from django.db import connection

    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gb": round(memory_kb / 1024 / 1024, 1),
            "postgresql": postgres, "python": platform.python_version(), "kernel": platform.release(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def git_commit() -> str:
    """HEAD, with "+dirty" when the tree has changes: then the numbers are of the tree, not of HEAD."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
