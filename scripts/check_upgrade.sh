#!/usr/bin/env bash
# Loads `seed_demo --scale small` with the code of an earlier commit (default: the one before the app
# layout moved), migrates that database with this checkout, and compares every table's row count and
# the history tables before and after. Usage: scripts/check_upgrade.sh [COMMIT]
# Needs a PostgreSQL server (PGHOST etc. or DATABASE_URL's server); uses a database of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
commit="${1:-56c95a5}"
server="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
server="${server%/*}"
db="chainwork_upgrade_check"
old="$(mktemp -d)/old"
git worktree add -q --detach "$old" "$commit"
trap 'git worktree remove --force "$old"' EXIT
ln -s "$PWD/.venv" "$old/.venv"
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL="$server/$db" CHAINWORK_VAR_DIR="$old/var"
(cd "$old" && .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py seed_demo --scale small --no-progress >/dev/null)
count_rows() {
  psql "$DATABASE_URL" -tAc "SELECT string_agg(format('%s %s', table_name,
      (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text), E'\n' ORDER BY table_name)
    FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
}
count_rows > "$old/../before.txt"
.venv/bin/python manage.py migrate -v0
count_rows > "$old/../after.txt"
echo "tables whose row count changed (before → after):"
join -a1 -a2 -e '-' -o 0,1.2,2.2 "$old/../before.txt" "$old/../after.txt" | awk '$2 != $3 {print "  " $1 ": " $2 " → " $3}'
echo "reminder claims: $(grep '^enterprises_reminder ' "$old/../before.txt" | cut -d' ' -f2) old rows, $(grep '^chainwork_reminder ' "$old/../after.txt" | cut -d' ' -f2) new rows"
psql "$server/postgres" -qc "DROP DATABASE $db"
