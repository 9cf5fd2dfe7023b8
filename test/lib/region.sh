# shellcheck shell=bash
# Shared by test/region.sh and test/bench/region_bench.sh (sourced after
# scripts/lib.sh, with PGBIN set): start node clusters, load a generated
# region onto them, and set up a coordinator database whose partitioned
# tables have one postgres_fdw foreign table per node as partitions.

# node_dir <i>: node i's cluster directory, in the coordinator's cluster
# directory (where the cluster's owner may write: scripts/lib.sh's
# cluster_dir), or under REGION_DIR
REGION_DIR=${REGION_DIR:-$(cluster_dir)/region}
node_dir() { echo "$REGION_DIR/node$1"; }
node_port() { echo $((${REGION_PORT:-$((AP_PORT + 1))} + $1 - 1)); }

# start_nodes <n>: n fresh clusters (scripts/cluster.sh, each its own data
# directory, socket and port), started side by side
start_nodes() {
	local i pids=() rc=0
	mkdir -p "$REGION_DIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$REGION_DIR"
	for ((i = 1; i <= $1; i++)); do
		# cluster.sh falls back to one shared directory where the owner
		# cannot write: the nodes must not end up in the same one
		if [ "$(AP_CLUSTER_DIR=$(node_dir "$i") bash "$ROOT/scripts/cluster.sh" dir)" != "$(node_dir "$i")" ]; then
			echo "the cluster owner cannot use $(node_dir "$i"): set REGION_DIR" >&2
			return 1
		fi
		AP_CLUSTER_DIR=$(node_dir "$i") AP_PORT=$(node_port "$i") AP_DB=actionplan \
			bash "$ROOT/scripts/cluster.sh" start >/dev/null & pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || rc=1; done
	return $rc
}
# stop_node <i>
stop_node() { AP_CLUSTER_DIR=$(node_dir "$1") AP_PORT=$(node_port "$1") bash "$ROOT/scripts/cluster.sh" stop; }
stop_nodes() { local i; for ((i = 1; i <= $1; i++)); do stop_node "$i"; done; }
# nq <i> psql-args...: psql on node i's database
nq() {
	local i=$1; shift
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(node_dir "$i")/socket" -p "$(node_port "$i")" \
		-U postgres -d actionplan "$@"
}

# municipalities <node> <nodes> <munis>: the municipalities node i holds of
# 1..munis, as an array literal: the first munis/nodes, the next, ...
municipalities() {
	local per=$(($3 / $2)) first
	first=$((($1 - 1) * per + 1))
	local last=$((first + per - 1))
	[ "$1" = "$2" ] && last=$3
	echo "{$(seq -s, "$first" "$last")}"
}

# coordinator_sql <nodes> <munis>: the coordinator's set-up (as docs/region.md
# shows it): postgres_fdw, one foreign server per node with actionplan in its
# extensions option, a user mapping, and the partitioned tables placement and
# ledger_budget with a foreign table per node as partition
coordinator_sql() {
	local i
	cat <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE EXTENSION IF NOT EXISTS actionplan;
CREATE TABLE placement (municipality integer NOT NULL, id bigint NOT NULL,
                        stay daterange NOT NULL, daily_cost sek NOT NULL)
  PARTITION BY LIST (municipality);
CREATE TABLE ledger_budget (municipality integer NOT NULL, entry_date date NOT NULL,
                            amount sek NOT NULL, annual sek NOT NULL)
  PARTITION BY LIST (municipality);
SQL
	for ((i = 1; i <= $1; i++)); do
		local m
		m=$(municipalities "$i" "$1" "$2")
		cat <<SQL
CREATE SERVER node$i FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '$(node_dir "$i")/socket', port '$(node_port "$i")', dbname 'actionplan',
           extensions 'actionplan', async_capable 'true', fetch_size '10000');
CREATE USER MAPPING FOR CURRENT_USER SERVER node$i OPTIONS (user 'postgres');
CREATE FOREIGN TABLE placement_node$i PARTITION OF placement
  FOR VALUES IN (${m:1:-1}) SERVER node$i OPTIONS (table_name 'placement');
CREATE FOREIGN TABLE ledger_budget_node$i PARTITION OF ledger_budget
  FOR VALUES IN (${m:1:-1}) SERVER node$i OPTIONS (table_name 'ledger_budget');
SQL
	done
	echo "ANALYZE placement, ledger_budget;"
}
