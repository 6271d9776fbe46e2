import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.environment import TEST_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_check_deploy_is_clean_with_the_production_settings():
    # The test run's variables (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, tests/environment.py) belong
    # to tests only, never to a deployment.
    test_only = {"DJANGO_ALLOW_ASYNC_UNSAFE", *TEST_ENVIRONMENT}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env = {**env, "CHAINWORK_PRODUCTION": "true", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "chainwork.example.gov.cn", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"CHAINWORK_PRODUCTION": "true", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_pages_send_a_content_security_policy_without_inline_script(client, reference_data):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_pages_may_not_be_framed(client, reference_data):
    assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"


def test_pages_send_a_referrer_policy(client, reference_data):
    assert client.get("/accounts/login/")["Referrer-Policy"] == "same-origin"


def test_login_form_is_protected_against_csrf(reference_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
