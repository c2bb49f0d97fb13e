#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and benchmarks, on 127.0.0.1.
#   tools/postgres.sh start DIR   prints the HEEDFUL_DATABASE_URL on stdout
#   tools/postgres.sh stop DIR
# initdb refuses to run as root, so as root the server runs as the postgres user.
set -euo pipefail
action=$1
dir=$2
port=${HEEDFUL_TEST_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

case "$action" in
  start)
    mkdir -p "$dir"
    chmod o+x "$(dirname "$dir")"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust -E UTF8 --locale=C.UTF-8 -U postgres >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port/heedful"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop
    ;;
  *) echo "usage: tools/postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
