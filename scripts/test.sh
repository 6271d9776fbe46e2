#!/usr/bin/env bash
# `make test`: the whole suite on DATABASE_URL / REDIS_URL when set, else on the embedded default
# (started by the test run's plugin, tests/environment.py).
set -uo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=chainwork.settings
if [ ! -x /usr/bin/chromium ]; then
  echo "!!!!!! /usr/bin/chromium is missing: the browser tests (tests/e2e) cannot run here." \
       "Install it with 'apt-get install chromium fonts-wqy-microhei'. !!!!!!"
fi
echo "Database: ${DATABASE_URL:-embedded PostgreSQL under var/}; broker: ${REDIS_URL:-filesystem under var/}"
if [ "$#" -gt 0 ]; then
  .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@"
  status=$?
else
  # Two processes on the two cores (the permission matrix alone is thousands of requests), then the
  # browser journeys on their own: a browser beside two busy test processes times out at random.
  .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --ignore=tests/e2e
  status=$?
  .venv/bin/pytest tests/e2e
  e2e=$?
  [ "$status" = 0 ] && status=$e2e
fi
if [ "$status" = 5 ]; then
  echo "pytest collected no tests" >&2
fi
exit $status
