#!/usr/bin/env bash
# Set up, lint (ruff), type-check (mypy), and run the whole test suite on SQLite and, side by side, on a
# throwaway PostgreSQL cluster.
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

# The two runs go side by side (each is one Python process, and this machine has two cores), each
# into its own log, printed whole when both are done: the suite takes about as long as one run.
run() {  # run NAME [env...]: the suite, quietly into $logs/NAME.log; its exit code in $logs/NAME.rc
  local name=$1; shift
  (env "$@" .venv/bin/python -m pytest -p no:cacheprovider "${PYTEST_ARGS[@]}" >"$logs/$name.log" 2>&1;
   echo $? >"$logs/$name.rc") &
}
PYTEST_ARGS=("$@")

pg_url=$(scripts/pg-throwaway.sh start) || {
  if [ "${CI:-}" = "true" ] || [ "${INFOCOACH_REQUIRE_POSTGRES:-}" = "1" ]; then
    echo "PostgreSQL could not be started" >&2; exit 1
  fi
  echo "PostgreSQL is not available here; only the SQLite run follows." >&2
  echo "== Test suite on SQLite"
  exec .venv/bin/python -m pytest "$@"
}
logs=$(mktemp -d)
trap 'scripts/pg-throwaway.sh stop; rm -rf "$logs"' EXIT
run sqlite INFOCOACH_TEST_DATABASE_URL=
run postgres "INFOCOACH_TEST_DATABASE_URL=$pg_url"
wait
status=0
for name in sqlite postgres; do
  label=SQLite; [ "$name" = postgres ] && label=PostgreSQL
  echo "== Test suite on $label"
  cat "$logs/$name.log"
  [ "$(cat "$logs/$name.rc")" = "0" ] || status=1
done
exit $status
