#!/usr/bin/env bash
# The throwaway cluster under the repo: `start` (always fresh: a cluster left
# behind by an earlier run is stopped and removed), `stop`, `psql`, `env`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DIR=$(cluster_dir)
DATA=$DIR/data
SOCK=$DIR/socket

stop() {
	if [ -f "$DATA/PG_VERSION" ]; then
		as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 ||
			as_owner "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	# a postmaster whose data directory was removed under it: find it by socket
	if [ -S "$SOCK/.s.PGSQL.$AP_PORT" ] && [ -f "$SOCK/.s.PGSQL.$AP_PORT.lock" ]; then
		pid=$(head -n1 "$SOCK/.s.PGSQL.$AP_PORT.lock" 2>/dev/null || true)
		[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && sleep 1 || true
	fi
}

start() {
	stop
	rm -rf "$DATA" "$SOCK" "$DIR/server.log"
	as_owner mkdir -p "$SOCK"
	as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
		{ cat "$DIR/initdb.log" >&2; exit 1; }
	as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
# actionplan throwaway cluster
port = $AP_PORT
listen_addresses = ''
unix_socket_directories = '$SOCK'
shared_preload_libraries = 'pg_cron'
cron.database_name = '$AP_DB'
cron.host = '$SOCK'
max_worker_processes = 16
max_parallel_workers = 8
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 512MB
logging_collector = off
lc_messages = 'C'
CONF
	as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >/dev/null ||
		{ tail -n 30 "$DIR/server.log" >&2; exit 1; }
	client_env "$DIR"
	"$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE $AP_DB" >/dev/null
	echo "actionplan: cluster running in $DIR (socket $SOCK, port $AP_PORT)"
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	dir) echo "$DIR" ;;
	psql) client_env "$DIR"; shift; exec "$PGBIN/psql" -X -d "$AP_DB" "$@" ;;
	*) echo "usage: $0 start|stop|dir|psql" >&2; exit 2 ;;
esac
