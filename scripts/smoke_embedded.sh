#!/usr/bin/env bash
# Start the embedded PostgreSQL in a fresh var/, migrate, answer /healthz, stop. Used by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
var_dir="$(mktemp -d /tmp/chainwork-smoke.XXXXXX)"
export CHAINWORK_VAR_DIR="$var_dir" CHAINWORK_EMBEDDED_PG_PORT=54339 DJANGO_SETTINGS_MODULE=chainwork.settings
unset DATABASE_URL REDIS_URL
port=8765
cleanup() {
  [ -n "${web:-}" ] && kill "$web" 2>/dev/null || true
  $PY -m chainwork.embedded stop >/dev/null 2>&1 || true
  rm -rf "$var_dir"
}
trap cleanup EXIT
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn chainwork.wsgi --bind "127.0.0.1:$port" --workers 1 --log-level warning &
web=$!
for _ in $(seq 30); do
  if curl -fsS "http://127.0.0.1:$port/healthz" -o "$var_dir/health.json" 2>/dev/null; then break; fi
  sleep 1
done
cat "$var_dir/health.json"; echo
grep -q '"status": "ok"' "$var_dir/health.json"
echo "smoke: embedded default OK"
