"""The test run's environment, loaded as a plugin (`-p tests.environment` in pyproject.toml) so that it
is in place before pytest-django loads the settings.

The settings read the environment only; what the tests need differently is said here, each variable
unless the caller set it: figures counted afresh on every request, Django's plain static storage (no
collectstatic before a test run), a fast password hasher. Then the local defaults, as for manage.py:
without DATABASE_URL the embedded PostgreSQL under var/ (pytest-django creates test_<name> on it).
"""

import os

import pytest

TEST_ENVIRONMENT = {
    "DASHBOARD_CACHE_SECONDS": "0",
    "STATIC_MANIFEST": "false",
    "FAST_PASSWORD_HASHING": "true",
}


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    for name, value in TEST_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    from chainwork.embedded import ensure_environment

    ensure_environment()
