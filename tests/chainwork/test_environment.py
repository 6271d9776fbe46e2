"""The settings read the environment only; the entry points fill in the local defaults before them
(chainwork.embedded.ensure_environment)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from chainwork import embedded

ROOT = Path(__file__).resolve().parent.parent.parent
LOAD_SETTINGS = "import django; django.setup(); from django.conf import settings; settings.DATABASES"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    """Django set up in a fresh process, without DATABASE_URL unless given, on a var/ and port of its own."""
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "SECRET_KEY", "CHAINWORK_PRODUCTION")}
    environment.update({"DJANGO_SETTINGS_MODULE": "chainwork.settings", "CHAINWORK_VAR_DIR": str(tmp_path),
                        "CHAINWORK_EMBEDDED_PG_PORT": str(port), "SECRET_KEY": "test-only", **env})
    result = subprocess.run([sys.executable, "-c", LOAD_SETTINGS], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60)
    result.port = port
    return result


def test_settings_without_database_url_refuse_to_load_and_say_why(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL is not set" in result.stderr


def test_loading_the_settings_starts_no_database(tmp_path):
    result = load_settings(tmp_path)
    assert not embedded._accepting(result.port)
    assert not (tmp_path / "pgdata").exists()


def test_settings_with_a_database_url_load_without_touching_it(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing")
    assert result.returncode == 0, result.stderr


def test_settings_without_a_secret_key_refuse_to_load(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing", SECRET_KEY="")
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_the_fast_password_hasher_is_refused_in_production_mode(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
                           CHAINWORK_PRODUCTION="true", FAST_PASSWORD_HASHING="true")
    assert "FAST_PASSWORD_HASHING is for the tests" in result.stderr


@pytest.fixture
def local(tmp_path, monkeypatch):
    """An empty environment for the local defaults, on a var/ of its own; starting the embedded server is
    recorded, not done (scripts/smoke_embedded.sh starts a real one in CI)."""
    started = []

    def ensure_running(var_dir):
        started.append(var_dir)
        return embedded.database_url()

    for name in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "CHAINWORK_PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHAINWORK_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(embedded, "ensure_running", ensure_running)
    return started


def test_the_bootstrap_sets_database_url_to_the_embedded_server(local):
    embedded.ensure_environment()
    assert os.environ["DATABASE_URL"] == embedded.database_url()


def test_the_bootstrap_starts_the_embedded_server_under_var(local, tmp_path):
    embedded.ensure_environment()
    assert local == [tmp_path.resolve()]


def test_the_bootstrap_leaves_a_set_database_url_alone(local, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere/chainwork")
    embedded.ensure_environment()
    assert local == []
    assert os.environ["DATABASE_URL"] == "postgres://elsewhere/chainwork"


def test_the_bootstrap_keeps_one_generated_secret_key(local, tmp_path, monkeypatch):
    embedded.ensure_environment()
    first = os.environ["SECRET_KEY"]
    monkeypatch.delenv("SECRET_KEY")
    embedded.ensure_environment()
    assert os.environ["SECRET_KEY"] == first == (tmp_path / "secret_key").read_text()


def test_the_bootstrap_generates_no_secret_key_in_production_mode(local, monkeypatch):
    monkeypatch.setenv("CHAINWORK_PRODUCTION", "true")
    embedded.ensure_environment()
    assert "SECRET_KEY" not in os.environ


def test_the_bootstrap_makes_the_filesystem_brokers_folders(local, tmp_path):
    embedded.ensure_environment()
    assert (tmp_path / "broker" / "queue").is_dir()
