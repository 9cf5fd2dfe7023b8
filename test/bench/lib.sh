# shellcheck shell=bash
# Shared by the placements and ledger benchmarks (sourced after they set
# AP_PORT, AP_CLUSTER_DIR, AP_DB, ROWS, RUNS and BENCH_NAME): one run at a
# time per cluster directory, a fresh throwaway cluster that is stopped and
# removed on exit (BENCH_KEEP=1 leaves it running), the serial and 2-worker
# session settings, best-of-RUNS timing of the queries Q[label] listed in
# TIMED ("label:mode", mode s or p), and the summary helpers.
JIT=${BENCH_JIT:-off} KEEP=${BENCH_KEEP:-0}
. scripts/lib.sh
# a second run would stop the first one's cluster, so it waits for it
exec 9>"${AP_CLUSTER_DIR%/}.lock"
if ! flock -n 9; then
	echo "waiting for another $BENCH_NAME benchmark on $AP_CLUSTER_DIR to finish"
	flock 9
fi
START=$(date +%s)

# Stop the cluster and remove its data, unless asked to keep it.
cleanup() {
	if [ "$KEEP" = 1 ]; then
		echo "cluster left running: AP_PORT=$AP_PORT AP_CLUSTER_DIR=$AP_CLUSTER_DIR AP_DB=$AP_DB bash scripts/cluster.sh psql"
	else
		bash scripts/cluster.sh stop
		[ -n "${DIR:-}" ] && rm -rf "$DIR/data"
	fi
}
trap cleanup EXIT
bash scripts/cluster.sh start 9>&- # the server must not hold the lock
DIR=$(bash scripts/cluster.sh dir)
client_env "$DIR"
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$AP_DB" "$@"; }

# Session settings: serial, or 2 workers.  The parallel costs are set to 0 so
# that every query whose plan can use workers gets them.
SERIAL="SET max_parallel_workers_per_gather = 0;"
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
COMMON="SET jit = $JIT;"
settings() { if [ "$1" = p ]; then echo "$COMMON $PARALLEL"; else echo "$COMMON $SERIAL"; fi; }

# Run the TIMED queries RUNS times (all of them in each round, each after its
# session settings; each round starts further down the list, so that something
# else running on the machine now and then does not always hit the same
# query); print "label:mode best_seconds" per query.
time_best() {
	local n=${#TIMED[@]} t
	{
		echo '\o /dev/null'
		for ((r = 0; r < RUNS; r++)); do
			for ((i = 0; i < n; i++)); do
				t=${TIMED[(i + r * n / RUNS) % n]}
				printf '%s\n\\echo @@ %s\n\\timing on\n%s;\n\\timing off\n' \
					"$(settings "${t#*:}")" "$t" "${Q[${t%%:*}]}"
			done
		done
	} | psql | awk '/^@@ /{l=$2} /^Time: /{t=$2/1000; if(!(l in b)||t<b[l]) b[l]=t}
		END{for(l in b) printf "%s %.6f\n", l, b[l]}'
}

# Fill T[label:mode] with the best times of every TIMED query (after warming
# the cache with a scan of table $1).
time_all() {
	psql -c "SELECT count(*) FROM $1" >/dev/null
	echo "== timing ${#TIMED[@]} queries, $RUNS rounds"
	declare -gA T
	while read -r l t; do T[$l]=$t; done < <(time_best)
	for t in "${TIMED[@]}"; do
		[[ -n ${T[$t]:-} ]] || { echo "no timing for $t" >&2; exit 1; }
	done
}

# Result checks: check_prologue starts a script's checks (no query output,
# lib.sql's helpers, NOTICEs on); check_psql runs the script and shows what
# the checks RAISE as NOTICE, indented.
check_prologue() { printf '%s\n' '\o /dev/null' '\i test/bench/lib.sql' 'SET client_min_messages = notice;'; }
check_psql() { psql 2>&1 | sed 's/^\(psql:[^ ]* \)\?NOTICE:  /  /'; }

calc() { awk "BEGIN{printf \"%.${2:-2}f\", $1}"; }
min() { awk -v a="$1" -v b="$2" 'BEGIN{print (a < b) ? a : b}'; }
check() { # check <awk condition> <goal text>
	if awk "BEGIN{exit !($1)}"; then echo "  PASS  $2"; else echo "  MISS  $2"; fi
}
# row <width> <text> <label>: seconds serial, 2 workers, speed-up, ÷ floor (serial, 2 workers)
row_w() {
	local s=${T[$3:s]} p=${T[$3:p]}
	printf "  %-$1s %7.3f s %7.3f s %6s× %8s %8s\n" "$2" "$s" "$p" "$(calc "$s/$p")" \
		"$(calc "$s/${T[floor:s]}")" "$(calc "$p/${T[floor:p]}")"
}
