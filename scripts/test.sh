#!/usr/bin/env bash
# Set up, lint (ruff), type-check (mypy), and run the whole test suite: on SQLite, then on a throwaway
# PostgreSQL cluster.
# Usage: scripts/test.sh [pytest args...]
# PostgreSQL is started from initdb/pg_ctl on PATH (or /usr/lib/postgresql/*/bin). Without them the
# PostgreSQL run is skipped with a notice, unless CI=true or INFOCOACH_REQUIRE_POSTGRES=1, where it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

echo "== Lint and types"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy

echo "== Test suite on SQLite"
.venv/bin/python -m pytest "$@"

echo "== Test suite on PostgreSQL"
pg_url=$(scripts/pg-throwaway.sh start) || {
  if [ "${CI:-}" = "true" ] || [ "${INFOCOACH_REQUIRE_POSTGRES:-}" = "1" ]; then
    echo "PostgreSQL could not be started" >&2; exit 1
  fi
  echo "PostgreSQL is not available here; skipped the PostgreSQL run." >&2; exit 0
}
trap 'scripts/pg-throwaway.sh stop' EXIT
INFOCOACH_TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest "$@"
