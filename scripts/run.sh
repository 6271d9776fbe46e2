#!/usr/bin/env bash
# `make run`: migrate, seed the demo data, then web (gunicorn), Celery worker and beat on one terminal.
# Ctrl-C stops everything this script started, the embedded PostgreSQL included.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=chainwork.settings
export DEBUG="${DEBUG:-false}"
# Plain http://127.0.0.1: secure cookies would never be sent back (stack.md pitfall 10).
export SECURE_COOKIES="${SECURE_COOKIES:-false}"

started_db=0
if [ -z "${DATABASE_URL:-}" ]; then
  if ! $PY -m chainwork.embedded status >/dev/null; then
    started_db=1
  fi
  echo "Database: embedded PostgreSQL under var/ (set DATABASE_URL to use another)"
  # Started once here; every process below reads its address from the environment.
  DATABASE_URL="$($PY -m chainwork.embedded start)"
  export DATABASE_URL
else
  echo "Database: DATABASE_URL"
fi
if [ -z "${REDIS_URL:-}" ]; then
  echo "Broker: filesystem transport under var/broker (set REDIS_URL to use Redis)"
fi

pids=()
cleanup() {
  # make forwards a second SIGINT to this script: ignore it so the cleanup runs to its end.
  trap '' INT TERM
  trap - EXIT
  echo
  echo "Stopping chainwork..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$started_db" = 1 ]; then $PY -m chainwork.embedded stop >/dev/null || true; fi
}
trap cleanup INT TERM EXIT

$PY manage.py migrate --noinput
$PY manage.py seed_demo
$PY manage.py collectstatic --noinput -v 0

.venv/bin/gunicorn chainwork.wsgi --bind 127.0.0.1:8000 --workers "${WEB_CONCURRENCY:-2}" \
  --timeout 120 --access-logfile - --log-level warning &
pids+=($!)
.venv/bin/celery -A chainwork worker --loglevel=warning --concurrency=1 &
pids+=($!)
.venv/bin/celery -A chainwork beat --loglevel=warning &
pids+=($!)

sleep 2
echo
$PY manage.py demo_logins
echo "Press Ctrl-C to stop."
wait -n "${pids[@]}"
