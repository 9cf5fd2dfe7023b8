# Shared settings for the scripts: where PostgreSQL is, where the throwaway
# cluster lives, and how to run commands as the cluster's owner.
# Sourced, not run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
# AP_DESTDIR: install into a private copy of the server there (made on first
# use; PostgreSQL finds its files relative to its binaries), so that several
# checkouts can test at once, each with its own AP_PORT and AP_CLUSTER_DIR
if [ -n "${AP_DESTDIR:-}" ]; then PGBIN=${PGBIN:-$AP_DESTDIR/usr/lib/postgresql/15/bin}; fi
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
AP_PORT=${AP_PORT:-54315}
AP_DB=${AP_DB:-actionplan}
export PG_CONFIG

# Run a command as the cluster owner: postgres when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise.  From /, as the owner may not
# enter the current directory (a clone under /root or in a mode-700
# directory); the callers pass absolute paths.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# The cluster directory: under the repo when the owner can use it there,
# else a private directory under /tmp (a repo under /root is not reachable
# for the postgres user).
cluster_dir() {
	local d=${AP_CLUSTER_DIR:-$ROOT/.cluster}
	case $d in /*) ;; *) d=$PWD/$d ;; esac
	if [ "$(id -u)" = 0 ]; then
		mkdir -p "$d" 2>/dev/null && chown postgres: "$d" 2>/dev/null
		if ! runuser -u postgres -- test -w "$d" 2>/dev/null; then
			d=/tmp/actionplan-cluster-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)
			mkdir -p "$d" && chown postgres: "$d" && chmod 700 "$d"
		fi
	else
		mkdir -p "$d"
	fi
	echo "$d"
}

# Connection settings for clients (psql, pg_regress, pg_prove).
client_env() {
	export PGHOST="$1/socket" PGPORT=$AP_PORT PGUSER=postgres
}

# Build and install the extension: into the system's PostgreSQL, or with
# AP_DESTDIR into a private copy of it.
install_extension() {
	make -s PG_CONFIG="$PG_CONFIG" || return 1
	if [ -n "${AP_DESTDIR:-}" ]; then
		if [ ! -x "$AP_DESTDIR/usr/lib/postgresql/15/bin/postgres" ]; then
			mkdir -p "$AP_DESTDIR/usr/lib/postgresql" "$AP_DESTDIR/usr/share/postgresql" &&
			cp -a /usr/lib/postgresql/15 "$AP_DESTDIR/usr/lib/postgresql/" &&
			cp -a /usr/share/postgresql/15 "$AP_DESTDIR/usr/share/postgresql/" || return 1
		fi
		make -s PG_CONFIG="$PG_CONFIG" install DESTDIR="$AP_DESTDIR" >/dev/null
	elif [ "$(id -u)" = 0 ]; then
		make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
	else
		sudo make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
	fi
}
