"""The container deployment files: docker-compose.yml and the Dockerfile (no database, no Docker)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text()


def test_compose_file_validates_against_the_compose_spec():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_has_every_service(services):
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_migrations(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_runs_once_and_is_not_restarted(services):
    assert services["migrate"]["restart"] == "no"


def test_beat_runs_exactly_once(services):
    replicas = services["beat"].get("deploy", {}).get("replicas", 1)
    assert replicas <= 1


def test_dockerfile_copies_vendor_assets_from_the_node_stage(dockerfile):
    assert re.search(r"^FROM node:\S+ AS assets$", dockerfile, re.MULTILINE | re.IGNORECASE)
    assert re.search(r"^COPY --from=assets \S*static/vendor \S*static/vendor", dockerfile, re.MULTILINE)


def test_dockerfile_collects_static_files_at_build_time(dockerfile):
    assert "manage.py collectstatic --noinput" in dockerfile
