#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free port with trust auth on 127.0.0.1.
#   scripts/pg-throwaway.sh start   -> prints the database URL
#   scripts/pg-throwaway.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/.pgtest"

find_bin() {
  command -v "$1" 2>/dev/null && return
  ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

# PostgreSQL refuses to run as root; run it as the postgres user then.
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
    [ -n "$initdb" ] && [ -n "$pg_ctl" ] || { echo "initdb/pg_ctl not found" >&2; exit 1; }
    [ -f "$dir/postmaster.pid" ] && as_pg "$pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    psql_bin=$(find_bin psql)
    "$psql_bin" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE infocoach_test" >/dev/null
    echo "postgresql+asyncpg://postgres@127.0.0.1:$port/infocoach_test"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl)
    [ -d "$dir/data" ] && as_pg "$pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
