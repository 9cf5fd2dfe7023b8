#!/usr/bin/env bash
# sek benchmark (not part of `make test`): `make bench`, or
#   ROWS=1000000 bash test/bench/sek_bench.sh
# Starts its own throwaway cluster (port 54399, /tmp/actionplan-bench; override
# with AP_PORT / AP_CLUSTER_DIR), builds three one-column tables of the same
# ROWS (default 10 M) amounts as bigint öre, numeric kronor and sek
# (test/bench/sek_bench_setup.sql),
# and measures, serially, best of RUNS (default 3) rounds, queries interleaved:
#   - count(*) (each table's scan floor), sum() and avg() of each (psql \timing);
#   - text input: COPY FROM a server-side file of ROWS '12345.67' values into
#     an UNLOGGED numeric vs sek table, plus sek from '12 345,67 kr'.
# Ends with a summary and PASS/MISS goal checks; stops the cluster and removes
# its data directory. JIT is off unless BENCH_JIT=on.
# Needs the extension installed (make install). Exits 0 on MISS; non-zero on error.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54399} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench}
export AP_DB=${AP_DB:-actionplan_bench}
ROWS=${ROWS:-10000000} RUNS=${RUNS:-3} JIT=${BENCH_JIT:-off}
. scripts/lib.sh
START=$(date +%s)

trap 'bash scripts/cluster.sh stop; [ -n "${DIR:-}" ] && rm -rf "$DIR/data"' EXIT
bash scripts/cluster.sh start
DIR=$(bash scripts/cluster.sh dir)
client_env "$DIR"
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$AP_DB" "$@"; }

echo "== setup: $ROWS rows"
psql -v rows="$ROWS" -v dir="$DIR" -f test/bench/sek_bench_setup.sql
psql -c "SELECT count(*) FROM t_bigint; SELECT count(*) FROM t_numeric; SELECT count(*) FROM t_sek" >/dev/null # warm the cache

# Run "label|statement" pairs RUNS times (all pairs per round, optionally each
# after a "TRUNCATE t" untimed); print "label best_seconds" per label.
time_best() {
	{
		echo "SET max_parallel_workers_per_gather = 0;"
		echo "SET jit = $JIT;"
		echo '\o /dev/null'
		for ((r = 1; r <= RUNS; r++)); do
			for q in "$@"; do
				local label=${q%%|*} sql=${q#*|}
				[[ $label == copy_num ]] && echo "TRUNCATE copy_num;"
				[[ $label == copy_sek* ]] && echo "TRUNCATE copy_sek;"
				printf '\\echo @@ %s\n\\timing on\n%s;\n\\timing off\n' "$label" "$sql"
			done
		done
	} | psql | awk '/^@@ /{l=$2} /^Time: /{t=$2/1000; if(!(l in b)||t<b[l]) b[l]=t}
		END{for(l in b) printf "%s %.6f\n", l, b[l]}'
}

declare -A T
AGGS=()
for ty in bigint numeric sek; do
	AGGS+=("count_$ty|SELECT count(*) FROM t_$ty")
	for a in sum avg; do AGGS+=("${a}_$ty|SELECT $a(v) FROM t_$ty"); done
done
echo "== aggregates ($RUNS rounds)"
while read -r l t; do T[$l]=$t; done < <(time_best "${AGGS[@]}")
echo "== COPY FROM file ($RUNS rounds)"
while read -r l t; do T[$l]=$t; done < <(time_best \
	"copy_num|COPY copy_num FROM '$DIR/bench_plain.txt'" \
	"copy_sek|COPY copy_sek FROM '$DIR/bench_plain.txt'" \
	"copy_sek_sv|COPY copy_sek FROM '$DIR/bench_swedish.txt'")
for l in "${AGGS[@]%%|*}" copy_num copy_sek copy_sek_sv; do
	[[ -n ${T[$l]:-} ]] || { echo "no timing for $l" >&2; exit 1; }
done
rm -f "$DIR"/bench_plain.txt "$DIR"/bench_swedish.txt

calc() { awk "BEGIN{printf \"%.${2:-2}f\", $1}"; }
check() { # check <awk condition on best seconds> <goal text>
	if awk "BEGIN{exit !($1)}"; then echo "  PASS  $2"; else echo "  MISS  $2"; fi
}
row() { # row <agg>_<type>: best, ÷ its table's count(*), ÷ same aggregate of bigint, minus count(*)
	local a=${1%%_*} ty=${1#*_} label
	if [[ $a == count ]]; then label="count(*) $ty"; else label="$a($ty)"; fi
	printf '  %-15s %6.3f s %9s %9s' "$label" "${T[$1]}" "$(calc "${T[$1]}/${T[count_$ty]}")" \
		"$(calc "${T[$1]}/${T[${a}_bigint]}")"
	if [[ $a == count ]]; then echo; else printf ' %+9.0f ms\n' "$(calc "1000*(${T[$1]}-${T[count_$ty]})" 0)"; fi
}
rate() { printf '  %-36s %6.3f s %10.0f rows/s\n' "$1" "${T[$2]}" "$(calc "$ROWS/${T[$2]}" 0)"; }
r_sum=$(calc "${T[sum_sek]}/${T[sum_bigint]}" 3)
r_num=$(calc "${T[sum_numeric]}/${T[sum_sek]}" 3)
r_copy=$(calc "${T[copy_num]}/${T[copy_sek]}" 3)

echo
echo "==================== sek benchmark summary ===================="
echo "PostgreSQL $(psql -Atc 'SHOW server_version'), $ROWS rows, best of $RUNS," \
	"serial (max_parallel_workers_per_gather = 0), jit = $JIT"
echo "aggregates (tables t_bigint, t_numeric, t_sek: one column each, same amounts)"
echo "                    best     ÷count(*)  ÷bigint  −count(*)"
for a in count sum avg; do for ty in bigint numeric sek; do row "${a}_$ty"; done; done
cat <<EOF
ratios
  sum(sek) / sum(bigint)                             $r_sum
  sum(numeric) / sum(sek)                            $r_num
  (sum(sek) - count(*)) / (sum(bigint) - count(*))   $(calc "(${T[sum_sek]}-${T[count_sek]})/(${T[sum_bigint]}-${T[count_bigint]})")
  avg(sek) / avg(bigint)                             $(calc "${T[avg_sek]}/${T[avg_bigint]}")
  avg(numeric) / avg(sek)                            $(calc "${T[avg_numeric]}/${T[avg_sek]}")
COPY FROM file into an UNLOGGED one-column table
EOF
rate "numeric  '12345.67'" copy_num
rate "sek      '12345.67'" copy_sek
rate "sek      '12 345,67 kr' (info only)" copy_sek_sv
echo "  sek / numeric throughput                           $r_copy"
echo "goal checks (best-of-$RUNS times, no tolerance)"
check "${T[sum_sek]} <= ${T[sum_bigint]}" "sum(sek) no slower than sum(bigint): sum(sek)/sum(bigint) = $r_sum (need ≤ 1)"
check "${T[sum_numeric]} >= 1.5 * ${T[sum_sek]}" "sum(sek) ≥ 1.5× faster than sum(numeric): sum(numeric)/sum(sek) = $r_num (need ≥ 1.5)"
check "${T[copy_sek]} <= ${T[copy_num]}" "sek COPY ≥ numeric COPY: sek/numeric rows/s = $r_copy (need ≥ 1)"
echo "total wall time: $(($(date +%s) - START)) s"
